package com.payouts.domain;

import static com.payouts.domain.PayoutStatus.*;
import static org.junit.jupiter.api.Assertions.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lifecycle table, without a database: who moves where, by which action, and what it does to the wallet. */
class PayoutActionTest {
  static Payout payout(long id, long user, String amount, PayoutStatus status, boolean holdsFunds) {
    BigDecimal a = new BigDecimal(amount);
    return new Payout(id, user, "u@example.com", a, BigDecimal.ZERO, a, PayoutMethod.CHECK, status, Priority.NORMAL,
        null, null, null, false, 0, null, holdsFunds, null, null, Instant.EPOCH, null, null, null, null, null,
        Instant.EPOCH, 1, null, null, null);
  }

  @Test
  void theTableIsExactlyTheLifecycle() {
    assertEquals(List.of(PayoutAction.values()), List.of(
        PayoutAction.REQUEST, PayoutAction.APPROVE, PayoutAction.REJECT, PayoutAction.START_PROCESSING,
        PayoutAction.COMPLETE, PayoutAction.FAIL, PayoutAction.NEEDS_REVIEW, PayoutAction.RETRY, PayoutAction.RETURN));
    assertMove(PayoutAction.REQUEST, null, PENDING, "request");
    assertMove(PayoutAction.APPROVE, PENDING, APPROVED, "approve");
    assertMove(PayoutAction.REJECT, PENDING, REJECTED, "reject");
    assertMove(PayoutAction.START_PROCESSING, APPROVED, PROCESSING, "process");
    assertMove(PayoutAction.COMPLETE, PROCESSING, COMPLETED, "complete");
    assertMove(PayoutAction.FAIL, PROCESSING, FAILED, "fail");
    assertMove(PayoutAction.NEEDS_REVIEW, PROCESSING, NEEDS_REVIEW, "hold for review");
    assertMove(PayoutAction.RETRY, FAILED, PROCESSING, "retry");
    assertMove(PayoutAction.RETURN, COMPLETED, RETURNED, "return");
  }

  private static void assertMove(PayoutAction a, PayoutStatus from, PayoutStatus to, String verb) {
    assertEquals(from, a.from(), a + " from");
    assertEquals(to, a.to(), a + " to");
    assertEquals(verb, a.verb(), a + " verb");
  }

  @Test
  void nextIsWhatTheActionsReach() {
    assertEquals(EnumSet.of(APPROVED, REJECTED), PENDING.next());
    assertEquals(EnumSet.of(PROCESSING), APPROVED.next());
    assertEquals(EnumSet.of(COMPLETED, FAILED, NEEDS_REVIEW), PROCESSING.next());
    assertEquals(EnumSet.of(PROCESSING), FAILED.next());
    assertEquals(EnumSet.of(RETURNED), COMPLETED.next(), "only the bank moves a completed payout, by a return");
    for (PayoutStatus end : List.of(REJECTED, NEEDS_REVIEW, RETURNED)) {
      assertEquals(EnumSet.noneOf(PayoutStatus.class), end.next(), end + " is a dead end");
    }
    assertThrows(UnsupportedOperationException.class, () -> PENDING.next().add(COMPLETED), "the table is read-only");
  }

  @Test
  void anActionAppliesOnlyToItsStatusWhileTheFundsAreHeld() {
    for (PayoutAction a : PayoutAction.values()) {
      for (PayoutStatus s : PayoutStatus.values()) {
        for (boolean holds : new boolean[] {true, false}) {
          // a return comes after the settlement, when nothing is held any more
          boolean expected = a.from() == s && (a == PayoutAction.RETURN ? !holds : holds);
          assertEquals(expected, a.appliesTo(payout(1, 1, "1.00", s, holds)), a + " on " + s + " holds=" + holds);
        }
      }
    }
    assertTrue(payout(1, 1, "1.00", FAILED, true).canRetry());
    assertFalse(payout(1, 1, "1.00", FAILED, false).canRetry(), "a final failure released its funds");
    assertFalse(payout(1, 1, "1.00", NEEDS_REVIEW, true).canRetry());
  }

  @Test
  void aRefusalNamesTheStatusTheActionNeeds() {
    for (PayoutAction a : PayoutAction.values()) {
      for (PayoutStatus s : PayoutStatus.values()) {
        assertEquals(a.from() == s, a.refusal(s).isEmpty(), a + " on " + s);
      }
      if (a.from() != null) assertTrue(a.from().canMoveTo(a.to()), a + " is a move its status allows");
    }
    assertEquals(Optional.of("it is completed, not pending"), PayoutAction.APPROVE.refusal(COMPLETED));
    assertEquals(Optional.of("it is pending, not approved"), PayoutAction.START_PROCESSING.refusal(PENDING));
    assertEquals(Optional.of("it is needs_review, not failed"), PayoutAction.RETRY.refusal(NEEDS_REVIEW));
  }

  @Test
  void eachActionMovesTheBalanceItShould() {
    Map<PayoutAction, BalanceEffect> expected = Map.of(
        PayoutAction.REQUEST, BalanceEffect.HOLD,
        PayoutAction.APPROVE, BalanceEffect.KEEP,
        PayoutAction.REJECT, BalanceEffect.RELEASE,
        PayoutAction.START_PROCESSING, BalanceEffect.KEEP,
        PayoutAction.COMPLETE, BalanceEffect.SETTLE,
        PayoutAction.FAIL, BalanceEffect.RELEASE,
        PayoutAction.NEEDS_REVIEW, BalanceEffect.KEEP,
        PayoutAction.RETRY, BalanceEffect.KEEP,
        PayoutAction.RETURN, BalanceEffect.RETURN);
    for (PayoutAction a : PayoutAction.values()) {
      assertEquals(expected.get(a), a.effect(false), a + " (no retry scheduled)");
      BalanceEffect withRetry = a == PayoutAction.FAIL ? BalanceEffect.KEEP : expected.get(a);
      assertEquals(withRetry, a.effect(true), a + " (a retry scheduled)");
    }
  }

  @Test
  void effectsMoveExactlyTheAmountBetweenTheBalances() {
    BigDecimal a = new BigDecimal("123456789012.34");
    assertDeltas(BalanceEffect.HOLD, a, "-123456789012.34", "123456789012.34", Optional.of(LedgerKind.HOLD));
    assertDeltas(BalanceEffect.RELEASE, a, "123456789012.34", "-123456789012.34", Optional.of(LedgerKind.RELEASE));
    assertDeltas(BalanceEffect.SETTLE, a, "0", "-123456789012.34", Optional.of(LedgerKind.SETTLE));
    assertDeltas(BalanceEffect.RETURN, a, "123456789012.34", "0", Optional.of(LedgerKind.RETURN));
    assertDeltas(BalanceEffect.KEEP, a, "0", "0", Optional.empty());
    assertFalse(BalanceEffect.KEEP.movesMoney());
    assertTrue(BalanceEffect.HOLD.holdsFundsAfter(false));
    assertFalse(BalanceEffect.RELEASE.holdsFundsAfter(true));
    assertFalse(BalanceEffect.SETTLE.holdsFundsAfter(true));
    assertTrue(BalanceEffect.KEEP.holdsFundsAfter(true));
    assertFalse(BalanceEffect.KEEP.holdsFundsAfter(false));
  }

  private static void assertDeltas(BalanceEffect e, BigDecimal amount, String available, String held,
      Optional<LedgerKind> kind) {
    assertEquals(available, e.availableDelta(amount).toPlainString(), e + " available");
    assertEquals(held, e.heldDelta(amount).toPlainString(), e + " held");
    assertEquals(kind, e.ledgerKind(), e + " ledger row");
  }

  @Test
  void aWrittenPayoutsEffectIsReadFromWhereItArrived() {
    assertEquals(BalanceEffect.HOLD, BalanceEffect.of(payout(1, 1, "1.00", PENDING, true)));
    assertEquals(BalanceEffect.KEEP, BalanceEffect.of(payout(1, 1, "1.00", APPROVED, true)));
    assertEquals(BalanceEffect.RELEASE, BalanceEffect.of(payout(1, 1, "1.00", REJECTED, false)));
    assertEquals(BalanceEffect.KEEP, BalanceEffect.of(payout(1, 1, "1.00", PROCESSING, true)), "a start or a retry");
    assertEquals(BalanceEffect.SETTLE, BalanceEffect.of(payout(1, 1, "1.00", COMPLETED, false)));
    assertEquals(BalanceEffect.RELEASE, BalanceEffect.of(payout(1, 1, "1.00", FAILED, false)), "a final failure");
    assertEquals(BalanceEffect.KEEP, BalanceEffect.of(payout(1, 1, "1.00", FAILED, true)), "a retry is scheduled");
    assertEquals(BalanceEffect.KEEP, BalanceEffect.of(payout(1, 1, "1.00", NEEDS_REVIEW, true)));
    // Every action into a status agrees on its effect, so reading it from the status is sound.
    for (PayoutStatus s : PayoutStatus.values()) {
      for (boolean retry : new boolean[] {true, false}) {
        assertEquals(1, PayoutAction.into(s).stream().map(a -> a.effect(retry)).distinct().count(), s.wire());
      }
    }
  }

  @Test
  void ledgerKindsHaveTheirWireNamesAndDeltas() {
    BigDecimal a = new BigDecimal("0.01");
    assertEquals("0.01", LedgerKind.CREDIT.availableDelta(a).toPlainString());
    assertEquals("0", LedgerKind.CREDIT.heldDelta(a).toPlainString());
    for (LedgerKind k : LedgerKind.values()) assertEquals(k, LedgerKind.parse(k.wire()));
    assertEquals(List.of("credit", "hold", "release", "settle", "return"),
        List.of(LedgerKind.values()).stream().map(LedgerKind::wire).toList());
    assertThrows(IllegalArgumentException.class, () -> LedgerKind.parse("HOLD"));
    assertThrows(IllegalArgumentException.class, () -> LedgerKind.parse("refund"));
  }
}
