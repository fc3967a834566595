package com.payouts.domain;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Short duration strings used in configuration and filters: 250ms, 30s, 5m, 1h, 7d. */
public final class Durations {
  private static final Pattern P = Pattern.compile("^([0-9]{1,9})(ms|s|m|h|d)$");

  private Durations() {}

  public static Duration parse(String text) {
    Matcher m = P.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration like 250ms, 30s, 5m, 1h or 7d");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
