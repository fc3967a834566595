package com.payouts.http;

import com.payouts.app.Role;
import com.payouts.support.TestStack;
import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.domain.PayoutMethod;
import com.payouts.domain.RetryPolicy;
import com.payouts.support.ApiClient;
import com.payouts.support.Fixtures;
import com.payouts.support.ScriptedGateway;
import com.payouts.support.ScriptedGateway.Step;
import com.payouts.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A payout held for review is visible as such: its own page, the status filter, the stats. */
@ExtendWith(VertxExtension.class)
class NeedsReviewApiTest {
  static TestStack stack;
  static TestDatabase db;
  static ApiClient api;
  static long held;
  static long paid;
  static long user;

  @BeforeAll
  static void start(Vertx vertx) {
    stack = await(TestStack.builder().gateway(pool -> new ScriptedGateway(pool).then(Step.WRONG_AMOUNT, Step.SUCCEED))
        .roles(Role.HTTP).start(vertx));
    db = stack.db;
    Fixtures f = stack.f;
    api = await(stack.staffClient());
    user = await(f.userWith("100.00")).id();
    held = await(f.approved(user, "50.00", PayoutMethod.PAYPAL)).id();
    paid = await(f.approved(user, "20.00", PayoutMethod.PAYPAL)).id();
    await(f.payouts.process(List.of(held, paid), "processor"));
  }

  @AfterAll
  static void stop() {
    await(stack.stop());
  }

  @Test
  void thePayoutSaysItNeedsReviewWhyAndThatItHoldsItsFunds() {
    JsonObject p = api.getJson("/api/payouts/" + held);
    assertEquals("needs_review", p.getString("status"));
    assertTrue(p.getBoolean("holdsFunds"));
    assertNull(p.getString("transactionId"));
    assertEquals("gateway_answer_mismatch", p.getString("errorCode"));
    assertTrue(p.getString("errorMessage").startsWith("amount 0.01 differs from the payout's 50.00"), p.encode());
    assertTrue(p.getString("gatewayKey").startsWith("payout-"), p.encode());
    JsonArray events = p.getJsonArray("events");
    JsonObject last = events.getJsonObject(events.size() - 1);
    assertEquals("processing", last.getString("from"));
    assertEquals("needs_review", last.getString("to"));
    assertTrue(last.getString("detail").contains("amount 0.01"), last.encode());
    assertEquals(List.of("hold"), p.getJsonArray("ledger").stream().map(o -> ((JsonObject) o).getString("kind")).toList());
    JsonObject wallet = api.getJson("/api/users/" + user);
    assertEquals("50.00", wallet.getString("held"));
  }

  @Test
  void theStatusFilterAndTheStatsCountIt() {
    JsonArray items = api.getJson("/api/payouts?status=needs_review").getJsonArray("items");
    assertEquals(List.of(held), items.stream().map(o -> ((JsonObject) o).getLong("id")).toList());
    JsonObject byStatus = api.getJson("/api/stats").getJsonObject("byStatus");
    assertEquals(1, byStatus.getJsonObject("needs_review").getLong("count"));
    assertEquals("50.00", byStatus.getJsonObject("needs_review").getString("sum"));
    assertEquals(1, byStatus.getJsonObject("completed").getLong("count"));
  }
}
