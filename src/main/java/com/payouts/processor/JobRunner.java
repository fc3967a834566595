package com.payouts.processor;

import com.payouts.domain.Payout;
import com.payouts.domain.PayoutStatus;
import com.payouts.queue.Job;
import com.payouts.queue.JobQueue;
import com.payouts.queue.PayoutJob;
import com.payouts.queue.PayoutJobs;
import com.payouts.service.PayoutService;
import com.payouts.service.ProcessResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Runs a group of claimed jobs: the payouts of all of them are moved and paid together (one claim
 * statement, concurrent gateway calls, one write-back statement per outcome kind), then each job
 * gets its own result. Follow-up jobs (scheduled retries, lookups of unknown outcomes) come back
 * in {@link Done} and are enqueued by {@link #enqueue} once the group is acked.
 */
public class JobRunner {
  /** Due retries picked up per sweep job. */
  static final int SWEEP_LIMIT = 5_000;

  private final PayoutService payouts;
  private final JobQueue queue;
  private final String actor;
  private final Duration unknownRecheck;

  public JobRunner(PayoutService payouts, JobQueue queue, String actor, Duration unknownRecheck) {
    this.payouts = payouts;
    this.queue = queue;
    this.actor = actor;
    this.unknownRecheck = unknownRecheck;
  }

  /** What became of the group: acks for jobs that ran, and the error if the group could not run. */
  public record Done(List<JobQueue.Ack> acks, List<Job> failed, String error, List<FollowUp> followUps) {}

  /** How many payouts a job may move at most: what it weighs against a processor's concurrency. */
  public static int payoutsOf(Job j) {
    PayoutJob job = readable(j).orElse(null);
    if (job instanceof PayoutJob.ProcessBatch b) return Math.max(1, b.payoutIds().size());
    if (job instanceof PayoutJob.RetrySweep) return SWEEP_LIMIT;
    return 1;
  }

  /** The payouts a job moves (none for a sweep or an unreadable job). */
  public static List<Long> payoutIdsOf(Job j) {
    PayoutJob job = readable(j).orElse(null);
    if (job instanceof PayoutJob.ProcessPayout p) return List.of(p.payoutId());
    if (job instanceof PayoutJob.ProcessBatch b) return b.payoutIds();
    if (job instanceof PayoutJob.RetryPayout r) return List.of(r.payoutId());
    if (job instanceof PayoutJob.ResumePayout r) return List.of(r.payoutId());
    return List.of();
  }

  /**
   * For a node that stops with these jobs unfinished: each of their payouts gets a job that
   * finishes it at once if it is left in processing (look up, then pay under the same key; the
   * stopping node's late writes are refused), so no payout waits a lease for the recovery sweep.
   */
  public Future<Integer> resumeAtOnce(List<Job> unfinished) {
    List<Future<Boolean>> queued = new ArrayList<>();
    for (Job j : unfinished) {
      for (long id : payoutIdsOf(j)) {
        queued.add(queue.enqueueUnique(PayoutJobs.resume(id, Duration.ZERO), PayoutJobs.resumeKey(id)));
      }
    }
    return Future.join(queued).transform(ar -> Future.succeededFuture(
        (int) queued.stream().filter(f -> f.succeeded() && f.result()).count()));
  }

  public Future<Done> run(List<Job> jobs) {
    return run(jobs, n -> {});
  }

  /**
   * Runs the group, telling {@code released} of payouts as they are done with (written, unknown,
   * or not claimed), before the group as a whole is: the processor's slots follow each payout.
   */
  public Future<Done> run(List<Job> jobs, IntConsumer released) {
    Set<Long> process = new LinkedHashSet<>();
    Set<Long> retryManual = new LinkedHashSet<>();
    Set<Long> retryScheduled = new LinkedHashSet<>();
    Map<Long, Duration> resume = new HashMap<>();
    boolean sweep = false;
    Map<String, PayoutJob> read = new HashMap<>();
    Set<String> unreadable = new HashSet<>();
    for (Job j : jobs) {
      Optional<PayoutJob> job;
      try {
        job = PayoutJob.of(j);
      } catch (IllegalArgumentException e) {
        unreadable.add(j.id());
        continue;
      }
      if (job.isEmpty()) continue; // an unknown type is acked with an error below
      PayoutJob pj = job.get();
      read.put(j.id(), pj);
      if (pj instanceof PayoutJob.ProcessPayout p) process.add(p.payoutId());
      else if (pj instanceof PayoutJob.ResumePayout r) resume.put(r.payoutId(), r.stalledFor());
      else if (pj instanceof PayoutJob.ProcessBatch b) process.addAll(b.payoutIds());
      else if (pj instanceof PayoutJob.RetryPayout r) (r.manual() ? retryManual : retryScheduled).add(r.payoutId());
      else if (pj instanceof PayoutJob.RetrySweep) sweep = true;
    }
    List<Future<List<ProcessResult>>> work = new ArrayList<>();
    work.add(process.isEmpty() ? none() : payouts.process(List.copyOf(process), actor, released));
    work.add(retryManual.isEmpty() ? none() : payouts.retry(List.copyOf(retryManual), actor, false, released));
    work.add(retryScheduled.isEmpty() ? none() : payouts.retry(List.copyOf(retryScheduled), actor, true, released));
    work.add(resume.isEmpty() ? none() : resumeAll(resume, released));
    work.add(!sweep ? none() : payouts.repository().dueRetries(SWEEP_LIMIT)
        .compose(due -> due.isEmpty() ? none() : payouts.retry(due, actor + ":auto-retry", true)));
    return Future.join(work).transform(ar -> {
      Map<Long, ProcessResult> byId = new HashMap<>();
      for (Future<List<ProcessResult>> f : work) {
        if (f.succeeded()) f.result().forEach(r -> byId.put(r.payoutId(), r));
      }
      return Future.succeededFuture(done(jobs, read, unreadable, byId, work));
    });
  }

  private Future<List<ProcessResult>> resumeAll(Map<Long, Duration> resume, IntConsumer released) {
    // Group by stall threshold: the sweeper's lease, or zero for an outcome this worker lost itself.
    Map<Duration, List<Long>> groups = new HashMap<>();
    resume.forEach((id, d) -> groups.computeIfAbsent(d, k -> new ArrayList<>()).add(id));
    List<Future<List<ProcessResult>>> fs = new ArrayList<>();
    groups.forEach((d, ids) -> fs.add(payouts.resume(ids, d, actor, released)));
    return Future.all(fs).map(all -> {
      List<ProcessResult> out = new ArrayList<>();
      for (Future<List<ProcessResult>> f : fs) out.addAll(f.result());
      return out;
    });
  }

  /** A job to enqueue once the group's own jobs are acked, under its dedupe key. */
  public record FollowUp(Job job, String key) {}

  /** The next retry of each retryable failure and a lookup of each unknown outcome. */
  private List<FollowUp> followUps(Iterable<ProcessResult> results) {
    List<FollowUp> out = new ArrayList<>();
    for (ProcessResult r : results) {
      Payout p = r.payout();
      if (r.kind() == ProcessResult.Kind.FAILED && p.nextRetryAt() != null) {
        out.add(new FollowUp(PayoutJobs.retry(p.id(), false, p.priority()).withDueAt(p.nextRetryAt()),
            PayoutJobs.retryKey(p.id(), p.retryCount())));
      } else if (r.kind() == ProcessResult.Kind.UNKNOWN) {
        out.add(new FollowUp(PayoutJobs.resume(r.payoutId(), Duration.ZERO)
            .withDueAt(java.time.Instant.now().plus(unknownRecheck)), PayoutJobs.resumeKey(r.payoutId())));
      }
    }
    return out;
  }

  /**
   * Enqueues the follow-ups. Call it after the group's jobs are acked: the ack frees their dedupe
   * keys, so a resume job can schedule the next lookup of its own payout under the same key. Never
   * fails: the hourly sweep and the recovery sweep catch anything not enqueued here.
   */
  public Future<Void> enqueue(List<FollowUp> followUps) {
    List<Future<Boolean>> puts = new ArrayList<>(followUps.size());
    for (FollowUp f : followUps) puts.add(queue.enqueueUnique(f.job(), f.key()));
    return Future.join(puts).<Void>mapEmpty().otherwiseEmpty();
  }

  private Done done(List<Job> jobs, Map<String, PayoutJob> read, Set<String> unreadable, Map<Long, ProcessResult> byId,
      List<Future<List<ProcessResult>>> work) {
    List<JobQueue.Ack> acks = new ArrayList<>();
    List<Job> failed = new ArrayList<>();
    String error = null;
    for (Future<List<ProcessResult>> f : work) {
      if (f.failed()) error = String.valueOf(f.cause().getMessage());
    }
    for (Job j : jobs) {
      if (unreadable.contains(j.id())) {
        // A known type whose payload this version cannot read: kept (retried, then dead-lettered) for a look.
        failed.add(j);
        if (error == null) error = "unreadable " + j.type() + " payload";
        continue;
      }
      PayoutJob job = read.get(j.id());
      JsonObject result = job == null
          ? new JsonObject().put("error", "unknown job type " + j.type())
          : result(job, byId);
      if (result == null) failed.add(j);
      else acks.add(new JobQueue.Ack(j.id(), result));
    }
    return new Done(acks, failed, error, followUps(byId.values()));
  }

  /** Null when the job's payouts were not reached (their group failed): it is retried. */
  private static JsonObject result(PayoutJob job, Map<Long, ProcessResult> byId) {
    if (job instanceof PayoutJob.ProcessBatch b) {
      JsonArray out = new JsonArray();
      for (long id : b.payoutIds()) {
        ProcessResult r = byId.get(id);
        if (r == null) return null;
        out.add(describe(r));
      }
      return new JsonObject().put("payouts", out);
    }
    if (job instanceof PayoutJob.RetrySweep) return new JsonObject().put("swept", true);
    ProcessResult r = byId.get(payoutIdOf(job));
    return r == null ? null : describe(r);
  }

  /** The one payout of a single-payout job. */
  private static long payoutIdOf(PayoutJob job) {
    if (job instanceof PayoutJob.ProcessPayout p) return p.payoutId();
    if (job instanceof PayoutJob.ResumePayout r) return r.payoutId();
    if (job instanceof PayoutJob.RetryPayout r) return r.payoutId();
    throw new IllegalArgumentException("not a single-payout job: " + job);
  }

  /** The job in {@code j}, if this version knows its type and can read its payload. */
  private static Optional<PayoutJob> readable(Job j) {
    try {
      return PayoutJob.of(j);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static JsonObject describe(ProcessResult r) {
    JsonObject o = new JsonObject().put("payoutId", r.payoutId()).put("outcome", r.kind().name().toLowerCase());
    Payout p = r.payout();
    if (p != null) {
      o.put("status", p.status().wire());
      if (p.transactionId() != null) o.put("transactionId", p.transactionId());
      if (p.status() == PayoutStatus.FAILED || p.status() == PayoutStatus.NEEDS_REVIEW) {
        o.put("errorCode", p.errorCode()).put("errorMessage", p.errorMessage());
        if (p.nextRetryAt() != null) o.put("nextRetryAt", p.nextRetryAt().toString());
      }
    }
    if (r.detail() != null) o.put("detail", r.detail());
    return o;
  }

  private static Future<List<ProcessResult>> none() {
    return Future.succeededFuture(List.of());
  }
}
