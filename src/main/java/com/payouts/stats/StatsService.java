package com.payouts.stats;

import com.payouts.db.StatsRepository;
import com.payouts.domain.PayoutStats;
import com.payouts.queue.JobQueue;
import io.vertx.core.Future;

/** Reads the figures: the payouts' from Postgres, the queue's from Redis. */
public class StatsService {
  private final StatsRepository payouts;
  private final JobQueue queue;

  /** {@code queue} may be null: there are no queue figures then. */
  public StatsService(StatsRepository payouts, JobQueue queue) {
    this.payouts = payouts;
    this.queue = queue;
  }

  public Future<PayoutStats> payouts() {
    return payouts.snapshot();
  }

  /** Fails when there is no queue or Redis did not answer. */
  public Future<QueueFigures> queue() {
    if (queue == null) return Future.failedFuture(new IllegalStateException("no job queue"));
    return queue.depth().map(QueueFigures::of);
  }

  /** Both; without the queue's figures when they cannot be read. A database failure fails it. */
  public Future<Stats> current() {
    Future<QueueFigures> q = queue().otherwise((QueueFigures) null);
    return Future.all(payouts(), q).map(all -> new Stats(all.resultAt(0), all.resultAt(1)));
  }
}
