package com.payouts.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.payouts.domain.Payout;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.PayoutStatus;
import com.payouts.domain.Priority;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WalletDeltasTest {
  private static Payout payout(long id, long user, String amount, PayoutStatus status, boolean holdsFunds) {
    BigDecimal a = new BigDecimal(amount);
    return new Payout(id, user, "u@example.com", a, BigDecimal.ZERO, a, PayoutMethod.CHECK, status, Priority.NORMAL,
        null, null, null, false, 0, null, holdsFunds, null, null, Instant.EPOCH, null, null, null, null, null,
        Instant.EPOCH, 1, null, null, null);
  }

  @Test
  void settlesCompletedReleasesRejectedAndFinalFailuresKeepsRetryableOnesAndSortsByUser() {
    WalletDeltas d = WalletDeltas.of(List.of(
        payout(1, 9, "10.10", PayoutStatus.COMPLETED, false),
        payout(2, 3, "0.01", PayoutStatus.FAILED, false),
        payout(3, 9, "5.05", PayoutStatus.FAILED, false),
        payout(4, 3, "7.00", PayoutStatus.FAILED, true),
        payout(5, 9, "999999999999.99", PayoutStatus.COMPLETED, false),
        payout(6, 5, "2.00", PayoutStatus.FAILED, true),
        payout(7, 3, "1.00", PayoutStatus.REJECTED, false)));
    assertArrayEquals(new Long[] {3L, 9L}, d.userIds());
    assertArrayEquals(new String[] {"1.01", "5.05"}, d.available());
    assertArrayEquals(new String[] {"-1.01", "-1000000000015.14"}, d.held());
  }

  @Test
  void aGroupOfRetryableFailuresTouchesNoWallet() {
    assertTrue(WalletDeltas.of(List.of(payout(1, 2, "3.00", PayoutStatus.FAILED, true))).isEmpty());
  }
}
