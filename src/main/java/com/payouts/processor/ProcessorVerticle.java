package com.payouts.processor;

import com.payouts.bus.Addresses;
import com.payouts.queue.Job;
import com.payouts.queue.JobQueue;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.UUID;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the job queue with at most {@code concurrency} payouts in flight (a claim of batch jobs
 * may overshoot once; nothing more is claimed until it is back under). Claims jobs in
 * groups, renews the leases of the jobs it holds, and puts back expired leases of workers that
 * died. Deployable in several instances: each has its own consumer id.
 */
public class ProcessorVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ProcessorVerticle.class);
  /** Jobs per claim: one claim statement and one write-back statement per outcome kind per group. */
  static final int CLAIM_MAX = 500;
  static final long IDLE_POLL_MS = 200;
  static final Duration FAILURE_BACKOFF = Duration.ofSeconds(5);
  /** A job group running longer than this (and ten leases) is presumed stuck. */
  static final long MIN_MAX_HOLD_MS = 120_000;
  /**
   * How long a claim smaller than {@link #minClaim} waits for more payouts to finish first. A busy
   * processor frees its slots a few at a time (each written outcome frees one); claiming at each
   * would mean claims of one or two jobs, each a Redis call and a claim statement of its own.
   */
  static final long SMALL_CLAIM_WAIT_MS = 20;

  private final JobQueue queue;
  private final JobRunner runner;
  private final int concurrency;
  private final Duration lease;
  private final long maxHoldMs;
  private final String consumerId;
  /** The smallest claim worth making while payouts are in flight: an eighth of the concurrency, up to a full claim. */
  private final int minClaim;
  /** Job id to when this worker claimed it. */
  private final Map<String, Long> held = new LinkedHashMap<>();
  /** The jobs held, by id (what a stop that cannot finish them hands back). */
  private final Map<String, Job> heldJobs = new LinkedHashMap<>();
  private int inFlight;
  private boolean claiming;
  private boolean stopping;
  private long idleTimer = -1;
  private long smallClaimTimer = -1;
  private boolean pumpScheduled;
  private long renewTimer = -1;
  private long reclaimTimer = -1;
  private MessageConsumer<Object> wake;
  private Duration shutdownGrace = Duration.ZERO;
  private Promise<Void> drained;

  public ProcessorVerticle(JobQueue queue, JobRunner runner, int concurrency, Duration lease) {
    this.queue = queue;
    this.runner = runner;
    this.concurrency = concurrency;
    this.lease = lease;
    this.maxHoldMs = Math.max(MIN_MAX_HOLD_MS, lease.toMillis() * 10);
    this.minClaim = Math.max(1, Math.min(CLAIM_MAX, concurrency / 8));
    // pid plus a random part: unique per instance, and no host-name lookup on the deploying event loop.
    this.consumerId = ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Override
  public Future<?> start() {
    wake = vertx.eventBus().consumer(Addresses.QUEUE_WAKE, m -> pump()); // on a cluster, an enqueue on any node wakes every processor
    long renewEvery = Math.max(100, lease.toMillis() / 3);
    renewTimer = vertx.setPeriodic(renewEvery, t -> renew());
    reclaimTimer = vertx.setPeriodic(Math.max(200, lease.toMillis() / 4), t -> queue.reclaimExpired(1_000)
        .onSuccess(n -> { if (n > 0) log.info("put back {} jobs whose worker stopped renewing", n); }));
    pump();
    log.info("processor {} started: {} payouts in flight at most, lease {}", consumerId, concurrency, lease);
    return Future.succeededFuture();
  }

  /**
   * On undeploy, stop claiming and give the jobs held this long to finish (their leases still
   * renewed); what is still running then is handed back to the queue for another node at once.
   */
  public ProcessorVerticle withShutdownGrace(Duration grace) {
    this.shutdownGrace = grace;
    return this;
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(reclaimTimer);
    vertx.cancelTimer(idleTimer);
    vertx.cancelTimer(smallClaimTimer);
    drained = Promise.promise();
    long stoppedAt = System.nanoTime();
    int holding = inFlight;
    if (inFlight == 0 && !claiming) drained.tryComplete();
    else if (inFlight > 0) log.info("processor {} stopping: waiting up to {} for {} payouts in flight", consumerId, shutdownGrace, inFlight);
    long deadline = vertx.setTimer(Math.max(1, shutdownGrace.toMillis()), t -> drained.tryComplete());
    return wake.unregister()
        .transform(ar -> drained.future())
        .compose(v -> {
          vertx.cancelTimer(deadline);
          vertx.cancelTimer(renewTimer);
          List<String> left = List.copyOf(held.keySet());
          log.info("processor {} stopped after {} ms: {} payouts were in flight, {} jobs to hand back", consumerId,
              (System.nanoTime() - stoppedAt) / 1_000_000, holding, left.size());
          if (left.isEmpty()) return Future.succeededFuture();
          List<Job> unfinished = left.stream().map(heldJobs::get).filter(java.util.Objects::nonNull).toList();
          return runner.resumeAtOnce(unfinished)
              .transform(ar -> queue.handBack(consumerId, left))
              .onSuccess(n -> log.info("processor {} handed back {} jobs it could not finish", consumerId, n))
              .<Void>mapEmpty()
              .otherwiseEmpty();
        });
  }

  /** Claims as many jobs as there is room for; runs each group as it arrives. */
  private void pump() {
    pump(false);
  }

  /**
   * Claims if there is room: at once when the processor is idle or the room is worth a claim
   * ({@link #minClaim}), else {@value #SMALL_CLAIM_WAIT_MS} ms later with whatever room there is
   * then ({@code anySize}).
   */
  private void pump(boolean anySize) {
    if (stopping || claiming) return;
    int room = concurrency - inFlight;
    if (room <= 0) return;
    if (!anySize && inFlight > 0 && room < minClaim) {
      if (smallClaimTimer < 0) smallClaimTimer = vertx.setTimer(SMALL_CLAIM_WAIT_MS, t -> {
        smallClaimTimer = -1;
        pump(true);
      });
      return;
    }
    claiming = true;
    queue.claim(consumerId, Math.min(room, CLAIM_MAX), lease).onComplete(ar -> {
      claiming = false;
      if (stopping) { // shutting down: hand back what this last claim brought, nobody will run it here
        List<String> ids = ar.succeeded() ? ar.result().stream().map(Job::id).toList() : List.of();
        queue.handBack(consumerId, ids).onComplete(x -> drainedIfIdle());
        return;
      }
      if (ar.failed()) {
        log.warn("claim failed: {}", ar.cause().getMessage());
        idle(1_000);
        return;
      }
      List<Job> jobs = ar.result();
      if (jobs.isEmpty()) {
        idle(IDLE_POLL_MS);
        return;
      }
      run(jobs);
      pump();
    });
  }

  /**
   * Pumps once the current event-loop task is over: the payouts of one write are released one
   * after another in one task, and the claim should see the room of all of them, not of the first.
   */
  private void pumpSoon() {
    if (pumpScheduled) return;
    pumpScheduled = true;
    context.runOnContext(v -> {
      pumpScheduled = false;
      pump();
    });
  }

  private void drainedIfIdle() {
    if (stopping && inFlight <= 0 && !claiming && drained != null) drained.tryComplete();
  }

  private void idle(long ms) {
    if (stopping) return;
    vertx.cancelTimer(idleTimer);
    idleTimer = vertx.setTimer(ms, t -> pump());
  }

  /**
   * Runs a group; its weight in payouts counts against the concurrency until each payout is done
   * with (the runner tells as they finish), so a slow answer holds only its own slot. What the
   * runner did not account for (a sweep's share, jobs that did not run) is given back at the end.
   */
  private void run(List<Job> jobs) {
    int weight = jobs.stream().mapToInt(JobRunner::payoutsOf).sum();
    inFlight += weight;
    int[] left = {weight};
    long now = System.currentTimeMillis();
    jobs.forEach(j -> {
      held.put(j.id(), now);
      heldJobs.put(j.id(), j);
    });
    IntConsumer release = n -> {
      int freed = Math.min(n, left[0]);
      if (freed <= 0) return;
      left[0] -= freed;
      inFlight -= freed;
      pumpSoon();
    };
    runner.run(jobs, n -> {
          if (Vertx.currentContext() == context) release.accept(n);
          else context.runOnContext(v -> release.accept(n)); // the counters are this verticle's
        })
        .compose(done -> {
          Future<?> acked = done.acks().isEmpty() ? Future.succeededFuture() : queue.ackAll(consumerId, done.acks());
          if (!done.failed().isEmpty()) log.warn("{} jobs failed ({}); they will be retried", done.failed().size(), done.error());
          List<Future<JobQueue.FailOutcome>> fails = done.failed().stream()
              .map(j -> queue.fail(consumerId, j.id(), String.valueOf(done.error()), FAILURE_BACKOFF)).toList();
          return Future.join(acked, Future.join(fails)).eventually(() -> runner.enqueue(done.followUps()));
        })
        .onFailure(err -> log.warn("finishing a job group: {}", err.getMessage()))
        .onComplete(ar -> {
          inFlight -= left[0];
          left[0] = 0;
          jobs.forEach(j -> {
            held.remove(j.id());
            heldJobs.remove(j.id());
          });
          drainedIfIdle();
          pump();
        });
  }

  /**
   * Renews the leases of jobs still running, but not forever: a group stuck past {@code maxHold}
   * (a call that never completes) stops being renewed, so its jobs go back to the queue and another
   * worker finishes them; the conditional updates refuse this worker's late writes.
   */
  private void renew() {
    if (held.isEmpty()) return;
    long oldest = System.currentTimeMillis() - maxHoldMs;
    List<String> live = held.entrySet().stream().filter(e -> e.getValue() > oldest).map(Map.Entry::getKey).toList();
    if (live.size() < held.size()) log.warn("{} jobs have run for over {} ms; letting their leases lapse", held.size() - live.size(), maxHoldMs);
    if (live.isEmpty()) return;
    queue.renew(consumerId, live, lease)
        .onFailure(err -> log.warn("lease renewal failed: {}", err.getMessage()));
  }
}
