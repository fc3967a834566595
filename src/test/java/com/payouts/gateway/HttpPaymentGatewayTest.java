package com.payouts.gateway;

import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.domain.GatewayAnswer;
import com.payouts.domain.PayoutMethod;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client against a processor whose answers the test writes byte for byte: each batch item is
 * read on its own and handed on as sent, so one bad item never makes the rest of the batch unknown.
 */
@ExtendWith(VertxExtension.class)
class HttpPaymentGatewayTest {
  HttpServer server;
  HttpPaymentGateway client;
  volatile JsonObject answer;
  final List<String> authorizations = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start(Vertx vertx) {
    server = await(vertx.createHttpServer().requestHandler(req -> {
      authorizations.add(String.valueOf(req.getHeader("Authorization")));
      req.body().onSuccess(b -> req.response().putHeader("content-type", "application/json").end(answer.encode()));
    }).listen(0, "127.0.0.1"));
    client = new HttpPaymentGateway(vertx, "http://127.0.0.1:" + server.actualPort(), Duration.ofSeconds(5),
        "the-api-key-0123456789", 4);
  }

  @AfterEach
  void stop() {
    client.close();
    await(server.close());
  }

  static PaymentInstruction instruction(int i) {
    return new PaymentInstruction("k" + i, Integer.toString(i), PayoutMethod.STRIPE_BANK, new BigDecimal("10.00"), "user-1");
  }

  static JsonObject paid(int i) {
    return new JsonObject().put("idempotencyKey", "k" + i).put("status", "succeeded").put("amount", "10.00")
        .put("method", "stripe_bank").put("payoutRef", Integer.toString(i)).put("destination", "user-1")
        .put("transactionId", "po_" + i).put("fee", "0.25");
  }

  @Test
  void eachBatchItemIsReadOnItsOwn() {
    answer = new JsonObject().put("results", new JsonArray()
        .add(paid(0))
        .add(paid(1).put("fee", "0.255"))                 // kept as sent: the service refuses it
        .add(paid(2).put("fee", "a lot"))                 // unreadable: null, the service refuses it
        .add(paid(3).put("amount", 10.0))                 // a JSON number may have lost cents: null
        .add("not an object")                             // nothing to read: unknown, looked up later
        .add(new JsonObject().put("idempotencyKey", "k5").put("status", "pending"))
        .add(paid(99))                                    // another key at item 6's place: kept for the check
        .add(new JsonObject().put("idempotencyKey", "k7").put("status", "refused")
            .put("error", new JsonObject().put("code", "idempotency_key_reused").put("message", "used")))
        .add(paid(8)));
    List<PaymentInstruction> batch = new ArrayList<>();
    for (int i = 0; i < 10; i++) batch.add(instruction(i)); // item 9 has no answer at all
    Map<String, GatewayResult> known = await(client.payAll(batch));

    assertEquals(List.of("k0", "k1", "k2", "k3", "k6", "k7", "k8"), known.keySet().stream().sorted().toList());
    assertEquals(new BigDecimal("0.25"), known.get("k0").fee());
    assertEquals("po_0", known.get("k0").transactionId());
    assertEquals(new BigDecimal("0.255"), known.get("k1").fee());
    assertNull(known.get("k2").fee());
    assertNull(known.get("k3").amount());
    assertEquals("k99", known.get("k6").idempotencyKey(), "filed under the key asked, naming the one answered");
    assertEquals(GatewayAnswer.Status.KEY_REUSED, known.get("k7").status());
    assertEquals("po_8", known.get("k8").transactionId());
    assertEquals(List.of("Bearer the-api-key-0123456789"), authorizations, "the API key on the batch call");
  }

  @Test
  void aSingleAnswerWithBadFieldsIsHandedOnAndOneThatIsNoResultIsNoAnswer() {
    answer = paid(1).put("fee", "0.255").put("transactionId", (String) null);
    GatewayResult r = await(client.pay(instruction(1)));
    assertEquals(new BigDecimal("0.255"), r.fee());
    assertNull(r.transactionId());
    answer = new JsonObject().put("hello", "world");
    assertInstanceOf(GatewayUnavailableException.class, com.payouts.support.Await.failure(client.pay(instruction(1))));
    assertInstanceOf(GatewayUnavailableException.class, com.payouts.support.Await.failure(client.lookup("k1")));
  }
}
