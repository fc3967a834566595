package com.payouts.retry;

import com.payouts.service.RecoverySweep;

import com.payouts.db.IdempotencyRepository;
import com.payouts.queue.JobQueue;
import com.payouts.queue.PayoutJobs;
import com.payouts.queue.RedisLease;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enqueues the auto_retry_failed_payouts sweep every {@code sweepInterval} (each retryable failure
 * also gets its own delayed job; the sweep is the safety net), and runs the recovery sweep every
 * half lease, each followed by a bounded purge of expired idempotency keys. With a lease, only
 * the node holding it sweeps: on a cluster one node at a time, another within a lease time when
 * that one dies.
 */
public class RetrySchedulerVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(RetrySchedulerVerticle.class);
  static final String SWEEP_KEY = "auto-retry-sweep";
  /** Expired idempotency keys deleted per pass: a short statement, never a long scan. */
  static final int PURGE_LIMIT = 5_000;

  private final JobQueue queue;
  private final RecoverySweep recovery;
  private final IdempotencyRepository keys;
  private final Duration sweepInterval;
  private final Duration recoveryInterval;
  private long sweepTimer;
  private long recoveryTimer;
  private long leaseTimer = -1;
  private boolean stopping;
  private RedisLease lease;

  public RetrySchedulerVerticle(JobQueue queue, RecoverySweep recovery, Duration sweepInterval, Duration lease) {
    this(queue, recovery, sweepInterval, lease, null);
  }

  /** {@code keys}: whose expired idempotency keys to purge (null: none). */
  public RetrySchedulerVerticle(JobQueue queue, RecoverySweep recovery, Duration sweepInterval, Duration lease,
      IdempotencyRepository keys) {
    this.queue = queue;
    this.recovery = recovery;
    this.keys = keys;
    this.sweepInterval = sweepInterval;
    this.recoveryInterval = Duration.ofMillis(Math.max(250, lease.toMillis() / 2));
  }

  /** Sweeps only while this lease is held (a cluster runs them on one node at a time). */
  public RetrySchedulerVerticle holding(RedisLease lease) {
    this.lease = lease;
    return this;
  }

  @Override
  public Future<?> start() {
    Future<Boolean> first = lease == null ? Future.succeededFuture(true) : lease.takeOrRenew();
    if (lease != null) {
      leaseTimer = vertx.setPeriodic(lease.renewEvery().toMillis(), t -> lease.takeOrRenew()
          .onSuccess(held -> { if (held) log.debug("holding the retry lease as {}", lease.owner()); }));
    }
    return first.onSuccess(held -> {
      sweepTimer = vertx.setPeriodic(0, sweepInterval.toMillis(), t -> enqueueSweep());
      nextRecovery();
    });
  }

  private boolean mine() {
    return lease == null || lease.held();
  }

  /** The next recovery sweep starts an interval after the last one ended: sweeps never overlap. */
  private void nextRecovery() {
    if (stopping) return;
    recoveryTimer = vertx.setTimer(recoveryInterval.toMillis(), t -> (mine() ? recovery.sweep() : Future.succeededFuture(0))
        .onSuccess(n -> { if (n > 0) log.info("recovery sweep enqueued {} payouts again", n); })
        .onFailure(err -> log.warn("recovery sweep failed: {}", err.getMessage()))
        .transform(ar -> purgeExpiredKeys())
        .onComplete(ar -> nextRecovery()));
  }

  private Future<Integer> purgeExpiredKeys() {
    if (keys == null || !mine()) return Future.succeededFuture(0);
    return keys.deleteExpired(PURGE_LIMIT)
        .onSuccess(n -> { if (n > 0) log.debug("deleted {} expired idempotency keys", n); })
        .onFailure(err -> log.warn("could not delete expired idempotency keys: {}", err.getMessage()));
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(recoveryTimer);
    vertx.cancelTimer(leaseTimer);
    return lease == null ? Future.succeededFuture() : lease.release();
  }

  private void enqueueSweep() {
    if (!mine()) return;
    queue.enqueueUnique(PayoutJobs.autoRetrySweep(), SWEEP_KEY)
        .onFailure(err -> log.warn("could not enqueue the retry sweep: {}", err.getMessage()));
  }
}
