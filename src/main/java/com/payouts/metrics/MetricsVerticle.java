package com.payouts.metrics;

import com.payouts.queue.JobQueue;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;

/**
 * Keeps gauges of {@link ServiceMetrics} fresh between scrapes: the queue's figures every
 * {@code every}, and an event-loop probe: a timer that should fire every {@value #PROBE_MS} ms
 * records how late it ran.
 */
public class MetricsVerticle extends VerticleBase {
  static final long PROBE_MS = 500;

  private final ServiceMetrics metrics;
  private final JobQueue queue;
  private final Duration every;
  private long expectedAt;

  public MetricsVerticle(ServiceMetrics metrics, JobQueue queue, Duration every) {
    this.metrics = metrics;
    this.queue = queue;
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
    return refreshQueue();
  }

  /** Never fails: with Redis away the gauges keep their last values. */
  private Future<Void> refreshQueue() {
    return queue.depth().onSuccess(metrics::queue).<Void>mapEmpty().otherwiseEmpty();
  }
}
