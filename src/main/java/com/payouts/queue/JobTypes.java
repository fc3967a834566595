package com.payouts.queue;

/**
 * The wire names of the job types ({@link PayoutJob} is what they mean); they match the old
 * Django Q task names, so jobs queued before an upgrade are still read.
 */
public final class JobTypes {
  public static final String PROCESS_SINGLE_PAYOUT = "process_single_payout";
  public static final String BATCH_PROCESS_PAYOUTS = "batch_process_payouts";
  public static final String RETRY_FAILED_PAYOUT = "retry_failed_payout";
  public static final String AUTO_RETRY_FAILED_PAYOUTS = "auto_retry_failed_payouts";

  private JobTypes() {}
}
