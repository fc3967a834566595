package com.payouts.service;

import com.payouts.domain.Payout;
import java.util.Optional;

/** What applying a gateway event did: whether it was new (a replay is not), and the payout it returned. */
public record AppliedEvent(boolean fresh, Optional<Payout> returned) {}
