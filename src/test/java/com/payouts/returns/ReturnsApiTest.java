package com.payouts.returns;

import static com.payouts.support.Await.await;
import static com.payouts.support.Await.eventually;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.app.ConfigKeys;
import com.payouts.app.Role;
import com.payouts.db.LedgerVerifier;
import com.payouts.domain.Payout;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.ReturnCode;
import com.payouts.domain.UserAccount;
import com.payouts.gateway.WebhookSignature;
import com.payouts.support.ApiClient;
import com.payouts.support.TestStack;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Returns through the API, over the real built-in gateway: the "done when" at a return rate
 * of 0.5 and a short delay, a forged webhook, and a replayed one.
 */
@ExtendWith(VertxExtension.class)
class ReturnsApiTest {
  static final String SECRET = "whsec_test_0123456789abcdef";
  static final Set<String> CATALOGUE = Set.of("account_closed", "no_account", "invalid_account_number", "account_frozen");
  TestStack stack;

  @AfterEach
  void stop() {
    if (stack != null) await(stack.stop());
  }

  @Test
  void halfReturnedReverseTheLedgerSwitchUsersOffAndReconcileClean(Vertx vertx) {
    stack = await(TestStack.builder().builtInGateway().roles(Role.HTTP, Role.RETRY)
        .set(ConfigKeys.GATEWAY_SUCCESS_RATES, "stripe_bank=1,paypal=1,check=1")
        .set(ConfigKeys.GATEWAY_TIMEOUT, "10s")
        .set(ConfigKeys.GATEWAY_RETURN_RATE, "0.5")
        .set(ConfigKeys.GATEWAY_RETURN_DELAY, "300ms")
        .set(ConfigKeys.GATEWAY_EVENTS_POLL, "200ms")
        .start(vertx));
    ApiClient api = await(stack.staffClient());
    List<UserAccount> users = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      UserAccount u = await(stack.f.userWith("1000.00"));
      users.add(u);
      ids.add(await(stack.f.approved(u.id(), "100.00", PayoutMethod.STRIPE_BANK)).id());
    }
    await(stack.f.payouts.process(ids, "test"));
    long toReturn = await(stack.f.count("SELECT count(*) FROM gateway.executions WHERE return_code IS NOT NULL"));
    assertTrue(toReturn > 0 && toReturn < 12, "about half come back: " + toReturn);
    eventually(Duration.ofSeconds(20), () -> await(stack.f.count(
        "SELECT count(*) FROM payout_requests WHERE status = 'returned'")) == toReturn, "every return applied");

    int returned = 0;
    for (int i = 0; i < ids.size(); i++) {
      JsonObject p = api.getJson("/api/payouts/" + ids.get(i));
      JsonObject u = api.getJson("/api/users/" + users.get(i).id());
      List<String> kinds = new ArrayList<>();
      for (Object l : p.getJsonArray("ledger")) kinds.add(((JsonObject) l).getString("kind"));
      if (p.getString("status").equals("returned")) {
        returned++;
        assertTrue(CATALOGUE.contains(p.getString("returnCode")), p.encode());
        assertNotNull(p.getString("returnedAt"));
        assertEquals(List.of("hold", "settle", "return"), kinds);
        assertEquals("1000.00", u.getString("available"), "the amount is back: " + u.encode());
        assertFalse(u.getBoolean("eligible"));
        assertTrue(u.getString("eligibilityReason").contains("payout " + ids.get(i) + " was returned"), u.encode());
        JsonArray trail = p.getJsonArray("events");
        JsonObject last = trail.getJsonObject(trail.size() - 1);
        assertEquals("completed", last.getString("from"));
        assertEquals("returned", last.getString("to"));
        assertEquals("gateway", last.getString("actor"));
      } else {
        assertEquals("completed", p.getString("status"));
        assertEquals(List.of("hold", "settle"), kinds);
        assertEquals("900.00", u.getString("available"));
        assertTrue(u.getBoolean("eligible"));
      }
      assertEquals("0.00", u.getString("held"));
    }
    assertEquals(toReturn, returned);

    assertEquals(List.of(), await(stack.graph.ledgerAudit().verify()), "verify-ledger is clean");
    JsonObject rec = api.getJson("/api/reconciliation");
    assertTrue(rec.getBoolean("clean"), rec.encode());
    assertEquals(12L, rec.getLong("payouts"));
    assertEquals(rec.getLong("id"), api.getJson("/api/reconciliation/last").getLong("id"), "the last result is kept");
    assertEquals(toReturn, (long) api.getJson("/api/payouts?status=returned").getJsonArray("items").size());
    assertEquals(toReturn, (long) api.getJson("/api/stats").getJsonObject("byStatus").getJsonObject("returned")
        .getInteger("count"));

    // Nothing retries a returned payout; an operator switches the user back on, audited.
    UserAccount back = users.get(ids.indexOf(firstReturned(api, ids)));
    HttpResponse<Buffer> on = api.post("/api/users/" + back.id() + "/eligibility",
        "{\"eligible\": true, \"reason\": \"new bank account confirmed\"}");
    assertEquals(200, on.statusCode(), on.bodyAsString());
    assertTrue(on.bodyAsJsonObject().getBoolean("eligible"));
    JsonArray audit = api.getJson("/api/users/" + back.id() + "/eligibility").getJsonArray("items");
    assertEquals(2, audit.size(), audit.encode());
    assertTrue(audit.getJsonObject(0).getBoolean("eligible"));
    assertEquals("new bank account confirmed", audit.getJsonObject(0).getString("reason"));
    assertFalse(audit.getJsonObject(1).getBoolean("eligible"));
    assertEquals("gateway", audit.getJsonObject(1).getString("actor"));
    assertEquals(0L, await(stack.f.count(
        "SELECT count(*) FROM payout_events WHERE from_status = 'returned'")), "nothing moves a returned payout");
  }

  private static long firstReturned(ApiClient api, List<Long> ids) {
    for (Long id : ids) if (api.getJson("/api/payouts/" + id).getString("status").equals("returned")) return id;
    throw new AssertionError("none returned");
  }

  @Test
  void aForgedWebhookChangesNothingAndAReplayedOneIsAppliedOnce(Vertx vertx) {
    stack = await(TestStack.builder().builtInGateway().roles(Role.HTTP)
        .set(ConfigKeys.GATEWAY_SUCCESS_RATES, "stripe_bank=1,paypal=1,check=1")
        .set(ConfigKeys.GATEWAY_TIMEOUT, "10s")
        .set(ConfigKeys.GATEWAY_WEBHOOK_SECRET, SECRET)
        .start(vertx));
    ApiClient api = await(stack.staffClient());
    UserAccount u = await(stack.f.userWith("500.00"));
    Payout p = await(stack.f.approved(u.id(), "120.00", PayoutMethod.STRIPE_BANK));
    await(stack.f.payouts.process(List.of(p.id()), "test"));
    Payout paid = await(stack.f.payouts.detail(p.id())).payout();
    assertEquals("completed", paid.status().wire());
    String body = new JsonObject().put("id", "evt_test_1").put("type", "payout.returned")
        .put("data", new JsonObject().put("payoutRef", String.valueOf(p.id())).put("transactionId", paid.transactionId())
            .put("amount", "120.00").put("returnCode", ReturnCode.ACCOUNT_CLOSED.code())
            .put("returnedAt", Instant.now().toString())).encode();
    WebhookSignature right = new WebhookSignature(SECRET);
    WebhookSignature wrong = new WebhookSignature("whsec_someone_else_entirely");

    assertEquals(401, webhook(null, body).statusCode(), "no signature");
    assertEquals(401, webhook(wrong.header(Instant.now(), body), body).statusCode(), "another secret");
    assertEquals(401, webhook(right.header(Instant.now().minusSeconds(3600), body), body).statusCode(), "stale");
    assertEquals(401, webhook(right.header(Instant.now(), body), body.replace("120.00", "1.00")).statusCode(),
        "a body other than the one signed");
    assertEquals("completed", api.getJson("/api/payouts/" + p.id()).getString("status"), "the forgeries changed nothing");
    assertEquals(0L, await(stack.f.count("SELECT count(*) FROM gateway_events")));
    assertEquals(0L, await(stack.f.count("SELECT count(*) FROM wallet_transactions WHERE kind = 'return'")));
    assertTrue(api.getJson("/api/users/" + u.id()).getBoolean("eligible"));

    HttpResponse<Buffer> first = webhook(right.header(Instant.now(), body), body);
    assertEquals(200, first.statusCode(), first.bodyAsString());
    assertTrue(first.bodyAsJsonObject().getBoolean("applied"));
    HttpResponse<Buffer> replay = webhook(right.header(Instant.now(), body), body);
    assertEquals(200, replay.statusCode());
    assertFalse(replay.bodyAsJsonObject().getBoolean("applied"), "a replay is received but not applied again");

    JsonObject after = api.getJson("/api/payouts/" + p.id());
    assertEquals("returned", after.getString("status"));
    assertEquals("account_closed", after.getString("returnCode"));
    assertEquals(1L, await(stack.f.count("SELECT count(*) FROM wallet_transactions WHERE kind = 'return'")));
    JsonObject user = api.getJson("/api/users/" + u.id());
    assertEquals("500.00", user.getString("available"), "given back once: " + user.encode());
    assertFalse(user.getBoolean("eligible"));
    assertEquals(List.of(), await(new LedgerVerifier(stack.db.pool()).verify()));
  }

  private HttpResponse<Buffer> webhook(String signature, String body) {
    var req = stack.http().post("/api/gateway/events").putHeader("Content-Type", "application/json");
    if (signature != null) req.putHeader(WebhookSignature.HEADER, signature);
    return await(req.sendBuffer(Buffer.buffer(body)));
  }
}
