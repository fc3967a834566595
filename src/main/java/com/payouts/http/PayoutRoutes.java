package com.payouts.http;

import com.payouts.domain.NewPayout;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.Priority;
import com.payouts.service.PayoutService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/** /api/payouts: create (with Idempotency-Key) and read with its audit trail and ledger rows. */
final class PayoutRoutes {
  static final Set<String> CREATE_FIELDS = Set.of("userId", "amount", "method", "priority", "notes");

  private final PayoutService payouts;

  PayoutRoutes(PayoutService payouts) {
    this.payouts = payouts;
  }

  void mount(Router router) {
    router.post("/api/payouts").handler(this::create);
    router.get("/api/payouts/:id").handler(ctx -> Responses.json(ctx, 200, () -> detail(Input.pathId(ctx, "id"))));
  }

  private void create(RoutingContext ctx) {
    Future<PayoutService.Created> created;
    try {
      Input in = Input.of(ctx, CREATE_FIELDS);
      NewPayout request = newPayout(in);
      String key = ctx.request().getHeader("Idempotency-Key");
      if (key != null && (key.isBlank() || key.length() > 255)) {
        throw ApiError.badRequest("Idempotency-Key", "must be 1 to 255 characters");
      }
      created = payouts.create(request, key, key == null ? null : fingerprint(request), actor(ctx));
    } catch (RuntimeException e) {
      created = Future.failedFuture(e);
    }
    Responses.json(ctx, 201, created.compose(c -> {
      if (c.replayed()) ctx.response().putHeader("Idempotent-Replayed", "true");
      return detail(c.payout());
    }));
  }

  static NewPayout newPayout(Input in) {
    long userId = in.requiredId("userId");
    var amount = in.requiredAmount("amount");
    PayoutMethod method = in.parsed("method", PayoutMethod::parse, null);
    if (method == null) throw ApiError.badRequest("method", "is required (stripe_bank, paypal or check)");
    Priority priority = in.parsed("priority", Priority::parse, Priority.NORMAL);
    String notes = in.optionalString("notes", NewPayout.MAX_NOTES);
    return new NewPayout(userId, amount, method, priority, notes);
  }

  Future<JsonObject> detail(long id) {
    return payouts.repository().find(id).compose(found -> found.map(this::detail).orElseGet(() ->
        Future.failedFuture(new ApiError(404, "not_found", null, "payout " + id + " not found"))));
  }

  /** A payout already in hand, with its audit trail and ledger rows. */
  Future<JsonObject> detail(com.payouts.domain.Payout p) {
    return Future.all(payouts.repository().events(p.id()), payouts.repository().ledger(p.id()))
        .map(both -> PayoutJson.payout(p, both.resultAt(0), both.resultAt(1)));
  }

  /** The request's meaning, so a reused key with another body is told apart from a retry. */
  static String fingerprint(NewPayout r) {
    String canonical = r.userId() + "|" + r.amount().toPlainString() + "|" + r.method().wire() + "|"
        + r.priority().wire() + "|" + (r.notes() == null ? "" : r.notes());
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String actor(RoutingContext ctx) {
    String a = ctx.get("actor");
    return a == null ? "api" : a;
  }
}
