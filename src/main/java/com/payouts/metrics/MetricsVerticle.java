package com.payouts.metrics;

import com.payouts.db.StatsRepository;
import com.payouts.queue.JobQueue;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;

/**
 * Keeps the gauges of {@link ServiceMetrics} fresh: the queue's figures every {@code every}, the
 * payouts by status and method (one grouped scan, so only where {@code payouts} is given, and less
 * often), and an event-loop probe: a timer that should fire every {@value #PROBE_MS} ms records how
 * late it ran.
 */
public class MetricsVerticle extends VerticleBase {
  static final long PROBE_MS = 500;

  private final ServiceMetrics metrics;
  private final JobQueue queue;
  private final StatsRepository payouts;
  private final Duration every;
  private long expectedAt;

  /** {@code payouts} may be null: this node then reports no payout counts. */
  public MetricsVerticle(ServiceMetrics metrics, JobQueue queue, StatsRepository payouts, Duration every) {
    this.metrics = metrics;
    this.queue = queue;
    this.payouts = payouts;
    this.every = every;
  }

  @Override
  public Future<?> start() {
    expectedAt = System.nanoTime() + PROBE_MS * 1_000_000;
    vertx.setPeriodic(PROBE_MS, t -> {
      long now = System.nanoTime();
      metrics.eventLoopLag(Math.max(0, now - expectedAt));
      expectedAt = now + PROBE_MS * 1_000_000;
    });
    vertx.setPeriodic(every.toMillis(), t -> refreshQueue());
    if (payouts != null) vertx.setPeriodic(every.toMillis() * 3, t -> refreshPayouts());
    return Future.join(refreshQueue(), refreshPayouts());
  }

  /** Never fails: with Redis away the gauges keep their last values. */
  private Future<Void> refreshQueue() {
    return queue.depth().onSuccess(metrics::queue).<Void>mapEmpty().otherwiseEmpty();
  }

  private Future<Void> refreshPayouts() {
    if (payouts == null) return Future.succeededFuture();
    return payouts.countsByStatusAndMethod().onSuccess(metrics::payouts).<Void>mapEmpty().otherwiseEmpty();
  }
}
