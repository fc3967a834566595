package com.payouts.domain;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The lifecycle of a payout request and the only transitions it allows. NEEDS_REVIEW: the
 * gateway's answer did not belong to the payout (see {@link GatewayAnswerRule}); its funds stay
 * held and nothing moves it automatically.
 */
public enum PayoutStatus {
  PENDING, APPROVED, REJECTED, PROCESSING, COMPLETED, FAILED, NEEDS_REVIEW;

  public Set<PayoutStatus> next() {
    return switch (this) {
      case PENDING -> EnumSet.of(APPROVED, REJECTED);
      case APPROVED -> EnumSet.of(PROCESSING);
      case PROCESSING -> EnumSet.of(COMPLETED, FAILED, NEEDS_REVIEW);
      case FAILED -> EnumSet.of(PROCESSING); // a retry
      // What an operator does with a payout in review is not automated (yet): no transition out.
      case REJECTED, COMPLETED, NEEDS_REVIEW -> EnumSet.noneOf(PayoutStatus.class);
    };
  }

  public boolean canMoveTo(PayoutStatus target) {
    return next().contains(target);
  }

  /** Terminal for the lifecycle; a failed payout may still be retried while it holds its funds. */
  public boolean isTerminal() {
    return this == REJECTED || this == COMPLETED || this == FAILED;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static PayoutStatus parse(String s) {
    for (PayoutStatus v : values()) {
      if (v.wire().equals(s)) return v;
    }
    throw new IllegalArgumentException("unknown status '" + s + "'");
  }
}
