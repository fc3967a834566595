package com.payouts.domain;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The payouts' figures: count and sum of amounts per status (every status, zero when none), today's
 * completed and failed, and per method the share of gateway outcomes that completed (null before
 * any), rounded to four decimals.
 */
public record PayoutStats(Map<PayoutStatus, Figure> byStatus, Figure completedToday, Figure failedToday,
    Map<PayoutMethod, Double> successRateByMethod) {

  /** A count and the sum of its amounts, in cents. */
  public record Figure(long count, BigDecimal sum) {
    public static final Figure ZERO = new Figure(0, BigDecimal.ZERO);

    public Figure {
      if (count < 0) throw new IllegalArgumentException("count " + count + " is negative");
      sum = sum.setScale(2);
    }
  }

  public PayoutStats {
    Map<PayoutStatus, Figure> statuses = new EnumMap<>(PayoutStatus.class);
    for (PayoutStatus s : PayoutStatus.values()) statuses.put(s, byStatus.getOrDefault(s, Figure.ZERO));
    byStatus = Collections.unmodifiableMap(statuses);
    Map<PayoutMethod, Double> rates = new EnumMap<>(PayoutMethod.class);
    for (PayoutMethod m : PayoutMethod.values()) rates.put(m, successRateByMethod.get(m));
    successRateByMethod = Collections.unmodifiableMap(rates);
  }

  /** {@code ok} of {@code done} outcomes, rounded half up to four decimals; null when there were none. */
  public static Double rate(long ok, long done) {
    return done == 0 ? null : Math.round(10_000.0 * ok / done) / 10_000.0;
  }
}
