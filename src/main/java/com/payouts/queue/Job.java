package com.payouts.queue;

import com.payouts.domain.Priority;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One unit of work. The id doubles as the task id callers poll with {@link JobQueue#taskStatus}.
 * {@code attempts} counts deliveries: a freshly claimed job has 1.
 */
public record Job(
    String id,
    String type,
    JsonObject payload,
    Priority priority,
    int attempts,
    int maxAttempts,
    Instant dueAt) {

  public Job {
    if (id == null || id.isBlank()) throw new IllegalArgumentException("job id is blank");
    if (type == null || type.isBlank()) throw new IllegalArgumentException("job type is blank");
    Objects.requireNonNull(priority, "priority");
    if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
    if (attempts < 0) throw new IllegalArgumentException("attempts must not be negative");
    payload = payload == null ? new JsonObject() : payload;
  }

  /** A new job with a random UUID id, due now. */
  public static Job of(String type, JsonObject payload, Priority priority, int maxAttempts) {
    return new Job(UUID.randomUUID().toString(), type, payload, priority, 0, maxAttempts, null);
  }

  /** The same job, not claimable before {@code when}. */
  public Job withDueAt(Instant when) {
    return new Job(id, type, payload, priority, attempts, maxAttempts, when);
  }
}
