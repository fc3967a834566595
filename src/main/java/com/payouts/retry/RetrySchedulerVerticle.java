package com.payouts.retry;

import com.payouts.queue.JobQueue;
import com.payouts.queue.PayoutJobs;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enqueues the auto_retry_failed_payouts sweep every {@code sweepInterval} (each retryable failure
 * also gets its own delayed job; the sweep is the safety net), and runs the recovery sweep every
 * half lease.
 */
public class RetrySchedulerVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(RetrySchedulerVerticle.class);
  static final String SWEEP_KEY = "auto-retry-sweep";

  private final JobQueue queue;
  private final RecoverySweep recovery;
  private final Duration sweepInterval;
  private final Duration recoveryInterval;
  private long sweepTimer;
  private long recoveryTimer;
  private boolean stopping;

  public RetrySchedulerVerticle(JobQueue queue, RecoverySweep recovery, Duration sweepInterval, Duration lease) {
    this.queue = queue;
    this.recovery = recovery;
    this.sweepInterval = sweepInterval;
    this.recoveryInterval = Duration.ofMillis(Math.max(250, lease.toMillis() / 2));
  }

  @Override
  public Future<?> start() {
    sweepTimer = vertx.setPeriodic(0, sweepInterval.toMillis(), t -> enqueueSweep());
    nextRecovery();
    return Future.succeededFuture();
  }

  /** The next recovery sweep starts an interval after the last one ended: sweeps never overlap. */
  private void nextRecovery() {
    if (stopping) return;
    recoveryTimer = vertx.setTimer(recoveryInterval.toMillis(), t -> recovery.sweep()
        .onSuccess(n -> { if (n > 0) log.info("recovery sweep enqueued {} payouts again", n); })
        .onFailure(err -> log.warn("recovery sweep failed: {}", err.getMessage()))
        .onComplete(ar -> nextRecovery()));
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(recoveryTimer);
    return Future.succeededFuture();
  }

  private void enqueueSweep() {
    queue.enqueueUnique(PayoutJobs.autoRetrySweep(), SWEEP_KEY)
        .onFailure(err -> log.warn("could not enqueue the retry sweep: {}", err.getMessage()));
  }
}
