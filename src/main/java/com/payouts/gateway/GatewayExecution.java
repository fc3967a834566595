package com.payouts.gateway;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One execution as the processor's own report lists it: what it ran under a key, for which payout
 * and payee, and how it ended; {@code returnCode} and {@code returnedAt} when the bank sent a paid
 * one back. Reconciliation compares these with the service's payouts.
 */
public record GatewayExecution(String idempotencyKey, String payoutRef, String destination, String method,
    BigDecimal amount, BigDecimal fee, boolean succeeded, String transactionId, String errorCode, Instant at,
    String returnCode, Instant returnedAt) {

  public boolean returned() {
    return returnCode != null;
  }
}
