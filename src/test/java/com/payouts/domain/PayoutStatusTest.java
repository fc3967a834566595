package com.payouts.domain;

import static com.payouts.domain.PayoutStatus.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PayoutStatusTest {
  private static final Set<String> ALLOWED = Set.of(
      "PENDING>APPROVED", "PENDING>REJECTED", "APPROVED>PROCESSING",
      "PROCESSING>COMPLETED", "PROCESSING>FAILED", "PROCESSING>NEEDS_REVIEW", "FAILED>PROCESSING",
      "COMPLETED>RETURNED");

  @Test
  void everyPairIsAllowedExactlyWhenTheLifecycleSaysSo() {
    int allowed = 0;
    for (PayoutStatus from : values()) {
      for (PayoutStatus to : values()) {
        boolean expected = ALLOWED.contains(from + ">" + to);
        assertEquals(expected, from.canMoveTo(to), from + " -> " + to);
        if (expected) allowed++;
      }
    }
    assertEquals(8, allowed);
  }

  @Test
  void completedAndRejectedAreDeadEnds() {
    assertEquals(EnumSet.of(RETURNED), COMPLETED.next(), "only the bank's return moves a completed payout");
    assertEquals(EnumSet.noneOf(PayoutStatus.class), RETURNED.next(), "nothing retries a returned payout");
    assertEquals(EnumSet.noneOf(PayoutStatus.class), REJECTED.next());
    assertEquals(EnumSet.noneOf(PayoutStatus.class), NEEDS_REVIEW.next(), "only an operator moves a payout in review");
    assertFalse(PENDING.canMoveTo(PROCESSING), "a payout must be approved before it is paid");
    assertFalse(PENDING.canMoveTo(COMPLETED));
    assertFalse(APPROVED.canMoveTo(REJECTED));
    assertFalse(FAILED.canMoveTo(COMPLETED), "a failed payout is paid only through a new attempt");
  }

  @Test
  void wireNamesRoundTripAndUnknownIsRefused() {
    for (PayoutStatus s : values()) assertEquals(s, PayoutStatus.parse(s.wire()));
    assertEquals("pending", PENDING.wire());
    assertThrows(IllegalArgumentException.class, () -> PayoutStatus.parse("PENDING"));
    assertThrows(IllegalArgumentException.class, () -> PayoutStatus.parse("paid"));
  }
}
