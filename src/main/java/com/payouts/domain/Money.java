package com.payouts.domain;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/** Amounts are BigDecimal with scale 2; this is the one place that parses and formats them. */
public final class Money {
  /** NUMERIC(14,2): twelve digits before the point. */
  public static final BigDecimal MAX = new BigDecimal("999999999999.99");
  private static final Pattern PLAIN = Pattern.compile("^[0-9]{1,12}(\\.[0-9]{1,2})?$");

  private Money() {}

  /**
   * Parses a positive amount written as plain digits with at most two decimals. Refuses exponent
   * forms, signs, more decimals and amounts that do not fit the ledger's columns.
   */
  public static BigDecimal parsePositive(String text) {
    if (text == null || !PLAIN.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "must be a decimal string with at most two decimals, like \"25.00\"");
    }
    BigDecimal v = new BigDecimal(text).setScale(2);
    if (v.signum() <= 0) throw new IllegalArgumentException("must be greater than zero");
    return v;
  }

  public static String format(BigDecimal amount) {
    return amount == null ? null : amount.setScale(2).toPlainString();
  }

  public static BigDecimal of(String text) {
    return new BigDecimal(text).setScale(2);
  }
}
