package com.payouts.domain;

/** Why a payout waits for a person even where the policy would approve it on its own. */
public enum ReviewReason {
  /** The user's requests went beyond a velocity limit. */
  VELOCITY,
  /** The user's first payout request. */
  FIRST_PAYOUT,
  /** Requested within 24 h of a change of the user's payout method. */
  METHOD_CHANGED;

  /** The name on the wire and in the database, made once (a parse compares it with each value). */
  private final String wire = name().toLowerCase(java.util.Locale.ROOT);

  public String wire() {
    return wire;
  }
}
