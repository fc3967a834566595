package com.payouts.service;

import com.payouts.domain.LedgerEntry;
import java.util.List;

/** A page of a user's ledger, newest first, and the row id to read the next page before (null on the last). */
public record LedgerPage(List<LedgerEntry> items, Long nextBefore) {
  public LedgerPage {
    items = List.copyOf(items);
  }
}
