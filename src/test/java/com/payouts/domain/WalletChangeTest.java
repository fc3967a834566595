package com.payouts.domain;

import static com.payouts.domain.PayoutActionTest.payout;
import static org.junit.jupiter.api.Assertions.*;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a batch of written transitions does to the wallets, summed per user, without a database. */
class WalletChangeTest {
  @Test
  void sumsPerUserInUserIdOrderWithExactDecimals() {
    List<WalletChange> changes = WalletChange.of(List.of(
        payout(1, 9, "10.10", PayoutStatus.COMPLETED, false),
        payout(2, 3, "0.01", PayoutStatus.FAILED, false),
        payout(3, 9, "5.05", PayoutStatus.FAILED, false),
        payout(4, 3, "7.00", PayoutStatus.FAILED, true),
        payout(5, 9, "999999999999.99", PayoutStatus.COMPLETED, false),
        payout(6, 5, "2.00", PayoutStatus.FAILED, true),
        payout(7, 3, "1.00", PayoutStatus.REJECTED, false),
        payout(8, 1, "0.10", PayoutStatus.NEEDS_REVIEW, true),
        payout(9, 7, "3.30", PayoutStatus.PENDING, true),
        payout(10, 2, "0.20", PayoutStatus.COMPLETED, false)));
    assertEquals(List.of(
        new WalletChange(2, new BigDecimal("0"), new BigDecimal("-0.20")),
        new WalletChange(3, new BigDecimal("1.01"), new BigDecimal("-1.01")),
        new WalletChange(7, new BigDecimal("-3.30"), new BigDecimal("3.30")),
        new WalletChange(9, new BigDecimal("5.05"), new BigDecimal("-1000000000015.14"))),
        changes, "users 1 and 5 moved nothing; the rest in user id order");
  }

  @Test
  void transitionsThatKeepTheHoldChangeNoWallet() {
    assertTrue(WalletChange.of(List.of(
        payout(1, 2, "3.00", PayoutStatus.FAILED, true),
        payout(2, 2, "3.00", PayoutStatus.APPROVED, true),
        payout(3, 4, "3.00", PayoutStatus.PROCESSING, true),
        payout(4, 4, "3.00", PayoutStatus.NEEDS_REVIEW, true))).isEmpty());
    assertTrue(WalletChange.of(List.of()).isEmpty());
  }

  @Test
  void manySmallAmountsSumWithoutRounding() {
    List<Payout> cents = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) cents.add(payout(i, 42, "0.01", PayoutStatus.REJECTED, false));
    WalletChange c = WalletChange.of(cents).get(0);
    assertEquals("10.00", c.available().toPlainString());
    assertEquals("-10.00", c.held().toPlainString());
  }
}
