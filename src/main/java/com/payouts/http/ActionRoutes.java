package com.payouts.http;

import com.payouts.service.Work;
import com.payouts.service.PayoutDispatcher;
import com.payouts.service.PayoutDispatcher.Action;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Payout actions: approve, process and retry answer 202 with the task that will pay; reject
 * answers 200 once the hold is released. Also the old system's payout-action path.
 */
final class ActionRoutes {
  private final PayoutDispatcher dispatcher;
  private final PayoutRoutes reads;
  private final Idempotency idempotency;

  ActionRoutes(PayoutDispatcher dispatcher, PayoutRoutes reads, Idempotency idempotency) {
    this.dispatcher = dispatcher;
    this.reads = reads;
    this.idempotency = idempotency;
  }

  void mount(Router router) {
    router.post("/api/payouts/batch").handler(ctx -> idempotency.respond(ctx, 200, () -> batch(ctx)));
    router.post("/api/payouts/:id/:action").handler(ctx -> {
      String action = ctx.pathParam("action");
      // Only a reject reads a body; the other actions take none and ignore one.
      Responses.json(ctx, "reject".equals(action) ? 200 : 202, () -> act(ctx, Input.pathId(ctx, "id"), action,
          "reject".equals(action) ? rejectReason(ctx) : null));
    });
    router.post("/admin/ajax/payout-action/").handler(ctx -> Responses.json(ctx, 200, () -> legacy(ctx)));
  }

  /** {@code reason} is read by the caller: each path has its own body, so this never reads one. */
  private Future<JsonObject> act(RoutingContext ctx, long id, String action, String reason) {
    String actor = PayoutRoutes.actor(ctx);
    return switch (action) {
      case "approve" -> accepted(dispatcher.approve(id, actor, PayoutRoutes.staffId(ctx)));
      case "process" -> accepted(dispatcher.process(id, actor));
      case "retry" -> accepted(dispatcher.retry(id, actor));
      case "reject" -> dispatcher.reject(id, actor, reason).compose(reads::detail);
      default -> Future.failedFuture(new ApiError(404, "not_found", "action",
          "no such action: " + action + " (approve, process, retry or reject)"));
    };
  }

  private static String rejectReason(RoutingContext ctx) {
    String text = ctx.body() == null ? null : ctx.body().asString();
    if (text == null || text.isBlank()) return null;
    return Input.of(ctx, Set.of("reason")).optionalString("reason", 500);
  }

  private Future<JsonObject> accepted(Future<PayoutDispatcher.Dispatched> d) {
    return d.compose(x -> reads.detail(x.payout())
        .map(p -> new JsonObject().put("payout", p).put("taskId", x.taskId())));
  }

  private Function<Work, Future<JsonObject>> batch(RoutingContext ctx) {
    Input in = Input.of(ctx, Set.of("action", "ids"));
    Action action = parseAction(in.requiredString("action", 20), "action");
    if (action == Action.RETRY) throw ApiError.badRequest("action", "must be approve, process or reject");
    List<Long> ids = ids(in.array("ids"));
    String actor = PayoutRoutes.actor(ctx);
    Long staffId = PayoutRoutes.staffId(ctx);
    return w -> dispatcher.batch(w, action, ids, actor, staffId).map(PayoutJson::batch);
  }

  /** {"payout_id": 5, "action": "approve", "reason": "..."}: the old dashboard's scripts; reason is for a reject. */
  private Future<JsonObject> legacy(RoutingContext ctx) {
    Input in = Input.of(ctx, Set.of("payout_id", "action", "reason"));
    long id = in.requiredId("payout_id");
    String action = in.requiredString("action", 20).toLowerCase(Locale.ROOT);
    parseAction(action, "action");
    String reason = in.optionalString("reason", 500);
    return act(ctx, id, action, reason).map(body -> new JsonObject().put("success", true)
        .put("payout_id", id).put("task_id", body.getString("taskId")).put("payout", body.containsKey("payout")
            ? body.getJsonObject("payout") : body));
  }

  private static Action parseAction(String s, String field) {
    try {
      return Action.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(field, "must be approve, process, retry or reject");
    }
  }

  private static List<Long> ids(JsonArray raw) {
    if (raw == null || raw.isEmpty()) throw ApiError.badRequest("ids", "must be a non-empty array of payout ids");
    if (raw.size() > PayoutDispatcher.MAX_BATCH) {
      throw new ApiError(413, "batch_too_large", "ids", "at most " + PayoutDispatcher.MAX_BATCH + " ids per batch");
    }
    List<Long> ids = new ArrayList<>(raw.size());
    for (Object o : raw) {
      if (!(o instanceof Integer || o instanceof Long) || ((Number) o).longValue() <= 0) {
        throw ApiError.badRequest("ids", "must contain positive whole numbers only");
      }
      ids.add(((Number) o).longValue());
    }
    return ids;
  }
}
