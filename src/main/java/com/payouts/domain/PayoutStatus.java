package com.payouts.domain;

import java.util.Locale;
import java.util.Set;

/**
 * Where a payout request is in its lifecycle; which status moves to which, by which action, is
 * {@link PayoutAction}'s table. NEEDS_REVIEW: the gateway's answer did not belong to the payout
 * (see {@link GatewayAnswerRule}); its funds stay held and nothing moves it automatically.
 * RETURNED: the bank gave a completed payout back; nothing retries it on its own.
 */
public enum PayoutStatus {
  PENDING, APPROVED, REJECTED, PROCESSING, COMPLETED, FAILED, NEEDS_REVIEW,
  /** Paid, then sent back by the bank (account closed, wrong number...): the amount is available again. */
  RETURNED;

  /** The name on the wire and in the database, made once (a parse compares it with each value). */
  private final String wire = name().toLowerCase(Locale.ROOT);

  /** The statuses an action of the lifecycle moves a payout in this one to. */
  public Set<PayoutStatus> next() {
    return PayoutAction.targets(this);
  }

  public boolean canMoveTo(PayoutStatus target) {
    return next().contains(target);
  }

  /** Terminal for the lifecycle; a failed payout may still be retried while it holds its funds. */
  public boolean isTerminal() {
    return this == REJECTED || this == COMPLETED || this == FAILED || this == RETURNED;
  }

  public String wire() {
    return wire;
  }

  public static PayoutStatus parse(String s) {
    for (PayoutStatus v : values()) {
      if (v.wire().equals(s)) return v;
    }
    throw new IllegalArgumentException("unknown status '" + s + "'");
  }
}
