package com.payouts.processor;

import com.payouts.domain.Payout;
import com.payouts.domain.PayoutStatus;
import com.payouts.queue.Job;
import com.payouts.queue.JobQueue;
import com.payouts.queue.JobTypes;
import com.payouts.queue.PayoutJobs;
import com.payouts.service.PayoutService;
import com.payouts.service.ProcessResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    return switch (j.type()) {
      case JobTypes.BATCH_PROCESS_PAYOUTS -> Math.max(1, j.payload().getJsonArray(PayoutJobs.PAYOUT_IDS, new JsonArray()).size());
      case JobTypes.AUTO_RETRY_FAILED_PAYOUTS -> SWEEP_LIMIT;
      default -> 1;
    };
  }

  public Future<Done> run(List<Job> jobs) {
    Set<Long> process = new LinkedHashSet<>();
    Set<Long> retryManual = new LinkedHashSet<>();
    Set<Long> retryScheduled = new LinkedHashSet<>();
    Map<Long, Duration> resume = new HashMap<>();
    List<Job> sweeps = new ArrayList<>();
    for (Job j : jobs) {
      JsonObject p = j.payload();
      switch (j.type()) {
        case JobTypes.PROCESS_SINGLE_PAYOUT -> {
          if (p.containsKey(PayoutJobs.RESUME_AFTER_MS)) {
            resume.put(p.getLong(PayoutJobs.PAYOUT_ID), Duration.ofMillis(p.getLong(PayoutJobs.RESUME_AFTER_MS)));
          } else {
            process.add(p.getLong(PayoutJobs.PAYOUT_ID));
          }
        }
        case JobTypes.BATCH_PROCESS_PAYOUTS -> p.getJsonArray(PayoutJobs.PAYOUT_IDS, new JsonArray())
            .forEach(id -> process.add(((Number) id).longValue()));
        case JobTypes.RETRY_FAILED_PAYOUT -> (p.getBoolean(PayoutJobs.MANUAL, false) ? retryManual : retryScheduled)
            .add(p.getLong(PayoutJobs.PAYOUT_ID));
        case JobTypes.AUTO_RETRY_FAILED_PAYOUTS -> sweeps.add(j);
        default -> { } // unknown types are acked with an error below
      }
    }
    List<Future<List<ProcessResult>>> work = new ArrayList<>();
    work.add(process.isEmpty() ? none() : payouts.process(List.copyOf(process), actor));
    work.add(retryManual.isEmpty() ? none() : payouts.retry(List.copyOf(retryManual), actor, false));
    work.add(retryScheduled.isEmpty() ? none() : payouts.retry(List.copyOf(retryScheduled), actor, true));
    work.add(resume.isEmpty() ? none() : resumeAll(resume));
    work.add(sweeps.isEmpty() ? none() : payouts.repository().dueRetries(SWEEP_LIMIT)
        .compose(due -> due.isEmpty() ? none() : payouts.retry(due, actor + ":auto-retry", true)));
    return Future.join(work).transform(ar -> {
      Map<Long, ProcessResult> byId = new HashMap<>();
      for (Future<List<ProcessResult>> f : work) {
        if (f.succeeded()) f.result().forEach(r -> byId.put(r.payoutId(), r));
      }
      return Future.succeededFuture(done(jobs, byId, work, sweeps));
    });
  }

  private Future<List<ProcessResult>> resumeAll(Map<Long, Duration> resume) {
    // Group by stall threshold: the sweeper's lease, or zero for an outcome this worker lost itself.
    Map<Duration, List<Long>> groups = new HashMap<>();
    resume.forEach((id, d) -> groups.computeIfAbsent(d, k -> new ArrayList<>()).add(id));
    List<Future<List<ProcessResult>>> fs = new ArrayList<>();
    groups.forEach((d, ids) -> fs.add(payouts.resume(ids, d, actor)));
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

  private Done done(List<Job> jobs, Map<Long, ProcessResult> byId, List<Future<List<ProcessResult>>> work,
      List<Job> sweeps) {
    List<JobQueue.Ack> acks = new ArrayList<>();
    List<Job> failed = new ArrayList<>();
    String error = null;
    for (Future<List<ProcessResult>> f : work) {
      if (f.failed()) error = String.valueOf(f.cause().getMessage());
    }
    for (Job j : jobs) {
      JsonObject result = result(j, byId, sweeps);
      if (result == null) failed.add(j);
      else acks.add(new JobQueue.Ack(j.id(), result));
    }
    return new Done(acks, failed, error, followUps(byId.values()));
  }

  /** Null when the job's payouts were not reached (their group failed): it is retried. */
  private static JsonObject result(Job j, Map<Long, ProcessResult> byId, List<Job> sweeps) {
    JsonObject p = j.payload();
    switch (j.type()) {
      case JobTypes.PROCESS_SINGLE_PAYOUT, JobTypes.RETRY_FAILED_PAYOUT -> {
        ProcessResult r = byId.get(p.getLong(PayoutJobs.PAYOUT_ID));
        return r == null ? null : describe(r);
      }
      case JobTypes.BATCH_PROCESS_PAYOUTS -> {
        JsonArray out = new JsonArray();
        for (Object id : p.getJsonArray(PayoutJobs.PAYOUT_IDS, new JsonArray())) {
          ProcessResult r = byId.get(((Number) id).longValue());
          if (r == null) return null;
          out.add(describe(r));
        }
        return new JsonObject().put("payouts", out);
      }
      case JobTypes.AUTO_RETRY_FAILED_PAYOUTS -> {
        return new JsonObject().put("swept", true);
      }
      default -> {
        return new JsonObject().put("error", "unknown job type " + j.type());
      }
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
