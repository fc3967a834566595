package com.payouts.domain;

import java.util.List;

/** A page of a payout list and the cursor of the next page (null on the last). */
public record PayoutPage(List<Payout> items, PayoutFilter.Cursor next) {}
