package com.payouts.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A payout request as stored. {@code gatewayKey} is the idempotency key of its current gateway
 * attempt, fixed when the attempt started (null before the first one). {@code returnCode} and
 * {@code returnedAt}: why and when the bank sent a completed payout back (null unless returned).
 */
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
    int version,
    String gatewayKey,
    List<Approval> approvals,
    int approvalsRequired,
    List<String> reviewReasons,
    String returnCode,
    Instant returnedAt) {

  public Payout {
    approvals = approvals == null ? List.of() : List.copyOf(approvals);
    reviewReasons = reviewReasons == null ? List.of() : List.copyOf(reviewReasons);
  }

  /** A payout from before approval policies: one approval needed, none recorded, no review reasons. */
  public Payout(long id, long userId, String userEmail, BigDecimal amount, BigDecimal fee, BigDecimal netAmount,
      PayoutMethod method, PayoutStatus status, Priority priority, String transactionId, String errorCode,
      String errorMessage, boolean retryable, int retryCount, Instant nextRetryAt, boolean holdsFunds, String notes,
      String rejectionReason, Instant createdAt, Instant approvedAt, Instant rejectedAt, Instant processingStartedAt,
      Instant completedAt, Instant failedAt, Instant updatedAt, int version, String gatewayKey) {
    this(id, userId, userEmail, amount, fee, netAmount, method, status, priority, transactionId, errorCode, errorMessage,
        retryable, retryCount, nextRetryAt, holdsFunds, notes, rejectionReason, createdAt, approvedAt, rejectedAt,
        processingStartedAt, completedAt, failedAt, updatedAt, version, gatewayKey, List.of(), 1, List.of(), null, null);
  }

  /** The same, with its return (code and time; null unless returned). */
  public Payout(long id, long userId, String userEmail, BigDecimal amount, BigDecimal fee, BigDecimal netAmount,
      PayoutMethod method, PayoutStatus status, Priority priority, String transactionId, String errorCode,
      String errorMessage, boolean retryable, int retryCount, Instant nextRetryAt, boolean holdsFunds, String notes,
      String rejectionReason, Instant createdAt, Instant approvedAt, Instant rejectedAt, Instant processingStartedAt,
      Instant completedAt, Instant failedAt, Instant updatedAt, int version, String gatewayKey, String returnCode,
      Instant returnedAt) {
    this(id, userId, userEmail, amount, fee, netAmount, method, status, priority, transactionId, errorCode, errorMessage,
        retryable, retryCount, nextRetryAt, holdsFunds, notes, rejectionReason, createdAt, approvedAt, rejectedAt,
        processingStartedAt, completedAt, failedAt, updatedAt, version, gatewayKey, List.of(), 1, List.of(), returnCode,
        returnedAt);
  }

  /** Whether {@code userId} has approved it already. */
  public boolean approvedBy(long userId) {
    return approvals.stream().anyMatch(a -> a.userId() != null && a.userId() == userId);
  }

  /**
   * The key of attempt {@code attempt} (0 first, then one per retry) in installation
   * {@code installationId}. The installation id keeps two installations sharing a processor
   * account (or one restored over another's ids) from ever asking under the same key.
   */
  public static String gatewayKey(String installationId, long payoutId, int attempt) {
    return String.format(gatewayKeyFormat(installationId), payoutId, attempt);
  }

  /**
   * The same key as a format of two {@code %s}, the payout id then the attempt, that both
   * {@link String#format} and Postgres' {@code format()} read: the statements that start an attempt
   * build its key in SQL from this, so there is one definition of the format.
   */
  public static String gatewayKeyFormat(String installationId) {
    if (installationId == null || !installationId.matches("[A-Za-z0-9]{8,64}")) {
      throw new IllegalArgumentException("installation id must be 8-64 letters or digits");
    }
    return "payout-" + installationId + "-%s-%s";
  }

  /** The key attempts were paid under before installations had ids (kept by migration V5). */
  public static String legacyGatewayKey(long payoutId, int attempt) {
    return "payout-" + payoutId + "-" + attempt;
  }

  /** The reference the gateway pays and echoes back: this payout. */
  public String payoutRef() {
    return Long.toString(id);
  }

  /** The payee at the gateway: the user's account there (a real adapter would map the user's payout details). */
  public String destination() {
    return "user-" + userId;
  }

  /** A failed payout that still holds its funds can be tried again. */
  public boolean canRetry() {
    return PayoutAction.RETRY.appliesTo(this);
  }
}
