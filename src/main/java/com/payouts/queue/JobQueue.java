package com.payouts.queue;

import com.payouts.domain.Priority;
import com.payouts.queue.QueueScripts.Script;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * At-least-once job queue on Redis; Postgres stays the source of truth, this only delivers work.
 *
 * <p>Why sorted sets and not Streams: we need four priorities, delayed delivery, per-job leases,
 * dedupe and dead letters. Sorted sets give each of those directly (score = sequence, due time or
 * lease expiry) and one Lua script moves a job atomically between them; Streams would need a
 * stream per priority plus a side structure for delays, and acked entries linger until XDEL.
 *
 * <p>Bounds: ready, delayed and inflight hold only live jobs; job hashes are deleted on ack;
 * task hashes expire after the retention (default 7 days, longer by the delay for delayed jobs);
 * the dead set keeps the newest {@link #DEFAULT_DEAD_LETTER_CAP} jobs and deletes older ones.
 */
public final class JobQueue {
  public static final Duration DEFAULT_TASK_RETENTION = Duration.ofDays(7);
  public static final int DEFAULT_DEAD_LETTER_CAP = 100_000;
  /** Jobs per enqueue script call: large enough for throughput, small enough not to stall Redis. */
  static final int ENQUEUE_CHUNK = 500;
  /** Delayed jobs promoted per claim; the rest follow on the next claims. */
  static final int PROMOTE_LIMIT = 1_000;

  public enum FailOutcome { RETRY, DEAD, NOT_HELD }

  public record Ack(String jobId, JsonObject result) {}

  /** {@code clock} null means Redis server time, one clock for every processor host (production). */
  public record Options(String prefix, Duration taskRetention, int deadLetterCap, Clock clock) {
    public static Options defaults(String prefix) {
      return new Options(prefix, DEFAULT_TASK_RETENTION, DEFAULT_DEAD_LETTER_CAP, null);
    }

    public Options withClock(Clock c) {
      return new Options(prefix, taskRetention, deadLetterCap, c);
    }

    public Options withTaskRetention(Duration d) {
      return new Options(prefix, d, deadLetterCap, clock);
    }

    public Options withDeadLetterCap(int cap) {
      return new Options(prefix, taskRetention, cap, clock);
    }
  }

  private final Redis redis;
  private final QueueKeys keys;
  private final Options options;

  public JobQueue(Redis redis, String prefix) {
    this(redis, Options.defaults(prefix));
  }

  public JobQueue(Redis redis, Options options) {
    if (options.taskRetention().toMillis() <= 0) throw new IllegalArgumentException("task retention must be positive");
    if (options.deadLetterCap() < 1) throw new IllegalArgumentException("dead letter cap must be at least 1");
    this.redis = redis;
    this.keys = new QueueKeys(options.prefix());
    this.options = options;
  }

  /** A pooled client sized for the queue; the wait list absorbs bursts of enqueues. */
  public static Redis createClient(Vertx vertx, String uri) {
    return Redis.createClient(vertx, new RedisOptions()
        .setConnectionString(uri).setMaxPoolSize(8).setMaxPoolWaiting(512));
  }

  public QueueKeys keys() {
    return keys;
  }

  /** Optional warm-up; scripts also load themselves on first use. */
  public Future<Void> loadScripts() {
    return Future.all(QueueScripts.ALL.stream().map(s -> s.load(redis)).toList()).mapEmpty();
  }

  /** False when a job with this id is already in the queue. */
  public Future<Boolean> enqueue(Job job) {
    return enqueueChunk(List.of(job), "").map(n -> n == 1);
  }

  /** Returns how many were new; sent in chunks of {@link #ENQUEUE_CHUNK}, in order. */
  public Future<Integer> enqueue(List<Job> jobs) {
    Future<Integer> total = Future.succeededFuture(0);
    for (int from = 0; from < jobs.size(); from += ENQUEUE_CHUNK) {
      List<Job> chunk = jobs.subList(from, Math.min(jobs.size(), from + ENQUEUE_CHUNK));
      total = total.compose(sum -> enqueueChunk(chunk, "").map(n -> sum + n));
    }
    return total;
  }

  /** Does nothing (false) while a queued, delayed or inflight job holds {@code dedupeKey}, e.g. "payout:42". */
  public Future<Boolean> enqueueUnique(Job job, String dedupeKey) {
    if (dedupeKey == null || dedupeKey.isBlank()) return invalid("dedupe key is blank");
    return enqueueChunk(List.of(job), dedupeKey).map(n -> n == 1);
  }

  /** Promotes due delayed jobs, then leases up to {@code max} jobs, highest priority first. */
  public Future<List<Job>> claim(String consumerId, int max, Duration lease) {
    return checked(() -> {
      if (max < 1) throw new IllegalArgumentException("max must be at least 1");
      return run(QueueScripts.CLAIM, List.of(consumer(consumerId), millis(lease), String.valueOf(max),
          String.valueOf(PROMOTE_LIMIT))).map(JobQueue::jobs);
    });
  }

  /**
   * Returns the ids renewed; a job missing from the answer was reclaimed (and maybe redelivered),
   * so its holder should stop. A lapsed lease nobody has reclaimed yet is still renewable.
   */
  public Future<List<String>> renew(String consumerId, List<String> jobIds, Duration lease) {
    if (jobIds.isEmpty()) return Future.succeededFuture(List.of());
    return checked(() -> {
      List<String> args = new ArrayList<>(List.of(consumer(consumerId), millis(lease)));
      args.addAll(jobIds);
      return run(QueueScripts.RENEW, args).map(JobQueue::strings);
    });
  }

  /** False when this consumer no longer holds the job (lease expired and it was reclaimed). */
  public Future<Boolean> ack(String consumerId, String jobId, JsonObject result) {
    return ackAll(consumerId, List.of(new Ack(jobId, result))).map(acked -> !acked.isEmpty());
  }

  /** Returns the ids acked. */
  public Future<List<String>> ackAll(String consumerId, List<Ack> acks) {
    if (acks.isEmpty()) return Future.succeededFuture(List.of());
    return checked(() -> {
      List<String> args = new ArrayList<>(List.of(consumer(consumerId)));
      for (Ack a : acks) {
        args.add(a.jobId());
        args.add(a.result() == null ? "{}" : a.result().encode());
      }
      return run(QueueScripts.ACK, args).map(JobQueue::strings);
    });
  }

  /** Retries after {@code backoff} while attempts remain, otherwise dead-letters. */
  public Future<FailOutcome> fail(String consumerId, String jobId, String error, Duration backoff) {
    if (backoff.isNegative()) return invalid("backoff is negative");
    String err = error == null ? "" : error;
    return checked(() -> run(QueueScripts.FAIL,
        List.of(consumer(consumerId), jobId, err, String.valueOf(backoff.toMillis()))))
        .map(r -> switch (r.toString()) {
          case "retry" -> FailOutcome.RETRY;
          case "dead" -> FailOutcome.DEAD;
          default -> FailOutcome.NOT_HELD;
        });
  }

  /**
   * Puts jobs this consumer holds back at the head of their ready queue, the attempt not counted
   * (a node stopping before it could finish them). Returns how many went back.
   */
  public Future<Integer> handBack(String consumerId, List<String> jobIds) {
    if (jobIds.isEmpty()) return Future.succeededFuture(0);
    return checked(() -> {
      List<String> args = new ArrayList<>(List.of(consumer(consumerId)));
      args.addAll(jobIds);
      return run(QueueScripts.HAND_BACK, args).map(Response::toInteger);
    });
  }

  /** Returns how many expired leases were moved back to ready or to dead (at most {@code max}). */
  public Future<Integer> reclaimExpired(int max) {
    if (max < 1) return invalid("max must be at least 1");
    return run(QueueScripts.RECLAIM, List.of(String.valueOf(max))).map(Response::toInteger);
  }

  /** Newest first. */
  public Future<List<Job>> deadLetters(int limit) {
    if (limit < 1) return Future.succeededFuture(List.of());
    return run(QueueScripts.DEAD_LETTERS, List.of(String.valueOf(limit))).map(JobQueue::jobs);
  }

  /** A dead job with its last error and when it died. */
  public record DeadLetter(Job job, String error, Instant diedAt) {}

  /** Newest first, with each job's last error and the time it died. */
  public Future<List<DeadLetter>> deadLetterDetails(int limit) {
    if (limit < 1) return Future.succeededFuture(List.of());
    return run(QueueScripts.DEAD_LETTER_DETAILS, List.of(String.valueOf(limit))).map(rows -> rows.stream()
        .map(r -> new DeadLetter(job(r), r.get(7).toString(), Instant.ofEpochMilli((long) Double.parseDouble(r.get(8).toString()))))
        .toList());
  }

  /** Drops a dead job for good; false if it is not dead. */
  public Future<Boolean> deleteDead(String jobId) {
    return run(QueueScripts.DELETE_DEAD, List.of(jobId)).map(r -> r.toInteger() == 1);
  }

  /** Puts a dead job back at the end of its ready queue with attempts reset; false if it is not dead. */
  public Future<Boolean> requeueDead(String jobId) {
    return run(QueueScripts.REQUEUE_DEAD, List.of(jobId)).map(r -> r.toInteger() == 1);
  }

  public Future<Optional<JsonObject>> taskStatus(String taskId) {
    Request req = Request.cmd(Command.HMGET).arg(keys.task(taskId));
    TaskRecord.FIELDS.forEach(req::arg);
    return redis.send(req).map(r -> TaskRecord.fromFields(taskId, r));
  }

  /** For work done outside the queue, e.g. a batch action finished inline. */
  public Future<Void> recordTask(String taskId, String type, TaskStatus state, JsonObject result) {
    if (state == null) return invalid("a task state is required");
    if (taskId == null || taskId.isBlank() || type == null || type.isBlank()) {
      return invalid("task id and type are required");
    }
    return run(QueueScripts.RECORD_TASK, List.of(taskId, type, state.wire(), result == null ? "" : result.encode()))
        .mapEmpty();
  }

  /** Counts per priority, ready total, delayed, inflight, dead and oldestReadyAgeMs (0 when idle). */
  public Future<JsonObject> depth() {
    return run(QueueScripts.DEPTH, List.of()).map(r -> {
      JsonObject out = new JsonObject();
      long ready = 0;
      for (Priority p : Priority.values()) {
        long n = r.get(p.rank()).toLong();
        out.put(p.wire(), n);
        ready += n;
      }
      JsonObject ages = new JsonObject();
      for (Priority p : Priority.values()) ages.put(p.wire(), r.size() > 8 + p.rank() ? r.get(8 + p.rank()).toLong() : 0L);
      return out.put("ready", ready).put("delayed", r.get(4).toLong()).put("inflight", r.get(5).toLong())
          .put("dead", r.get(6).toLong()).put("oldestReadyAgeMs", r.get(7).toLong())
          .put("oldestReadyAgeMsByPriority", ages);
    });
  }

  public Future<Void> ping() {
    return redis.send(Request.cmd(Command.PING)).mapEmpty();
  }

  private Future<Integer> enqueueChunk(List<Job> jobs, String dedupeKey) {
    List<String> args = new ArrayList<>(jobs.size() * 8);
    for (Job j : jobs) {
      args.addAll(List.of(j.id(), j.type(), j.payload().encode(), j.priority().wire(),
          String.valueOf(j.attempts()), String.valueOf(j.maxAttempts()),
          j.dueAt() == null ? "" : String.valueOf(j.dueAt().toEpochMilli()), dedupeKey));
    }
    return run(QueueScripts.ENQUEUE, args).map(r -> r.stream().mapToInt(Response::toInteger).sum());
  }

  private Future<Response> run(Script script, List<String> extra) {
    List<String> args = new ArrayList<>(6 + extra.size());
    args.add(keys.jobPrefix());
    args.add(keys.taskPrefix());
    args.add(keys.livePrefix());
    args.add(options.clock() == null ? "" : String.valueOf(options.clock().millis()));
    args.add(String.valueOf(options.taskRetention().toMillis()));
    args.add(String.valueOf(options.deadLetterCap()));
    args.addAll(extra);
    return script.run(redis, keys.scriptKeys(), args);
  }

  /** Argument errors become failed futures, so callers handle every failure in one place. */
  private static <T> Future<T> checked(Supplier<Future<T>> call) {
    try {
      return call.get();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  private static <T> Future<T> invalid(String message) {
    return Future.failedFuture(new IllegalArgumentException(message));
  }

  private static String consumer(String consumerId) {
    if (consumerId == null || consumerId.isBlank()) throw new IllegalArgumentException("consumer id is blank");
    return consumerId;
  }

  private static String millis(Duration lease) {
    if (lease.toMillis() < 1) throw new IllegalArgumentException("lease must be at least 1 ms");
    return String.valueOf(lease.toMillis());
  }

  private static List<String> strings(Response r) {
    return r.stream().map(Response::toString).toList();
  }

  private static List<Job> jobs(Response rows) {
    return rows.stream().map(JobQueue::job).toList();
  }

  private static Job job(Response row) {
    String due = row.get(6).toString();
    return new Job(row.get(0).toString(), row.get(1).toString(), new JsonObject(row.get(2).toString()),
        Priority.parse(row.get(3).toString()), Integer.parseInt(row.get(4).toString()),
        Integer.parseInt(row.get(5).toString()), due.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(due)));
  }
}
