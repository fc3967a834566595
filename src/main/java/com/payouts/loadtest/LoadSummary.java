package com.payouts.loadtest;

import java.util.Locale;

/**
 * The run's one-line result. Throughput is terminal payouts over the span from the first approval
 * to the last terminal state, both taken from the server's timestamps.
 */
public record LoadSummary(int n, double payoutsPerSecond, long p50Micros, long p99Micros, long maxMicros,
    int completed, int failed, int unfinished, long httpErrors, String invariants) {

  public static double throughput(int terminal, long firstApprovedMicros, long lastTerminalMicros) {
    long span = lastTerminalMicros - firstApprovedMicros;
    if (terminal == 0 || span <= 0) return 0;
    return terminal / (span / 1e6);
  }

  public boolean succeeded() {
    return unfinished == 0 && !invariants.startsWith("broken");
  }

  public String line() {
    return String.format(Locale.ROOT,
        "N=%d payouts/s=%.0f p50=%s p99=%s max=%s completed=%d failed=%d unfinished=%d http_errors=%d invariants=%s",
        n, payoutsPerSecond, Latencies.millis(p50Micros), Latencies.millis(p99Micros), Latencies.millis(maxMicros),
        completed, failed, unfinished, httpErrors, invariants);
  }
}
