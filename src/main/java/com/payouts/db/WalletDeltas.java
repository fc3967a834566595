package com.payouts.db;

import com.payouts.domain.Payout;
import com.payouts.domain.WalletChange;
import java.util.List;

/**
 * The domain's {@link WalletChange}s of a batch of written transitions, packed as the arrays
 * {@link PayoutSql#WALLET_DELTAS} takes: user ids in the order the changes come (user id order),
 * and the exact decimals as text.
 */
record WalletDeltas(Long[] userIds, String[] available, String[] held) {

  static WalletDeltas of(List<Payout> written) {
    List<WalletChange> changes = WalletChange.of(written);
    int n = changes.size();
    Long[] ids = new Long[n];
    String[] available = new String[n];
    String[] held = new String[n];
    for (int i = 0; i < n; i++) {
      WalletChange c = changes.get(i);
      ids[i] = c.userId();
      available[i] = c.available().toPlainString();
      held[i] = c.held().toPlainString();
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
