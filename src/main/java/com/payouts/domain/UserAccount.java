package com.payouts.domain;

import java.math.BigDecimal;
import java.time.Instant;

/** A user with the balances of their wallet. */
public record UserAccount(
    long id, String email, String name, boolean staff, boolean eligible, String eligibilityReason,
    PayoutMethod preferredMethod, BigDecimal available, BigDecimal held, Instant createdAt) {}
