package com.payouts.queue;

import com.payouts.domain.Priority;
import java.time.Duration;
import java.util.List;

/** The jobs the service enqueues, with their priorities, delivery limits and dedupe keys, in one place. */
public final class PayoutJobs {
  /** A job is delivered at most this often before it is dead-lettered. */
  public static final int MAX_ATTEMPTS = 5;

  private PayoutJobs() {}

  /** {@code job} as a queue entry of this priority, delivered at most {@code maxAttempts} times. */
  public static Job job(PayoutJob job, Priority priority, int maxAttempts) {
    return Job.of(job.type(), job.toJson(), priority, maxAttempts);
  }

  public static Job process(long payoutId, Priority priority) {
    return job(new PayoutJob.ProcessPayout(payoutId), priority, MAX_ATTEMPTS);
  }

  /** Finish a payout left in processing once it has stalled for {@code stalledFor}: look up, then pay. */
  public static Job resume(long payoutId, Duration stalledFor) {
    return job(new PayoutJob.ResumePayout(payoutId, stalledFor), Priority.HIGH, MAX_ATTEMPTS);
  }

  public static Job retry(long payoutId, boolean manual, Priority priority) {
    return job(new PayoutJob.RetryPayout(payoutId, manual), priority, MAX_ATTEMPTS);
  }

  public static Job batch(List<Long> payoutIds) {
    return job(new PayoutJob.ProcessBatch(payoutIds), Priority.HIGH, MAX_ATTEMPTS);
  }

  /** Delivered once: the next sweep comes on its own schedule. */
  public static Job autoRetrySweep() {
    return job(new PayoutJob.RetrySweep(), Priority.NORMAL, 1);
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
