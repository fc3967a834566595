package com.payouts.http;

import com.payouts.service.Work;
import com.payouts.http.auth.AuthHandler;
import com.payouts.auth.Principal;
import com.payouts.service.IdempotentRequests;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The Idempotency-Key header of the POSTs that move money, read at the edge: the key (1 to 255
 * printable characters), whose it is (the signed-in staff user, so two API clients never share a
 * key), and what the request asks (method, path and the body's canonical JSON, hashed). The
 * service decides whether it runs; a replayed answer carries {@value #REPLAYED}: true.
 */
final class Idempotency {
  static final String HEADER = IdempotentRequests.HEADER;
  static final String REPLAYED = "Idempotent-Replayed";
  private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7E]{1,255}");

  private final IdempotentRequests requests;

  Idempotency(IdempotentRequests requests) {
    this.requests = requests;
  }

  /**
   * Answers {@code ctx} with the JSON of the operation that {@code parse} returns, under
   * {@code status}. {@code parse} reads and checks the request first, so a bad one is a 400 that
   * touches no row and holds no key.
   */
  void respond(RoutingContext ctx, int status, Supplier<Function<Work, Future<JsonObject>>> parse) {
    answer(ctx, () -> {
      Function<Work, Future<JsonObject>> operation = parse.get();
      return key -> requests.run(key, status, w -> operation.apply(w).map(JsonObject::encode));
    });
  }

  /**
   * The same for an operation that runs its key itself ({@code parse} returns what to do with the
   * key sent, null when there is none), such as a request written in a group commit.
   */
  void answer(RoutingContext ctx, Supplier<Function<IdempotentRequests.Key, Future<IdempotentRequests.Reply>>> parse) {
    Future<IdempotentRequests.Reply> reply;
    try {
      String key = key(ctx);
      Function<IdempotentRequests.Key, Future<IdempotentRequests.Reply>> run = parse.get();
      reply = run.apply(key == null ? null : keyOf(ctx, key));
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    reply.onSuccess(r -> {
      if (ctx.response().ended()) return;
      if (r.replayed()) ctx.response().putHeader(REPLAYED, "true");
      ctx.response().setStatusCode(r.status()).putHeader("Content-Type", "application/json").end(r.body());
    }).onFailure(err -> ApiError.respond(ctx, err));
  }

  /** The key sent, or null; a 400 naming the header when it is not one key of 1 to 255 printable characters. */
  static String key(RoutingContext ctx) {
    List<String> sent = ctx.request().headers().getAll(HEADER);
    if (sent.isEmpty()) return null;
    if (sent.size() > 1) throw ApiError.badRequest(HEADER, "must be sent once");
    String key = sent.get(0);
    if (!PRINTABLE.matcher(key).matches() || key.isBlank()) {
      throw ApiError.badRequest(HEADER, "must be 1 to 255 printable ASCII characters");
    }
    return key;
  }

  private static IdempotentRequests.Key keyOf(RoutingContext ctx, String key) {
    String endpoint = ctx.request().method().name() + " " + ctx.normalizedPath();
    return new IdempotentRequests.Key(scope(ctx), key, fingerprint(endpoint, ctx.body().asString()), endpoint);
  }

  /** Whose keys these are: the staff user behind the token or session, whichever they use. */
  static String scope(RoutingContext ctx) {
    Principal p = AuthHandler.principal(ctx);
    return p == null ? "anonymous" : "user:" + p.userId();
  }

  /**
   * The request's meaning: where it went and its body as canonical JSON (keys sorted, no spacing),
   * so the same request sent with its fields in another order is still the same request.
   */
  static String fingerprint(String endpoint, String body) {
    StringBuilder canonical = new StringBuilder(endpoint).append('\n');
    canonical(Json.decodeValue(body), canonical);
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void canonical(Object value, StringBuilder out) {
    if (value instanceof JsonObject o) {
      out.append('{');
      String sep = "";
      for (String field : new TreeSet<>(o.fieldNames())) {
        out.append(sep).append(Json.encode(field)).append(':');
        canonical(o.getValue(field), out);
        sep = ",";
      }
      out.append('}');
    } else if (value instanceof JsonArray a) {
      out.append('[');
      for (int i = 0; i < a.size(); i++) {
        if (i > 0) out.append(',');
        canonical(a.getValue(i), out);
      }
      out.append(']');
    } else {
      out.append(Json.encode(value));
    }
  }
}
