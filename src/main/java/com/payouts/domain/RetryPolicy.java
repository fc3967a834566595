package com.payouts.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** When a failed payout with a retryable error is tried again: after each delay in turn, then never. */
public record RetryPolicy(List<Duration> delays) {
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(List.of(Duration.ofHours(1), Duration.ofHours(24), Duration.ofDays(7)));

  public RetryPolicy {
    delays = List.copyOf(delays);
  }

  public int maxRetries() {
    return delays.size();
  }

  /** Due time of the next retry after a failure, or empty when the payout has used its retries. */
  public Optional<Instant> nextRetryAt(boolean retryable, int retriesSoFar, Instant failedAt) {
    if (!retryable || retriesSoFar >= delays.size()) return Optional.empty();
    return Optional.of(failedAt.plus(delays.get(retriesSoFar)));
  }

  /** Parses "1h,24h,7d" (units ms, s, m, h, d). */
  public static RetryPolicy parse(String spec) {
    List<Duration> out = new ArrayList<>();
    for (String part : spec.split(",")) {
      out.add(Durations.parse(part.trim()));
    }
    if (out.isEmpty()) throw new IllegalArgumentException("no delays");
    return new RetryPolicy(out);
  }
}
