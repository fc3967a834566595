package com.payouts.domain;

import java.math.BigDecimal;
import java.time.Instant;

/** What the gateway did for one claimed payout, to be written back in a batch. */
public sealed interface Outcome {
  long payoutId();

  int expectedVersion();

  record Paid(long payoutId, int expectedVersion, String transactionId, BigDecimal fee) implements Outcome {}

  /** nextRetryAt null means final: the hold is released. */
  record Declined(long payoutId, int expectedVersion, String errorCode, String errorMessage,
      boolean retryable, Instant nextRetryAt) implements Outcome {}

  /**
   * The answer did not belong to this payout: nothing is settled or released, the funds stay held
   * until an operator decides. {@code code} says which kind of problem, {@code reason} what did not match.
   */
  record NeedsReview(long payoutId, int expectedVersion, String code, String reason) implements Outcome {}
}
