package com.payouts.security;

import com.payouts.app.Role;
import com.payouts.support.TestStack;
import static com.payouts.support.Await.await;
import static com.payouts.support.Await.eventually;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.bus.Addresses;
import com.payouts.db.LedgerVerifier;
import com.payouts.db.PayoutRepository;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.PayoutStatus;
import com.payouts.domain.Priority;
import com.payouts.domain.RetryPolicy;
import com.payouts.domain.UserAccount;
import com.payouts.http.ApiVerticle;
import com.payouts.processor.JobRunner;
import com.payouts.processor.ProcessorVerticle;
import com.payouts.queue.Job;
import com.payouts.queue.PayoutJobs;
import com.payouts.service.RecoverySweep;
import com.payouts.support.ApiClient;
import com.payouts.support.Fixtures;
import com.payouts.support.ScriptedGateway;
import com.payouts.support.ScriptedGateway.Step;
import com.payouts.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A user made ineligible after requesting a payout is not paid: approve, process and retry are
 * refused (single, batch, the old path), a job already queued for the payout does not pay it, the
 * sweeps leave it alone while the user is ineligible, and it is paid once the user is eligible
 * again. The payout keeps its status and its hold all the while.
 */
@ExtendWith(VertxExtension.class)
class EligibilityAtMoneyMoveTest {
  static final String REASON = "chargeback under review";
  static final String ACTION = "/admin/ajax/payout-action/";

  static Vertx vertx;
  static TestDatabase db;
  static TestStack stack;
  static com.payouts.queue.JobQueue queue;
  static Fixtures f;
  static ScriptedGateway gateway;
  static ApiClient api;

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    stack = await(TestStack.builder().poolSize(16).roles(Role.HTTP, Role.PROCESSOR).start(vertx));
    db = stack.db;
    gateway = (ScriptedGateway) stack.gateway;
    f = stack.f;
    queue = stack.graph.queue;
    api = await(stack.staffClient());
  }

  @AfterAll
  static void stop() {
    await(stack.stop());
  }

  static long user(String balance) {
    return await(f.userWith(balance)).id();
  }

  static void eligible(long userId, boolean eligible) {
    JsonObject body = new JsonObject().put("eligible", eligible).put("reason", eligible ? null : REASON);
    HttpResponse<Buffer> r = api.post("/api/users/" + userId + "/eligibility", body.encode());
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }

  static PayoutStatus status(long id) {
    return await(f.payouts.repository().find(id)).orElseThrow().status();
  }

  static long count(String sql, Object... args) {
    return await(f.count(sql, args));
  }

  static void assertBalances(long userId, String available, String held) {
    UserAccount u = await(f.accounts.find(userId));
    assertEquals(available, u.available().toPlainString(), "available");
    assertEquals(held, u.held().toPlainString(), "held");
  }

  static void assertNotEligible(HttpResponse<Buffer> r, long userId) {
    assertEquals(422, r.statusCode(), r.bodyAsString());
    JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
    assertEquals("not_eligible", error.getString("code"), r.bodyAsString());
    assertEquals("user " + userId + " is not eligible for payouts: " + REASON, error.getString("message"));
  }

  static HttpResponse<Buffer> legacy(long payoutId, String action) {
    return api.post(ACTION, new JsonObject().put("payout_id", payoutId).put("action", action).encode());
  }

  static JsonObject batch(String action, long... ids) {
    JsonArray list = new JsonArray();
    for (long id : ids) list.add(id);
    HttpResponse<Buffer> r = api.post("/api/payouts/batch", new JsonObject().put("action", action).put("ids", list).encode());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  /** A payout that failed retryably: it keeps its hold and waits for its retry. */
  static long failedRetryably(long userId, String amount) {
    long id = await(f.approved(userId, amount, PayoutMethod.STRIPE_BANK)).id();
    gateway.then(Step.DECLINE_RETRYABLE);
    await(f.payouts.process(List.of(id), "processor"));
    assertEquals(PayoutStatus.FAILED, status(id));
    return id;
  }

  static void enqueue(Job job) {
    await(queue.enqueue(job));
    vertx.eventBus().publish(Addresses.QUEUE_WAKE, null);
  }

  static JsonObject taskResult(String taskId) {
    eventually(Duration.ofSeconds(10), () -> "succeeded".equals(
        await(queue.taskStatus(taskId)).map(t -> t.getString("state")).orElse("")), "task " + taskId + " ran");
    return await(queue.taskStatus(taskId)).orElseThrow().getJsonObject("result");
  }

  @Test
  void approvingTheRequestOfAUserMadeIneligibleIsRefusedEveryWay() {
    long u = user("100.00");
    long other = user("100.00");
    long p = await(f.request(u, "30.00", PayoutMethod.STRIPE_BANK)).id();
    long q = await(f.request(other, "30.00", PayoutMethod.STRIPE_BANK)).id();
    eligible(u, false);

    assertNotEligible(api.post("/api/payouts/" + p + "/approve", null), u);
    assertNotEligible(legacy(p, "approve"), u);
    JsonArray results = batch("approve", p, q).getJsonArray("results");
    assertEquals(new JsonObject().put("id", p).put("ok", false)
        .put("error", "user " + u + " is not eligible for payouts: " + REASON), results.getJsonObject(0));
    assertEquals(true, results.getJsonObject(1).getBoolean("ok"), "the eligible user's payout is approved");
    assertTrue(await(f.payouts.approve(List.of(p), "admin")).isEmpty(), "the conditional update itself refuses it");

    assertEquals(PayoutStatus.PENDING, status(p));
    assertEquals(0L, count("SELECT count(*) FROM payout_events WHERE payout_id = $1 AND to_status = 'approved'", p));
    assertEquals(1L, count("SELECT count(*) FROM wallet_transactions WHERE payout_id = $1", p), "its hold only");
    assertBalances(u, "70.00", "30.00");
    assertEquals(200, api.post("/api/payouts/" + p + "/reject", "{\"reason\":\"ineligible\"}").statusCode(),
        "a reject still releases the hold");
    assertBalances(u, "100.00", "0.00");
    // The eligible user's approval queued a job: let it finish, so no other test's script meets it.
    eventually(Duration.ofSeconds(10), () -> status(q) == PayoutStatus.COMPLETED, "the approved payout paid");
  }

  @Test
  void processingAndRetryingThePayoutsOfAUserMadeIneligibleAreRefusedEveryWay() {
    long u = user("100.00");
    long approved = await(f.approved(u, "30.00", PayoutMethod.STRIPE_BANK)).id();
    long failed = failedRetryably(u, "20.00");
    int payCalls = gateway.payCalls.size();
    eligible(u, false);

    assertNotEligible(api.post("/api/payouts/" + approved + "/process", null), u);
    assertNotEligible(legacy(approved, "process"), u);
    JsonObject processed = batch("process", approved);
    assertEquals("user " + u + " is not eligible for payouts: " + REASON,
        processed.getJsonArray("results").getJsonObject(0).getString("error"));
    assertNotEligible(api.post("/api/payouts/" + failed + "/retry", null), u);
    assertNotEligible(legacy(failed, "retry"), u);

    assertEquals(PayoutStatus.APPROVED, status(approved));
    assertEquals(PayoutStatus.FAILED, status(failed));
    assertEquals(payCalls, gateway.payCalls.size(), "the gateway heard nothing");
    assertEquals(0L, count("SELECT count(*) FROM payout_events WHERE payout_id = $1 AND to_status = 'processing'", approved));
    assertEquals(0L, count("SELECT count(*) FROM wallet_transactions WHERE payout_id = ANY($1) AND kind <> 'hold'",
        (Object) new Long[] {approved, failed}));
    assertBalances(u, "50.00", "50.00");
  }

  @Test
  void queuedJobsDoNotPayAnIneligibleUserTheSweepsWaitAndItIsPaidOnceEligibleAgain() {
    long u = user("100.00");
    long approved = await(f.approved(u, "30.00", PayoutMethod.STRIPE_BANK)).id();
    long failed = failedRetryably(u, "20.00");
    eligible(u, false);

    // Jobs that were queued before the switch: the processor claims nothing and pays nothing.
    Job process = PayoutJobs.process(approved, Priority.URGENT);
    Job retry = PayoutJobs.retry(failed, false, Priority.HIGH);
    enqueue(process);
    enqueue(retry);
    String why = "user " + u + " is not eligible for payouts: " + REASON;
    assertEquals(new JsonObject().put("payoutId", approved).put("outcome", "skipped").put("detail", why),
        taskResult(process.id()));
    assertEquals(new JsonObject().put("payoutId", failed).put("outcome", "skipped").put("detail", why),
        taskResult(retry.id()));
    assertEquals(PayoutStatus.APPROVED, status(approved));
    assertEquals(PayoutStatus.FAILED, status(failed));
    assertFalse(gateway.payCalls.contains("payout-" + approved + "-0"), gateway.payCalls.toString());
    assertFalse(gateway.payCalls.contains("payout-" + failed + "-1"), gateway.payCalls.toString());
    assertBalances(u, "50.00", "50.00");

    // Long past the lease and the retry time: the sweeps would pick them up, but not for this user.
    await(db.pool().preparedQuery("UPDATE payout_requests SET approved_at = now() - interval '2 hours' WHERE id = $1")
        .execute(Tuple.of(approved)));
    await(db.pool().preparedQuery("UPDATE payout_requests SET next_retry_at = now() - interval '1 minute' WHERE id = $1")
        .execute(Tuple.of(failed)));
    RecoverySweep recovery = new RecoverySweep(stack.graph.payoutRepository, queue, Duration.ofHours(1));
    assertEquals(0, await(recovery.sweep()), "no job for an ineligible user's payout");
    assertFalse(await(f.payouts.repository().dueRetries(100)).contains(failed));

    eligible(u, true);
    assertEquals(1, await(recovery.sweep()), "picked up again");
    assertTrue(await(f.payouts.repository().dueRetries(100)).contains(failed));
    enqueue(PayoutJobs.autoRetrySweep());
    eventually(Duration.ofSeconds(15), () -> status(approved) == PayoutStatus.COMPLETED
        && status(failed) == PayoutStatus.COMPLETED, "both paid once the user is eligible again");
    assertBalances(u, "50.00", "0.00");
    assertEquals(1L, count("SELECT count(*) FROM wallet_transactions WHERE payout_id = $1 AND kind = 'settle'", approved));
    assertEquals(1L, count("SELECT count(*) FROM wallet_transactions WHERE payout_id = $1 AND kind = 'settle'", failed));
    List<LedgerVerifier.Violation> broken = await(new LedgerVerifier(db.pool()).verify());
    assertTrue(broken.isEmpty(), () -> "invariants broken: " + broken);
  }
}
