package com.payouts.domain;

import java.time.Instant;

/** One switch of a user's payouts off or on: by whom ({@code actor}), why, when. */
public record EligibilityEvent(long id, long userId, boolean eligible, String reason, String actor, Instant at) {}
