package com.payouts.domain;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * The kinds of wallet ledger rows, and what each does to the wallet's two balances: earnings are
 * credited to available; a request holds its amount (available to held); a reject or a final
 * failure releases the hold (held back to available); a completion settles it (held paid out); a
 * return gives a settled amount back to available.
 */
public enum LedgerKind {
  CREDIT(1, 0), HOLD(-1, 1), RELEASE(1, -1), SETTLE(0, -1), RETURN(1, 0);

  /** The name on the wire and in the database, made once (a parse compares it with each value). */
  private final String wire = name().toLowerCase(Locale.ROOT);

  private final int availableSign;
  private final int heldSign;

  LedgerKind(int availableSign, int heldSign) {
    this.availableSign = availableSign;
    this.heldSign = heldSign;
  }

  /** What a row of this kind for {@code amount} adds to available (negative: takes away). */
  public BigDecimal availableDelta(BigDecimal amount) {
    return signed(availableSign, amount);
  }

  public BigDecimal heldDelta(BigDecimal amount) {
    return signed(heldSign, amount);
  }

  private static BigDecimal signed(int sign, BigDecimal amount) {
    return sign == 0 ? BigDecimal.ZERO : sign > 0 ? amount : amount.negate();
  }

  public String wire() {
    return wire;
  }

  public static LedgerKind parse(String s) {
    for (LedgerKind k : values()) {
      if (k.wire().equals(s)) return k;
    }
    throw new IllegalArgumentException("unknown ledger kind '" + s + "'");
  }
}
