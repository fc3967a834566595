package com.payouts.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** How a payout reaches the user, and what the processor charges for it. */
public enum PayoutMethod {
  STRIPE_BANK, PAYPAL, CHECK;

  /** The name on the wire and in the database, made once (a parse compares it with each value). */
  private final String wire = name().toLowerCase(Locale.ROOT);

  private static final BigDecimal STRIPE_FLAT = new BigDecimal("0.25");
  private static final BigDecimal PAYPAL_RATE = new BigDecimal("0.02");
  private static final BigDecimal CHECK_FLAT = new BigDecimal("5.00");

  /** The processor's fee for paying {@code amount}; PayPal's 2 % is rounded half-up to the cent. */
  public BigDecimal fee(BigDecimal amount) {
    return switch (this) {
      case STRIPE_BANK -> STRIPE_FLAT;
      case PAYPAL -> amount.multiply(PAYPAL_RATE).setScale(2, RoundingMode.HALF_UP);
      case CHECK -> CHECK_FLAT;
    };
  }

  public BigDecimal net(BigDecimal amount) {
    return amount.subtract(fee(amount));
  }

  /** An amount that does not exceed its fee would pay the user nothing. */
  public boolean pays(BigDecimal amount) {
    return amount.compareTo(fee(amount)) > 0;
  }

  public String wire() {
    return wire;
  }

  public static PayoutMethod parse(String s) {
    for (PayoutMethod v : values()) {
      if (v.wire().equals(s)) return v;
    }
    throw new IllegalArgumentException("unknown method '" + s + "' (stripe_bank, paypal or check)");
  }
}
