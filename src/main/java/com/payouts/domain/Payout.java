package com.payouts.domain;

import java.math.BigDecimal;
import java.time.Instant;

/** A payout request as stored. */
public record Payout(
    long id,
    long userId,
    String userEmail,
    BigDecimal amount,
    BigDecimal fee,
    BigDecimal netAmount,
    PayoutMethod method,
    PayoutStatus status,
    Priority priority,
    String transactionId,
    String errorCode,
    String errorMessage,
    boolean retryable,
    int retryCount,
    Instant nextRetryAt,
    boolean holdsFunds,
    String notes,
    String rejectionReason,
    Instant createdAt,
    Instant approvedAt,
    Instant rejectedAt,
    Instant processingStartedAt,
    Instant completedAt,
    Instant failedAt,
    Instant updatedAt,
    int version) {

  /** The gateway key of the current attempt: stable across crashes and redeliveries of one attempt. */
  public String idempotencyKey() {
    return gatewayKey(id, retryCount);
  }

  public static String gatewayKey(long payoutId, int attempt) {
    return "payout-" + payoutId + "-" + attempt;
  }

  /** A failed payout that still holds its funds can be tried again. */
  public boolean canRetry() {
    return status == PayoutStatus.FAILED && holdsFunds;
  }
}
