package com.payouts.bus;

/** Event-bus addresses, in one place. Browser-facing ones start with "dashboard.". */
public final class Addresses {
  /** Every committed status transition, one JSON message each (see {@link TransitionMessage}). */
  public static final String PAYOUT_TRANSITIONS = "payouts.transitions";
  /** Batched transitions for browsers. */
  public static final String DASHBOARD_PAYOUTS = "dashboard.payouts";
  /** Coalesced stats snapshots for browsers. */
  public static final String DASHBOARD_STATS = "dashboard.stats";

  /** Hint that jobs were enqueued, so idle processors (on every node of a cluster) claim at once instead of at their next poll. */
  public static final String QUEUE_WAKE = "payouts.queue.wake";

  /** Published locally when a session ends (logout, or replaced at login): {"sessionId": "<sessions.id>"}. */
  public static final String LOGOUT = "auth.logout";

  private Addresses() {}
}
