package com.payouts.domain;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The rule that decides whether a gateway answer settles its payout; no database, no gateway. */
class GatewayAnswerRuleTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final String KEY = "payout-0123456789abcdef01234567-7-0";
  static final GatewayAnswerRule RULE = new GatewayAnswerRule(RetryPolicy.DEFAULT);

  /** A payout of 50.00 by stripe_bank, id 7, user 3, in processing under {@link #KEY}. */
  static Payout payout() {
    BigDecimal amount = new BigDecimal("50.00");
    return new Payout(7, 3, "u@example.com", amount, new BigDecimal("0.25"), new BigDecimal("49.75"),
        PayoutMethod.STRIPE_BANK, PayoutStatus.PROCESSING, Priority.NORMAL, null, null, null, false, 0, null, true, null,
        null, NOW, NOW, null, NOW, null, null, NOW, 4, KEY, null, null);
  }

  /** What a processor answers; each test changes one thing of the matching answer. */
  record Answer(String idempotencyKey, Status status, BigDecimal amount, String method, String payoutRef,
      String destination, String transactionId, BigDecimal fee, String errorCode, String errorMessage,
      boolean retryable) implements GatewayAnswer {
    static Answer paid() {
      return new Answer(KEY, Status.SUCCEEDED, new BigDecimal("50.00"), "stripe_bank", "7", "user-3", "po_1",
          new BigDecimal("0.25"), null, null, false);
    }

    Answer key(String k) {
      return new Answer(k, status, amount, method, payoutRef, destination, transactionId, fee, errorCode, errorMessage, retryable);
    }

    Answer amount(String a) {
      return new Answer(idempotencyKey, status, a == null ? null : new BigDecimal(a), method, payoutRef, destination,
          transactionId, fee, errorCode, errorMessage, retryable);
    }

    Answer method(String m) {
      return new Answer(idempotencyKey, status, amount, m, payoutRef, destination, transactionId, fee, errorCode, errorMessage, retryable);
    }

    Answer ref(String r) {
      return new Answer(idempotencyKey, status, amount, method, r, destination, transactionId, fee, errorCode, errorMessage, retryable);
    }

    Answer destination(String d) {
      return new Answer(idempotencyKey, status, amount, method, payoutRef, d, transactionId, fee, errorCode, errorMessage, retryable);
    }

    Answer txn(String t) {
      return new Answer(idempotencyKey, status, amount, method, payoutRef, destination, t, fee, errorCode, errorMessage, retryable);
    }

    Answer fee(String f) {
      return new Answer(idempotencyKey, status, amount, method, payoutRef, destination, transactionId,
          f == null ? null : new BigDecimal(f), errorCode, errorMessage, retryable);
    }

    Answer declined(String code, boolean canRetry) {
      return new Answer(idempotencyKey, Status.FAILED, amount, method, payoutRef, destination, null, null, code,
          "declined", canRetry);
    }
  }

  static String review(GatewayAnswer a) {
    Outcome o = RULE.judge(payout(), a, NOW);
    Outcome.NeedsReview r = assertInstanceOf(Outcome.NeedsReview.class, o, "not settled: " + o);
    assertEquals(7, r.payoutId());
    assertEquals(4, r.expectedVersion());
    return r.reason();
  }

  @Test
  void aMatchingSuccessIsPaidWithItsFee() {
    Outcome.Paid p = assertInstanceOf(Outcome.Paid.class, RULE.judge(payout(), Answer.paid(), NOW));
    assertEquals("po_1", p.transactionId());
    assertEquals(new BigDecimal("0.25"), p.fee());
    assertEquals(4, p.expectedVersion());
    // Zero fee, trailing zeros, an amount written with one decimal, and no recorded destination are all fine.
    assertInstanceOf(Outcome.Paid.class, RULE.judge(payout(), Answer.paid().fee("0"), NOW));
    assertEquals(new BigDecimal("0.25"),
        ((Outcome.Paid) RULE.judge(payout(), Answer.paid().fee("0.2500"), NOW)).fee());
    assertInstanceOf(Outcome.Paid.class, RULE.judge(payout(), Answer.paid().amount("50.0"), NOW));
    assertInstanceOf(Outcome.Paid.class, RULE.judge(payout(), Answer.paid().destination(null), NOW));
  }

  @Test
  void aMatchingDeclineIsDeclinedWithItsRetryTime() {
    Outcome.Declined d = assertInstanceOf(Outcome.Declined.class,
        RULE.judge(payout(), Answer.paid().declined("network_timeout", true), NOW));
    assertEquals("network_timeout", d.errorCode());
    assertEquals(NOW.plus(Duration.ofHours(1)), d.nextRetryAt());
    Outcome.Declined last = assertInstanceOf(Outcome.Declined.class,
        RULE.judge(payout(), Answer.paid().declined("invalid_account", false), NOW));
    assertNull(last.nextRetryAt(), "final");
  }

  @Test
  void anotherPaymentsAnswerNeedsReviewAndSaysWhatDidNotMatch() {
    assertTrue(review(Answer.paid().amount("0.01")).startsWith("amount 0.01 differs from the payout's 50.00"));
    assertTrue(review(Answer.paid().amount("0.01")).endsWith("(gateway transaction po_1)"), "names the transaction");
    assertTrue(review(Answer.paid().amount(null)).contains("no amount"));
    assertTrue(review(Answer.paid().key("payout-7-0")).contains("the answer is for key payout-7-0, not " + KEY));
    assertTrue(review(Answer.paid().method("paypal")).contains("method paypal differs"));
    assertTrue(review(Answer.paid().ref("8")).contains("payout reference 8 is not 7"));
    assertTrue(review(Answer.paid().ref(null)).contains("payout reference null is not 7"));
    assertTrue(review(Answer.paid().destination("user-666")).contains("destination user-666 is not the payout's user-3"));
    // A decline for someone else's payment is not this payout's decline either: its hold is not released.
    assertTrue(review(Answer.paid().amount("0.01").declined("invalid_account", false)).contains("amount 0.01"));
    // Everything wrong at once is listed at once.
    String all = review(Answer.paid().amount("1.00").method("check").ref("9"));
    assertEquals(3, all.split("; ").length, all);
  }

  @Test
  void aSuccessNeedsATransactionIdAndAFeeThePayoutCanBear() {
    assertTrue(review(Answer.paid().txn(null)).contains("without a transaction id"));
    assertTrue(review(Answer.paid().txn(" ")).contains("without a transaction id"));
    assertTrue(review(Answer.paid().fee(null)).contains("without a fee"));
    assertTrue(review(Answer.paid().fee("0.255")).contains("fee 0.255 has more than two decimals"));
    assertTrue(review(Answer.paid().fee("-0.01")).contains("fee -0.01 is negative"));
    assertTrue(review(Answer.paid().fee("50.00")).contains("fee 50.00 is not less than the amount 50.00"));
    assertTrue(review(Answer.paid().fee("60")).contains("is not less than the amount"));
  }

  @Test
  void aKeyTheProcessorRefusedAsReusedNeedsReview() {
    Answer refused = new Answer(KEY, GatewayAnswer.Status.KEY_REUSED, null, null, null, null, null, null,
        "idempotency_key_reused", "used with different parameters", false);
    Outcome.NeedsReview r = assertInstanceOf(Outcome.NeedsReview.class, RULE.judge(payout(), refused, NOW));
    assertEquals(GatewayAnswerRule.KEY_REUSED, r.code());
    assertTrue(r.reason().contains("refused key " + KEY), r.reason());
    assertTrue(r.reason().contains("idempotency_key_reused"), r.reason());
    assertEquals(GatewayAnswerRule.MISMATCH,
        ((Outcome.NeedsReview) RULE.judge(payout(), Answer.paid().amount("0.01"), NOW)).code());
  }

  @Test
  void aReasonStaysBoundedWhateverTheProcessorSends() {
    String huge = "x".repeat(10_000);
    String reason = review(Answer.paid().ref(huge));
    assertTrue(reason.length() <= GatewayAnswerRule.MAX_REASON, "length " + reason.length());
  }
}
