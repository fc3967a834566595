package com.payouts.stats;

import com.payouts.domain.PayoutMethod;
import com.payouts.domain.PayoutStats;
import com.payouts.domain.PayoutStatus;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's figures, moved by each transition message and reset to the database's truth by
 * {@link #reconcile}, so a missed or doubled message is wrong for one reconcile interval at most.
 * Success rates per method come from the last reconcile only: the snapshot carries the rates, not
 * the per-method counts a message would need to move them. Plain state for one thread: the
 * aggregator's event loop.
 */
public final class LiveStats {
  /** Seconds of throughput history: one slot per second. */
  public static final int WINDOW_SECONDS = 60;

  /** The figures now, and the throughput of the last minute. */
  public record Snapshot(Stats stats, Throughput throughput) {}

  private final Clock clock;
  private final Map<PayoutStatus, Counter> byStatus = new EnumMap<>(PayoutStatus.class);
  private final Counter completedToday = new Counter();
  private final Counter failedToday = new Counter();
  private Map<PayoutMethod, Double> successRateByMethod = Map.of();
  /** Null until the queue was first read. */
  private QueueFigures queue;
  private final long[] slotCount = new long[WINDOW_SECONDS];
  private final long[] slotSecond = new long[WINDOW_SECONDS];
  private LocalDate today;

  public LiveStats(Clock clock) {
    this.clock = clock;
    for (PayoutStatus s : PayoutStatus.values()) byStatus.put(s, new Counter());
    today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  /**
   * Applies one transition message ({@code from} null for a new payout). Returns false and changes
   * nothing for a message it cannot read.
   */
  public boolean apply(JsonObject t) {
    PayoutStatus to = status(t.getString("to"));
    String fromWire = t.getString("from");
    PayoutStatus from = fromWire == null ? null : status(fromWire);
    BigDecimal amount = amount(t.getValue("amount"));
    if (to == null || amount == null || (fromWire != null && from == null)) return false;
    rollDay();
    if (from != null) byStatus.get(from).remove(amount);
    byStatus.get(to).add(amount);
    // A retry takes a payout out of "failed"; reconcile puts it back if it failed on another day.
    if (from == PayoutStatus.FAILED) failedToday.remove(amount);
    if (to == PayoutStatus.COMPLETED) completedToday.add(amount);
    if (to == PayoutStatus.FAILED) failedToday.add(amount);
    if (to == PayoutStatus.COMPLETED || to == PayoutStatus.FAILED) countOutcome();
    return true;
  }

  /**
   * Replaces the figures with the database's ({@code StatsRepository.snapshot()}). The queue
   * figures and the throughput ring are not in it and stay.
   */
  public void reconcile(PayoutStats truth) {
    today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    truth.byStatus().forEach((s, f) -> byStatus.get(s).set(f));
    completedToday.set(truth.completedToday());
    failedToday.set(truth.failedToday());
    successRateByMethod = truth.successRateByMethod();
  }

  /** Replaces the queue figures. */
  public void queue(QueueFigures figures) {
    queue = figures;
  }

  /** The figures in the shape of {@code GET /api/stats}, and the throughput. */
  public Snapshot snapshot() {
    rollDay();
    Map<PayoutStatus, PayoutStats.Figure> statuses = new EnumMap<>(PayoutStatus.class);
    byStatus.forEach((s, c) -> statuses.put(s, c.figure()));
    PayoutStats payouts = new PayoutStats(statuses, completedToday.figure(), failedToday.figure(), successRateByMethod);
    return new Snapshot(new Stats(payouts, queue), throughput());
  }

  private Throughput throughput() {
    long now = clock.instant().getEpochSecond();
    List<Long> perSecond = new ArrayList<>(WINDOW_SECONDS);
    long total = 0;
    for (long second = now - WINDOW_SECONDS + 1; second <= now; second++) {
      int slot = (int) Math.floorMod(second, (long) WINDOW_SECONDS);
      long n = slotSecond[slot] == second ? slotCount[slot] : 0;
      perSecond.add(n);
      total += n;
    }
    return new Throughput(WINDOW_SECONDS, total, perSecond);
  }

  private void countOutcome() {
    long second = clock.instant().getEpochSecond();
    int slot = (int) Math.floorMod(second, (long) WINDOW_SECONDS);
    if (slotSecond[slot] != second) {
      slotSecond[slot] = second;
      slotCount[slot] = 0;
    }
    slotCount[slot]++;
  }

  /** "Today" starts at midnight UTC, as the database's date_trunc('day', now()) does on a UTC server. */
  private void rollDay() {
    LocalDate now = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    if (!now.equals(today)) {
      today = now;
      completedToday.set(PayoutStats.Figure.ZERO);
      failedToday.set(PayoutStats.Figure.ZERO);
    }
  }

  private static PayoutStatus status(String wire) {
    if (wire == null) return null;
    try {
      return PayoutStatus.parse(wire);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static BigDecimal amount(Object raw) {
    if (!(raw instanceof String s)) return null;
    try {
      return new BigDecimal(s).setScale(2);
    } catch (ArithmeticException | NumberFormatException e) {
      return null;
    }
  }

  /** A count and a sum of amounts; never below zero, whatever order messages arrive in. */
  private static final class Counter {
    long count;
    BigDecimal sum = BigDecimal.ZERO.setScale(2);

    void add(BigDecimal amount) {
      count++;
      sum = sum.add(amount);
    }

    void remove(BigDecimal amount) {
      if (count == 0) return;
      count--;
      sum = count == 0 ? BigDecimal.ZERO.setScale(2) : sum.subtract(amount).max(BigDecimal.ZERO.setScale(2));
    }

    void set(PayoutStats.Figure f) {
      count = f.count();
      sum = f.sum();
    }

    PayoutStats.Figure figure() {
      return new PayoutStats.Figure(count, sum);
    }
  }
}
