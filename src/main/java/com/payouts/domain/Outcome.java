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
}
