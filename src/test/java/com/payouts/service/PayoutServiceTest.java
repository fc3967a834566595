package com.payouts.service;

import com.payouts.support.SwitchableGateway;
import com.payouts.support.TestStack;
import static com.payouts.support.Await.await;
import static com.payouts.support.Await.failure;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.db.LedgerVerifier;
import com.payouts.domain.DomainException;
import com.payouts.domain.Payout;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.PayoutStatus;
import com.payouts.domain.RetryPolicy;
import com.payouts.domain.UserAccount;
import com.payouts.support.Fixtures;
import com.payouts.support.ScriptedGateway;
import com.payouts.support.ScriptedGateway.Step;
import com.payouts.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class PayoutServiceTest {
  static TestStack stack;
  static TestDatabase db;
  static SwitchableGateway gateways;

  @BeforeAll
  static void database(Vertx vertx) {
    stack = await(TestStack.builder().poolSize(16)
        .gateway(pool -> gateways = new SwitchableGateway(new ScriptedGateway(pool))).start(vertx));
    db = stack.db;
  }

  @AfterAll
  static void drop() {
    await(stack.stop());
  }

  /** The stack's services, paying through {@code gateway} from now on. */
  private static Fixtures with(ScriptedGateway gateway) {
    gateways.use(gateway);
    return stack.f;
  }

  private static void assertLedgerHolds() {
    List<LedgerVerifier.Violation> broken = await(new LedgerVerifier(db.pool()).verify());
    assertTrue(broken.isEmpty(), () -> "invariants broken: " + broken);
  }

  @Test
  void aRequestHoldsTheAmountWithALedgerRowAndAnAuditRow() {
    Fixtures f = with(new ScriptedGateway(db.pool()));
    UserAccount u = await(f.userWith("100.00"));
    Payout p = await(f.request(u.id(), "40.00", PayoutMethod.PAYPAL));
    assertEquals(PayoutStatus.PENDING, p.status());
    assertEquals(new BigDecimal("0.80"), p.fee());
    assertEquals(new BigDecimal("39.20"), p.netAmount());
    UserAccount after = await(f.accounts.find(u.id()));
    assertEquals(new BigDecimal("60.00"), after.available());
    assertEquals(new BigDecimal("40.00"), after.held());
    assertEquals(1L, await(f.count("SELECT count(*) FROM wallet_transactions WHERE payout_id = $1 AND kind = 'hold'", p.id())));
    assertEquals(1L, await(f.count("SELECT count(*) FROM payout_events WHERE payout_id = $1 AND to_status = 'pending'", p.id())));
    assertLedgerHolds();
  }

  @Test
  void refusesOverdraftIneligibleUsersAndUnknownUsers() {
    Fixtures f = with(new ScriptedGateway(db.pool()));
    UserAccount u = await(f.userWith("10.00"));
    DomainException over = (DomainException) failure(f.request(u.id(), "10.01", PayoutMethod.STRIPE_BANK));
    assertEquals(DomainException.Kind.INSUFFICIENT_FUNDS, over.kind());
    await(f.accounts.setEligibility(u.id(), false, "under review"));
    DomainException ineligible = (DomainException) failure(f.request(u.id(), "5.00", PayoutMethod.STRIPE_BANK));
    assertEquals(DomainException.Kind.NOT_ELIGIBLE, ineligible.kind());
    assertTrue(ineligible.getMessage().contains("under review"));
    DomainException missing = (DomainException) failure(f.request(987654321L, "5.00", PayoutMethod.STRIPE_BANK));
    assertEquals(DomainException.Kind.NOT_FOUND, missing.kind());
    assertEquals(new BigDecimal("10.00"), await(f.accounts.find(u.id())).available());
    assertEquals(0L, await(f.count("SELECT count(*) FROM payout_requests WHERE user_id = $1", u.id())));
  }

  @Test
  void fiftyConcurrentRequestsNeverOverdrawTheWallet() {
    Fixtures f = with(new ScriptedGateway(db.pool()));
    UserAccount u = await(f.userWith("1000.00"));
    List<Future<Payout>> attempts = new ArrayList<>();
    for (int i = 0; i < 50; i++) attempts.add(f.request(u.id(), "30.00", PayoutMethod.STRIPE_BANK));
    await(Future.join(attempts).otherwiseEmpty());
    long ok = attempts.stream().filter(Future::succeeded).count();
    assertEquals(33, ok, "1000.00 affords 33 payouts of 30.00");
    for (Future<Payout> a : attempts) {
      if (a.failed()) assertEquals(DomainException.Kind.INSUFFICIENT_FUNDS, ((DomainException) a.cause()).kind());
    }
    UserAccount after = await(f.accounts.find(u.id()));
    assertEquals(new BigDecimal("10.00"), after.available());
    assertEquals(new BigDecimal("990.00"), after.held());
    assertLedgerHolds();
  }

  @Test
  void concurrentGroupsOverTheSameWalletsSettleEveryWalletToItsLedger() {
    // Twelve groups of 40 payouts, every group spread over the same ten wallets, all recorded at
    // once: the wallet deltas of each group are applied last and in user id order.
    ScriptedGateway gateway = new ScriptedGateway(db.pool()).otherwise(Step.SUCCEED);
    for (int i = 0; i < 48; i++) gateway.then(Step.SUCCEED, Step.SUCCEED, Step.SUCCEED, Step.SUCCEED, Step.DECLINE_FINAL,
        Step.SUCCEED, Step.SUCCEED, Step.SUCCEED, Step.SUCCEED, Step.DECLINE_RETRYABLE);
    Fixtures f = with(gateway);
    List<UserAccount> users = new ArrayList<>();
    for (int u = 0; u < 10; u++) users.add(await(f.userWith("1000.00")));
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 480; i++) {
      ids.add(await(f.approved(users.get(i % 10).id(), (1 + i % 7) + ".25", PayoutMethod.STRIPE_BANK)).id());
    }
    java.util.Collections.shuffle(ids, new java.util.Random(7));
    List<Future<List<ProcessResult>>> groups = new ArrayList<>();
    for (int g = 0; g < 12; g++) groups.add(f.payouts.process(ids.subList(g * 40, (g + 1) * 40), "worker-" + g));
    await(Future.all(groups));
    for (Future<List<ProcessResult>> g : groups) {
      for (ProcessResult r : g.result()) {
        assertTrue(r.kind() == ProcessResult.Kind.COMPLETED || r.kind() == ProcessResult.Kind.FAILED, r.toString());
      }
    }
    assertEquals(384L, await(f.count("SELECT count(*) FROM payout_requests WHERE id = ANY($1) AND status = 'completed'",
        (Object) ids.toArray(Long[]::new))));
    for (UserAccount u : users) {
      BigDecimal paid = await(sum("SELECT coalesce(sum(amount), 0) FROM payout_requests WHERE user_id = $1 AND status = 'completed'", u.id()));
      BigDecimal stillHeld = await(sum("SELECT coalesce(sum(amount), 0) FROM payout_requests WHERE user_id = $1 AND holds_funds", u.id()));
      UserAccount after = await(f.accounts.find(u.id()));
      assertEquals(new BigDecimal("1000.00").subtract(paid).subtract(stillHeld), after.available(), "available of user " + u.id());
      assertEquals(stillHeld, after.held(), "held of user " + u.id());
    }
    assertLedgerHolds();
  }

  private static Future<BigDecimal> sum(String sql, long userId) {
    return db.pool().preparedQuery(sql).execute(io.vertx.sqlclient.Tuple.of(userId))
        .map(rows -> rows.iterator().next().getBigDecimal(0).setScale(2));
  }

  @Test
  void rejectReleasesTheHoldOnceAndOnlyFromPending() {
    Fixtures f = with(new ScriptedGateway(db.pool()));
    UserAccount u = await(f.userWith("100.00"));
    Payout p = await(f.request(u.id(), "60.00", PayoutMethod.CHECK));
    Payout rejected = await(f.payouts.rejectOne(p.id(), "admin", "duplicate request"));
    assertEquals(PayoutStatus.REJECTED, rejected.status());
    assertEquals("duplicate request", rejected.rejectionReason());
    UserAccount after = await(f.accounts.find(u.id()));
    assertEquals(new BigDecimal("100.00"), after.available());
    assertEquals(new BigDecimal("0.00"), after.held());
    DomainException again = (DomainException) failure(f.payouts.rejectOne(p.id(), "admin", "again"));
    assertEquals(DomainException.Kind.CONFLICT, again.kind());
    DomainException approve = (DomainException) failure(f.payouts.approveOne(p.id(), "admin"));
    assertEquals(DomainException.Kind.CONFLICT, approve.kind());
    assertTrue(approve.getMessage().contains("rejected"));
    assertEquals(DomainException.Kind.NOT_FOUND, ((DomainException) failure(f.payouts.approveOne(99999999L, "admin"))).kind());
    assertEquals(1L, await(f.count("SELECT count(*) FROM wallet_transactions WHERE payout_id = $1 AND kind = 'release'", p.id())));
    assertLedgerHolds();
  }

  @Test
  void processingAPendingPayoutDoesNothing() {
    ScriptedGateway gw = new ScriptedGateway(db.pool());
    Fixtures f = with(gw);
    UserAccount u = await(f.userWith("100.00"));
    Payout p = await(f.request(u.id(), "20.00", PayoutMethod.STRIPE_BANK));
    List<ProcessResult> r = await(f.payouts.process(List.of(p.id()), "test"));
    assertEquals(ProcessResult.Kind.SKIPPED, r.get(0).kind());
    assertTrue(gw.payCalls.isEmpty(), "the gateway must not be called for an unapproved payout");
    assertEquals(PayoutStatus.PENDING, await(f.payouts.repository().find(p.id())).orElseThrow().status());
    UserAccount after = await(f.accounts.find(u.id()));
    assertEquals(new BigDecimal("80.00"), after.available());
    assertEquals(new BigDecimal("20.00"), after.held());
    assertEquals(1L, await(f.count("SELECT count(*) FROM payout_events WHERE payout_id = $1", p.id())));
  }

  @Test
  void completionSettlesTheHoldAndPublishesEachTransition() {
    ScriptedGateway gw = new ScriptedGateway(db.pool());
    Fixtures f = with(gw);
    UserAccount u = await(f.userWith("100.00"));
    Payout p = await(f.approved(u.id(), "50.00", PayoutMethod.STRIPE_BANK));
    List<ProcessResult> r = await(f.payouts.process(List.of(p.id()), "processor"));
    Payout done = r.get(0).payout();
    assertEquals(PayoutStatus.COMPLETED, done.status());
    assertNotNull(done.transactionId());
    assertEquals(new BigDecimal("49.75"), done.netAmount());
    UserAccount after = await(f.accounts.find(u.id()));
    assertEquals(new BigDecimal("50.00"), after.available());
    assertEquals(new BigDecimal("0.00"), after.held());
    List<String> seen = f.published.stream().filter(t -> t.payout().id() == p.id())
        .map(t -> (t.from() == null ? "" : t.from().wire()) + ">" + t.payout().status().wire()).toList();
    assertEquals(List.of(">pending", "pending>approved", "approved>processing", "processing>completed"), seen);
    assertEquals(List.of(f.gatewayKey(p.id(), 0)), gw.payCalls);
    assertLedgerHolds();
  }

  @Test
  void aFinalFailureReleasesTheHold() {
    Fixtures f = with(new ScriptedGateway(db.pool()).then(Step.DECLINE_FINAL));
    UserAccount u = await(f.userWith("100.00"));
    Payout p = await(f.approved(u.id(), "70.00", PayoutMethod.PAYPAL));
    Payout failed = await(f.payouts.process(List.of(p.id()), "processor")).get(0).payout();
    assertEquals(PayoutStatus.FAILED, failed.status());
    assertEquals("invalid_account", failed.errorCode());
    assertFalse(failed.retryable());
    assertNull(failed.nextRetryAt());
    assertFalse(failed.holdsFunds());
    assertEquals(new BigDecimal("100.00"), await(f.accounts.find(u.id())).available());
    assertEquals(ProcessResult.Kind.SKIPPED, await(f.payouts.retry(List.of(p.id()), "admin", false)).get(0).kind(),
        "a final failure is never retried");
    assertLedgerHolds();
  }

  @Test
  void retryableFailuresAreRetriedThreeTimesThenTheHoldIsReleasedOnce() {
    ScriptedGateway gw = new ScriptedGateway(db.pool()).otherwise(Step.DECLINE_RETRYABLE);
    Fixtures f = with(gw);
    UserAccount u = await(f.userWith("100.00"));
    Payout p = await(f.approved(u.id(), "30.00", PayoutMethod.STRIPE_BANK));
    Instant before = Instant.now();
    Payout first = await(f.payouts.process(List.of(p.id()), "processor")).get(0).payout();
    assertEquals(PayoutStatus.FAILED, first.status());
    assertTrue(first.holdsFunds(), "a retryable failure keeps the hold");
    Duration wait = Duration.between(before, first.nextRetryAt());
    assertTrue(wait.compareTo(Duration.ofMinutes(59)) > 0 && wait.compareTo(Duration.ofMinutes(61)) < 0, wait::toString);
    assertEquals(new BigDecimal("30.00"), await(f.accounts.find(u.id())).held());
    // Not due yet: the sweep leaves it alone.
    assertEquals(ProcessResult.Kind.SKIPPED, await(f.payouts.retry(List.of(p.id()), "sweep", true)).get(0).kind());
    Payout last = first;
    for (int retry = 1; retry <= 3; retry++) {
      last = await(f.payouts.retry(List.of(p.id()), "admin", false)).get(0).payout();
      assertEquals(PayoutStatus.FAILED, last.status());
      assertEquals(retry, last.retryCount());
    }
    assertFalse(last.holdsFunds(), "after three retries the failure is final");
    assertNull(last.nextRetryAt());
    assertEquals(ProcessResult.Kind.SKIPPED, await(f.payouts.retry(List.of(p.id()), "admin", false)).get(0).kind());
    assertEquals(List.of(f.gatewayKey(p.id(), 0), f.gatewayKey(p.id(), 1), f.gatewayKey(p.id(), 2),
        f.gatewayKey(p.id(), 3)), gw.payCalls, "each attempt has its own stable key");
    UserAccount after = await(f.accounts.find(u.id()));
    assertEquals(new BigDecimal("100.00"), after.available());
    assertEquals(new BigDecimal("0.00"), after.held());
    assertEquals(1L, await(f.count("SELECT count(*) FROM wallet_transactions WHERE payout_id = $1 AND kind = 'release'", p.id())));
    assertLedgerHolds();
  }

  @Test
  void aRetryThatSucceedsCompletesThePayout() {
    Fixtures f = with(new ScriptedGateway(db.pool()).then(Step.DECLINE_RETRYABLE, Step.SUCCEED));
    UserAccount u = await(f.userWith("100.00"));
    Payout p = await(f.approved(u.id(), "30.00", PayoutMethod.STRIPE_BANK));
    await(f.payouts.process(List.of(p.id()), "processor"));
    Payout done = await(f.payouts.retry(List.of(p.id()), "admin", false)).get(0).payout();
    assertEquals(PayoutStatus.COMPLETED, done.status());
    assertNull(done.errorCode());
    assertEquals(new BigDecimal("0.00"), await(f.accounts.find(u.id())).held());
    assertLedgerHolds();
  }

  @Test
  void anUnknownOutcomeIsLookedUpNotPaidAgain() {
    ScriptedGateway gw = new ScriptedGateway(db.pool()).then(Step.LOSE_ANSWER);
    Fixtures f = with(gw);
    UserAccount u = await(f.userWith("100.00"));
    Payout p = await(f.approved(u.id(), "25.00", PayoutMethod.CHECK));
    ProcessResult r = await(f.payouts.process(List.of(p.id()), "processor")).get(0);
    assertEquals(ProcessResult.Kind.UNKNOWN, r.kind());
    assertEquals(PayoutStatus.PROCESSING, await(f.payouts.repository().find(p.id())).orElseThrow().status(),
        "an unknown outcome is not a failure");
    // A fresh payout in processing is not taken over; a stalled one is.
    assertEquals(ProcessResult.Kind.SKIPPED,
        await(f.payouts.resume(List.of(p.id()), Duration.ofMinutes(5), "sweeper")).get(0).kind());
    Payout resolved = await(f.payouts.resume(List.of(p.id()), Duration.ZERO, "sweeper")).get(0).payout();
    assertEquals(PayoutStatus.COMPLETED, resolved.status());
    assertEquals(List.of(f.gatewayKey(p.id(), 0)), gw.lookups);
    assertEquals(1, gw.payCalls.size(), "found by lookup: no second pay call");
    assertEquals(1, gw.successfulExecutions());
    assertLedgerHolds();
  }

  @Test
  void aPayoutTheGatewayNeverSawIsPaidOnResumeWithTheSameKey() {
    ScriptedGateway gw = new ScriptedGateway(db.pool()).then(Step.UNREACHABLE);
    Fixtures f = with(gw);
    UserAccount u = await(f.userWith("100.00"));
    Payout p = await(f.approved(u.id(), "25.00", PayoutMethod.CHECK));
    assertEquals(ProcessResult.Kind.UNKNOWN, await(f.payouts.process(List.of(p.id()), "processor")).get(0).kind());
    Payout resolved = await(f.payouts.resume(List.of(p.id()), Duration.ZERO, "sweeper")).get(0).payout();
    assertEquals(PayoutStatus.COMPLETED, resolved.status());
    assertEquals(List.of(f.gatewayKey(p.id(), 0), f.gatewayKey(p.id(), 0)), gw.payCalls);
    assertLedgerHolds();
  }

  @Test
  void aStalledWorkersLateWriteIsRefused() {
    ScriptedGateway gw = new ScriptedGateway(db.pool());
    Fixtures f = with(gw);
    UserAccount u = await(f.userWith("100.00"));
    Payout p = await(f.approved(u.id(), "25.00", PayoutMethod.STRIPE_BANK));
    Payout claimed = await(f.payouts.repository().startProcessing(List.of(p.id()), "stalled-worker")).get(0);
    // Another worker takes over and finishes it.
    assertEquals(PayoutStatus.COMPLETED,
        await(f.payouts.resume(List.of(p.id()), Duration.ZERO, "sweeper")).get(0).payout().status());
    // The stalled worker wakes up with its old version and tries to fail it.
    List<Payout> written = await(f.payouts.repository().record(List.of(new com.payouts.domain.Outcome.Declined(
        p.id(), claimed.version(), "network_timeout", "late", true, null)), "stalled-worker"));
    assertTrue(written.isEmpty(), "a write with a stale version must be refused");
    assertEquals(PayoutStatus.COMPLETED, await(f.payouts.repository().find(p.id())).orElseThrow().status());
    assertLedgerHolds();
  }
}
