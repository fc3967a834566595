package com.payouts.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * Ends a request with JSON (a {@code JsonObject}, any value Vert.x encodes, or a {@code Buffer} already
 * holding the JSON), or with the error shape: the one edge where failures are handled.
 */
final class Responses {
  private Responses() {}

  static void json(RoutingContext ctx, int status, Supplier<Future<?>> work) {
    Future<?> f;
    try {
      f = work.get();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    json(ctx, status, f);
  }

  static void json(RoutingContext ctx, int status, Future<?> result) {
    result.onSuccess(body -> {
      if (ctx.response().ended()) return;
      ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
          .end(body instanceof Buffer b ? b : Buffer.buffer(body instanceof JsonObject o ? o.encode() : Json.encode(body)));
    }).onFailure(err -> ApiError.respond(ctx, err));
  }
}
