package com.payouts.stats;

import java.util.List;

/** Terminal gateway outcomes (completed or failed) per second over the last {@code windowSeconds}, oldest first. */
public record Throughput(int windowSeconds, long lastMinute, List<Long> perSecond) {
  public Throughput {
    perSecond = List.copyOf(perSecond);
  }
}
