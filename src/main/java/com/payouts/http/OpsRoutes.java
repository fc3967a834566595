package com.payouts.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What every node answers, whatever its roles: {@code /health} (each dependency by name, 503 when
 * one is down or the node is shutting down), {@code /health/live} (the process answers: restart it
 * when this fails), {@code /health/ready} (send it traffic: the same checks as /health) and
 * {@code /metrics} in Prometheus' text format.
 */
public final class OpsRoutes {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Map<String, Supplier<Future<?>>> checks;
  private final Readiness readiness;
  private final Supplier<Future<String>> scrape;

  /** {@code scrape}: the metrics' text, read fresh for each request. */
  public OpsRoutes(Map<String, Supplier<Future<?>>> checks, Readiness readiness, Supplier<Future<String>> scrape) {
    this.checks = checks;
    this.readiness = readiness;
    this.scrape = scrape;
  }

  public void mount(Router router) {
    router.get("/health").handler(this::ready);
    router.get("/health/ready").handler(this::ready);
    router.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "up")));
    router.get("/metrics").handler(ctx -> scrape.get()
        .onSuccess(text -> ctx.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(text))
        .onFailure(ctx::fail));
  }

  private void ready(RoutingContext ctx) {
    dependencies().onComplete(ar -> {
      JsonObject body = ar.result();
      boolean up = body.stream().allMatch(e -> "up".equals(e.getValue()));
      String status = readiness.draining() ? "draining" : up ? "up" : "down";
      List<String> down = body.stream().filter(e -> !"up".equals(e.getValue())).map(Map.Entry::getKey).toList();
      if (!down.isEmpty()) body.put("down", String.join(",", down));
      json(ctx, up && !readiness.draining() ? 200 : 503, body.put("status", status));
    });
  }

  private Future<JsonObject> dependencies() {
    JsonObject out = new JsonObject();
    List<Future<?>> running = new ArrayList<>();
    for (Map.Entry<String, Supplier<Future<?>>> e : checks.entrySet()) {
      running.add(e.getValue().get().timeout(2, TimeUnit.SECONDS)
          .onComplete(ar -> out.put(e.getKey(), ar.succeeded() ? "up" : "down")));
    }
    return Future.join(running).transform(ar -> Future.succeededFuture(out));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
