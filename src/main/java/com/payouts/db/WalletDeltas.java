package com.payouts.db;

import com.payouts.domain.Payout;
import com.payouts.domain.PayoutStatus;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a batch of written transitions does to the wallets, summed per user in user id order: a
 * completed payout settles its hold (held down), a rejected or finally failed one releases it (held
 * down, available up), a failed one that will be retried keeps it. Exact decimals, passed as text.
 */
record WalletDeltas(Long[] userIds, String[] available, String[] held) {

  static WalletDeltas of(List<Payout> written) {
    Map<Long, BigDecimal[]> byUser = new TreeMap<>();
    for (Payout p : written) {
      boolean settled = p.status() == PayoutStatus.COMPLETED;
      boolean released = p.status() == PayoutStatus.REJECTED
          || (p.status() == PayoutStatus.FAILED && !p.holdsFunds());
      if (!settled && !released) continue;
      BigDecimal[] d = byUser.computeIfAbsent(p.userId(), k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
      if (released) d[0] = d[0].add(p.amount());
      d[1] = d[1].subtract(p.amount());
    }
    int n = byUser.size();
    Long[] ids = new Long[n];
    String[] available = new String[n];
    String[] held = new String[n];
    int i = 0;
    for (Map.Entry<Long, BigDecimal[]> e : byUser.entrySet()) {
      ids[i] = e.getKey();
      available[i] = e.getValue()[0].toPlainString();
      held[i] = e.getValue()[1].toPlainString();
      i++;
    }
    return new WalletDeltas(ids, available, held);
  }

  int size() {
    return userIds.length;
  }

  boolean isEmpty() {
    return userIds.length == 0;
  }
}
