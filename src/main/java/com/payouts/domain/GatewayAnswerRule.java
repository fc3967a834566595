package com.payouts.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Whether a gateway answer settles the payout it is for. Processors' idempotency keys carry no
 * proof of who executed them: whoever executed a key first (another process, another environment
 * on the same processor account, this service after a restore reused ids) decides the answer. So
 * an answer is believed only when it is about exactly this payment: the key asked, the payout's
 * amount, method, reference and (when the processor recorded one) payee, and for a success a
 * transaction id and a fee the payout can bear. Anything else is {@link Outcome.NeedsReview}: never
 * settled, never released, never paid again automatically.
 */
public final class GatewayAnswerRule {
  /** The payout's error code when the answer did not match the payout. */
  public static final String MISMATCH = "gateway_answer_mismatch";
  /** The payout's error code when the processor refused its key as used for another payment. */
  public static final String KEY_REUSED = "gateway_key_reused";
  /** Reasons are stored and shown; a processor's message must not make them unbounded. */
  static final int MAX_REASON = 500;

  private final RetryPolicy retryPolicy;

  public GatewayAnswerRule(RetryPolicy retryPolicy) {
    this.retryPolicy = retryPolicy;
  }

  /** Paid, declined (with its retry time, if any) or needs review, for the payout's current attempt. */
  public Outcome judge(Payout payout, GatewayAnswer answer, Instant now) {
    if (answer.status() == GatewayAnswer.Status.KEY_REUSED) {
      return review(payout, KEY_REUSED, "the gateway refused key " + payout.gatewayKey()
          + " as already used for a different payment (" + answer.errorCode() + ": " + answer.errorMessage() + ")");
    }
    List<String> wrong = mismatches(payout, answer);
    if (!wrong.isEmpty()) {
      String txn = answer.transactionId() == null ? "" : " (gateway transaction " + answer.transactionId() + ")";
      return review(payout, MISMATCH, String.join("; ", wrong) + txn);
    }
    if (answer.status() == GatewayAnswer.Status.SUCCEEDED) {
      return new Outcome.Paid(payout.id(), payout.version(), answer.transactionId(), answer.fee().setScale(2));
    }
    return new Outcome.Declined(payout.id(), payout.version(), answer.errorCode(), answer.errorMessage(),
        answer.retryable(), retryPolicy.nextRetryAt(answer.retryable(), payout.retryCount(), now).orElse(null));
  }

  /** What in the answer does not belong to the payout; empty when it all does. */
  public static List<String> mismatches(Payout p, GatewayAnswer a) {
    List<String> wrong = new ArrayList<>();
    if (!Objects.equals(a.idempotencyKey(), p.gatewayKey())) {
      wrong.add("the answer is for key " + a.idempotencyKey() + ", not " + p.gatewayKey());
    }
    if (a.amount() == null) wrong.add("the answer has no amount");
    else if (a.amount().compareTo(p.amount()) != 0) {
      wrong.add("amount " + a.amount().toPlainString() + " differs from the payout's " + Money.format(p.amount()));
    }
    if (!p.method().wire().equals(a.method())) wrong.add("method " + a.method() + " differs from the payout's " + p.method().wire());
    if (!p.payoutRef().equals(a.payoutRef())) wrong.add("payout reference " + a.payoutRef() + " is not " + p.payoutRef());
    if (a.destination() != null && !a.destination().equals(p.destination())) {
      wrong.add("destination " + a.destination() + " is not the payout's " + p.destination());
    }
    if (a.status() == GatewayAnswer.Status.SUCCEEDED) {
      if (a.transactionId() == null || a.transactionId().isBlank()) wrong.add("a success without a transaction id");
      BigDecimal fee = a.fee();
      if (fee == null) wrong.add("a success without a fee");
      else if (fee.stripTrailingZeros().scale() > 2) wrong.add("fee " + fee.toPlainString() + " has more than two decimals");
      else if (fee.signum() < 0) wrong.add("fee " + fee.toPlainString() + " is negative");
      else if (fee.compareTo(p.amount()) >= 0) {
        wrong.add("fee " + fee.toPlainString() + " is not less than the amount " + Money.format(p.amount()));
      }
    }
    return wrong;
  }

  private static Outcome review(Payout p, String code, String reason) {
    String bounded = reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON - 1) + "…";
    return new Outcome.NeedsReview(p.id(), p.version(), code, bounded);
  }
}
