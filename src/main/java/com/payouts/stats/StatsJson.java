package com.payouts.stats;

import com.payouts.domain.PayoutMethod;
import com.payouts.domain.PayoutStats;
import com.payouts.domain.PayoutStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The figures as JSON, one shape for {@code GET /api/stats} and the dashboard's {@code dashboard.stats}. */
public final class StatsJson {
  /** The order byStatus lists the statuses in: the lifecycle's, as the dashboard reads it. */
  public static final List<PayoutStatus> STATUS_ORDER = List.of(PayoutStatus.PENDING, PayoutStatus.APPROVED,
      PayoutStatus.PROCESSING, PayoutStatus.COMPLETED, PayoutStatus.FAILED, PayoutStatus.REJECTED,
      PayoutStatus.NEEDS_REVIEW, PayoutStatus.RETURNED);

  private StatsJson() {}

  /** {"byStatus": {status: {count, sum}}, "completedToday", "failedToday", "successRateByMethod"}. */
  public static JsonObject payouts(PayoutStats s) {
    JsonObject statuses = new JsonObject();
    for (PayoutStatus status : STATUS_ORDER) statuses.put(status.wire(), figure(s.byStatus().get(status)));
    JsonObject rates = new JsonObject();
    for (PayoutMethod m : PayoutMethod.values()) rates.put(m.wire(), s.successRateByMethod().get(m));
    return new JsonObject()
        .put("byStatus", statuses)
        .put("completedToday", figure(s.completedToday()))
        .put("failedToday", figure(s.failedToday()))
        .put("successRateByMethod", rates);
  }

  public static JsonObject figure(PayoutStats.Figure f) {
    return new JsonObject().put("count", f.count()).put("sum", f.sum().toPlainString());
  }

  public static JsonObject queue(QueueFigures q) {
    return new JsonObject().put("depth", q.depth()).put("ready", q.ready()).put("delayed", q.delayed())
        .put("inflight", q.inflight()).put("dead", q.dead()).put("oldestJobAgeMs", q.oldestJobAgeMs());
  }

  /**
   * {@code GET /api/stats}: the payouts' figures, "queue" and "generatedAt". A queue that could not
   * be read is answered as it always was: depth 0 and every other figure null.
   */
  public static JsonObject api(Stats s, Instant generatedAt) {
    JsonObject queue = s.queue() != null ? queue(s.queue()) : new JsonObject().put("depth", 0).putNull("ready")
        .putNull("delayed").putNull("inflight").putNull("dead").putNull("oldestJobAgeMs");
    return payouts(s.payouts()).put("queue", queue).put("generatedAt", generatedAt.toString());
  }

  /**
   * The live figures as the bridge sends them (the aggregator adds "generatedAt" when it publishes):
   * the payouts' figures, "queue" (empty until the queue was first read) and "throughput".
   */
  public static JsonObject live(LiveStats.Snapshot s) {
    Stats stats = s.stats();
    return payouts(stats.payouts())
        .put("queue", stats.queue() == null ? new JsonObject() : queue(stats.queue()))
        .put("throughput", new JsonObject().put("windowSeconds", s.throughput().windowSeconds())
            .put("lastMinute", s.throughput().lastMinute())
            .put("perSecond", new JsonArray(new ArrayList<>(s.throughput().perSecond()))));
  }
}
