package com.payouts.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Without database access: GET /api/payouts/{id} for every open payout, a bounded number at a time. */
public final class ApiWatch implements TerminalWatch {
  private final Vertx vertx;
  private final PayoutsApi api;
  private final int concurrency;
  private final long deadlineNanos;

  public ApiWatch(Vertx vertx, PayoutsApi api, int concurrency, long deadlineNanos) {
    this.vertx = vertx;
    this.api = api;
    this.concurrency = concurrency;
    this.deadlineNanos = deadlineNanos;
  }

  @Override
  public Future<List<TerminalState>> poll(List<Long> open) {
    List<TerminalState> found = new ArrayList<>();
    return Pacer.run(vertx, open.size(), concurrency, 0, deadlineNanos, i -> api.payout(open.get(i))
            .onSuccess(p -> {
              TerminalState s = state(p);
              if (s != null) found.add(s);
            }))
        .map(v -> found);
  }

  /** The payout as a terminal state, or null while it is still open. */
  static TerminalState state(JsonObject p) {
    String status = p.getString("status");
    boolean completed = "completed".equals(status);
    if (!completed && !"failed".equals(status)) return null;
    int events = 0;
    for (Object o : p.getJsonArray("events", new JsonArray())) {
      String to = o instanceof JsonObject e ? e.getString("to") : null;
      if ("completed".equals(to) || "failed".equals(to)) events++;
    }
    return new TerminalState(p.getLong("id"), completed, micros(p.getString("approvedAt")),
        micros(p.getString(completed ? "completedAt" : "failedAt")), events);
  }

  static long micros(String iso) {
    if (iso == null) return -1;
    Instant t = Instant.parse(iso);
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
  }
}
