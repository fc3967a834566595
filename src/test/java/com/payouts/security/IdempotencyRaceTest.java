package com.payouts.security;

import com.payouts.app.Role;
import com.payouts.support.TestStack;
import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.domain.RetryPolicy;
import com.payouts.http.ApiVerticle;
import com.payouts.support.ApiClient;
import com.payouts.support.Fixtures;
import com.payouts.support.ScriptedGateway;
import com.payouts.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Twenty requests with one Idempotency-Key sent at once, against each POST that moves money: one
 * effect (rows, balances, ledger, jobs), and every answer is the first response, byte for byte.
 * The pool is smaller than the crowd, so requests also wait for connections while others wait on
 * the key.
 */
@ExtendWith(VertxExtension.class)
class IdempotencyRaceTest {
  static final int CROWD = 20;

  static TestDatabase db;
  static TestStack stack;
  static com.payouts.queue.JobQueue queue;
  static Fixtures f;
  static ApiClient api;

  @BeforeAll
  static void start(Vertx vertx) {
    stack = await(TestStack.builder().roles(Role.HTTP).start(vertx));
    db = stack.db;
    f = stack.f;
    queue = stack.graph.queue;
    api = await(stack.staffClient());
  }

  @AfterAll
  static void stop() {
    await(stack.stop());
  }

  static long count(String sql, Object... args) {
    return await(f.count(sql, args));
  }

  /** Sends the crowd at once; asserts one first answer with {@code status}, the rest its replays. */
  static JsonObject crowd(String path, String body, String key, int status) {
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < CROWD; i++) calls.add(api.postAsync(path, body, Map.of("Idempotency-Key", key)));
    await(Future.join(calls).otherwiseEmpty());
    List<HttpResponse<Buffer>> answers = new ArrayList<>();
    for (Future<HttpResponse<Buffer>> c : calls) {
      assertTrue(c.succeeded(), () -> "a request failed: " + c.cause());
      answers.add(c.result());
    }
    for (HttpResponse<Buffer> r : answers) assertEquals(status, r.statusCode(), r.bodyAsString());
    String first = answers.get(0).bodyAsString();
    for (HttpResponse<Buffer> r : answers) assertEquals(first, r.bodyAsString(), "every answer is the first response");
    long fresh = answers.stream().filter(r -> r.getHeader("Idempotent-Replayed") == null).count();
    assertEquals(1, fresh, "one request executed; the others were told theirs is a replay");
    assertEquals(CROWD - 1, answers.stream().filter(r -> "true".equals(r.getHeader("Idempotent-Replayed"))).count());
    return new JsonObject(first);
  }

  @Test
  void aCrowdOfCreatesWithOneKeyHoldsTheMoneyOnce() {
    long u = await(f.userWith("100.00")).id();
    JsonObject p = crowd("/api/payouts", "{\"userId\":" + u + ",\"amount\":\"30.00\",\"method\":\"paypal\"}",
        "race-create-" + u, 201);
    assertEquals(1L, count("SELECT count(*) FROM payout_requests WHERE user_id = $1", u));
    assertEquals(1L, count("SELECT count(*) FROM wallet_transactions WHERE user_id = $1 AND kind = 'hold'", u));
    assertEquals(1L, count("SELECT count(*) FROM payout_events WHERE payout_id = $1", p.getLong("id")));
    assertEquals("70.00", await(f.accounts.find(u)).available().toPlainString());
    assertEquals("30.00", await(f.accounts.find(u)).held().toPlainString());
  }

  @Test
  void aCrowdOfCreditsWithOneKeyCreditsOnce() {
    long u = await(f.userWith("10.00")).id();
    JsonObject user = crowd("/api/users/" + u + "/credits", "{\"amount\":\"25.00\",\"reason\":\"affiliate earnings\"}",
        "race-credit-" + u, 201);
    assertEquals("35.00", user.getString("available"), "the first answer shows one credit");
    assertEquals("35.00", await(f.accounts.find(u)).available().toPlainString());
    assertEquals(2L, count("SELECT count(*) FROM wallet_transactions WHERE user_id = $1 AND kind = 'credit'", u),
        "the fixture's credit and this one");
  }

  @Test
  void aCrowdOfBatchApprovalsWithOneKeyApprovesOnceAndQueuesOneJobEach() {
    long u = await(f.userWith("100.00")).id();
    long a = await(f.request(u, "10.00", com.payouts.domain.PayoutMethod.PAYPAL)).id();
    long b = await(f.request(u, "20.00", com.payouts.domain.PayoutMethod.PAYPAL)).id();
    int readyBefore = await(queue.depth()).getInteger("ready");
    JsonObject batch = crowd("/api/payouts/batch", "{\"action\":\"approve\",\"ids\":[" + a + "," + b + "]}",
        "race-batch-" + u, 200);
    assertNotNull(batch.getString("taskId"));
    assertEquals(true, batch.getJsonArray("results").getJsonObject(0).getBoolean("ok"));
    assertEquals(true, batch.getJsonArray("results").getJsonObject(1).getBoolean("ok"));
    for (long id : new long[] {a, b}) {
      assertEquals(1L, count("SELECT count(*) FROM payout_events WHERE payout_id = $1 AND to_status = 'approved'", id));
    }
    assertEquals(readyBefore + 2, await(queue.depth()).getInteger("ready"), "one process job per payout");
    assertEquals("70.00", await(f.accounts.find(u)).available().toPlainString());
    assertEquals("30.00", await(f.accounts.find(u)).held().toPlainString());
  }

  @Test
  void aCrowdOfBatchRejectionsWithOneKeyReleasesEachHoldOnce() {
    long u = await(f.userWith("100.00")).id();
    long a = await(f.request(u, "40.00", com.payouts.domain.PayoutMethod.STRIPE_BANK)).id();
    JsonObject batch = crowd("/api/payouts/batch", "{\"action\":\"reject\",\"ids\":[" + a + "]}", "race-reject-" + u, 200);
    assertEquals("rejected", batch.getJsonArray("results").getJsonObject(0).getString("status"));
    assertEquals(1L, count("SELECT count(*) FROM wallet_transactions WHERE payout_id = $1 AND kind = 'release'", a));
    assertEquals("100.00", await(f.accounts.find(u)).available().toPlainString());
    assertEquals("0.00", await(f.accounts.find(u)).held().toPlainString());
  }
}
