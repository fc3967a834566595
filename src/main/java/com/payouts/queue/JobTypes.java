package com.payouts.queue;

import java.util.Set;

/** The job types the processors know; the wire names match the old Django Q task names. */
public final class JobTypes {
  public static final String PROCESS_SINGLE_PAYOUT = "process_single_payout";
  public static final String BATCH_PROCESS_PAYOUTS = "batch_process_payouts";
  public static final String RETRY_FAILED_PAYOUT = "retry_failed_payout";
  public static final String AUTO_RETRY_FAILED_PAYOUTS = "auto_retry_failed_payouts";

  public static final Set<String> ALL = Set.of(
      PROCESS_SINGLE_PAYOUT, BATCH_PROCESS_PAYOUTS, RETRY_FAILED_PAYOUT, AUTO_RETRY_FAILED_PAYOUTS);

  public static boolean isKnown(String type) {
    return ALL.contains(type);
  }

  private JobTypes() {}
}
