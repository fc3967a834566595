package com.payouts.queue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a queued job asks the processors to do, typed. On the wire (a {@link Job}'s type and
 * payload in Redis) each keeps the old Django Q task name and payload fields, so jobs queued by an
 * older version are read by this one: a resume is a {@code process_single_payout} whose payload
 * also has {@code resumeAfterMs}.
 */
public sealed interface PayoutJob {
  String PAYOUT_ID = "payoutId";
  String PAYOUT_IDS = "payoutIds";
  String MANUAL = "manual";
  String RESUME_AFTER_MS = "resumeAfterMs";

  /** The wire name, one of {@link JobTypes}. */
  String type();

  /** The payload. */
  JsonObject toJson();

  /** Pay an approved payout. */
  record ProcessPayout(long payoutId) implements PayoutJob {
    public String type() {
      return JobTypes.PROCESS_SINGLE_PAYOUT;
    }

    public JsonObject toJson() {
      return new JsonObject().put(PAYOUT_ID, payoutId);
    }
  }

  /** Pay these approved payouts, in one job. */
  record ProcessBatch(List<Long> payoutIds) implements PayoutJob {
    public ProcessBatch {
      payoutIds = List.copyOf(payoutIds);
    }

    public String type() {
      return JobTypes.BATCH_PROCESS_PAYOUTS;
    }

    public JsonObject toJson() {
      return new JsonObject().put(PAYOUT_IDS, new JsonArray(new ArrayList<>(payoutIds)));
    }
  }

  /** Try a failed payout again: an admin's retry at once ({@code manual}), or a scheduled one once due. */
  record RetryPayout(long payoutId, boolean manual) implements PayoutJob {
    public String type() {
      return JobTypes.RETRY_FAILED_PAYOUT;
    }

    public JsonObject toJson() {
      return new JsonObject().put(PAYOUT_ID, payoutId).put(MANUAL, manual);
    }
  }

  /** Finish a payout left in processing once it has stalled for {@code stalledFor}: look up, then pay. */
  record ResumePayout(long payoutId, Duration stalledFor) implements PayoutJob {
    public String type() {
      return JobTypes.PROCESS_SINGLE_PAYOUT;
    }

    public JsonObject toJson() {
      return new JsonObject().put(PAYOUT_ID, payoutId).put(RESUME_AFTER_MS, stalledFor.toMillis());
    }
  }

  /** Retry every failed payout whose retry is due. */
  record RetrySweep() implements PayoutJob {
    public String type() {
      return JobTypes.AUTO_RETRY_FAILED_PAYOUTS;
    }

    public JsonObject toJson() {
      return new JsonObject();
    }
  }

  /**
   * The job a type and payload describe; empty for a type this version does not know. Throws
   * IllegalArgumentException for a known type whose payload lacks what it needs.
   */
  static Optional<PayoutJob> fromJson(String type, JsonObject payload) {
    JsonObject p = payload == null ? new JsonObject() : payload;
    return Optional.ofNullable(switch (type) {
      case JobTypes.PROCESS_SINGLE_PAYOUT -> p.containsKey(RESUME_AFTER_MS)
          ? new ResumePayout(id(p), Duration.ofMillis(required(p.getLong(RESUME_AFTER_MS), RESUME_AFTER_MS)))
          : new ProcessPayout(id(p));
      case JobTypes.BATCH_PROCESS_PAYOUTS -> new ProcessBatch(ids(p.getJsonArray(PAYOUT_IDS, new JsonArray())));
      case JobTypes.RETRY_FAILED_PAYOUT -> new RetryPayout(id(p), p.getBoolean(MANUAL, false));
      case JobTypes.AUTO_RETRY_FAILED_PAYOUTS -> new RetrySweep();
      default -> null;
    });
  }

  /** The same, for a job claimed from the queue. */
  static Optional<PayoutJob> of(Job job) {
    return fromJson(job.type(), job.payload());
  }

  private static long id(JsonObject p) {
    return required(p.getLong(PAYOUT_ID), PAYOUT_ID);
  }

  private static List<Long> ids(JsonArray raw) {
    List<Long> out = new ArrayList<>(raw.size());
    for (Object id : raw) {
      if (!(id instanceof Number n)) throw new IllegalArgumentException(PAYOUT_IDS + " holds " + id + ", not an id");
      out.add(n.longValue());
    }
    return out;
  }

  private static long required(Long value, String field) {
    if (value == null) throw new IllegalArgumentException("the payload has no " + field);
    return value;
  }
}
