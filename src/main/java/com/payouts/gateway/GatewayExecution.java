package com.payouts.gateway;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One execution as the processor's own report lists it: what it ran under a key, for which payout
 * and payee, and how it ended. Reconciliation compares these with the service's payouts.
 */
public record GatewayExecution(String idempotencyKey, String payoutRef, String destination, String method,
    BigDecimal amount, BigDecimal fee, boolean succeeded, String transactionId, String errorCode, Instant at) {}
