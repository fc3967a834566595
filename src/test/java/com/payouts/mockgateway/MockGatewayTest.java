package com.payouts.mockgateway;

import com.payouts.gateway.GatewayResult;
import com.payouts.gateway.GatewayUnavailableException;
import com.payouts.gateway.HttpPaymentGateway;
import com.payouts.gateway.PaymentInstruction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.payouts.domain.GatewayError;
import com.payouts.domain.PayoutMethod;
import com.payouts.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class MockGatewayTest {
  private static final MockGatewayConfig CONFIG =
      MockGatewayConfig.defaults().withPort(0).withDelay(0, 50).withSeed(2026L);
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static TestDatabase db;
  private static Running gateway;

  /** A deployed mock gateway and a client pointed at it. */
  private record Running(String deploymentId, int port, HttpPaymentGateway client, String apiKey) {
    Future<Void> stop(Vertx vertx) {
      client.close();
      return vertx.undeploy(deploymentId);
    }
  }

  @BeforeAll
  static void setUp(Vertx vertx, VertxTestContext ctx) {
    TestDatabase.create(vertx)
        .compose(created -> {
          db = created;
          return deploy(vertx, CONFIG, TIMEOUT);
        })
        .onComplete(ctx.succeeding(running -> {
          gateway = running;
          ctx.completeNow();
        }));
  }

  @AfterAll
  static void tearDown(Vertx vertx, VertxTestContext ctx) {
    gateway.stop(vertx).compose(v -> db.drop()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void payingAKeyAgainAnswersTheFirstResultAndExecutesOnce(Vertx vertx, VertxTestContext ctx) {
    Map<PayoutMethod, Double> always = new EnumMap<>(PayoutMethod.class);
    for (PayoutMethod m : PayoutMethod.values()) always.put(m, 1.0);
    PaymentInstruction pay = instruction(PayoutMethod.STRIPE_BANK, "25.00");
    deploy(vertx, new MockGatewayConfig(0, 0, 0, 1L, always), TIMEOUT)
        .compose(paying -> paying.client().pay(pay)
            .compose(first -> paying.client().pay(pay).map(second -> List.of(first, second)))
            .eventually(() -> paying.stop(vertx)))
        .compose(both -> rows(pay.idempotencyKey()).map(n -> {
          ctx.verify(() -> {
            GatewayResult first = both.get(0);
            assertEquals(first, both.get(1));
            assertEquals(pay.idempotencyKey(), first.idempotencyKey());
            assertTrue(first.succeeded(), String.valueOf(first));
            assertTrue(first.transactionId().matches("^po_\\d{14}_[A-Z0-9]{8}$"), first.transactionId());
            assertEquals(new BigDecimal("0.25"), first.fee());
            assertEquals(1, n);
          });
          return n;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void concurrentPaysOfOneKeyExecuteOnceAndAllGetTheSameAnswer(VertxTestContext ctx) {
    PaymentInstruction pay = instruction(PayoutMethod.PAYPAL, "100.00");
    List<Future<GatewayResult>> answers = new ArrayList<>();
    for (int i = 0; i < 20; i++) answers.add(gateway.client().pay(pay));
    Future.all(answers)
        .compose(all -> rows(pay.idempotencyKey()).map(n -> {
          ctx.verify(() -> {
            for (Future<GatewayResult> a : answers) assertEquals(answers.get(0).result(), a.result());
            assertEquals(1, n);
          });
          return n;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aDeclinedPaymentIsAnsweredWithItsErrorAndRecordedAsFailed(Vertx vertx, VertxTestContext ctx) {
    Map<PayoutMethod, Double> never = new EnumMap<>(PayoutMethod.class);
    for (PayoutMethod m : PayoutMethod.values()) never.put(m, 0.0);
    PaymentInstruction pay = instruction(PayoutMethod.STRIPE_BANK, "25.00");
    deploy(vertx, new MockGatewayConfig(0, 0, 0, 1L, never), TIMEOUT)
        .compose(declining -> declining.client().pay(pay).eventually(() -> declining.stop(vertx)))
        .compose(result -> db.pool()
            .preparedQuery("SELECT status, error_code, transaction_id FROM gateway.executions WHERE idempotency_key = $1")
            .execute(Tuple.of(pay.idempotencyKey()))
            .map(rows -> {
              ctx.verify(() -> {
                GatewayError error = GatewayError.byCode(result.errorCode());
                assertFalse(result.succeeded());
                assertEquals(error.message(), result.errorMessage());
                assertEquals(error.retryable(), result.retryable());
                assertNull(result.transactionId());
                assertNull(result.fee());
                Row row = rows.iterator().next();
                assertEquals("failed", row.getString("status"));
                assertEquals(result.errorCode(), row.getString("error_code"));
                assertNull(row.getString("transaction_id"));
              });
              return rows;
            }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void lookupOfAnUnknownKeyIsEmpty(VertxTestContext ctx) {
    gateway.client().lookup("never-paid-" + UUID.randomUUID())
        .onComplete(ctx.succeeding(found -> ctx.verify(() -> {
          assertEquals(Optional.empty(), found);
          ctx.completeNow();
        })));
  }

  @Test
  void lookupAfterPayAnswersThePaidResult(VertxTestContext ctx) {
    PaymentInstruction pay = instruction(PayoutMethod.CHECK, "80.00");
    gateway.client().pay(pay)
        .compose(paid -> gateway.client().lookup(pay.idempotencyKey()).map(found -> {
          ctx.verify(() -> assertEquals(Optional.of(paid), found));
          return found;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void executionsSurviveARedeployOfTheGateway(Vertx vertx, VertxTestContext ctx) {
    PaymentInstruction pay = instruction(PayoutMethod.STRIPE_BANK, "12.34");
    deploy(vertx, CONFIG, TIMEOUT)
        .compose(first -> first.client().pay(pay).compose(paid -> first.stop(vertx).map(paid)))
        .compose(paid -> deploy(vertx, CONFIG, TIMEOUT).compose(second -> second.client().lookup(pay.idempotencyKey())
            .compose(found -> second.client().pay(pay).map(again -> {
              ctx.verify(() -> {
                assertEquals(Optional.of(paid), found);
                assertEquals(paid, again);
              });
              return again;
            }))
            .eventually(() -> second.stop(vertx))))
        .compose(r -> rows(pay.idempotencyKey()))
        .onComplete(ctx.succeeding(n -> ctx.verify(() -> {
          assertEquals(1, n);
          ctx.completeNow();
        })));
  }

  @Test
  void badRequestsAreRefusedWith400AndExecuteNothing(Vertx vertx, VertxTestContext ctx) {
    WebClient http = WebClient.create(vertx);
    String url = "http://127.0.0.1:" + gateway.port() + "/v1/payouts";
    String key = "bad-" + UUID.randomUUID();
    String auth = "Bearer " + gateway.apiKey();
    JsonObject good = new JsonObject().put("method", "stripe_bank").put("amount", "25.00").put("payoutRef", "42")
        .put("destination", "user-42");
    List<Future<JsonObject>> answers = List.of(
        http.postAbs(url).putHeader("Authorization", auth).sendJsonObject(good)
            .map(res -> status(res.statusCode(), res.bodyAsJsonObject())),
        http.postAbs(url).putHeader("Authorization", auth).putHeader("Idempotency-Key", key)
            .sendJsonObject(good.copy().put("amount", "abc")).map(res -> status(res.statusCode(), res.bodyAsJsonObject())),
        http.postAbs(url).putHeader("Authorization", auth).putHeader("Idempotency-Key", key)
            .sendJsonObject(good.copy().put("amount", 25.0)).map(res -> status(res.statusCode(), res.bodyAsJsonObject())),
        http.postAbs(url).putHeader("Authorization", auth).putHeader("Idempotency-Key", key)
            .sendJsonObject(good.copy().put("amount", "-5.00")).map(res -> status(res.statusCode(), res.bodyAsJsonObject())),
        http.postAbs(url).putHeader("Authorization", auth).putHeader("Idempotency-Key", key)
            .sendJsonObject(good.copy().put("method", "cash")).map(res -> status(res.statusCode(), res.bodyAsJsonObject())),
        http.postAbs(url).putHeader("Authorization", auth).putHeader("Idempotency-Key", key)
            .sendJsonObject(good.copy().put("destination", "")).map(res -> status(res.statusCode(), res.bodyAsJsonObject())));
    Future.all(answers)
        .compose(all -> rows(key))
        .compose(n -> http.getAbs("http://127.0.0.1:" + gateway.port() + "/health").send().map(health -> {
          ctx.verify(() -> {
            for (Future<JsonObject> a : answers) {
              assertEquals(400, a.result().getInteger("status"));
              assertEquals("invalid_request", a.result().getJsonObject("body").getJsonObject("error").getString("code"));
            }
            assertEquals(0, n);
            assertEquals(200, health.statusCode());
          });
          return n;
        }))
        .eventually(() -> {
          http.close();
          return Future.succeededFuture();
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aLostAnswerStillLeavesTheExecutedPaymentToLookUp(Vertx vertx, VertxTestContext ctx) {
    PaymentInstruction pay = instruction(PayoutMethod.PAYPAL, "50.00");
    deploy(vertx, CONFIG.withDelay(0, 0).withFaults(1.0, 0.0), Duration.ofMillis(300))
        .compose(hanging -> hanging.client().pay(pay)
            .transform(ar -> {
              ctx.verify(() -> assertInstanceOf(GatewayUnavailableException.class, ar.cause()));
              return hanging.client().lookup(pay.idempotencyKey());
            })
            .eventually(() -> hanging.stop(vertx)))
        .compose(found -> rows(pay.idempotencyKey()).map(n -> {
          ctx.verify(() -> {
            assertTrue(found.isPresent());
            assertEquals(pay.idempotencyKey(), found.get().idempotencyKey());
            assertEquals(1, n);
          });
          return n;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anOutageBeforeExecutionLeavesNothingToLookUp(Vertx vertx, VertxTestContext ctx) {
    PaymentInstruction pay = instruction(PayoutMethod.CHECK, "50.00");
    deploy(vertx, CONFIG.withFaults(0.0, 1.0), TIMEOUT)
        .compose(down -> down.client().pay(pay)
            .transform(ar -> {
              ctx.verify(() -> assertInstanceOf(GatewayUnavailableException.class, ar.cause()));
              return down.client().lookup(pay.idempotencyKey());
            })
            .eventually(() -> down.stop(vertx)))
        .compose(found -> rows(pay.idempotencyKey()).map(n -> {
          ctx.verify(() -> {
            assertEquals(Optional.empty(), found);
            assertEquals(0, n);
          });
          return n;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  private static Future<Running> deploy(Vertx vertx, MockGatewayConfig config, Duration timeout) {
    MockGatewayVerticle verticle = new MockGatewayVerticle(config, db.pool());
    return vertx.deployVerticle(verticle).map(id -> new Running(id, verticle.actualPort(),
        new HttpPaymentGateway(vertx, "http://127.0.0.1:" + verticle.actualPort(), timeout, verticle.apiKey()),
        verticle.apiKey()));
  }

  private static Future<Integer> rows(String key) {
    return db.pool().preparedQuery("SELECT count(*) FROM gateway.executions WHERE idempotency_key = $1")
        .execute(Tuple.of(key))
        .map(rs -> rs.iterator().next().getInteger(0));
  }

  private static PaymentInstruction instruction(PayoutMethod method, String amount) {
    return new PaymentInstruction("key-" + UUID.randomUUID(), "42", method, new BigDecimal(amount), "user-42");
  }

  private static JsonObject status(int code, JsonObject body) {
    return new JsonObject().put("status", code).put("body", body);
  }
}
