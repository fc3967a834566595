package com.payouts.domain;

import java.time.Instant;

/** One row of a payout's audit trail: who moved it from where to where, when and why. */
public record PayoutEvent(long id, long payoutId, PayoutStatus from, PayoutStatus to, String actor, String detail, Instant at) {}
