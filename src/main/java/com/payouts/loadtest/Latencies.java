package com.payouts.loadtest;

import java.util.Arrays;
import java.util.Locale;

/**
 * Approval-to-terminal latencies of one run, in microseconds. A run records at most a few hundred
 * thousand, so every value is kept and the percentiles are exact (nearest rank), not bucketed.
 */
public final class Latencies {
  private long[] values = new long[1024];
  private int count;
  private boolean sorted = true;

  /** Negative values (clock skew between two timestamps) count as zero. */
  public void record(long micros) {
    if (count == values.length) values = Arrays.copyOf(values, values.length * 2);
    values[count++] = Math.max(0, micros);
    sorted = false;
  }

  public int count() {
    return count;
  }

  /**
   * The smallest recorded value that at least {@code percent} % of the values do not exceed
   * (nearest rank); 0 when nothing was recorded.
   */
  public long percentile(double percent) {
    if (!(percent > 0 && percent <= 100)) throw new IllegalArgumentException("percent must be in (0, 100]: " + percent);
    if (count == 0) return 0;
    sort();
    int rank = (int) Math.ceil(percent / 100.0 * count);
    return values[Math.max(1, Math.min(rank, count)) - 1];
  }

  public long max() {
    if (count == 0) return 0;
    sort();
    return values[count - 1];
  }

  /** Whole milliseconds, or one decimal below 10 ms where whole ones would hide the difference; "-" for none (negative). */
  public static String millis(long micros) {
    if (micros < 0) return "-";
    if (micros < 10_000) return String.format(Locale.ROOT, "%.1fms", micros / 1000.0);
    return Math.round(micros / 1000.0) + "ms";
  }

  private void sort() {
    if (!sorted) {
      Arrays.sort(values, 0, count);
      sorted = true;
    }
  }
}
