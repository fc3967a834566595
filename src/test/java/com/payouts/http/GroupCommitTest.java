package com.payouts.http;

import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.app.Role;
import com.payouts.domain.DomainException;
import com.payouts.domain.NewPayout;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.Priority;
import com.payouts.service.IdempotentRequests;
import com.payouts.service.PayoutCreations;
import com.payouts.support.ApiClient;
import com.payouts.support.Fixtures;
import com.payouts.support.TestStack;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * POST /api/payouts as a group commit: requests that arrive together share one transaction, each
 * still answered with its own payout or its own refusal, the wallets never overdrawn, and a key kept
 * only by a request that succeeded.
 */
@ExtendWith(VertxExtension.class)
class GroupCommitTest {
  static TestStack stack;
  static Fixtures f;
  static ApiClient api;

  @BeforeAll
  static void start(Vertx vertx) {
    stack = await(TestStack.builder().roles(Role.HTTP).start(vertx));
    f = stack.f;
    api = await(stack.staffClient());
  }

  @AfterAll
  static void stop() {
    await(stack.stop());
  }

  static String available(long userId) {
    return await(f.accounts.find(userId)).available().toPlainString();
  }

  static String held(long userId) {
    return await(f.accounts.find(userId)).held().toPlainString();
  }

  @Test
  void requestsOfOneTurnShareOneCommitAndAreCountedInOrder() {
    List<Long> users = new ArrayList<>();
    for (int i = 0; i < 5; i++) users.add(await(f.userWith("50.00")).id());
    Context loop = stack.vertx.getOrCreateContext();
    PayoutCreations creations = new PayoutCreations(stack.graph.payouts, stack.graph.dispatcher,
        stack.graph.idempotentRequests, PayoutRoutes::created, loop);
    // Six requests of 10.00 per user, interleaved, all handed over in one event-loop turn.
    Promise<List<Future<IdempotentRequests.Reply>>> sent = Promise.promise();
    loop.runOnContext(v -> {
      List<Future<IdempotentRequests.Reply>> replies = new ArrayList<>();
      for (int round = 0; round < 6; round++) {
        for (long u : users) {
          replies.add(creations.create(null,
              new NewPayout(u, new BigDecimal("10.00"), PayoutMethod.PAYPAL, Priority.NORMAL, "round " + round), "test", null));
        }
      }
      sent.complete(replies);
    });
    List<Future<IdempotentRequests.Reply>> replies = await(sent.future());
    await(Future.join(replies).otherwiseEmpty());

    List<Long> created = new ArrayList<>();
    for (int i = 0; i < replies.size(); i++) {
      int round = i / users.size();
      long u = users.get(i % users.size());
      Future<IdempotentRequests.Reply> r = replies.get(i);
      if (round < 5) {
        assertTrue(r.succeeded(), () -> "round " + round + " fits the balance: " + r.cause());
        assertEquals(201, r.result().status());
        JsonObject body = new JsonObject(r.result().body());
        assertEquals(u, body.getLong("userId"), "each request is answered with its own payout");
        assertEquals("round " + round, body.getString("notes"));
        assertEquals("pending", body.getString("status"));
        assertEquals(1, body.getJsonArray("events").size(), body.encode());
        assertEquals("hold", body.getJsonArray("ledger").getJsonObject(0).getString("kind"), body.encode());
        created.add(body.getLong("id"));
      } else {
        assertTrue(r.failed(), "the sixth request of a user finds the balance spent");
        assertEquals(DomainException.Kind.INSUFFICIENT_FUNDS, ((DomainException) r.cause()).kind());
      }
    }
    for (long u : users) {
      assertEquals("0.00", available(u));
      assertEquals("50.00", held(u));
      assertEquals(5L, await(f.count("SELECT count(*) FROM wallet_transactions WHERE user_id = $1 AND kind = 'hold'", u)));
    }
    Row tx = await(stack.graph.pool.preparedQuery(
            "SELECT count(DISTINCT xmin::text) AS commits, count(*) AS n FROM payout_requests WHERE id = ANY($1)")
        .execute(Tuple.of(created.toArray(Long[]::new)))).iterator().next();
    assertEquals(25L, tx.getLong("n"));
    assertEquals(1L, tx.getLong("commits"), "the 25 payouts were written by one transaction");
  }

  @Test
  void aCrowdOfKeyedRequestsKeepsOnlyTheKeysOfThoseThatSucceeded() {
    long u = await(f.userWith("100.00")).id();
    String body = "{\"userId\":" + u + ",\"amount\":\"10.00\",\"method\":\"check\"}";
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < 30; i++) calls.add(api.postAsync("/api/payouts", body, Map.of("Idempotency-Key", "crowd-" + u + "-" + i)));
    await(Future.join(calls).otherwiseEmpty());
    List<Integer> ok = new ArrayList<>();
    List<Integer> refused = new ArrayList<>();
    Set<Long> ids = new HashSet<>();
    for (int i = 0; i < calls.size(); i++) {
      HttpResponse<Buffer> r = calls.get(i).result();
      assertNotNull(r, "request " + i + " was answered");
      if (r.statusCode() == 201) {
        ok.add(i);
        ids.add(r.bodyAsJsonObject().getLong("id"));
      } else {
        assertEquals(422, r.statusCode(), r.bodyAsString());
        assertEquals("insufficient_funds", r.bodyAsJsonObject().getJsonObject("error").getString("code"));
        refused.add(i);
      }
    }
    assertEquals(10, ok.size(), "ten requests of 10.00 fit a balance of 100.00");
    assertEquals(10, ids.size(), "each created its own payout");
    assertEquals("0.00", available(u));
    assertEquals("100.00", held(u));

    // A succeeded key answers its first response again; a refused one was given back and executes anew.
    int first = ok.get(0);
    HttpResponse<Buffer> again = api.post("/api/payouts", body, Map.of("Idempotency-Key", "crowd-" + u + "-" + first));
    assertEquals(201, again.statusCode());
    assertEquals("true", again.getHeader("Idempotent-Replayed"));
    assertEquals(calls.get(first).result().bodyAsString(), again.bodyAsString(), "the stored response, byte for byte");
    await(f.accounts.credit(u, new BigDecimal("10.00"), "top-up"));
    HttpResponse<Buffer> retried = api.post("/api/payouts", body, Map.of("Idempotency-Key", "crowd-" + u + "-" + refused.get(0)));
    assertEquals(201, retried.statusCode(), retried.bodyAsString());
    assertNull(retried.getHeader("Idempotent-Replayed"), "a refused request stored nothing, so its retry ran");
    assertEquals(11L, await(f.count("SELECT count(*) FROM payout_requests WHERE user_id = $1", u)));
    assertEquals("110.00", held(u));
  }
}
