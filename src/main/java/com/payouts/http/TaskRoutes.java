package com.payouts.http;

import com.payouts.queue.JobQueue;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** Task status: the new path and the old system's. */
final class TaskRoutes {
  private final JobQueue queue;

  TaskRoutes(JobQueue queue) {
    this.queue = queue;
  }

  void mount(Router router) {
    router.get("/api/tasks/:taskId").handler(ctx -> Responses.json(ctx, 200, () -> status(ctx.pathParam("taskId"))));
    router.get("/admin/ajax/task-status/:taskId/").handler(ctx -> Responses.json(ctx, 200,
        () -> status(ctx.pathParam("taskId")).map(t -> t.copy().put("task_id", t.getString("taskId"))
            .put("status", t.getString("state")))));
  }

  private Future<JsonObject> status(String taskId) {
    if (taskId == null || taskId.length() > 100) {
      return Future.failedFuture(new ApiError(404, "not_found", null, "no such task"));
    }
    return queue.taskStatus(taskId).compose(found -> found.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(new ApiError(404, "not_found", null,
            "no task " + taskId + " (unknown, or older than the retention period)"))));
  }
}
