package com.payouts.db;

import com.payouts.app.ConfigKeys;
import com.payouts.support.TestStack;
import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.domain.Payout;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.PayoutStatus;
import com.payouts.domain.RetryPolicy;
import com.payouts.gateway.HttpPaymentGateway;
import com.payouts.mockgateway.MockGatewayConfig;
import com.payouts.mockgateway.MockGatewayVerticle;
import com.payouts.service.ProcessResult;
import com.payouts.support.Fixtures;
import com.payouts.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An upgrade over payouts an older release left mid-way, under its key format 'payout-{id}-{attempt}':
 * an attempt in flight is looked up (and if need be paid) under the key it started with, never
 * paid again under a new one; only new attempts get installation keys.
 */
@ExtendWith(VertxExtension.class)
class GatewayKeyUpgradeTest {
  TestDatabase db;
  TestStack stack;

  @AfterEach
  void stop() {
    if (stack != null) await(stack.stop());
    await(db.drop());
  }

  /** Schema V4 and the gateway's V1: the release before installation keys. */
  static void olderRelease(String jdbc, String user, String password) {
    Flyway.configure().dataSource(jdbc, user, password).locations("classpath:db/migration").target("4").load().migrate();
    Flyway.configure().dataSource(jdbc, user, password).schemas("gateway").createSchemas(true)
        .locations("classpath:db/gateway").target("1").load().migrate();
  }

  long insert(String sql, Object... args) {
    return await(db.pool().preparedQuery(sql).execute(Tuple.from(args))).iterator().next().getLong(0);
  }

  void exec(String sql, Object... args) {
    await(db.pool().preparedQuery(sql).execute(Tuple.from(args)));
  }

  /** A payout as the older release wrote it: its hold, its audit trail up to {@code trail}. */
  long payout(long user, String status, int retryCount, boolean holds, String... trail) {
    long id = insert("""
        INSERT INTO payout_requests (user_id, amount, method, status, fee, net_amount, retry_count, holds_funds,
          approved_at, processing_started_at, next_retry_at, error_code, retryable, failed_at)
        VALUES ($1, 40.00, 'stripe_bank', $2, 0.25, 39.75, $3, $4, now() - interval '2 hours',
          CASE WHEN $2 <> 'approved' THEN now() - interval '1 hour' END,
          CASE WHEN $2 = 'failed' THEN now() - interval '1 minute' END,
          CASE WHEN $2 = 'failed' THEN 'network_timeout' END, $2 = 'failed',
          CASE WHEN $2 = 'failed' THEN now() - interval '1 hour' END)
        RETURNING id""", user, status, retryCount, holds);
    exec("""
        INSERT INTO wallet_transactions (user_id, payout_id, kind, amount, available_delta, held_delta, reason)
        VALUES ($1, $2, 'hold', 40.00, -40.00, 40.00, 'payout requested')""", user, id);
    String from = null;
    for (String to : trail) {
      exec("INSERT INTO payout_events (payout_id, from_status, to_status, actor, detail) VALUES ($1, $2, $3, 'old', NULL)",
          id, from, to);
      from = to;
    }
    return id;
  }

  void executedByOldRelease(String key, long payoutId, String status, String txn) {
    exec("""
        INSERT INTO gateway.executions (idempotency_key, transaction_id, payout_ref, method, amount, fee, status,
          error_code, error_message, retryable)
        VALUES ($1, $2, $3, 'stripe_bank', 40.00, CASE WHEN $4 = 'succeeded' THEN 0.25 END, $4,
          CASE WHEN $4 = 'failed' THEN 'network_timeout' END, CASE WHEN $4 = 'failed' THEN 'Network timeout' END,
          $4 = 'failed')""", key, txn, Long.toString(payoutId), status);
  }

  List<String> keysOf(long payoutId) {
    List<String> out = new ArrayList<>();
    for (Row r : await(db.pool().preparedQuery(
        "SELECT idempotency_key FROM gateway.executions WHERE payout_ref = $1 ORDER BY created_at, idempotency_key")
        .execute(Tuple.of(Long.toString(payoutId))))) {
      out.add(r.getString(0));
    }
    return out;
  }

  @Test
  void anAttemptInFlightAcrossTheUpgradeKeepsItsOldKey(Vertx vertx) {
    db = await(TestDatabase.createAt(vertx, 8, GatewayKeyUpgradeTest::olderRelease));
    long user = insert("INSERT INTO users (email, name) VALUES ('old@example.com', 'Old') RETURNING id");
    exec("INSERT INTO wallet_transactions (user_id, kind, amount, available_delta, held_delta, reason)"
        + " VALUES ($1, 'credit', 1000.00, 1000.00, 0, 'earnings')", user);
    // Paid by the old release, whose answer was lost when it stopped: still processing.
    long paid = payout(user, "processing", 0, true, "pending", "approved", "processing");
    executedByOldRelease(Payout.legacyGatewayKey(paid, 0), paid, "succeeded", "po_old_paid");
    // Claimed by the old release, which stopped before calling the gateway.
    long unpaid = payout(user, "processing", 0, true, "pending", "approved", "processing");
    // Declined (retryable) by the old release, its retry due.
    long declined = payout(user, "failed", 0, true, "pending", "approved", "processing", "failed");
    executedByOldRelease(Payout.legacyGatewayKey(declined, 0), declined, "failed", null);
    // Approved, never attempted.
    long approved = payout(user, "approved", 0, true, "pending", "approved");
    exec("INSERT INTO wallets (user_id, available, held) VALUES ($1, 840.00, 160.00)", user);

    await(db.migrate());

    // The new release starts over the upgraded database, paying through its built-in gateway.
    stack = await(TestStack.builder().over(db).builtInGateway().set(ConfigKeys.GATEWAY_SEED, 3)
        .set(ConfigKeys.GATEWAY_SUCCESS_RATES, "stripe_bank=1,paypal=1,check=1").set(ConfigKeys.GATEWAY_TIMEOUT, "5s")
        .start(vertx));
    Fixtures f = stack.f;
    PayoutRepository repo = f.payouts.repository();

    assertEquals(Payout.legacyGatewayKey(paid, 0), await(repo.find(paid)).orElseThrow().gatewayKey());
    assertEquals(Payout.legacyGatewayKey(unpaid, 0), await(repo.find(unpaid)).orElseThrow().gatewayKey());
    assertEquals(Payout.legacyGatewayKey(declined, 0), await(repo.find(declined)).orElseThrow().gatewayKey());
    assertNull(await(repo.find(approved)).orElseThrow().gatewayKey());

    // The recovery sweep's resume of the in-flight attempts: asked under their old keys.
    List<ProcessResult> resumed = await(f.payouts.resume(List.of(paid, unpaid), Duration.ZERO, "sweeper"));
    assertEquals(List.of(ProcessResult.Kind.COMPLETED, ProcessResult.Kind.COMPLETED),
        resumed.stream().map(ProcessResult::kind).toList(), resumed::toString);
    assertEquals("po_old_paid", await(repo.find(paid)).orElseThrow().transactionId(), "found, not paid again");
    assertEquals(List.of(Payout.legacyGatewayKey(paid, 0)), keysOf(paid));
    assertEquals(List.of(Payout.legacyGatewayKey(unpaid, 0)), keysOf(unpaid), "paid under the key its attempt began with");

    // New attempts get installation keys.
    await(f.payouts.retry(List.of(declined), "admin", false));
    Payout retried = await(repo.find(declined)).orElseThrow();
    assertEquals(PayoutStatus.COMPLETED, retried.status());
    assertEquals(f.gatewayKey(declined, 1), retried.gatewayKey());
    assertEquals(List.of(Payout.legacyGatewayKey(declined, 0), f.gatewayKey(declined, 1)), keysOf(declined));
    await(f.payouts.process(List.of(approved), "processor"));
    assertEquals(List.of(f.gatewayKey(approved, 0)), keysOf(approved));
    assertEquals(PayoutStatus.COMPLETED, await(repo.find(approved)).orElseThrow().status());

    List<LedgerVerifier.Violation> broken = await(new LedgerVerifier(db.pool()).verify());
    assertTrue(broken.isEmpty(), () -> "after the upgrade: " + broken);
    assertEquals("0.00", await(f.accounts.find(user)).held().toPlainString());
  }
}
