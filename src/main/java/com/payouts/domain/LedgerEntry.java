package com.payouts.domain;

import java.math.BigDecimal;
import java.time.Instant;

/** One append-only wallet transaction. */
public record LedgerEntry(
    long id, long userId, Long payoutId, LedgerKind kind, BigDecimal amount,
    BigDecimal availableDelta, BigDecimal heldDelta, String reason, Instant at) {}
