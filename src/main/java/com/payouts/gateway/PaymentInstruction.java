package com.payouts.gateway;

import com.payouts.domain.PayoutMethod;
import java.math.BigDecimal;

/** What the service asks the processor to pay. {@code payoutRef} is informational only. */
public record PaymentInstruction(String idempotencyKey, String payoutRef, PayoutMethod method, BigDecimal amount) {}
