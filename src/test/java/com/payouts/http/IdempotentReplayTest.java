package com.payouts.http;

import com.payouts.app.ConfigKeys;
import com.payouts.app.Role;
import com.payouts.support.TestStack;
import static com.payouts.support.Await.await;
import static com.payouts.support.Await.eventually;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.db.IdempotencyRepository;
import com.payouts.db.PayoutRepository;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.PayoutStatus;
import com.payouts.domain.RetryPolicy;
import com.payouts.service.RecoverySweep;
import com.payouts.retry.RetrySchedulerVerticle;
import com.payouts.support.ApiClient;
import com.payouts.support.Fixtures;
import com.payouts.support.ScriptedGateway;
import com.payouts.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The same key and request answer the first response again, whatever happened since: the balance
 * spent, the payout approved and paid, the user made ineligible. Until the key expires; then it is
 * a new key.
 */
@ExtendWith(VertxExtension.class)
class IdempotentReplayTest {
  static Vertx vertx;
  static TestDatabase db;
  static TestStack stack;
  static com.payouts.queue.JobQueue queue;
  static Fixtures f;
  static ApiClient api;

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    // The retry scheduler runs too (a short lease, so its pass that deletes expired keys comes often).
    stack = await(TestStack.builder().set(ConfigKeys.LEASE, "500ms").roles(Role.HTTP, Role.RETRY).start(vertx));
    db = stack.db;
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

  static String payoutBody(long userId, String amount) {
    return "{\"userId\":" + userId + ",\"amount\":\"" + amount + "\",\"method\":\"stripe_bank\"}";
  }

  static HttpResponse<Buffer> post(String path, String body, String key) {
    return api.post(path, body, Map.of("Idempotency-Key", key));
  }

  static void assertReplayOf(HttpResponse<Buffer> first, HttpResponse<Buffer> again) {
    assertEquals(first.statusCode(), again.statusCode(), again.bodyAsString());
    assertEquals("true", again.getHeader("Idempotent-Replayed"));
    assertNull(first.getHeader("Idempotent-Replayed"));
    assertEquals(first.bodyAsString(), again.bodyAsString());
  }

  static long count(String sql, Object... args) {
    return await(f.count(sql, args));
  }

  @Test
  void aReplayAfterTheBalanceIsSpentAnswersTheFirst201() {
    long u = user("100.00");
    String key = "spent-" + u;
    HttpResponse<Buffer> first = post("/api/payouts", payoutBody(u, "40.00"), key);
    assertEquals(201, first.statusCode(), first.bodyAsString());
    assertEquals(201, api.post("/api/payouts", payoutBody(u, "60.00")).statusCode(), "the rest is spent");
    HttpResponse<Buffer> again = post("/api/payouts", payoutBody(u, "40.00"), key);
    assertReplayOf(first, again);
    assertEquals(2L, count("SELECT count(*) FROM payout_requests WHERE user_id = $1", u));
    assertEquals("0.00", await(f.accounts.find(u)).available().toPlainString());
    assertEquals("100.00", await(f.accounts.find(u)).held().toPlainString());
  }

  @Test
  void aReplayAfterThePayoutWasApprovedAndPaidAnswersTheFirstBody() {
    long u = user("100.00");
    String key = "moved-on-" + u;
    HttpResponse<Buffer> first = post("/api/payouts", payoutBody(u, "40.00"), key);
    long id = first.bodyAsJsonObject().getLong("id");
    await(f.payouts.approveOne(id, "admin"));
    assertReplayOf(first, post("/api/payouts", payoutBody(u, "40.00"), key));
    await(f.payouts.process(List.of(id), "processor"));
    assertEquals(PayoutStatus.COMPLETED, await(f.payouts.repository().find(id)).orElseThrow().status());
    HttpResponse<Buffer> again = post("/api/payouts", payoutBody(u, "40.00"), key);
    assertReplayOf(first, again);
    assertEquals("pending", again.bodyAsJsonObject().getString("status"), "the first answer, not the payout now");
    assertEquals(1L, count("SELECT count(*) FROM payout_requests WHERE user_id = $1", u));
  }

  @Test
  void aReplayAfterTheUserWasMadeIneligibleAnswersTheFirstBody() {
    long u = user("100.00");
    String key = "ineligible-" + u;
    HttpResponse<Buffer> first = post("/api/payouts", payoutBody(u, "40.00"), key);
    assertEquals(201, first.statusCode());
    assertEquals(200, api.post("/api/users/" + u + "/eligibility", "{\"eligible\":false,\"reason\":\"kyc expired\"}")
        .statusCode());
    assertReplayOf(first, post("/api/payouts", payoutBody(u, "40.00"), key));
    HttpResponse<Buffer> fresh = post("/api/payouts", payoutBody(u, "40.00"), key + "-new");
    assertEquals(422, fresh.statusCode(), "a new key is refused as ever");
    assertEquals(1L, count("SELECT count(*) FROM payout_requests WHERE user_id = $1", u));
  }

  @Test
  void aRetriedCreditAnswersTheFirstCreditAndPaysOnce() {
    long u = user("10.00");
    String key = "credit-" + u;
    String body = "{\"amount\":\"15.00\",\"reason\":\"affiliate earnings\"}";
    HttpResponse<Buffer> first = post("/api/users/" + u + "/credits", body, key);
    assertEquals(201, first.statusCode(), first.bodyAsString());
    assertEquals(201, api.post("/api/payouts", payoutBody(u, "20.00")).statusCode());
    HttpResponse<Buffer> again = post("/api/users/" + u + "/credits", body, key);
    assertReplayOf(first, again);
    assertEquals("25.00", again.bodyAsJsonObject().getString("available"), "as after the first credit");
    assertEquals("5.00", await(f.accounts.find(u)).available().toPlainString());
    assertEquals(2L, count("SELECT count(*) FROM wallet_transactions WHERE user_id = $1 AND kind = 'credit'", u));
  }

  @Test
  void aReplayedBatchAnswersTheSameTaskAndResultsAfterThePayoutsMovedOn() {
    long u = user("100.00");
    long a = await(f.request(u, "10.00", PayoutMethod.STRIPE_BANK)).id();
    long b = await(f.request(u, "20.00", PayoutMethod.STRIPE_BANK)).id();
    String key = "batch-" + u;
    String body = "{\"action\":\"approve\",\"ids\":[" + a + "," + b + ",999999]}";
    HttpResponse<Buffer> first = post("/api/payouts/batch", body, key);
    assertEquals(200, first.statusCode(), first.bodyAsString());
    await(f.payouts.process(List.of(a, b), "processor"));
    HttpResponse<Buffer> again = post("/api/payouts/batch", body, key);
    assertReplayOf(first, again);
    JsonObject replay = again.bodyAsJsonObject();
    assertEquals(first.bodyAsJsonObject().getString("taskId"), replay.getString("taskId"));
    assertEquals(true, replay.getJsonArray("results").getJsonObject(0).getBoolean("ok"));
    assertEquals("not found", replay.getJsonArray("results").getJsonObject(2).getString("error"));
    assertEquals(1L, count("SELECT count(*) FROM payout_events WHERE payout_id = $1 AND to_status = 'approved'", a));
    // The task it names exists: recorded once the approvals were committed.
    assertTrue(await(queue.taskStatus(replay.getString("taskId"))).isPresent());
  }

  @Test
  void aKeyIsKeptForTheDefaultDayAndAnExpiredKeyIsANewKey() {
    long u = user("100.00");
    String key = "expiry-" + u;
    HttpResponse<Buffer> first = post("/api/payouts", payoutBody(u, "10.00"), key);
    assertEquals(86_400L, count("SELECT extract(epoch FROM expires_at - created_at)::bigint FROM idempotency_keys "
        + "WHERE key = $1", key), "24 h, like Stripe");
    await(db.pool().preparedQuery("UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = $1")
        .execute(io.vertx.sqlclient.Tuple.of(key)));
    HttpResponse<Buffer> second = post("/api/payouts", payoutBody(u, "10.00"), key);
    assertEquals(201, second.statusCode(), second.bodyAsString());
    assertNull(second.getHeader("Idempotent-Replayed"), "executed again");
    assertNotEquals(first.bodyAsJsonObject().getLong("id"), second.bodyAsJsonObject().getLong("id"));
    assertEquals(2L, count("SELECT count(*) FROM payout_requests WHERE user_id = $1", u));
    assertEquals("80.00", await(f.accounts.find(u)).available().toPlainString());
    // The key now answers the second payout, for a new day; an expired key also takes a new request.
    assertReplayOf(second, post("/api/payouts", payoutBody(u, "10.00"), key));
    await(db.pool().preparedQuery("UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = $1")
        .execute(io.vertx.sqlclient.Tuple.of(key)));
    assertEquals(201, post("/api/users/" + u + "/credits", "{\"amount\":\"1.00\",\"reason\":\"r\"}", key).statusCode());
  }

  @Test
  void theConfiguredTimeToLiveIsWhatAKeyGets() {
    TestStack shortLived = await(TestStack.builder().set(ConfigKeys.IDEMPOTENCY_TTL, "90m").roles(Role.HTTP).start(vertx));
    try {
      ApiClient client = await(shortLived.staffClient());
      long u = await(shortLived.f.userWith("100.00")).id();
      String key = "ttl-" + u;
      assertEquals(201, client.post("/api/payouts", payoutBody(u, "10.00"), Map.of("Idempotency-Key", key)).statusCode());
      assertEquals(5_400L, await(shortLived.f.count("SELECT extract(epoch FROM expires_at - created_at)::bigint "
          + "FROM idempotency_keys WHERE key = $1", key)));
    } finally {
      await(shortLived.stop());
    }
  }

  @Test
  void theSchedulerDeletesExpiredKeysAndKeepsLiveOnes() {
    long u = user("100.00");
    assertEquals(201, post("/api/users/" + u + "/credits", "{\"amount\":\"1.00\",\"reason\":\"r\"}", "live-" + u)
        .statusCode());
    assertEquals(201, post("/api/users/" + u + "/credits", "{\"amount\":\"2.00\",\"reason\":\"r\"}", "dead-" + u)
        .statusCode());
    await(db.pool().preparedQuery("UPDATE idempotency_keys SET expires_at = now() - interval '1 hour' WHERE key = $1")
        .execute(io.vertx.sqlclient.Tuple.of("dead-" + u)));
    // The stack's retry scheduler deletes expired keys after each recovery sweep (every half lease).
    eventually(Duration.ofSeconds(10), () -> count("SELECT count(*) FROM idempotency_keys WHERE key = $1", "dead-" + u) == 0,
        "the expired key deleted");
    assertEquals(1L, count("SELECT count(*) FROM idempotency_keys WHERE key = $1", "live-" + u));
  }
}
