package com.payouts.http;

import com.payouts.domain.PayoutFilter;
import com.payouts.domain.Durations;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.PayoutStatus;
import com.payouts.domain.Priority;
import com.payouts.service.PayoutService;
import com.payouts.stats.StatsJson;
import com.payouts.stats.StatsService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/** GET /api/payouts (filters, sorting, keyset cursor) and GET /api/stats. */
final class ListRoutes {
  static final Set<String> PARAMS = Set.of("status", "priority", "method", "since", "q", "sort", "order", "limit", "cursor",
      "approval", "user");
  /** The filters an export takes: the list's, without its page. */
  static final Set<String> EXPORT_PARAMS = Set.of("status", "priority", "method", "since", "q", "sort", "order", "approval",
      "user");

  private final PayoutService payouts;
  private final StatsService stats;

  ListRoutes(PayoutService payouts, StatsService stats) {
    this.payouts = payouts;
    this.stats = stats;
  }

  void mount(Router router) {
    router.get("/api/payouts").handler(ctx -> Responses.json(ctx, 200, () -> list(ctx)));
    router.get("/api/stats").handler(ctx -> Responses.json(ctx, 200, this::stats));
  }

  private Future<Buffer> list(RoutingContext ctx) {
    PayoutFilter filter = filter(ctx, PARAMS);
    return payouts.list(filter)
        .map(page -> PayoutPageJson.page(page.items(), page.next() == null ? null : encodeCursor(page.next())));
  }

  /** The list's filters from the query, refusing any parameter not in {@code allowed}. */
  static PayoutFilter filter(RoutingContext ctx, Set<String> allowed) {
    for (String name : ctx.queryParams().names()) {
      if (!allowed.contains(name)) {
        throw ApiError.badRequest(name, "is not a filter (" + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
      }
    }
    PayoutFilter.Sort sort = param(ctx, "sort", s -> PayoutFilter.Sort.valueOf(s.toUpperCase(Locale.ROOT)),
        PayoutFilter.Sort.CREATED, "created, amount, priority, status or days_pending");
    String order = param(ctx, "order", s -> {
      if (!s.equals("asc") && !s.equals("desc")) throw new IllegalArgumentException();
      return s;
    }, "desc", "asc or desc");
    int limit = param(ctx, "limit", Integer::parseInt, 50, "a whole number from 1 to " + PayoutFilter.MAX_LIMIT);
    if (limit < 1 || limit > PayoutFilter.MAX_LIMIT) {
      throw ApiError.badRequest("limit", "must be from 1 to " + PayoutFilter.MAX_LIMIT);
    }
    String q = ctx.queryParams().get("q");
    if (q != null && (q.isBlank() || q.length() > 200)) throw ApiError.badRequest("q", "must be 1 to 200 characters");
    return new PayoutFilter(
        param(ctx, "status", PayoutStatus::parse, null, "a payout status"),
        param(ctx, "priority", Priority::parse, null, "urgent, high, normal or low"),
        param(ctx, "method", PayoutMethod::parse, null, "stripe_bank, paypal or check"),
        param(ctx, "since", s -> Instant.now().minus(Durations.parse(s)), null, "a period like 24h, 7d or 30d"),
        q, sort, order.equals("desc"), limit,
        param(ctx, "cursor", ListRoutes::decodeCursor, null, "a cursor from a previous page"),
        param(ctx, "approval", PayoutFilter.Approval::parse, null, "needs_review, second_approval or approvable"),
        mayApprove(ctx) ? PayoutRoutes.staffId(ctx) : null,
        param(ctx, "user", s -> {
          long id = Long.parseLong(s);
          if (id < 1) throw new IllegalArgumentException();
          return id;
        }, null, "a user id"));
  }

  /** Whether the signed-in user's role lets them approve at all (a viewer's "approvable" is empty). */
  private static boolean mayApprove(RoutingContext ctx) {
    com.payouts.auth.Principal p = ctx.get("principal");
    return p != null && p.mayMoveMoney();
  }

  private Future<JsonObject> stats() {
    return stats.current().map(s -> StatsJson.api(s, Instant.now()));
  }

  private static <T> T param(RoutingContext ctx, String name, Function<String, T> parse, T fallback, String expected) {
    String raw = ctx.queryParams().get(name);
    if (raw == null) return fallback;
    try {
      return parse.apply(raw);
    } catch (RuntimeException e) {
      throw ApiError.badRequest(name, "must be " + expected);
    }
  }

  static String encodeCursor(PayoutFilter.Cursor c) {
    String json = new JsonObject().put("v", c.value()).put("i", c.id()).encode();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static PayoutFilter.Cursor decodeCursor(String s) {
    JsonObject o = new JsonObject(new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8));
    String v = o.getString("v");
    long id = o.getLong("i");
    if (v == null || v.length() > 64) throw new IllegalArgumentException("bad cursor");
    return new PayoutFilter.Cursor(v, id);
  }
}
