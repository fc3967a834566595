package com.payouts.gateway;

import com.payouts.domain.PayoutMethod;
import java.math.BigDecimal;

/**
 * What the service asks the processor to pay: {@code amount} by {@code method} to
 * {@code destination} (the payee), for payout {@code payoutRef}, under {@code idempotencyKey}. A
 * processor refuses the key when it was already used with any other of these.
 */
public record PaymentInstruction(String idempotencyKey, String payoutRef, PayoutMethod method, BigDecimal amount,
    String destination) {}
