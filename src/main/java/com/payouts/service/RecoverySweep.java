package com.payouts.service;

import com.payouts.db.PayoutRepository;
import com.payouts.domain.PayoutStatus;
import com.payouts.queue.JobQueue;
import com.payouts.queue.PayoutJobs;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Postgres is the truth, Redis only delivers: a payout that sat in approved or processing for
 * longer than a lease (its job lost to a flushed or restarted Redis, or its worker dead) gets a
 * job again. Dedupe keys keep repeated sweeps from piling up jobs.
 */
public class RecoverySweep {
  static final int BATCH = 5_000;

  private final PayoutRepository payouts;
  private final JobQueue queue;
  private final Duration lease;

  public RecoverySweep(PayoutRepository payouts, JobQueue queue, Duration lease) {
    this.payouts = payouts;
    this.queue = queue;
    this.lease = lease;
  }

  /** Returns how many jobs it enqueued. */
  public Future<Integer> sweep() {
    return payouts.stale(lease, BATCH).compose(stale -> {
      List<Future<Boolean>> puts = new ArrayList<>(stale.size());
      for (PayoutRepository.Stale s : stale) {
        puts.add(s.status() == PayoutStatus.APPROVED
            ? queue.enqueueUnique(PayoutJobs.process(s.id(), com.payouts.domain.Priority.NORMAL), PayoutJobs.processKey(s.id()))
            : queue.enqueueUnique(PayoutJobs.resume(s.id(), lease), PayoutJobs.resumeKey(s.id())));
      }
      return Future.all(puts).map(all -> (int) puts.stream().filter(f -> Boolean.TRUE.equals(f.result())).count());
    });
  }
}
