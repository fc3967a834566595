package com.payouts.domain;

import java.math.BigDecimal;

/** A validated request for a payout: the amount pays more than its fee. */
public record NewPayout(long userId, BigDecimal amount, PayoutMethod method, Priority priority, String notes) {
  public static final int MAX_NOTES = 2000;

  public NewPayout {
    if (userId <= 0) throw new DomainException(DomainException.Kind.INVALID, "userId", "must be a positive id");
    if (amount == null || amount.signum() <= 0 || amount.scale() > 2 || amount.compareTo(Money.MAX) > 0) {
      throw new DomainException(DomainException.Kind.INVALID, "amount", "must be between 0.01 and " + Money.MAX);
    }
    amount = amount.setScale(2);
    if (method == null) throw new DomainException(DomainException.Kind.INVALID, "method", "is required");
    if (!method.pays(amount)) {
      throw new DomainException(DomainException.Kind.INVALID, "amount",
          "must exceed the " + method.wire() + " fee of " + Money.format(method.fee(amount)));
    }
    if (priority == null) priority = Priority.NORMAL;
    if (notes != null && notes.length() > MAX_NOTES) {
      throw new DomainException(DomainException.Kind.INVALID, "notes", "must be at most " + MAX_NOTES + " characters");
    }
  }

  public BigDecimal fee() {
    return method.fee(amount);
  }

  public BigDecimal net() {
    return method.net(amount);
  }
}
