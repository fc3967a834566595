package com.payouts.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What written transitions do to one user's wallet, summed over them: the change of available and
 * of held, in exact decimals. Each payout contributes its transition's {@link BalanceEffect}.
 */
public record WalletChange(long userId, BigDecimal available, BigDecimal held) {

  /**
   * Per user in user id order (the order wallets are locked in), leaving out users whose payouts
   * moved no money (e.g. only failures that will be retried).
   */
  public static List<WalletChange> of(List<Payout> written) {
    Map<Long, WalletChange> byUser = new TreeMap<>();
    for (Payout p : written) {
      BalanceEffect effect = BalanceEffect.of(p);
      if (!effect.movesMoney()) continue;
      byUser.merge(p.userId(),
          new WalletChange(p.userId(), effect.availableDelta(p.amount()), effect.heldDelta(p.amount())),
          WalletChange::plus);
    }
    return new ArrayList<>(byUser.values());
  }

  private WalletChange plus(WalletChange other) {
    return new WalletChange(userId, available.add(other.available), held.add(other.held));
  }
}
