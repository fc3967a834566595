package com.payouts.queue;

import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The JSON shape of a {@code task:<id>} hash as callers see it. */
final class TaskRecord {
  /** Hash fields in the order {@link #fromFields} reads them. */
  static final List<String> FIELDS =
      List.of("type", "state", "attempts", "createdAt", "startedAt", "finishedAt", "result", "error");

  private TaskRecord() {}

  /**
   * Builds the status from an HMGET of {@link #FIELDS}; empty when the task is unknown or expired.
   * The state is one of {@link TaskStatus}'s wire names, as the queue's scripts write them.
   */
  static Optional<JsonObject> fromFields(String taskId, Response values) {
    String state = text(values.get(1));
    if (state == null) return Optional.empty();
    String result = text(values.get(6));
    String attempts = text(values.get(2));
    return Optional.of(new JsonObject()
        .put("taskId", taskId)
        .put("type", text(values.get(0)))
        .put("state", state)
        .put("attempts", attempts == null ? 0 : Integer.parseInt(attempts))
        .put("createdAt", iso(values.get(3)))
        .put("startedAt", iso(values.get(4)))
        .put("finishedAt", iso(values.get(5)))
        .put("result", result == null ? null : new JsonObject(result))
        .put("error", text(values.get(7))));
  }

  /** Empty strings mean "cleared" in the hash; callers see null. */
  private static String text(Response r) {
    String s = r == null ? null : r.toString();
    return s == null || s.isEmpty() ? null : s;
  }

  private static String iso(Response epochMillis) {
    String s = text(epochMillis);
    return s == null ? null : Instant.ofEpochMilli(Long.parseLong(s)).toString();
  }
}
