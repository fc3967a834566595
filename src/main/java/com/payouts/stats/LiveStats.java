package com.payouts.stats;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
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
  static final List<String> STATUSES = List.of("pending", "approved", "processing", "completed", "failed", "rejected",
      "needs_review");
  static final List<String> METHODS = List.of("stripe_bank", "paypal", "check");
  /** Seconds of throughput history: one slot per second. */
  public static final int WINDOW_SECONDS = 60;

  private final Clock clock;
  private final Map<String, Figure> byStatus = new LinkedHashMap<>();
  private final Figure completedToday = new Figure();
  private final Figure failedToday = new Figure();
  private JsonObject successRateByMethod = new JsonObject();
  private JsonObject queue = new JsonObject();
  private final long[] slotCount = new long[WINDOW_SECONDS];
  private final long[] slotSecond = new long[WINDOW_SECONDS];
  private LocalDate today;

  public LiveStats(Clock clock) {
    this.clock = clock;
    for (String s : STATUSES) byStatus.put(s, new Figure());
    for (String m : METHODS) successRateByMethod.putNull(m);
    today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  /**
   * Applies one transition message ({@code from} null for a new payout). Returns false and changes
   * nothing for a message it cannot read.
   */
  public boolean apply(JsonObject t) {
    String from = t.getString("from");
    String to = t.getString("to");
    BigDecimal amount = amount(t.getValue("amount"));
    if (to == null || !byStatus.containsKey(to) || amount == null || (from != null && !byStatus.containsKey(from))) {
      return false;
    }
    rollDay();
    if (from != null) byStatus.get(from).remove(amount);
    byStatus.get(to).add(amount);
    // A retry takes a payout out of "failed"; reconcile puts it back if it failed on another day.
    if ("failed".equals(from)) failedToday.remove(amount);
    if ("completed".equals(to)) completedToday.add(amount);
    if ("failed".equals(to)) failedToday.add(amount);
    if ("completed".equals(to) || "failed".equals(to)) countOutcome();
    return true;
  }

  /**
   * Replaces the figures with {@code StatsRepository.snapshot()}'s. The queue figures and the
   * throughput ring are not in it and stay.
   */
  public void reconcile(JsonObject snapshot) {
    today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    JsonObject statuses = snapshot.getJsonObject("byStatus", new JsonObject());
    for (String s : STATUSES) byStatus.get(s).set(statuses.getJsonObject(s));
    completedToday.set(snapshot.getJsonObject("completedToday"));
    failedToday.set(snapshot.getJsonObject("failedToday"));
    JsonObject rates = snapshot.getJsonObject("successRateByMethod");
    if (rates != null) successRateByMethod = rates.copy();
  }

  /** Replaces the queue figures with {@code JobQueue.depth()}'s. */
  public void queue(JsonObject depth) {
    long ready = depth.getLong("ready", 0L);
    long delayed = depth.getLong("delayed", 0L);
    long inflight = depth.getLong("inflight", 0L);
    queue = new JsonObject().put("depth", ready + delayed + inflight).put("ready", ready).put("delayed", delayed)
        .put("inflight", inflight).put("dead", depth.getLong("dead", 0L))
        .put("oldestJobAgeMs", depth.getLong("oldestReadyAgeMs", 0L));
  }

  /**
   * The figures in the shape of {@code GET /api/stats} (without {@code generatedAt}), plus
   * {@code throughput}: terminal gateway outcomes (completed or failed) per second, oldest first.
   */
  public JsonObject snapshot() {
    rollDay();
    JsonObject statuses = new JsonObject();
    byStatus.forEach((s, f) -> statuses.put(s, f.toJson()));
    return new JsonObject()
        .put("byStatus", statuses)
        .put("completedToday", completedToday.toJson())
        .put("failedToday", failedToday.toJson())
        .put("successRateByMethod", successRateByMethod.copy())
        .put("queue", queue.copy())
        .put("throughput", throughput());
  }

  private JsonObject throughput() {
    long now = clock.instant().getEpochSecond();
    JsonArray perSecond = new JsonArray();
    long total = 0;
    for (long second = now - WINDOW_SECONDS + 1; second <= now; second++) {
      int slot = (int) Math.floorMod(second, (long) WINDOW_SECONDS);
      long n = slotSecond[slot] == second ? slotCount[slot] : 0;
      perSecond.add(n);
      total += n;
    }
    return new JsonObject().put("windowSeconds", WINDOW_SECONDS).put("lastMinute", total).put("perSecond", perSecond);
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
      completedToday.set(null);
      failedToday.set(null);
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
  private static final class Figure {
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

    void set(JsonObject figure) {
      count = figure == null ? 0 : figure.getLong("count", 0L);
      sum = figure == null || figure.getString("sum") == null
          ? BigDecimal.ZERO.setScale(2) : new BigDecimal(figure.getString("sum")).setScale(2);
    }

    JsonObject toJson() {
      return new JsonObject().put("count", count).put("sum", sum.toPlainString());
    }
  }
}
