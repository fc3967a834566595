package com.payouts.service;

import com.payouts.domain.Payout;

/**
 * What processing did to one payout: completed or failed (with the payout as written), needs
 * review (the gateway's answer did not belong to it; its funds stay held), unknown (the gateway's
 * answer did not arrive; the payout waits in processing for a lookup), or skipped (it was not in a
 * state this call may move, e.g. another worker already took it, or its user is not eligible for
 * payouts now).
 */
public record ProcessResult(long payoutId, Kind kind, Payout payout, String detail) {
  public enum Kind { COMPLETED, FAILED, NEEDS_REVIEW, UNKNOWN, SKIPPED }

  public static ProcessResult of(Payout p) {
    return new ProcessResult(p.id(), switch (p.status()) {
      case COMPLETED -> Kind.COMPLETED;
      case FAILED -> Kind.FAILED;
      case NEEDS_REVIEW -> Kind.NEEDS_REVIEW;
      default -> Kind.UNKNOWN;
    }, p, null);
  }
}
