package com.payouts.queue;

import com.payouts.support.TestClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.payouts.domain.Priority;
import com.payouts.queue.JobQueue.Ack;
import com.payouts.queue.JobQueue.FailOutcome;
import com.payouts.queue.JobQueue.Options;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Against the real Redis; each test owns the keys under its own prefix and deletes them after. */
@ExtendWith(VertxExtension.class)
class JobQueueTest {
  private static final Duration LEASE = Duration.ofSeconds(1);
  private static final Duration RETENTION = JobQueue.DEFAULT_TASK_RETENTION;

  private static final String CLASS_PREFIX = "t:" + UUID.randomUUID() + ":";

  // One Vert.x for the class, not per test: the extension closes a test's own instance as soon as
  // the test fails, before @AfterEach, so the keys of exactly the failing tests would stay behind.
  private static Vertx vertx;
  private static Redis redis;
  private static TestRedis r;

  private final AtomicInteger payoutIds = new AtomicInteger();
  private String prefix;
  private TestClock clock;
  private JobQueue queue;
  private QueueKeys keys;

  @BeforeAll
  static void connect(Vertx classVertx) {
    vertx = classVertx;
    redis = JobQueue.createClient(vertx, TestRedis.url());
    r = new TestRedis(redis);
  }

  @AfterAll
  static void disconnect(VertxTestContext ctx) {
    r.deleteAll(CLASS_PREFIX).eventually(() -> redis.close()).onComplete(ctx.succeedingThenComplete());
  }

  @BeforeEach
  void setUp() {
    prefix = CLASS_PREFIX + UUID.randomUUID().toString().substring(0, 8) + ":";
    clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    queue = new JobQueue(redis, Options.defaults(prefix).withClock(clock));
    keys = queue.keys();
  }

  @AfterEach
  void tearDown(VertxTestContext ctx) {
    r.deleteAll(prefix).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void claimsHigherPriorityFirstAndFifoWithinOne(VertxTestContext ctx) {
    Job low1 = job(Priority.LOW), normal1 = job(Priority.NORMAL), urgent1 = job(Priority.URGENT);
    Job high1 = job(Priority.HIGH), normal2 = job(Priority.NORMAL), urgent2 = job(Priority.URGENT);
    Job low2 = job(Priority.LOW);
    queue.enqueue(List.of(low1, normal1, urgent1, high1))
        .compose(n -> queue.enqueue(normal2))
        .compose(ok -> queue.enqueue(List.of(urgent2, low2)))
        .compose(n -> queue.claim("c1", 3, LEASE))
        .compose(first -> {
          assertEquals(ids(urgent1, urgent2, high1), ids(first));
          return queue.claim("c1", 10, LEASE);
        })
        .compose(rest -> {
          assertEquals(ids(normal1, normal2, low1, low2), ids(rest));
          Job got = rest.get(0);
          assertEquals(1, got.attempts());
          assertEquals(normal1.payload(), got.payload());
          assertEquals(JobTypes.PROCESS_SINGLE_PAYOUT, got.type());
          assertEquals(Priority.NORMAL, got.priority());
          assertEquals(3, got.maxAttempts());
          return queue.claim("c1", 10, LEASE);
        })
        .compose(none -> {
          assertTrue(none.isEmpty());
          return r.zcard(keys.inflight());
        })
        .onComplete(ctx.succeeding(inflight -> ctx.verify(() -> {
          assertEquals(7L, inflight);
          ctx.completeNow();
        })));
  }

  @Test
  void delayedJobIsClaimableOnlyFromItsDueTime(VertxTestContext ctx) {
    Job later = job(Priority.URGENT).withDueAt(clock.instant().plusMillis(300));
    queue.enqueue(later)
        .compose(ok -> queue.claim("c1", 5, LEASE))
        .compose(none -> {
          assertTrue(none.isEmpty());
          return r.zscore(keys.delayed(), later.id());
        })
        .compose(due -> {
          assertEquals(later.dueAt().toEpochMilli(), due);
          clock.advance(Duration.ofMillis(299));
          return queue.claim("c1", 5, LEASE);
        })
        .compose(none -> {
          assertTrue(none.isEmpty());
          clock.advance(Duration.ofMillis(1));
          return queue.claim("c1", 5, LEASE);
        })
        .compose(claimed -> {
          assertEquals(ids(later), ids(claimed));
          return r.zcard(keys.delayed());
        })
        .onComplete(ctx.succeeding(delayed -> ctx.verify(() -> {
          assertEquals(0L, delayed);
          ctx.completeNow();
        })));
  }

  @Test
  void delayedJobWaitsForRedisServerTime(VertxTestContext ctx) {
    JobQueue serverTime = new JobQueue(redis, prefix);
    Job later = job(Priority.NORMAL).withDueAt(Instant.now().plusMillis(300));
    serverTime.enqueue(later)
        .compose(ok -> serverTime.claim("c1", 5, LEASE))
        .compose(none -> {
          assertTrue(none.isEmpty());
          return vertx.timer(450);
        })
        .compose(fired -> serverTime.claim("c1", 5, LEASE))
        .onComplete(ctx.succeeding(claimed -> ctx.verify(() -> {
          assertEquals(ids(later), ids(claimed));
          ctx.completeNow();
        })));
  }

  @Test
  void expiredLeaseIsReclaimedAndDeliveredToAnotherConsumer(VertxTestContext ctx) {
    Job j = job(Priority.NORMAL);
    queue.enqueue(j)
        .compose(ok -> queue.claim("A", 1, LEASE))
        .compose(claimed -> {
          assertEquals(1, claimed.get(0).attempts());
          clock.advance(Duration.ofMillis(999));
          return queue.reclaimExpired(100);
        })
        .compose(n -> {
          assertEquals(0, n);
          clock.advance(Duration.ofMillis(1));
          return queue.reclaimExpired(100);
        })
        .compose(n -> {
          assertEquals(1, n);
          return queue.taskStatus(j.id());
        })
        .compose(task -> {
          assertEquals(TaskStatus.QUEUED.wire(), task.orElseThrow().getString("state"));
          assertTrue(task.get().getString("error").contains("lease expired"));
          return queue.claim("B", 1, LEASE);
        })
        .compose(claimed -> {
          assertEquals(ids(j), ids(claimed));
          assertEquals(2, claimed.get(0).attempts());
          return r.hget(keys.job(j.id()), "consumer");
        })
        .compose(holder -> {
          assertEquals("B", holder);
          return queue.ack("A", j.id(), new JsonObject());
        })
        .compose(staleAck -> {
          assertFalse(staleAck);
          return queue.fail("A", j.id(), "late", Duration.ZERO);
        })
        .compose(staleFail -> {
          assertEquals(FailOutcome.NOT_HELD, staleFail);
          return queue.renew("A", List.of(j.id()), LEASE);
        })
        .compose(staleRenew -> {
          assertTrue(staleRenew.isEmpty());
          return queue.ack("B", j.id(), new JsonObject().put("ok", true));
        })
        .compose(acked -> {
          assertTrue(acked);
          return queue.taskStatus(j.id());
        })
        .onComplete(ctx.succeeding(task -> ctx.verify(() -> {
          assertEquals(TaskStatus.SUCCEEDED.wire(), task.orElseThrow().getString("state"));
          assertEquals(2, task.get().getInteger("attempts"));
          ctx.completeNow();
        })));
  }

  @Test
  void renewKeepsTheLeaseOnlyForItsHolder(VertxTestContext ctx) {
    Job j = job(Priority.NORMAL);
    queue.enqueue(j)
        .compose(ok -> queue.claim("A", 1, LEASE))
        .compose(claimed -> {
          clock.advance(Duration.ofMillis(800));
          return queue.renew("A", List.of(j.id(), "no-such-job"), LEASE);
        })
        .compose(renewed -> {
          assertEquals(List.of(j.id()), renewed);
          return queue.renew("B", List.of(j.id()), LEASE);
        })
        .compose(notHolder -> {
          assertTrue(notHolder.isEmpty());
          return r.zscore(keys.inflight(), j.id());
        })
        .compose(expiry -> {
          assertEquals(clock.millis() + LEASE.toMillis(), expiry);
          clock.advance(Duration.ofMillis(800)); // past the first lease, inside the renewed one
          return queue.reclaimExpired(100);
        })
        .compose(n -> {
          assertEquals(0, n);
          return queue.claim("B", 1, LEASE);
        })
        .compose(none -> {
          assertTrue(none.isEmpty());
          clock.advance(Duration.ofMillis(200));
          return queue.reclaimExpired(100);
        })
        .onComplete(ctx.succeeding(n -> ctx.verify(() -> {
          assertEquals(1, n);
          ctx.completeNow();
        })));
  }

  @Test
  void ackRemovesTheJobAndRecordsSuccess(VertxTestContext ctx) {
    Job j = job(Priority.HIGH), k = job(Priority.HIGH), m = job(Priority.HIGH);
    JsonObject result = new JsonObject().put("gatewayRef", "gw-123").put("status", "paid");
    queue.enqueue(List.of(j, k, m))
        .compose(n -> queue.claim("A", 3, LEASE))
        .compose(claimed -> {
          clock.advance(Duration.ofMillis(250));
          return queue.ack("A", j.id(), result);
        })
        .compose(acked -> {
          assertTrue(acked);
          return r.exists(keys.job(j.id()));
        })
        .compose(hashExists -> {
          assertFalse(hashExists);
          return r.zscore(keys.inflight(), j.id());
        })
        .compose(lease -> {
          assertNull(lease);
          return queue.taskStatus(j.id());
        })
        .compose(status -> {
          JsonObject task = status.orElseThrow();
          assertEquals(TaskStatus.SUCCEEDED.wire(), task.getString("state"));
          assertEquals(result, task.getJsonObject("result"));
          assertEquals(1, task.getInteger("attempts"));
          assertEquals(clock.instant().toString(), task.getString("finishedAt"));
          assertEquals(clock.instant().minusMillis(250).toString(), task.getString("startedAt"));
          assertNull(task.getString("error"));
          return queue.ack("A", j.id(), result);
        })
        .compose(again -> {
          assertFalse(again);
          return queue.ackAll("A", List.of(new Ack(k.id(), null), new Ack(m.id(), new JsonObject())));
        })
        .compose(acked -> {
          assertEquals(List.of(k.id(), m.id()), acked);
          return r.zcard(keys.inflight());
        })
        .onComplete(ctx.succeeding(inflight -> ctx.verify(() -> {
          assertEquals(0L, inflight);
          ctx.completeNow();
        })));
  }

  @Test
  void failRetriesThenDeadLettersAndRequeueBringsItBack(VertxTestContext ctx) {
    Job j = new Job(UUID.randomUUID().toString(), JobTypes.RETRY_FAILED_PAYOUT,
        new JsonObject().put("payoutId", 7), Priority.NORMAL, 0, 2, null);
    queue.enqueue(j)
        .compose(ok -> queue.claim("A", 1, LEASE))
        .compose(claimed -> queue.fail("A", j.id(), "gateway timeout", Duration.ofSeconds(5)))
        .compose(outcome -> {
          assertEquals(FailOutcome.RETRY, outcome);
          return r.zscore(keys.delayed(), j.id());
        })
        .compose(due -> {
          assertEquals(clock.millis() + 5000, due);
          return queue.taskStatus(j.id());
        })
        .compose(task -> {
          assertEquals(TaskStatus.QUEUED.wire(), task.orElseThrow().getString("state"));
          assertEquals("gateway timeout", task.get().getString("error"));
          return queue.claim("A", 1, LEASE);
        })
        .compose(tooEarly -> {
          assertTrue(tooEarly.isEmpty());
          clock.advance(Duration.ofSeconds(5));
          return queue.claim("A", 1, LEASE);
        })
        .compose(second -> {
          assertEquals(2, second.get(0).attempts());
          return queue.fail("A", j.id(), "gateway timeout again", Duration.ofSeconds(5));
        })
        .compose(outcome -> {
          assertEquals(FailOutcome.DEAD, outcome);
          return queue.taskStatus(j.id());
        })
        .compose(task -> {
          assertEquals(TaskStatus.DEAD.wire(), task.orElseThrow().getString("state"));
          assertEquals("gateway timeout again", task.get().getString("error"));
          assertNotNull(task.get().getString("finishedAt"));
          return queue.deadLetters(10);
        })
        .compose(dead -> {
          assertEquals(ids(j), ids(dead));
          assertEquals(2, dead.get(0).attempts());
          return queue.requeueDead(j.id());
        })
        .compose(requeued -> {
          assertTrue(requeued);
          return r.zcard(keys.dead());
        })
        .compose(dead -> {
          assertEquals(0L, dead);
          return queue.claim("B", 1, LEASE);
        })
        .compose(third -> {
          assertEquals(ids(j), ids(third));
          assertEquals(1, third.get(0).attempts());
          return queue.requeueDead(j.id());
        })
        .onComplete(ctx.succeeding(notDead -> ctx.verify(() -> {
          assertFalse(notDead);
          ctx.completeNow();
        })));
  }

  @Test
  void expiredLeaseOnLastAttemptDeadLetters(VertxTestContext ctx) {
    Job j = new Job(UUID.randomUUID().toString(), JobTypes.PROCESS_SINGLE_PAYOUT, new JsonObject(),
        Priority.URGENT, 0, 1, null);
    queue.enqueue(j)
        .compose(ok -> queue.claim("A", 1, LEASE))
        .compose(claimed -> {
          clock.advance(LEASE);
          return queue.reclaimExpired(10);
        })
        .compose(n -> {
          assertEquals(1, n);
          return r.zscore(keys.dead(), j.id());
        })
        .compose(diedAt -> {
          assertEquals(clock.millis(), diedAt);
          return queue.taskStatus(j.id());
        })
        .onComplete(ctx.succeeding(task -> ctx.verify(() -> {
          assertEquals(TaskStatus.DEAD.wire(), task.orElseThrow().getString("state"));
          ctx.completeNow();
        })));
  }

  @Test
  void deadLettersAreCappedAndTheOldestDropped(VertxTestContext ctx) {
    JobQueue capped = new JobQueue(redis, Options.defaults(prefix).withClock(clock).withDeadLetterCap(3));
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      jobs.add(new Job("dead-" + i, JobTypes.PROCESS_SINGLE_PAYOUT, new JsonObject(), Priority.NORMAL, 0, 1, null));
    }
    Future<?> chain = capped.enqueue(jobs).compose(n -> capped.claim("A", 5, LEASE));
    for (Job j : jobs) {
      chain = chain.compose(v -> {
        clock.advance(Duration.ofMillis(1));
        return capped.fail("A", j.id(), "declined", Duration.ZERO);
      });
    }
    chain.compose(v -> capped.deadLetters(10))
        .compose(dead -> {
          assertEquals(List.of("dead-4", "dead-3", "dead-2"), ids(dead));
          return r.exists(keys.job("dead-0"));
        })
        .onComplete(ctx.succeeding(oldest -> ctx.verify(() -> {
          assertFalse(oldest);
          ctx.completeNow();
        })));
  }

  @Test
  void enqueueUniqueSkipsWhileLiveAndAllowsAfterAckOrDeath(VertxTestContext ctx) {
    String key = "payout:42";
    Job a = job(Priority.NORMAL), b = job(Priority.NORMAL), c = job(Priority.NORMAL);
    Job d = new Job(UUID.randomUUID().toString(), JobTypes.PROCESS_SINGLE_PAYOUT, new JsonObject(),
        Priority.NORMAL, 0, 1, null);
    Job e = job(Priority.NORMAL);
    queue.enqueueUnique(a, key)
        .compose(first -> {
          assertTrue(first);
          return queue.enqueueUnique(b, key);
        })
        .compose(whileQueued -> {
          assertFalse(whileQueued);
          return queue.taskStatus(b.id());
        })
        .compose(bTask -> {
          assertTrue(bTask.isEmpty());
          return queue.claim("A", 5, LEASE);
        })
        .compose(claimed -> {
          assertEquals(ids(a), ids(claimed));
          return queue.enqueueUnique(c, key);
        })
        .compose(whileInflight -> {
          assertFalse(whileInflight);
          return queue.ack("A", a.id(), new JsonObject());
        })
        .compose(acked -> r.exists(keys.live(key)))
        .compose(liveAfterAck -> {
          assertFalse(liveAfterAck);
          return queue.enqueueUnique(d, key);
        })
        .compose(afterAck -> {
          assertTrue(afterAck);
          return queue.claim("A", 5, LEASE);
        })
        .compose(claimed -> queue.fail("A", d.id(), "declined", Duration.ZERO))
        .compose(outcome -> {
          assertEquals(FailOutcome.DEAD, outcome);
          return queue.enqueueUnique(e, key);
        })
        .compose(afterDeath -> {
          assertTrue(afterDeath);
          return queue.depth();
        })
        .onComplete(ctx.succeeding(depth -> ctx.verify(() -> {
          assertEquals(1L, depth.getLong("normal"));
          ctx.completeNow();
        })));
  }

  @Test
  void batchOfFiveThousandIsClaimedExactlyOnceInOrder(VertxTestContext ctx) {
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < 5000; i++) jobs.add(job(Priority.NORMAL));
    List<String> claimed = new ArrayList<>();
    AtomicInteger rounds = new AtomicInteger();
    queue.enqueue(jobs)
        .compose(n -> {
          assertEquals(5000, n);
          return claimAll(claimed, rounds);
        })
        .compose(v -> {
          assertEquals(10, rounds.get());
          assertEquals(5000, claimed.size());
          assertEquals(5000, new HashSet<>(claimed).size());
          assertEquals(ids(jobs.toArray(Job[]::new)), claimed);
          return r.zcard(keys.inflight());
        })
        .onComplete(ctx.succeeding(inflight -> ctx.verify(() -> {
          assertEquals(5000L, inflight);
          ctx.completeNow();
        })));
  }

  @Test
  void taskStatusHasAllFieldsAndExpires(VertxTestContext ctx) {
    Job now = job(Priority.NORMAL);
    Job inAnHour = job(Priority.NORMAL).withDueAt(clock.instant().plus(Duration.ofHours(1)));
    queue.enqueue(List.of(now, inAnHour))
        .compose(n -> queue.taskStatus(now.id()))
        .compose(status -> {
          JsonObject task = status.orElseThrow();
          assertEquals(now.id(), task.getString("taskId"));
          assertEquals(JobTypes.PROCESS_SINGLE_PAYOUT, task.getString("type"));
          assertEquals(TaskStatus.QUEUED.wire(), task.getString("state"));
          assertEquals(0, task.getInteger("attempts"));
          assertEquals(clock.instant().toString(), task.getString("createdAt"));
          for (String absent : List.of("startedAt", "finishedAt", "result", "error")) {
            assertTrue(task.containsKey(absent) && task.getValue(absent) == null, absent);
          }
          return r.pttl(keys.task(now.id()));
        })
        .compose(ttl -> {
          assertTrue(ttl > RETENTION.toMillis() - 60_000 && ttl <= RETENTION.toMillis(), "ttl " + ttl);
          return r.pttl(keys.task(inAnHour.id()));
        })
        .compose(ttl -> {
          assertTrue(ttl > RETENTION.toMillis(), "a delayed task outlives its delay: " + ttl);
          return queue.recordTask("batch-1", JobTypes.BATCH_PROCESS_PAYOUTS, TaskStatus.SUCCEEDED,
              new JsonObject().put("processed", 3));
        })
        .compose(v -> queue.taskStatus("batch-1"))
        .compose(status -> {
          JsonObject task = status.orElseThrow();
          assertEquals(TaskStatus.SUCCEEDED.wire(), task.getString("state"));
          assertEquals(3, task.getJsonObject("result").getInteger("processed"));
          assertEquals(clock.instant().toString(), task.getString("finishedAt"));
          return r.pttl(keys.task("batch-1"));
        })
        .compose(ttl -> {
          assertTrue(ttl > 0 && ttl <= RETENTION.toMillis());
          return queue.taskStatus("no-such-task");
        })
        .compose(unknown -> {
          assertTrue(unknown.isEmpty());
          return Future.succeededFuture()
              .compose(v -> queue.recordTask("x", JobTypes.BATCH_PROCESS_PAYOUTS, TaskStatus.parse("finished"), null))
              .transform(ar -> {
                assertTrue(ar.failed(), "an unknown task state was accepted");
                assertInstanceOf(IllegalArgumentException.class, ar.cause());
                return queue.taskStatus("x");
              });
        })
        .onComplete(ctx.succeeding(none -> ctx.verify(() -> {
          assertTrue(none.isEmpty(), "nothing was recorded for the refused state");
          ctx.completeNow();
        })));
  }

  @Test
  void shortRetentionIsHonoured(VertxTestContext ctx) {
    JobQueue brief = new JobQueue(redis, Options.defaults(prefix).withClock(clock)
        .withTaskRetention(Duration.ofMinutes(5)));
    Job j = job(Priority.LOW);
    brief.enqueue(j)
        .compose(ok -> r.pttl(keys.task(j.id())))
        .onComplete(ctx.succeeding(ttl -> ctx.verify(() -> {
          assertTrue(ttl > 0 && ttl <= 300_000, "ttl " + ttl);
          ctx.completeNow();
        })));
  }

  @Test
  void depthCountsEveryStructure(VertxTestContext ctx) {
    List<Job> jobs = List.of(job(Priority.URGENT), job(Priority.URGENT), job(Priority.HIGH),
        job(Priority.LOW), job(Priority.LOW), job(Priority.LOW),
        job(Priority.NORMAL).withDueAt(clock.instant().plus(Duration.ofMinutes(1))));
    queue.depth()
        .compose(empty -> {
          assertEquals(0L, empty.getLong("ready"));
          assertEquals(0L, empty.getLong("oldestReadyAgeMs"));
          return queue.enqueue(jobs);
        })
        .compose(n -> {
          clock.advance(Duration.ofMillis(2500));
          return queue.claim("A", 1, LEASE);
        })
        .compose(claimed -> queue.depth())
        .map(depth -> {
          assertEquals(new JsonObject().put("urgent", 1L).put("high", 1L).put("normal", 0L).put("low", 3L)
              .put("ready", 5L).put("delayed", 1L).put("inflight", 1L).put("dead", 0L)
              .put("oldestReadyAgeMs", 2500L)
              .put("oldestReadyAgeMsByPriority", new JsonObject().put("urgent", 2500L).put("high", 2500L)
                  .put("normal", 0L).put("low", 2500L)), depth);
          return depth;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void pingAnswers(VertxTestContext ctx) {
    queue.ping().onComplete(ctx.succeedingThenComplete());
  }

  private Future<Void> claimAll(List<String> into, AtomicInteger rounds) {
    return queue.claim("bulk", 500, Duration.ofMinutes(1)).compose(batch -> {
      if (batch.isEmpty()) return Future.succeededFuture();
      assertTrue(batch.size() <= 500);
      rounds.incrementAndGet();
      into.addAll(ids(batch));
      return claimAll(into, rounds);
    });
  }

  private Job job(Priority p) {
    return Job.of(JobTypes.PROCESS_SINGLE_PAYOUT, new JsonObject().put("payoutId", payoutIds.incrementAndGet()), p, 3);
  }

  private static List<String> ids(Job... jobs) {
    return ids(List.of(jobs));
  }

  private static List<String> ids(List<Job> jobs) {
    return jobs.stream().map(Job::id).toList();
  }
}
