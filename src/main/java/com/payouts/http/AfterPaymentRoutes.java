package com.payouts.http;

import com.payouts.queue.JobQueue;
import com.payouts.service.ReconciliationRuns;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * After the payment: GET /api/reconciliation (run it now, 200 with the result, clean or not),
 * GET /api/reconciliation/last, and the dead letters: GET /api/jobs/dead,
 * POST /api/jobs/dead/{id}/requeue, DELETE /api/jobs/dead/{id}.
 */
final class AfterPaymentRoutes {
  static final int DEAD_LIMIT = 1_000;

  private final ReconciliationRuns reconciliation;
  private final JobQueue queue;

  AfterPaymentRoutes(ReconciliationRuns reconciliation, JobQueue queue) {
    this.reconciliation = reconciliation;
    this.queue = queue;
  }

  void mount(Router router) {
    router.get("/api/reconciliation").handler(ctx -> Responses.json(ctx, 200, () -> reconcile(ctx)));
    router.get("/api/reconciliation/last").handler(ctx -> Responses.json(ctx, 200, () -> reconciliation.last()
        .map(last -> last.orElse(new JsonObject().put("at", (String) null)))));
    router.get("/api/jobs/dead").handler(ctx -> Responses.json(ctx, 200, () -> dead(ctx)));
    router.post("/api/jobs/dead/:id/requeue").handler(ctx -> Responses.json(ctx, 200, () -> requeue(ctx)));
    router.delete("/api/jobs/dead/:id").handler(ctx -> Responses.json(ctx, 200, () -> delete(ctx)));
  }

  private Future<JsonObject> reconcile(RoutingContext ctx) {
    String since = ctx.queryParams().get("since");
    return reconciliation.run(since == null ? null : since(since));
  }

  /** A date (2026-12-01, from its start in UTC) or an instant (2026-12-01T08:00:00Z). */
  static Instant since(String s) {
    try {
      return s.length() == 10 ? LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(s);
    } catch (RuntimeException e) {
      throw ApiError.badRequest("since", "must be a date like 2026-12-01 or a time like 2026-12-01T08:00:00Z");
    }
  }

  private Future<JsonObject> dead(RoutingContext ctx) {
    String raw = ctx.queryParams().get("limit");
    int limit;
    try {
      limit = raw == null ? 100 : Integer.parseInt(raw);
      if (limit < 1 || limit > DEAD_LIMIT) throw new NumberFormatException();
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("limit", "must be from 1 to " + DEAD_LIMIT);
    }
    return Future.all(queue.deadLetterDetails(limit), queue.depth()).map(both -> {
      JsonArray items = new JsonArray();
      for (JobQueue.DeadLetter d : both.<java.util.List<JobQueue.DeadLetter>>resultAt(0)) items.add(deadLetter(d));
      return new JsonObject().put("items", items).put("total", both.<JsonObject>resultAt(1).getLong("dead"));
    });
  }

  /** {"id", "type", "payoutId" or "payoutIds", "error", "attempts", "maxAttempts", "diedAt", "payload"}. */
  static JsonObject deadLetter(JobQueue.DeadLetter d) {
    JsonObject payload = d.job().payload();
    return new JsonObject().put("id", d.job().id()).put("type", d.job().type())
        .put("payoutId", payload.getValue("payoutId"))
        .put("payoutIds", payload.getValue("payoutIds"))
        .put("error", d.error().isEmpty() ? null : d.error())
        .put("attempts", d.job().attempts()).put("maxAttempts", d.job().maxAttempts())
        .put("priority", d.job().priority().wire())
        .put("diedAt", d.diedAt().toString()).put("payload", payload);
  }

  private Future<JsonObject> requeue(RoutingContext ctx) {
    String id = jobId(ctx);
    return queue.requeueDead(id).compose(done -> done
        ? Future.succeededFuture(new JsonObject().put("id", id).put("requeued", true))
        : Future.failedFuture(notDead(id)));
  }

  private Future<JsonObject> delete(RoutingContext ctx) {
    String id = jobId(ctx);
    return queue.deleteDead(id).compose(done -> done
        ? Future.succeededFuture(new JsonObject().put("id", id).put("deleted", true))
        : Future.failedFuture(notDead(id)));
  }

  private static String jobId(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (id == null || id.isBlank() || id.length() > 100) throw notDead(id);
    return id;
  }

  private static ApiError notDead(String id) {
    return new ApiError(404, "not_found", null, "no dead job " + id);
  }
}
