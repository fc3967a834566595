package com.payouts.service;

import com.payouts.gateway.PaymentGateway;

import com.payouts.app.ConfigKeys;
import com.payouts.support.TestStack;
import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.db.LedgerVerifier;
import com.payouts.domain.Payout;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.PayoutStatus;
import com.payouts.domain.RetryPolicy;
import com.payouts.domain.UserAccount;
import com.payouts.gateway.HttpPaymentGateway;
import com.payouts.mockgateway.MockGatewayConfig;
import com.payouts.mockgateway.MockGatewayVerticle;
import com.payouts.support.Fixtures;
import com.payouts.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The service against the real mock gateway over HTTP, its record in the same database. */
@ExtendWith(VertxExtension.class)
class GatewayIntegrationTest {
  TestStack stack;
  TestDatabase db;
  Fixtures f;

  /** The services over the real built-in mock gateway, over HTTP, at this delay. */
  void start(Vertx vertx, long delayMin, long delayMax) {
    stack = await(TestStack.builder().poolSize(16).builtInGateway()
        .set(ConfigKeys.GATEWAY_DELAY_MS, delayMin + "-" + delayMax).set(ConfigKeys.GATEWAY_TIMEOUT, "10s").start(vertx));
    db = stack.db;
    f = stack.f;
  }

  @AfterEach
  void stop() {
    await(stack.stop());
  }

  @Test
  void twoRacingProcessCallsPayOnce(Vertx vertx) {
    start(vertx, 50, 150);
    UserAccount u = await(f.userWith("500.00"));
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) ids.add(await(f.approved(u.id(), "20.00", PayoutMethod.STRIPE_BANK)).id());
    Future<List<ProcessResult>> a = f.payouts.process(ids, "worker-a");
    Future<List<ProcessResult>> b = f.payouts.process(ids, "worker-b");
    await(Future.all(a, b));
    for (int i = 0; i < ids.size(); i++) {
      ProcessResult ra = a.result().get(i);
      ProcessResult rb = b.result().get(i);
      assertTrue(ra.kind() == ProcessResult.Kind.SKIPPED ^ rb.kind() == ProcessResult.Kind.SKIPPED,
          "exactly one caller moves payout " + ids.get(i) + ": " + ra + " / " + rb);
    }
    assertEquals(10L, await(f.count("SELECT count(*) FROM gateway.executions")));
    assertEquals(10L, await(f.count("SELECT count(*) FROM payout_events WHERE to_status = 'processing'")));
    assertTrue(await(new LedgerVerifier(db.pool()).verify()).isEmpty());
  }

  @Test
  void verifyLedgerPassesAfterASeededRunOf1000PayoutsAndCatchesTampering(Vertx vertx) {
    start(vertx, 0, 0);
    Random rnd = new Random(1);
    List<UserAccount> users = new ArrayList<>();
    for (int i = 0; i < 20; i++) users.add(await(f.userWith("100000.00")));
    List<Long> ids = new ArrayList<>();
    PayoutMethod[] methods = PayoutMethod.values();
    for (int i = 0; i < 1000; i += 100) {
      List<Future<Payout>> batch = new ArrayList<>();
      for (int j = i; j < i + 100; j++) {
        String amount = (10 + rnd.nextInt(500)) + "." + String.format("%02d", rnd.nextInt(100));
        batch.add(f.request(users.get(j % 20).id(), amount, methods[rnd.nextInt(3)]));
      }
      await(Future.all(batch));
      batch.forEach(p -> ids.add(p.result().id()));
    }
    List<Long> rejected = ids.subList(0, 100);
    List<Long> approved = ids.subList(100, 1000);
    await(f.payouts.reject(rejected, "admin", "seeded rejection"));
    await(f.payouts.approve(approved, "admin"));
    int completed = 0;
    int failed = 0;
    for (int i = 0; i < approved.size(); i += 100) {
      for (ProcessResult r : await(f.payouts.process(approved.subList(i, i + 100), "processor"))) {
        if (r.kind() == ProcessResult.Kind.COMPLETED) completed++;
        if (r.kind() == ProcessResult.Kind.FAILED) failed++;
      }
    }
    assertEquals(900, completed + failed);
    assertTrue(failed > 20 && failed < 150, "about 6% of 900 fail, got " + failed);
    assertEquals(900L, await(f.count("SELECT count(*) FROM payout_requests WHERE status IN ('completed', 'failed')")));
    // The ledger's invariants and the gateway's own report (through its API) agree.
    List<LedgerVerifier.Violation> clean = await(stack.graph.ledgerAudit().verify());
    assertTrue(clean.isEmpty(), () -> "after the run: " + clean);

    // Tamper: a wallet changed without a ledger row.
    await(db.pool().query("UPDATE wallets SET available = available + 1 WHERE user_id = " + users.get(3).id()).execute());
    List<LedgerVerifier.Violation> broken = await(new LedgerVerifier(db.pool()).verify());
    assertEquals(List.of("balance equals its ledger"), broken.stream().map(LedgerVerifier.Violation::invariant).toList());
    assertEquals(users.get(3).id(), broken.get(0).sample().get(0).getLong("user_id"));

    // Tamper: a completed payout marked failed (paid, yet the user's money looks released).
    await(db.pool().query("UPDATE wallets SET available = available - 1 WHERE user_id = " + users.get(3).id()).execute());
    long paid = await(f.count("SELECT min(id) FROM payout_requests WHERE status = 'completed'"));
    await(db.pool().query("UPDATE payout_requests SET status = 'failed' WHERE id = " + paid).execute());
    List<String> names = await(stack.graph.ledgerAudit().verify()).stream()
        .map(LedgerVerifier.Violation::invariant).toList();
    assertTrue(names.contains("each completed payout matches exactly one successful gateway execution"), names::toString);
    assertTrue(names.contains("each payout has exactly its ledger rows"), names::toString);
  }

  @Test
  void theLedgerRefusesRewrites(Vertx vertx) {
    start(vertx, 0, 0);
    UserAccount u = await(f.userWith("10.00"));
    Throwable err = com.payouts.support.Await.failure(
        db.pool().query("UPDATE wallet_transactions SET amount = 1 WHERE user_id = " + u.id()).execute());
    assertTrue(err.getMessage().contains("append-only"), err.getMessage());
    Throwable del = com.payouts.support.Await.failure(
        db.pool().query("DELETE FROM wallet_transactions WHERE user_id = " + u.id()).execute());
    assertTrue(del.getMessage().contains("append-only"), del.getMessage());
    assertEquals(PayoutStatus.PENDING, await(f.request(u.id(), "5.00", PayoutMethod.PAYPAL)).status());
  }

  @Test
  void aBatchCallExecutesEachKeyOnceAndARepeatAnswersTheSame(Vertx vertx) {
    start(vertx, 0, 20);
    List<com.payouts.gateway.PaymentInstruction> batch = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      batch.add(new com.payouts.gateway.PaymentInstruction("batch-key-" + i, Integer.toString(i), PayoutMethod.PAYPAL,
          new java.math.BigDecimal("12.50"), "user-" + i));
    }
    var first = await(stack.graph.gateway.payAll(batch));
    assertEquals(300, first.size());
    assertEquals(new java.math.BigDecimal("0.25"), first.values().stream().filter(r -> r.succeeded())
        .findFirst().orElseThrow().fee());
    var again = await(stack.graph.gateway.payAll(batch.subList(100, 300)));
    for (var e : again.entrySet()) assertEquals(first.get(e.getKey()), e.getValue(), "a repeat answers the first result");
    assertEquals(300L, await(f.count("SELECT count(*) FROM gateway.executions WHERE idempotency_key LIKE 'batch-key-%'")));
  }

  @Test
  void aLostBatchAnswerLeavesEveryOutcomeUnknownButLookupsFindThem(Vertx vertx) {
    // Every answer of the built-in gateway is lost after it executed.
    stack = await(TestStack.builder().builtInGateway().set(ConfigKeys.GATEWAY_SEED, 3)
        .set(ConfigKeys.GATEWAY_HANG_RATE, "1.0").set(ConfigKeys.GATEWAY_TIMEOUT, "500ms").start(vertx));
    db = stack.db;
    PaymentGateway gateway = stack.graph.gateway;
    List<com.payouts.gateway.PaymentInstruction> batch = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      batch.add(new com.payouts.gateway.PaymentInstruction("lost-" + i, "1", PayoutMethod.CHECK, new java.math.BigDecimal("20.00"),
          "user-1"));
    }
    assertTrue(await(gateway.payAll(batch)).isEmpty(), "no outcome is known when the answer is lost");
    for (var in : batch) assertTrue(await(gateway.lookup(in.idempotencyKey())).isPresent(), "executed all the same");
  }
}
