package com.payouts.service;

import com.payouts.db.PayoutRepository;
import com.payouts.service.Work;
import com.payouts.domain.DomainException;
import com.payouts.domain.NewPayout;
import com.payouts.domain.Payout;
import com.payouts.domain.PayoutAction;
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
import java.util.Optional;
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

  /** What a batch did to one asked id: moved (with its status now), or why not. */
  public record ItemResult(long id, boolean ok, PayoutStatus status, String error) {
    static ItemResult moved(Payout p) {
      return new ItemResult(p.id(), true, p.status(), null);
    }

    static ItemResult refused(long id, String error) {
      return new ItemResult(id, false, null, error);
    }
  }

  /** A result per asked id, in the order asked (duplicates once), and the task that records the batch. */
  public record BatchResult(String taskId, List<ItemResult> results) {}

  /** The actions an admin asks for, each a step of the lifecycle. */
  public enum Action {
    APPROVE(PayoutAction.APPROVE), PROCESS(PayoutAction.START_PROCESSING), REJECT(PayoutAction.REJECT),
    RETRY(PayoutAction.RETRY);

    private final PayoutAction step;

    Action(PayoutAction step) {
      this.step = step;
    }

    public PayoutAction step() {
      return step;
    }
  }

  public Future<Dispatched> approve(long id, String actor) {
    return approve(id, actor, null);
  }

  /**
   * An approval by staff user {@code approverId}: once the payout has the approvals its policy
   * requires its job is queued; a first of two approvals leaves it pending, with no task.
   */
  public Future<Dispatched> approve(long id, String actor, Long approverId) {
    return payouts.approveOne(id, actor, approverId).compose(p -> p.status() != PayoutStatus.APPROVED
        ? Future.succeededFuture(new Dispatched(p, null))
        : enqueue(List.of(processJob(p)), List.of(p)).map(taskIds -> new Dispatched(p, taskIds.get(0))));
  }

  /**
   * A payout request, as part of {@code w}, by staff user {@code requestedBy}: one the approval
   * policy approves at creation gets its job once {@code w} is committed.
   */
  public Future<Payout> create(Work w, NewPayout request, String actor, Long requestedBy) {
    return payouts.create(w, request, actor, requestedBy).map(p -> {
      if (p.status() == PayoutStatus.APPROVED) w.afterCommit(() -> enqueue(List.of(processJob(p)), List.of(p)));
      return p;
    });
  }

  /**
   * Several requests as part of {@code w}, one statement each, sent together (see
   * {@link PayoutService#createAll}); those the approval policy approves get their jobs, in one
   * call, once {@code w} is committed.
   */
  public Future<List<Optional<Payout>>> createAll(Work w, List<NewPayout> requests, List<String> actors, List<Long> requestedBy) {
    return payouts.createAll(w, requests, actors, requestedBy).map(created -> {
      List<Payout> approved = created.stream().flatMap(Optional::stream)
          .filter(p -> p.status() == PayoutStatus.APPROVED).toList();
      if (!approved.isEmpty()) {
        w.afterCommit(() -> enqueue(approved.stream().map(PayoutDispatcher::processJob).toList(), approved));
      }
      return created;
    });
  }

  /** Moves an approved payout to the front (high priority, or urgent if it already was). */
  public Future<Dispatched> process(long id, String actor) {
    return payouts.movable(id, PayoutAction.START_PROCESSING).compose(p -> {
      Job job = PayoutJobs.process(p.id(), p.priority() == Priority.URGENT ? Priority.URGENT : Priority.HIGH);
      return enqueue(List.of(job), List.of(p)).map(ids -> new Dispatched(p, ids.get(0)));
    });
  }

  /** An admin's retry of a failed payout that still holds its funds: at once, whatever the schedule. */
  public Future<Dispatched> retry(long id, String actor) {
    return payouts.movable(id, PayoutAction.RETRY).compose(p -> {
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
    return Work.autoCommit(payouts.repository().pool(), w -> batch(w, action, ids, actor, null));
  }

  public Future<BatchResult> batch(Work w, Action action, List<Long> ids, String actor) {
    return batch(w, action, ids, actor, null);
  }

  /**
   * The same, as part of {@code w} (an idempotent request's transaction): the answer, task id
   * included, is known before the commit; jobs and the task's record follow it.
   */
  /** The same by staff user {@code staffId} (null: none), whose approvals the policy judges per id. */
  public Future<BatchResult> batch(Work w, Action action, List<Long> ids, String actor, Long staffId) {
    List<Long> unique = new ArrayList<>(new LinkedHashSet<>(ids));
    return switch (action) {
      case APPROVE -> payouts.approve(w, unique, actor, staffId).compose(moved -> {
        List<Payout> approved = moved.stream().filter(p -> p.status() == PayoutStatus.APPROVED).toList();
        List<Job> jobs = approved.stream().map(PayoutDispatcher::processJob).toList();
        w.afterCommit(() -> enqueue(jobs, approved));
        return explain(w, unique, moved, action.step(), null, staffId);
      });
      case REJECT -> payouts.reject(w, unique, actor, "batch rejection")
          .compose(moved -> explain(w, unique, moved, action.step(), null, null));
      case PROCESS -> payouts.repository().findAll(w.sql(), unique).compose(found -> {
        // Those whose users are not eligible are explained, not queued: their claim would refuse them.
        List<Payout> approved = found.stream().filter(p -> action.step().refusal(p.status()).isEmpty()).toList();
        return payouts.refusals(w.sql(), approved.stream().map(Payout::id).toList(), action.step())
            .compose(refused -> {
              List<Payout> queued = approved.stream().filter(p -> !refused.containsKey(p.id())).toList();
              if (queued.isEmpty()) return explain(w, unique, queued, action.step(), null, null);
              Job job = PayoutJobs.batch(queued.stream().map(Payout::id).toList());
              w.afterCommit(() -> enqueue(List.of(job), queued));
              return explain(w, unique, queued, action.step(), job.id(), null);
            });
      });
      case RETRY -> Future.failedFuture(new DomainException(DomainException.Kind.INVALID, "action",
          "must be approve, process or reject"));
    };
  }

  /**
   * A result per asked id, and the batch's task: {@code jobId} when one job does the work (process),
   * else a task recorded with the summary once the work is committed.
   */
  private Future<BatchResult> explain(Work w, List<Long> asked, List<Payout> moved, PayoutAction step, String jobId,
      Long staffId) {
    Map<Long, Payout> ok = new HashMap<>();
    for (Payout p : moved) ok.put(p.id(), p);
    List<Long> others = asked.stream().filter(id -> !ok.containsKey(id)).toList();
    Future<Map<Long, PayoutRepository.Standing>> found = others.isEmpty()
        ? Future.succeededFuture(Map.of())
        : payouts.repository().standing(w.sql(), others).map(rows -> {
          Map<Long, PayoutRepository.Standing> byId = new HashMap<>();
          for (PayoutRepository.Standing s : rows) byId.put(s.id(), s);
          return byId;
        });
    String verb = step.verb();
    return found.map(byId -> {
      List<ItemResult> results = new ArrayList<>();
      int done = 0;
      for (Long id : asked) {
        PayoutRepository.Standing s = byId.get(id);
        if (ok.containsKey(id)) {
          results.add(ItemResult.moved(ok.get(id)));
          done++;
        } else if (s == null) {
          results.add(ItemResult.refused(id, "not found"));
        } else if (step.refusal(s.status()).isPresent()) {
          results.add(ItemResult.refused(id, "cannot " + verb + ": " + step.refusal(s.status()).get()));
        } else if (!s.userEligible()) {
          results.add(ItemResult.refused(id, PayoutService.ineligible(s)));
        } else if (step == PayoutAction.APPROVE && PayoutService.policyRefusal(s, staffId).isPresent()) {
          results.add(ItemResult.refused(id, "cannot approve: " + PayoutService.policyRefusal(s, staffId).get()));
        } else {
          results.add(ItemResult.refused(id, "cannot " + verb + " now (it changed meanwhile); try again"));
        }
      }
      if (jobId != null) return new BatchResult(jobId, results);
      String taskId = UUID.randomUUID().toString();
      JsonObject summary = new JsonObject().put("action", verb).put("requested", asked.size()).put("applied", done);
      w.afterCommit(() -> queue.recordTask(taskId, "batch_" + verb, TaskStatus.SUCCEEDED, summary));
      return new BatchResult(taskId, results);
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
