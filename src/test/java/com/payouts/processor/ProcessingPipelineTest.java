package com.payouts.processor;

import com.payouts.app.ConfigKeys;
import com.payouts.support.TestStack;
import static com.payouts.support.Await.eventually;
import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.bus.Addresses;
import com.payouts.db.LedgerVerifier;
import com.payouts.db.PayoutRepository;
import com.payouts.domain.Payout;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.PayoutStatus;
import com.payouts.domain.RetryPolicy;
import com.payouts.domain.UserAccount;
import com.payouts.queue.JobQueue;
import com.payouts.queue.PayoutJobs;
import com.payouts.service.RecoverySweep;
import com.payouts.retry.RetrySchedulerVerticle;
import com.payouts.service.PayoutDispatcher;
import com.payouts.support.Fixtures;
import com.payouts.support.ScriptedGateway;
import com.payouts.support.ScriptedGateway.Step;
import com.payouts.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The queue, the processor and the schedulers together on real Redis and Postgres. */
@ExtendWith(VertxExtension.class)
class ProcessingPipelineTest {
  static final Duration LEASE = Duration.ofSeconds(1);

  Vertx vertx;
  TestStack stack;
  TestDatabase db;
  Redis redis;
  JobQueue queue;
  String prefix;
  ScriptedGateway gateway;
  Fixtures f;
  PayoutDispatcher dispatcher;
  final List<JsonObject> events = new CopyOnWriteArrayList<>();
  /** Payouts in flight per processor. */
  int concurrency = 100;

  void start(Vertx vertx, ScriptedGateway gw, RetryPolicy retry) {
    start(vertx, retry, "1h");
  }

  /** The stack with no verticles yet: each test deploys the processor and the scheduler it needs. */
  void start(Vertx vertx, RetryPolicy retry, String sweepInterval) {
    this.vertx = vertx;
    String delays = String.join(",", retry.delays().stream().map(d -> d.toMillis() + "ms").toList());
    stack = await(TestStack.builder().poolSize(16).set(ConfigKeys.LEASE, LEASE.toMillis() + "ms")
        .set(ConfigKeys.PROCESSOR_CONCURRENCY, concurrency)
        .set(ConfigKeys.RETRY_DELAYS, delays).set(ConfigKeys.RETRY_SWEEP_INTERVAL, sweepInterval).start(vertx));
    db = stack.db;
    gateway = (ScriptedGateway) stack.gateway;
    redis = stack.graph.redis;
    prefix = stack.redisPrefix;
    queue = stack.graph.queue;
    f = stack.f;
    vertx.eventBus().<JsonObject>consumer(Addresses.PAYOUT_TRANSITIONS, m -> events.add(m.body()));
    dispatcher = stack.graph.dispatcher;
  }

  /** One processor (100 payouts in flight, the stack's lease); a second call is a second worker. */
  String deployProcessor() {
    return await(vertx.deployVerticle(stack.graph.processorVerticles().get(0)));
  }

  void deployScheduler() {
    await(vertx.deployVerticle(stack.graph.retrySchedulerVerticle()));
  }

  @AfterEach
  void cleanUp() {
    await(Future.join(vertx.deploymentIDs().stream().map(id -> vertx.undeploy(id)).toList()).otherwiseEmpty());
    await(stack.stop());
  }

  PayoutStatus status(long id) {
    return await(f.payouts.repository().find(id)).orElseThrow().status();
  }

  void assertLedgerHolds() {
    List<LedgerVerifier.Violation> broken = await(new LedgerVerifier(db.pool()).verify());
    assertTrue(broken.isEmpty(), () -> "invariants broken: " + broken);
  }

  @Test
  void approvingEnqueuesAJobThatPaysThePayoutAndPublishesEveryTransition(Vertx vertx) {
    start(vertx, null, RetryPolicy.DEFAULT);
    deployProcessor();
    UserAccount u = await(f.userWith("100.00"));
    Payout p = await(f.request(u.id(), "40.00", PayoutMethod.STRIPE_BANK));
    PayoutDispatcher.Dispatched d = await(dispatcher.approve(p.id(), "admin"));
    assertNotNull(d.taskId());
    eventually(Duration.ofSeconds(10), () -> status(p.id()) == PayoutStatus.COMPLETED, "payout completed");
    eventually(Duration.ofSeconds(5), () -> "succeeded".equals(
        await(queue.taskStatus(d.taskId())).orElseThrow().getString("state")), "task succeeded");
    JsonObject task = await(queue.taskStatus(d.taskId())).orElseThrow();
    assertEquals("completed", task.getJsonObject("result").getString("status"));
    eventually(Duration.ofSeconds(5), () -> events.stream().filter(e -> e.getLong("payoutId") == p.id()).count() == 4,
        "created, approved, processing and completed published");
    List<String> path = events.stream().filter(e -> e.getLong("payoutId") == p.id())
        .map(e -> e.getString("from") + ">" + e.getString("to")).toList();
    assertEquals(List.of("null>pending", "pending>approved", "approved>processing", "processing>completed"), path);
    JsonObject done = events.get(events.size() - 1);
    assertEquals("40.00", done.getString("amount"));
    assertEquals("stripe_bank", done.getString("method"));
    assertNotNull(done.getString("transactionId"));
    assertNotNull(done.getString("at"));
    assertLedgerHolds();
  }

  /**
   * A processor's slots follow payouts, not job groups: with two slots and the first answer never
   * coming, the other payouts go past it one by one instead of waiting with it.
   */
  @Test
  void aSlowAnswerHoldsOnlyItsOwnSlot(Vertx vertx) {
    concurrency = 2;
    start(vertx, null, RetryPolicy.DEFAULT);
    gateway.then(ScriptedGateway.Step.HANG);
    UserAccount u = await(f.userWith("100.00"));
    List<Long> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) ids.add(await(f.request(u.id(), "10.00", PayoutMethod.STRIPE_BANK)).id());
    await(dispatcher.batch(PayoutDispatcher.Action.APPROVE, ids, "admin")); // four jobs, queued together
    deployProcessor();
    eventually(Duration.ofSeconds(20), () -> ids.stream().filter(id -> status(id) == PayoutStatus.COMPLETED).count() == 3,
        "three payouts paid past the one whose answer never comes");
    assertEquals(1, ids.stream().filter(id -> status(id) == PayoutStatus.PROCESSING).count());
    assertEquals(4, gateway.payCalls.size(), gateway.payCalls.toString());
    assertLedgerHolds();
  }

  @Test
  void aJobWhoseWorkerDiesIsRedeliveredAndThePayoutIsStillPaidOnce(Vertx vertx) {
    start(vertx, null, RetryPolicy.DEFAULT);
    gateway.then(Step.HANG);
    String first = deployProcessor();
    UserAccount u = await(f.userWith("100.00"));
    Payout p = await(f.request(u.id(), "30.00", PayoutMethod.PAYPAL));
    await(dispatcher.approve(p.id(), "admin"));
    eventually(Duration.ofSeconds(5), () -> gateway.executed.size() == 1, "the first worker reached the gateway");
    await(vertx.undeploy(first)); // the worker dies mid-call; its lease is no longer renewed
    assertEquals(PayoutStatus.PROCESSING, status(p.id()));
    deployProcessor();
    deployScheduler();
    eventually(Duration.ofSeconds(15), () -> status(p.id()) == PayoutStatus.COMPLETED, "completed by another worker");
    assertEquals(1, gateway.executed.size(), "one execution at the gateway");
    assertTrue(gateway.lookups.contains(f.gatewayKey(p.id(), 0)), "the new worker looked the key up");
    assertEquals(1L, await(f.count("SELECT count(*) FROM wallet_transactions WHERE payout_id = $1 AND kind = 'settle'", p.id())));
    assertLedgerHolds();
  }

  @Test
  void aRedeliveredJobAfterCompletionDoesNothing(Vertx vertx) {
    start(vertx, null, RetryPolicy.DEFAULT);
    deployProcessor();
    UserAccount u = await(f.userWith("100.00"));
    Payout p = await(f.request(u.id(), "30.00", PayoutMethod.CHECK));
    await(dispatcher.approve(p.id(), "admin"));
    eventually(Duration.ofSeconds(10), () -> status(p.id()) == PayoutStatus.COMPLETED, "completed");
    var again = PayoutJobs.process(p.id(), com.payouts.domain.Priority.URGENT);
    await(queue.enqueue(again));
    vertx.eventBus().publish(Addresses.QUEUE_WAKE, null);
    eventually(Duration.ofSeconds(5), () -> "succeeded".equals(
        await(queue.taskStatus(again.id())).map(t -> t.getString("state")).orElse("")), "duplicate job ran");
    assertEquals("skipped", await(queue.taskStatus(again.id())).orElseThrow().getJsonObject("result").getString("outcome"));
    assertEquals(1, gateway.payCalls.size());
    assertEquals(4L, await(f.count("SELECT count(*) FROM payout_events WHERE payout_id = $1", p.id())));
    assertLedgerHolds();
  }

  @Test
  void aFlushedRedisLosesNoPayout(Vertx vertx) {
    start(vertx, null, RetryPolicy.DEFAULT);
    UserAccount u = await(f.userWith("1000.00"));
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Payout p = await(f.request(u.id(), "20.00", PayoutMethod.STRIPE_BANK));
      await(dispatcher.approve(p.id(), "admin"));
      ids.add(p.id());
    }
    // Redis loses everything before any worker ran.
    Response keys = await(redis.send(Request.cmd(Command.KEYS, "*" + prefix + "*")));
    Request del = Request.cmd(Command.DEL);
    for (Response k : keys) del.arg(k.toString());
    await(redis.send(del));
    assertEquals(0, await(queue.depth()).getInteger("ready"));
    deployProcessor();
    deployScheduler();
    eventually(Duration.ofSeconds(20), () -> ids.stream().allMatch(id -> status(id) == PayoutStatus.COMPLETED),
        "every approved payout completed after the sweep found it again");
    assertEquals(20, gateway.executed.size());
    assertLedgerHolds();
  }

  @Test
  void retriesFollowTheShrunkenScheduleThreeTimesThenReleaseTheHoldOnce(Vertx vertx) {
    start(vertx, RetryPolicy.parse("1s,2s,3s"), "500ms");
    gateway.otherwise(Step.DECLINE_RETRYABLE);
    deployProcessor();
    deployScheduler();
    UserAccount u = await(f.userWith("100.00"));
    Payout p = await(f.request(u.id(), "25.00", PayoutMethod.STRIPE_BANK));
    await(dispatcher.approve(p.id(), "admin"));
    eventually(Duration.ofSeconds(30), () -> {
      Payout now = await(f.payouts.repository().find(p.id())).orElseThrow();
      return now.status() == PayoutStatus.FAILED && !now.holdsFunds();
    }, "final failure after three retries");
    Payout last = await(f.payouts.repository().find(p.id())).orElseThrow();
    assertEquals(3, last.retryCount());
    assertEquals(4, gateway.payCalls.size(), "the first attempt and three retries");
    assertEquals(List.of(f.gatewayKey(p.id(), 0), f.gatewayKey(p.id(), 1), f.gatewayKey(p.id(), 2),
        f.gatewayKey(p.id(), 3)), gateway.payCalls);
    assertEquals(1L, await(f.count("SELECT count(*) FROM wallet_transactions WHERE payout_id = $1 AND kind = 'release'", p.id())));
    assertEquals("100.00", await(f.accounts.find(u.id())).available().toPlainString());
    // The gaps between attempts grow with the schedule.
    List<java.time.Instant> starts = new ArrayList<>();
    for (var e : await(f.payouts.repository().events(p.id()))) {
      if (e.to() == PayoutStatus.PROCESSING) starts.add(e.at());
    }
    assertEquals(4, starts.size());
    for (int i = 1; i < 4; i++) {
      long gap = Duration.between(starts.get(i - 1), starts.get(i)).toMillis();
      assertTrue(gap >= i * 1000L - 50, "retry " + i + " came after " + gap + " ms");
    }
    assertLedgerHolds();
  }

  @Test
  void anUnknownOutcomeIsResolvedByLookupNotByPayingAgain(Vertx vertx) {
    start(vertx, null, RetryPolicy.DEFAULT);
    gateway.then(Step.LOSE_ANSWER);
    deployProcessor();
    UserAccount u = await(f.userWith("100.00"));
    Payout p = await(f.request(u.id(), "30.00", PayoutMethod.STRIPE_BANK));
    await(dispatcher.approve(p.id(), "admin"));
    eventually(Duration.ofSeconds(10), () -> status(p.id()) == PayoutStatus.COMPLETED, "completed after lookup");
    assertEquals(1, gateway.payCalls.size(), "never paid again");
    assertEquals(List.of(f.gatewayKey(p.id(), 0)), gateway.lookups);
    assertLedgerHolds();
  }

  @Test
  void aManualRetryGoesAtOnceAndNonRetryableFailuresAreRefused(Vertx vertx) {
    start(vertx, null, RetryPolicy.DEFAULT);
    gateway.then(Step.DECLINE_RETRYABLE, Step.SUCCEED, Step.DECLINE_FINAL);
    deployProcessor();
    UserAccount u = await(f.userWith("100.00"));
    Payout p = await(f.request(u.id(), "30.00", PayoutMethod.STRIPE_BANK));
    await(dispatcher.approve(p.id(), "admin"));
    eventually(Duration.ofSeconds(10), () -> status(p.id()) == PayoutStatus.FAILED, "first attempt failed");
    await(dispatcher.retry(p.id(), "admin"));
    eventually(Duration.ofSeconds(10), () -> status(p.id()) == PayoutStatus.COMPLETED, "manual retry completed at once");
    Payout q = await(f.request(u.id(), "30.00", PayoutMethod.STRIPE_BANK));
    await(dispatcher.approve(q.id(), "admin"));
    eventually(Duration.ofSeconds(10), () -> status(q.id()) == PayoutStatus.FAILED, "non-retryable failure");
    Throwable refused = com.payouts.support.Await.failure(dispatcher.retry(q.id(), "admin"));
    assertTrue(refused.getMessage().contains("not retryable"), refused.getMessage());
    assertLedgerHolds();
  }
}
