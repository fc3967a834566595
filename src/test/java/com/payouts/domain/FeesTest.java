package com.payouts.domain;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FeesTest {
  private static BigDecimal m(String s) {
    return new BigDecimal(s);
  }

  @Test
  void feesPerMethod() {
    assertEquals(m("0.25"), PayoutMethod.STRIPE_BANK.fee(m("100.00")));
    assertEquals(m("2.00"), PayoutMethod.PAYPAL.fee(m("100.00")));
    assertEquals(m("5.00"), PayoutMethod.CHECK.fee(m("100.00")));
    assertEquals(m("99.75"), PayoutMethod.STRIPE_BANK.net(m("100.00")));
    assertEquals(m("98.00"), PayoutMethod.PAYPAL.net(m("100.00")));
    assertEquals(m("95.00"), PayoutMethod.CHECK.net(m("100.00")));
  }

  @Test
  void paypalRoundsHalfUpToTheCent() {
    assertEquals(m("0.01"), PayoutMethod.PAYPAL.fee(m("0.25")), "0.005 rounds up");
    assertEquals(m("0.00"), PayoutMethod.PAYPAL.fee(m("0.24")), "0.0048 rounds down");
    assertEquals(m("0.01"), PayoutMethod.PAYPAL.fee(m("0.74")), "0.0148 rounds down");
    assertEquals(m("0.02"), PayoutMethod.PAYPAL.fee(m("0.75")), "0.015 rounds up");
    assertEquals(m("20.25"), PayoutMethod.PAYPAL.fee(m("1012.50")));
    assertEquals(m("20000000000.00"), PayoutMethod.PAYPAL.fee(m("999999999999.99")), "19999999999.9998 rounds up");
  }

  @Test
  void anAmountMustExceedItsFee() {
    assertFalse(PayoutMethod.STRIPE_BANK.pays(m("0.25")), "equal to the fee pays nothing");
    assertTrue(PayoutMethod.STRIPE_BANK.pays(m("0.26")));
    assertFalse(PayoutMethod.CHECK.pays(m("5.00")));
    assertTrue(PayoutMethod.CHECK.pays(m("5.01")));
    assertFalse(PayoutMethod.PAYPAL.pays(m("0.00")));
    assertTrue(PayoutMethod.PAYPAL.pays(m("0.01")), "fee 0.00 on a cent");
    DomainException e = assertThrows(DomainException.class,
        () -> new NewPayout(1, m("0.25"), PayoutMethod.STRIPE_BANK, null, null));
    assertEquals("amount", e.field());
    assertEquals(m("0.01"), new NewPayout(1, m("0.01"), PayoutMethod.PAYPAL, null, null).net());
  }

  @Test
  void largeAmountsStayExact() {
    NewPayout big = new NewPayout(1, m("999999999999.99"), PayoutMethod.STRIPE_BANK, null, null);
    assertEquals(m("999999999999.74"), big.net());
    assertThrows(DomainException.class,
        () -> new NewPayout(1, m("1000000000000.00"), PayoutMethod.STRIPE_BANK, null, null));
  }

  @Test
  void moneyParsingRefusesEverythingButPlainTwoDecimalStrings() {
    assertEquals(m("25.00"), Money.parsePositive("25"));
    assertEquals(m("0.01"), Money.parsePositive("0.01"));
    for (String bad : new String[] {"0", "0.00", "-1", "+1", "1e3", "1.001", "abc", "", " 1", "1,00", "NaN",
        "Infinity", "0x10", "1000000000000", ".5", "5."}) {
      assertThrows(IllegalArgumentException.class, () -> Money.parsePositive(bad), bad);
    }
  }

  @Test
  void retryPolicyRetriesThreeTimesThenStops() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    RetryPolicy p = RetryPolicy.DEFAULT;
    assertEquals(t.plus(Duration.ofHours(1)), p.nextRetryAt(true, 0, t).orElseThrow());
    assertEquals(t.plus(Duration.ofHours(24)), p.nextRetryAt(true, 1, t).orElseThrow());
    assertEquals(t.plus(Duration.ofDays(7)), p.nextRetryAt(true, 2, t).orElseThrow());
    assertTrue(p.nextRetryAt(true, 3, t).isEmpty());
    assertTrue(p.nextRetryAt(false, 0, t).isEmpty(), "non-retryable errors are never retried");
    assertEquals(RetryPolicy.parse("1s,2s,3s").delays(),
        java.util.List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3)));
    assertThrows(IllegalArgumentException.class, () -> RetryPolicy.parse("1h,soon"));
  }
}
