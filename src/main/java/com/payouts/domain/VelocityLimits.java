package com.payouts.domain;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Per-user limits on payout requests in a sliding window, for example
 * {@code count=5/24h,amount=2000.00/24h}: a request beyond one is still created (its funds held) but
 * carries {@link ReviewReason#VELOCITY} and is never auto-approved. Either limit may be absent.
 */
public record VelocityLimits(Integer count, Duration countWindow, BigDecimal amount, Duration amountWindow) {
  public static final VelocityLimits NONE = new VelocityLimits(null, null, null, null);

  public static VelocityLimits parse(String text) {
    if (text == null || text.isBlank()) return NONE;
    Integer count = null;
    Duration countWindow = null;
    BigDecimal amount = null;
    Duration amountWindow = null;
    for (String pair : text.split(",")) {
      String[] kv = pair.trim().split("=", 2);
      String[] limit = kv.length == 2 ? kv[1].trim().split("/", 2) : new String[0];
      if (limit.length != 2) {
        throw new IllegalArgumentException("expected count=N/WINDOW and amount=AMOUNT/WINDOW, like count=5/24h; got '"
            + pair.trim() + "'");
      }
      Duration window = Durations.parse(limit[1].trim());
      if (window.isZero()) throw new IllegalArgumentException("a window must be longer than zero");
      switch (kv[0].trim()) {
        case "count" -> {
          if (count != null) throw new IllegalArgumentException("count is given twice");
          try {
            count = Integer.parseInt(limit[0].trim());
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("count must be a whole number");
          }
          if (count < 1) throw new IllegalArgumentException("count must be at least 1");
          countWindow = window;
        }
        case "amount" -> {
          if (amount != null) throw new IllegalArgumentException("amount is given twice");
          amount = Money.parsePositive(limit[0].trim());
          amountWindow = window;
        }
        default -> throw new IllegalArgumentException("unknown limit '" + kv[0].trim() + "' (count or amount)");
      }
    }
    return new VelocityLimits(count, countWindow, amount, amountWindow);
  }
}
