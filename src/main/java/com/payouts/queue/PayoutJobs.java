package com.payouts.queue;

import com.payouts.domain.Priority;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/** The jobs the service enqueues, their payloads and dedupe keys, in one place. */
public final class PayoutJobs {
  /** A job is delivered at most this often before it is dead-lettered. */
  public static final int MAX_ATTEMPTS = 5;
  public static final String PAYOUT_ID = "payoutId";
  public static final String PAYOUT_IDS = "payoutIds";
  public static final String MANUAL = "manual";
  public static final String RESUME_AFTER_MS = "resumeAfterMs";

  private PayoutJobs() {}

  public static Job process(long payoutId, Priority priority) {
    return Job.of(JobTypes.PROCESS_SINGLE_PAYOUT, new JsonObject().put(PAYOUT_ID, payoutId), priority, MAX_ATTEMPTS);
  }

  /** Finish a payout left in processing once it has stalled for {@code stalledFor}: look up, then pay. */
  public static Job resume(long payoutId, Duration stalledFor) {
    return Job.of(JobTypes.PROCESS_SINGLE_PAYOUT,
        new JsonObject().put(PAYOUT_ID, payoutId).put(RESUME_AFTER_MS, stalledFor.toMillis()), Priority.HIGH,
        MAX_ATTEMPTS);
  }

  public static Job retry(long payoutId, boolean manual, Priority priority) {
    return Job.of(JobTypes.RETRY_FAILED_PAYOUT, new JsonObject().put(PAYOUT_ID, payoutId).put(MANUAL, manual),
        priority, MAX_ATTEMPTS);
  }

  public static Job batch(List<Long> payoutIds) {
    return Job.of(JobTypes.BATCH_PROCESS_PAYOUTS, new JsonObject().put(PAYOUT_IDS, new JsonArray(List.copyOf(payoutIds))),
        Priority.HIGH, MAX_ATTEMPTS);
  }

  public static Job autoRetrySweep() {
    return Job.of(JobTypes.AUTO_RETRY_FAILED_PAYOUTS, new JsonObject(), Priority.NORMAL, 1);
  }

  /** One live process job per payout: the sweeper and approve share it. */
  public static String processKey(long payoutId) {
    return "payout:" + payoutId;
  }

  public static String resumeKey(long payoutId) {
    return "resume:" + payoutId;
  }

  public static String retryKey(long payoutId, int retryCount) {
    return "retry:" + payoutId + ":" + retryCount;
  }
}
