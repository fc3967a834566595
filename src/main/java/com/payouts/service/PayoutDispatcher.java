package com.payouts.service;

import com.payouts.domain.DomainException;
import com.payouts.domain.Payout;
import com.payouts.domain.PayoutStatus;
import com.payouts.domain.Priority;
import com.payouts.queue.Job;
import com.payouts.queue.JobQueue;
import com.payouts.queue.PayoutJobs;
import com.payouts.queue.TaskStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admin and API actions on payouts: the transition that happens now (approve, reject) and the job
 * that pays later (process, retry). Postgres decides; the queue only delivers, so a job that could
 * not be enqueued is found again by the recovery sweep.
 */
public class PayoutDispatcher {
  private static final Logger log = LoggerFactory.getLogger(PayoutDispatcher.class);
  public static final int MAX_BATCH = 1000;

  private final PayoutService payouts;
  private final JobQueue queue;
  private final Runnable wake;

  public PayoutDispatcher(PayoutService payouts, JobQueue queue, Runnable wake) {
    this.payouts = payouts;
    this.queue = queue;
    this.wake = wake;
  }

  public record Dispatched(Payout payout, String taskId) {}

  public record BatchResult(String taskId, List<JsonObject> results) {}

  public enum Action { APPROVE, PROCESS, REJECT, RETRY }

  public Future<Dispatched> approve(long id, String actor) {
    return payouts.approveOne(id, actor).compose(p -> enqueue(List.of(processJob(p)), List.of(p))
        .map(taskIds -> new Dispatched(p, taskIds.get(0))));
  }

  /** Moves an approved payout to the front (high priority, or urgent if it already was). */
  public Future<Dispatched> process(long id, String actor) {
    return expect(id, PayoutStatus.APPROVED, "process").compose(p -> {
      Job job = PayoutJobs.process(p.id(), p.priority() == Priority.URGENT ? Priority.URGENT : Priority.HIGH);
      return enqueue(List.of(job), List.of(p)).map(ids -> new Dispatched(p, ids.get(0)));
    });
  }

  /** An admin's retry of a failed payout that still holds its funds: at once, whatever the schedule. */
  public Future<Dispatched> retry(long id, String actor) {
    return expect(id, PayoutStatus.FAILED, "retry").compose(p -> {
      if (!p.canRetry()) {
        return Future.failedFuture(DomainException.conflict("cannot retry payout " + id + ": "
            + (p.retryable() ? "it has used its " + p.retryCount() + " retries" : "its error is not retryable")
            + " and its funds were released"));
      }
      return enqueue(List.of(PayoutJobs.retry(p.id(), true, Priority.HIGH)), List.of(p))
          .map(ids -> new Dispatched(p, ids.get(0)));
    });
  }

  public Future<Payout> reject(long id, String actor, String reason) {
    return payouts.rejectOne(id, actor, reason);
  }

  /** One result per id; each id is applied whole or not at all. */
  public Future<BatchResult> batch(Action action, List<Long> ids, String actor) {
    List<Long> unique = new ArrayList<>(new LinkedHashSet<>(ids));
    Future<BatchResult> result = switch (action) {
      case APPROVE -> payouts.approve(unique, actor)
          .compose(moved -> enqueue(moved.stream().map(PayoutDispatcher::processJob).toList(), moved)
              .compose(t -> explain(unique, moved, PayoutStatus.PENDING, "approve")));
      case REJECT -> payouts.reject(unique, actor, "batch rejection")
          .compose(moved -> explain(unique, moved, PayoutStatus.PENDING, "reject"));
      case PROCESS -> payouts.repository().findAll(unique).compose(found -> {
        List<Payout> approved = found.stream().filter(p -> p.status() == PayoutStatus.APPROVED).toList();
        if (approved.isEmpty()) return explain(unique, approved, PayoutStatus.APPROVED, "process");
        Job job = PayoutJobs.batch(approved.stream().map(Payout::id).toList());
        return enqueue(List.of(job), approved)
            .compose(t -> explain(unique, approved, PayoutStatus.APPROVED, "process"))
            .map(r -> new BatchResult(job.id(), r.results()));
      });
      case RETRY -> Future.failedFuture(new DomainException(DomainException.Kind.INVALID, "action",
          "must be approve, process or reject"));
    };
    return result;
  }

  private Future<BatchResult> explain(List<Long> asked, List<Payout> moved, PayoutStatus expected, String verb) {
    Map<Long, Payout> ok = new HashMap<>();
    for (Payout p : moved) ok.put(p.id(), p);
    List<Long> others = asked.stream().filter(id -> !ok.containsKey(id)).toList();
    Future<List<Payout>> found = others.isEmpty() ? Future.succeededFuture(List.of()) : payouts.repository().findAll(others);
    return found.compose(rest -> {
      Map<Long, Payout> byId = new HashMap<>();
      for (Payout p : rest) byId.put(p.id(), p);
      List<JsonObject> results = new ArrayList<>();
      int done = 0;
      for (Long id : asked) {
        JsonObject r = new JsonObject().put("id", id);
        if (ok.containsKey(id)) {
          r.put("ok", true).put("status", ok.get(id).status().wire());
          done++;
        } else if (byId.containsKey(id)) {
          r.put("ok", false).put("error", "cannot " + verb + ": it is " + byId.get(id).status().wire()
              + ", not " + expected.wire());
        } else {
          r.put("ok", false).put("error", "not found");
        }
        results.add(r);
      }
      String taskId = UUID.randomUUID().toString();
      JsonObject summary = new JsonObject().put("action", verb).put("requested", asked.size()).put("applied", done);
      return queue.recordTask(taskId, "batch_" + verb, TaskStatus.SUCCEEDED, summary)
          .otherwise((Void) null)
          .map(v -> new BatchResult(taskId, results));
    });
  }

  private Future<Payout> expect(long id, PayoutStatus status, String verb) {
    return payouts.repository().find(id).compose(found -> {
      if (found.isEmpty()) return Future.failedFuture(DomainException.notFound("payout", id));
      Payout p = found.get();
      if (p.status() != status) {
        return Future.failedFuture(DomainException.conflict(
            "cannot " + verb + " payout " + id + ": it is " + p.status().wire() + ", not " + status.wire()));
      }
      return Future.succeededFuture(p);
    });
  }

  private static Job processJob(Payout p) {
    return PayoutJobs.process(p.id(), p.priority());
  }

  /**
   * Enqueues after the transition committed. If Redis is down the action still stands (Postgres is
   * the truth) and the recovery sweep enqueues it later; the caller gets no task id then.
   */
  private Future<List<String>> enqueue(List<Job> jobs, List<Payout> forPayouts) {
    if (jobs.isEmpty()) return Future.succeededFuture(List.of());
    // Duplicates are harmless (a job for a payout past its step does nothing), so no dedupe here.
    return queue.enqueue(jobs).map(v -> {
      wake.run();
      List<String> ids = new ArrayList<>();
      for (Job j : jobs) ids.add(j.id());
      return ids;
    }).recover(err -> {
      log.warn("could not enqueue {} jobs ({}); the recovery sweep will pick up payouts {}", jobs.size(),
          err.getMessage(), forPayouts.stream().map(Payout::id).limit(10).toList());
      List<String> none = new ArrayList<>();
      for (int i = 0; i < jobs.size(); i++) none.add(null);
      return Future.succeededFuture(none);
    });
  }
}
