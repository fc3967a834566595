package com.payouts.stats;

import static org.junit.jupiter.api.Assertions.*;

import com.payouts.domain.PayoutMethod;
import com.payouts.domain.PayoutStats;
import com.payouts.domain.PayoutStatus;
import com.payouts.support.TestClock;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The typed figures become the JSON /api/stats and the bridge have always sent, byte for byte. */
class StatsJsonTest {
  static final String ZERO = "{\"count\":0,\"sum\":\"0.00\"}";

  static PayoutStats sample() {
    return new PayoutStats(
        Map.of(PayoutStatus.PENDING, new PayoutStats.Figure(2, new BigDecimal("30.5")),
            PayoutStatus.COMPLETED, new PayoutStats.Figure(1, new BigDecimal("10.00"))),
        new PayoutStats.Figure(1, new BigDecimal("10.00")), PayoutStats.Figure.ZERO,
        Map.of(PayoutMethod.PAYPAL, PayoutStats.rate(2, 3), PayoutMethod.CHECK, PayoutStats.rate(1, 1)));
  }

  static final String PAYOUTS = "{\"byStatus\":{\"pending\":{\"count\":2,\"sum\":\"30.50\"},\"approved\":" + ZERO
      + ",\"processing\":" + ZERO + ",\"completed\":{\"count\":1,\"sum\":\"10.00\"},\"failed\":" + ZERO
      + ",\"rejected\":" + ZERO + ",\"needs_review\":" + ZERO + ",\"returned\":" + ZERO + "},\"completedToday\":{\"count\":1,\"sum\":\"10.00\"},"
      + "\"failedToday\":" + ZERO + ",\"successRateByMethod\":{\"stripe_bank\":null,\"paypal\":0.6667,\"check\":1.0}";

  @Test
  void theApiShapeWithAndWithoutTheQueue() {
    Instant at = Instant.parse("2026-11-25T10:00:00Z");
    assertEquals(PAYOUTS + ",\"queue\":{\"depth\":6,\"ready\":3,\"delayed\":1,\"inflight\":2,\"dead\":4,"
        + "\"oldestJobAgeMs\":1500},\"generatedAt\":\"2026-11-25T10:00:00Z\"}",
        StatsJson.api(new Stats(sample(), new QueueFigures(3, 1, 2, 4, 1500)), at).encode());
    assertEquals(PAYOUTS + ",\"queue\":{\"depth\":0,\"ready\":null,\"delayed\":null,\"inflight\":null,\"dead\":null,"
        + "\"oldestJobAgeMs\":null},\"generatedAt\":\"2026-11-25T10:00:00Z\"}",
        StatsJson.api(new Stats(sample(), null), at).encode(), "a queue that could not be read");
  }

  @Test
  void theLiveShapeBeforeAndAfterTheQueueIsRead() {
    LiveStats live = new LiveStats(new TestClock(Instant.parse("2026-11-25T10:00:00Z")));
    live.reconcile(sample());
    String zeros = "0" + ",0".repeat(LiveStats.WINDOW_SECONDS - 1);
    String throughput = ",\"throughput\":{\"windowSeconds\":60,\"lastMinute\":0,\"perSecond\":[" + zeros + "]}}";
    assertEquals(PAYOUTS + ",\"queue\":{}" + throughput, StatsJson.live(live.snapshot()).encode());
    live.queue(QueueFigures.of(new JsonObject().put("ready", 3).put("delayed", 1).put("inflight", 2).put("dead", 0)
        .put("oldestReadyAgeMs", 1500).put("urgent", 3)));
    assertEquals(PAYOUTS + ",\"queue\":{\"depth\":6,\"ready\":3,\"delayed\":1,\"inflight\":2,\"dead\":0,"
        + "\"oldestJobAgeMs\":1500}" + throughput, StatsJson.live(live.snapshot()).encode());
  }

  @Test
  void aStatsRecordHasEveryStatusAndMethod() {
    PayoutStats none = new PayoutStats(Map.of(), PayoutStats.Figure.ZERO, PayoutStats.Figure.ZERO, Map.of());
    for (PayoutStatus s : PayoutStatus.values()) assertEquals(PayoutStats.Figure.ZERO, none.byStatus().get(s));
    for (PayoutMethod m : PayoutMethod.values()) {
      assertTrue(none.successRateByMethod().containsKey(m));
      assertNull(none.successRateByMethod().get(m));
    }
    assertNull(PayoutStats.rate(0, 0));
    assertEquals(0.3333, PayoutStats.rate(1, 3));
    assertEquals(6, new QueueFigures(3, 1, 2, 9, 0).depth(), "dead jobs are not in the depth");
  }
}
