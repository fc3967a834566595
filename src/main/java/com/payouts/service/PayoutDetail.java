package com.payouts.service;

import com.payouts.domain.LedgerEntry;
import com.payouts.domain.Payout;
import com.payouts.domain.PayoutEvent;
import java.util.List;

/** One payout as a reader sees it: the payout, its audit trail and its ledger rows, oldest first. */
public record PayoutDetail(Payout payout, List<PayoutEvent> events, List<LedgerEntry> ledger) {
  public PayoutDetail {
    events = List.copyOf(events);
    ledger = List.copyOf(ledger);
  }
}
