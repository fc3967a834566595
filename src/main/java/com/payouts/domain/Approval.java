package com.payouts.domain;

import java.time.Instant;

/** One approval of a payout: the staff user's id (null for {@link ApprovalPolicy#AUTO_APPROVER}), the actor as audited, when. */
public record Approval(Long userId, String actor, Instant at) {}
