package com.payouts.http;

import com.payouts.domain.PayoutReturn;
import com.payouts.gateway.GatewayJson;
import com.payouts.gateway.WebhookSignature;
import com.payouts.service.GatewayEventIntake;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;

/**
 * POST /api/gateway/events: the gateway's webhook. No staff session or token: the signature over
 * the timestamp and the exact body, with the shared secret, is the authentication, and a missing,
 * wrong or stale one is 401 before anything is read. Each event is applied once by its id.
 */
final class GatewayWebhookRoutes {
  static final String PATH = "/api/gateway/events";

  private final GatewayEventIntake intake;
  private final java.util.function.Supplier<Future<WebhookSignature>> signature;
  private final Duration tolerance;

  GatewayWebhookRoutes(GatewayEventIntake intake, java.util.function.Supplier<Future<WebhookSignature>> signature,
      Duration tolerance) {
    this.intake = intake;
    this.signature = signature;
    this.tolerance = tolerance;
  }

  void mount(Router router) {
    router.post(PATH).handler(ctx -> Responses.json(ctx, 200, () -> receive(ctx)));
  }

  private Future<JsonObject> receive(RoutingContext ctx) {
    String body = ctx.body() == null || ctx.body().buffer() == null ? "" : ctx.body().asString();
    String header = ctx.request().getHeader(WebhookSignature.HEADER);
    return signature.get().compose(check -> {
      String refused = check.refusal(header, body, Instant.now(), tolerance);
      return refused != null ? Future.failedFuture(new ApiError(401, "bad_signature", null, refused)) : apply(body);
    });
  }

  private Future<JsonObject> apply(String body) {
    PayoutReturn r;
    try {
      r = GatewayJson.returnFromJson(new JsonObject(body));
    } catch (RuntimeException e) {
      throw ApiError.badRequest(null, "not a gateway event: " + e.getMessage());
    }
    if (r == null) return Future.succeededFuture(new JsonObject().put("received", true).put("applied", false));
    return intake.apply(r, GatewayEventIntake.Via.WEBHOOK).map(applied -> new JsonObject()
        .put("received", true)
        .put("applied", applied.fresh())
        .put("returned", applied.returned().map(p -> PayoutJson.payout(p)).orElse(null)));
  }
}
