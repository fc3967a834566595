package com.payouts.mockgateway;

import com.payouts.gateway.GatewayResult;
import com.payouts.gateway.PaymentInstruction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.payouts.domain.PayoutMethod;
import com.payouts.mockgateway.MockPayoutSimulator.Draw;
import com.payouts.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class GatewayExecutionStoreTest {
  private static final BigDecimal AMOUNT = new BigDecimal("40.00");
  private static TestDatabase db;

  @BeforeAll
  static void setUp(Vertx vertx, VertxTestContext ctx) {
    TestDatabase.create(vertx).onComplete(ctx.succeeding(created -> {
      db = created;
      ctx.completeNow();
    }));
  }

  @AfterAll
  static void tearDown(VertxTestContext ctx) {
    db.drop().onComplete(ctx.succeedingThenComplete());
  }

  /** Half the draws fail, so rows of both shapes go through the batched statement. */
  private static MockPayoutSimulator coinFlips(long seed) {
    Map<PayoutMethod, Double> half = new EnumMap<>(PayoutMethod.class);
    for (PayoutMethod m : PayoutMethod.values()) half.put(m, 0.5);
    return new MockPayoutSimulator(new MockGatewayConfig(0, 0, 0, seed, half));
  }

  @Test
  void groupCommitExecutesEachKeyOnceAndAnswersEveryCallerWithIt(Vertx vertx, VertxTestContext ctx) {
    String prefix = "gc-" + UUID.randomUUID() + "-";
    MockPayoutSimulator sim = coinFlips(9);
    // The store is confined to one event loop, as inside the verticle.
    vertx.getOrCreateContext().runOnContext(v -> {
      GatewayExecutionStore store = new GatewayExecutionStore(vertx, db.pool());
      Draw early = draw(sim);
      store.record(prefix + "early", "1", PayoutMethod.PAYPAL, AMOUNT, early)
          .compose(recorded -> {
            Map<String, GatewayResult> expected = new LinkedHashMap<>();
            expected.put(prefix + "early", recorded);
            List<Future<GatewayResult>> calls = new ArrayList<>();
            List<String> callKeys = new ArrayList<>();
            // 1,000 fresh keys, every tenth asked twice in a row with a different draw, plus the
            // already executed key again: more than MAX_BATCH, so several statements run.
            for (int i = 0; i < 1000; i++) {
              String key = prefix + i;
              int times = i % 10 == 0 ? 2 : 1;
              for (int t = 0; t < times; t++) {
                Draw d = draw(sim);
                expected.putIfAbsent(key, d.toResult(new PaymentInstruction(key, String.valueOf(i), PayoutMethod.PAYPAL, AMOUNT, null)));
                callKeys.add(key);
                calls.add(store.record(key, String.valueOf(i), PayoutMethod.PAYPAL, AMOUNT, d));
              }
            }
            callKeys.add(prefix + "early");
            calls.add(store.record(prefix + "early", "1", PayoutMethod.PAYPAL, AMOUNT, draw(sim)));
            return Future.all(calls).compose(all -> rowsUnder(prefix)).map(rows -> {
              ctx.verify(() -> {
                for (int i = 0; i < calls.size(); i++) {
                  assertEquals(expected.get(callKeys.get(i)), calls.get(i).result(), callKeys.get(i));
                }
                assertEquals(1001, rows.size());
                long failed = rows.stream().filter(r -> r.getString("status").equals("failed")).count();
                assertTrue(failed > 300 && failed < 700, "failed rows: " + failed);
                for (Row r : rows) {
                  boolean ok = r.getString("status").equals("succeeded");
                  assertEquals(ok, r.getString("transaction_id") != null);
                  assertEquals(ok, r.getBigDecimal("fee") != null);
                  assertEquals(AMOUNT, r.getBigDecimal("amount"));
                }
              });
              return rows;
            });
          })
          .onComplete(ctx.succeedingThenComplete());
    });
  }

  @Test
  void refusesWorkBeyondItsBoundInsteadOfQueueingForever(Vertx vertx, VertxTestContext ctx) {
    String prefix = "bound-" + UUID.randomUUID() + "-";
    MockPayoutSimulator sim = coinFlips(4);
    vertx.getOrCreateContext().runOnContext(v -> {
      GatewayExecutionStore store = new GatewayExecutionStore(vertx, db.pool());
      List<Future<GatewayResult>> accepted = new ArrayList<>();
      for (int i = 0; i < GatewayExecutionStore.MAX_PENDING; i++) {
        accepted.add(store.record(prefix + i, null, PayoutMethod.CHECK, AMOUNT, draw(sim)));
      }
      Future<GatewayResult> overflow = store.record(prefix + "overflow", null, PayoutMethod.CHECK, AMOUNT, draw(sim));
      ctx.verify(() -> assertTrue(overflow.failed()));
      Future.all(accepted)
          .compose(all -> rowsUnder(prefix))
          .onComplete(ctx.succeeding(rows -> ctx.verify(() -> {
            assertEquals(GatewayExecutionStore.MAX_PENDING, rows.size());
            ctx.completeNow();
          })));
    });
  }

  private static Draw draw(MockPayoutSimulator sim) {
    return sim.draw(PayoutMethod.PAYPAL, AMOUNT, Instant.now());
  }

  private static Future<List<Row>> rowsUnder(String prefix) {
    return db.pool().preparedQuery("SELECT * FROM gateway.executions WHERE starts_with(idempotency_key, $1)")
        .execute(Tuple.of(prefix))
        .map(rs -> {
          List<Row> out = new ArrayList<>();
          rs.forEach(out::add);
          return out;
        });
  }
}
