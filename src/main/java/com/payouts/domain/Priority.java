package com.payouts.domain;

import java.util.Locale;

/** Processing priority: urgent first, low last, first-in first-out within one. */
public enum Priority {
  URGENT(0), HIGH(1), NORMAL(2), LOW(3);

  /** The name on the wire and in the database, made once (a parse compares it with each value). */
  private final String wire = name().toLowerCase(Locale.ROOT);

  private final int rank;

  Priority(int rank) {
    this.rank = rank;
  }

  /** 0 is served first. */
  public int rank() {
    return rank;
  }

  public String wire() {
    return wire;
  }

  public static Priority parse(String s) {
    for (Priority v : values()) {
      if (v.wire().equals(s)) return v;
    }
    throw new IllegalArgumentException("unknown priority '" + s + "' (urgent, high, normal or low)");
  }
}
