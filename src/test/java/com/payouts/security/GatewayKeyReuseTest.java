package com.payouts.security;

import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.domain.GatewayAnswer;
import com.payouts.domain.PayoutMethod;
import com.payouts.gateway.GatewayResult;
import com.payouts.gateway.HttpPaymentGateway;
import com.payouts.mockgateway.MockGatewayConfig;
import com.payouts.mockgateway.MockGatewayVerticle;
import com.payouts.gateway.PaymentInstruction;
import com.payouts.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The mock gateway, like Stripe, refuses an idempotency key reused with other parameters instead
 * of answering the earlier execution as if it were this one, and executes nothing for it; and it
 * answers nobody without its API key.
 */
@ExtendWith(VertxExtension.class)
class GatewayKeyReuseTest {
  static TestDatabase db;
  static MockGatewayVerticle mock;
  static HttpPaymentGateway client;
  static WebClient http;

  @BeforeAll
  static void start(Vertx vertx) {
    db = await(TestDatabase.create(vertx));
    Map<PayoutMethod, Double> always = new EnumMap<>(PayoutMethod.class);
    for (PayoutMethod m : PayoutMethod.values()) always.put(m, 1.0);
    mock = new MockGatewayVerticle(new MockGatewayConfig(0, 0, 0, 5L, always), db.pool());
    await(vertx.deployVerticle(mock));
    client = new HttpPaymentGateway(vertx, "http://127.0.0.1:" + mock.actualPort(), Duration.ofSeconds(5), mock.apiKey());
    http = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() {
    client.close();
    http.close();
    await(db.drop());
  }

  static PaymentInstruction original() {
    return new PaymentInstruction("reuse-" + UUID.randomUUID(), "41", PayoutMethod.STRIPE_BANK, new BigDecimal("50.00"),
        "user-7");
  }

  static List<Row> rows(String key) {
    List<Row> out = new ArrayList<>();
    await(db.pool().preparedQuery("SELECT * FROM gateway.executions WHERE idempotency_key = $1").execute(Tuple.of(key)))
        .forEach(out::add);
    return out;
  }

  /** The original's key with one parameter changed. */
  static List<PaymentInstruction> variants(PaymentInstruction p) {
    return List.of(
        new PaymentInstruction(p.idempotencyKey(), p.payoutRef(), p.method(), new BigDecimal("0.01"), p.destination()),
        new PaymentInstruction(p.idempotencyKey(), p.payoutRef(), PayoutMethod.PAYPAL, p.amount(), p.destination()),
        new PaymentInstruction(p.idempotencyKey(), p.payoutRef(), p.method(), p.amount(), "user-666"),
        new PaymentInstruction(p.idempotencyKey(), "42", p.method(), p.amount(), p.destination()));
  }

  @Test
  void aSingleCallReusingAKeyWithOtherParametersIsRefusedWith409AndExecutesNothing() {
    PaymentInstruction first = original();
    GatewayResult paid = await(client.pay(first));
    assertTrue(paid.succeeded());
    assertEquals(new BigDecimal("50.00"), paid.amount());
    assertEquals("user-7", paid.destination(), "the answer echoes what was executed");
    for (PaymentInstruction other : variants(first)) {
      HttpResponse<Buffer> raw = await(http.postAbs("http://127.0.0.1:" + mock.actualPort() + "/v1/payouts")
          .putHeader("Authorization", "Bearer " + mock.apiKey()).putHeader("Idempotency-Key", other.idempotencyKey())
          .sendJsonObject(new JsonObject().put("method", other.method().wire()).put("amount", other.amount().toPlainString())
              .put("payoutRef", other.payoutRef()).put("destination", other.destination())));
      assertEquals(409, raw.statusCode(), other + ": " + raw.bodyAsString());
      assertEquals("idempotency_key_reused", raw.bodyAsJsonObject().getJsonObject("error").getString("code"));
      GatewayResult refused = await(client.pay(other));
      assertEquals(GatewayAnswer.Status.KEY_REUSED, refused.status(), other.toString());
      assertNull(refused.transactionId(), "not the earlier execution's transaction");
    }
    assertEquals(paid, await(client.pay(first)), "the same parameters still answer the first result");
    List<Row> executed = rows(first.idempotencyKey());
    assertEquals(1, executed.size(), "executed once");
    assertEquals(new BigDecimal("50.00"), executed.get(0).getBigDecimal("amount"));
    assertEquals("user-7", executed.get(0).getString("destination"));
    assertEquals("41", executed.get(0).getString("payout_ref"));
  }

  @Test
  void inABatchOnlyTheReusedItemIsRefusedAndTheOthersAreAnswered() {
    PaymentInstruction first = original();
    assertTrue(await(client.pay(first)).succeeded());
    PaymentInstruction reused = variants(first).get(0);
    PaymentInstruction fresh = new PaymentInstruction("fresh-" + UUID.randomUUID(), "43", PayoutMethod.CHECK,
        new BigDecimal("80.00"), "user-8");
    PaymentInstruction repeat = first;
    Map<String, GatewayResult> answers = await(client.payAll(List.of(fresh, reused)));
    assertEquals(GatewayAnswer.Status.KEY_REUSED, answers.get(reused.idempotencyKey()).status());
    assertTrue(answers.get(fresh.idempotencyKey()).succeeded());
    assertEquals(new BigDecimal("80.00"), answers.get(fresh.idempotencyKey()).amount());

    HttpResponse<Buffer> raw = await(http.postAbs("http://127.0.0.1:" + mock.actualPort() + "/v1/payout-batches")
        .putHeader("Authorization", "Bearer " + mock.apiKey())
        .sendJsonObject(new JsonObject().put("items", new JsonArray()
            .add(item(reused)).add(item(repeat)))));
    assertEquals(200, raw.statusCode());
    JsonArray results = raw.bodyAsJsonObject().getJsonArray("results");
    assertEquals("refused", results.getJsonObject(0).getString("status"));
    assertEquals("idempotency_key_reused", results.getJsonObject(0).getJsonObject("error").getString("code"));
    assertEquals("succeeded", results.getJsonObject(1).getString("status"), "the same parameters: the first result");

    assertEquals(1, rows(first.idempotencyKey()).size());
    assertEquals(new BigDecimal("50.00"), rows(first.idempotencyKey()).get(0).getBigDecimal("amount"));
    assertEquals(1, rows(fresh.idempotencyKey()).size());
  }

  @Test
  void aKeyRecordedBeforeDestinationsWereMatchesAnyDestination() {
    // An execution from before the gateway recorded payees (its destination is NULL) is answered,
    // not refused: an attempt in flight across the upgrade must find its result.
    String key = "legacy-" + UUID.randomUUID();
    await(db.pool().preparedQuery("""
        INSERT INTO gateway.executions (idempotency_key, transaction_id, payout_ref, method, amount, fee, status)
        VALUES ($1, $2, '44', 'paypal', 10.00, 0.20, 'succeeded')""").execute(Tuple.of(key, "po_legacy_" + key)));
    GatewayResult r = await(client.pay(new PaymentInstruction(key, "44", PayoutMethod.PAYPAL, new BigDecimal("10.00"), "user-9")));
    assertTrue(r.succeeded());
    assertEquals("po_legacy_" + key, r.transactionId());
    assertNull(r.destination());
  }

  @Test
  void withoutTheApiKeyNothingIsAnsweredOrExecuted(Vertx vertx) {
    PaymentInstruction p = original();
    HttpPaymentGateway wrong = new HttpPaymentGateway(vertx, "http://127.0.0.1:" + mock.actualPort(),
        Duration.ofSeconds(5), "not-the-key-at-all");
    try {
      Throwable err = com.payouts.support.Await.failure(wrong.pay(p));
      assertTrue(err.getMessage().contains("HTTP 401"), err.getMessage());
      assertTrue(await(wrong.payAll(List.of(p))).isEmpty(), "a refused batch tells nothing");
      assertNotNull(com.payouts.support.Await.failure(wrong.lookup(p.idempotencyKey())), "and a lookup is no answer");
    } finally {
      wrong.close();
    }
    assertEquals(0, rows(p.idempotencyKey()).size());
    assertEquals(200, await(http.getAbs("http://127.0.0.1:" + mock.actualPort() + "/health").send()).statusCode(),
        "health stays open");
  }

  static JsonObject item(PaymentInstruction i) {
    return new JsonObject().put("idempotencyKey", i.idempotencyKey()).put("method", i.method().wire())
        .put("amount", i.amount().toPlainString()).put("payoutRef", i.payoutRef()).put("destination", i.destination());
  }
}
