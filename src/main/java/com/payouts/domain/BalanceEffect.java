package com.payouts.domain;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * What one transition of a payout does to its user's wallet: hold the amount, release the hold,
 * settle it, give a settled amount back (a return), or keep things as they are (a hold the payout
 * has stays where it is).
 */
public enum BalanceEffect {
  HOLD(LedgerKind.HOLD), RELEASE(LedgerKind.RELEASE), SETTLE(LedgerKind.SETTLE), RETURN(LedgerKind.RETURN),
  KEEP(null);

  private final LedgerKind ledgerKind;

  BalanceEffect(LedgerKind ledgerKind) {
    this.ledgerKind = ledgerKind;
  }

  /** The ledger row the transition writes; none when it keeps the balances as they are. */
  public Optional<LedgerKind> ledgerKind() {
    return Optional.ofNullable(ledgerKind);
  }

  public boolean movesMoney() {
    return ledgerKind != null;
  }

  public BigDecimal availableDelta(BigDecimal amount) {
    return ledgerKind == null ? BigDecimal.ZERO : ledgerKind.availableDelta(amount);
  }

  public BigDecimal heldDelta(BigDecimal amount) {
    return ledgerKind == null ? BigDecimal.ZERO : ledgerKind.heldDelta(amount);
  }

  /** Whether the payout holds its funds after a transition with this effect, given whether it did before. */
  public boolean holdsFundsAfter(boolean before) {
    return switch (this) {
      case HOLD -> true;
      case RELEASE, SETTLE, RETURN -> false;
      case KEEP -> before;
    };
  }

  /**
   * The effect of the transition that has just written {@code p}, read from the status it arrived
   * in and, for a failure, whether it still holds its funds (a retry is scheduled).
   */
  public static BalanceEffect of(Payout written) {
    return PayoutAction.effectOfArriving(written.status(), written.holdsFunds());
  }
}
