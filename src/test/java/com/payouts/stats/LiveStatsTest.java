package com.payouts.stats;

import com.payouts.support.TestStack;

import static com.payouts.support.Await.eventually;
import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.bus.Addresses;
import com.payouts.db.StatsRepository;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.PayoutStats;
import com.payouts.domain.PayoutStatus;
import com.payouts.domain.RetryPolicy;
import com.payouts.support.Fixtures;
import com.payouts.support.ScriptedGateway;
import com.payouts.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The live figures: moved by transitions, coalesced when published, put right by reconcile. */
@ExtendWith(VertxExtension.class)
class LiveStatsTest {
  static TestStack stack;
  static Vertx vertx;
  static TestDatabase db;
  final List<String> deployments = new ArrayList<>();
  final List<MessageConsumer<?>> consumers = new ArrayList<>();

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    stack = await(TestStack.builder().poolSize(4).start(vertx));
    db = stack.db;
  }

  @AfterAll
  static void stop() {
    await(stack.stop());
  }

  /**
   * A payout request committed whose transition message never reached the aggregator (its node died
   * just after the commit, say): the row only, in the shape the service writes it.
   */
  static void lostMessage(long user, String amount) {
    await(db.pool().preparedQuery("""
        INSERT INTO payout_requests (user_id, amount, method, fee, net_amount)
        VALUES ($1, $2, 'stripe_bank', 0.25, $2 - 0.25)""")
        .execute(io.vertx.sqlclient.Tuple.of(user, new java.math.BigDecimal(amount))));
  }

  @AfterEach
  void undeploy() {
    consumers.forEach(c -> await(c.unregister()));
    deployments.forEach(id -> await(vertx.undeploy(id)));
  }

  static JsonObject transition(long id, String from, String to, String amount) {
    return new JsonObject().put("payoutId", id).put("userId", 1).put("from", from).put("to", to).put("amount", amount)
        .put("fee", "0.25").put("method", "stripe_bank").put("priority", "normal").put("actor", "test")
        .put("at", Instant.now().toString());
  }

  /** The live figures as the bridge sends them. */
  static JsonObject json(LiveStats live) {
    return StatsJson.live(live.snapshot());
  }

  static JsonObject figure(JsonObject snapshot, String status) {
    return snapshot.getJsonObject("byStatus").getJsonObject(status);
  }

  @Test
  void countersFollowEachTransition() {
    com.payouts.support.TestClock clock = new com.payouts.support.TestClock(Instant.parse("2026-11-25T10:00:00Z"));
    LiveStats live = new LiveStats(clock);
    live.apply(transition(1, null, "pending", "10.00"));
    live.apply(transition(2, null, "pending", "20.50"));
    live.apply(transition(3, null, "pending", "5.00"));
    JsonObject s = json(live);
    assertEquals(new JsonObject().put("count", 3L).put("sum", "35.50"), figure(s, "pending"));

    live.apply(transition(1, "pending", "approved", "10.00"));
    live.apply(transition(2, "pending", "approved", "20.50"));
    live.apply(transition(3, "pending", "rejected", "5.00"));
    live.apply(transition(1, "approved", "processing", "10.00"));
    s = json(live);
    assertEquals(new JsonObject().put("count", 0L).put("sum", "0.00"), figure(s, "pending"));
    assertEquals(new JsonObject().put("count", 1L).put("sum", "20.50"), figure(s, "approved"));
    assertEquals(new JsonObject().put("count", 1L).put("sum", "10.00"), figure(s, "processing"));
    assertEquals(1L, figure(s, "rejected").getLong("count"));

    live.apply(transition(1, "processing", "completed", "10.00"));
    live.apply(transition(2, "approved", "processing", "20.50"));
    live.apply(transition(2, "processing", "failed", "20.50"));
    s = json(live);
    assertEquals(new JsonObject().put("count", 1L).put("sum", "10.00"), s.getJsonObject("completedToday"));
    assertEquals(new JsonObject().put("count", 1L).put("sum", "20.50"), s.getJsonObject("failedToday"));
    assertEquals(0L, figure(s, "processing").getLong("count"));
    assertEquals(2L, s.getJsonObject("throughput").getLong("lastMinute"), "two gateway outcomes this minute");
    JsonArray perSecond = s.getJsonObject("throughput").getJsonArray("perSecond");
    assertEquals(LiveStats.WINDOW_SECONDS, perSecond.size());
    assertEquals(2L, perSecond.getLong(LiveStats.WINDOW_SECONDS - 1), "counted in the newest slot");

    // A retry leaves "failed"; its outcome counts again.
    live.apply(transition(2, "failed", "processing", "20.50"));
    assertEquals(0L, json(live).getJsonObject("failedToday").getLong("count"));
    clock.advance(Duration.ofSeconds(3));
    live.apply(transition(2, "processing", "completed", "20.50"));
    s = json(live);
    assertEquals(new JsonObject().put("count", 2L).put("sum", "30.50"), s.getJsonObject("completedToday"));
    perSecond = s.getJsonObject("throughput").getJsonArray("perSecond");
    assertEquals(1L, perSecond.getLong(LiveStats.WINDOW_SECONDS - 1));
    assertEquals(2L, perSecond.getLong(LiveStats.WINDOW_SECONDS - 4));

    // The window slides: a minute later the ring is empty, and a new day starts "today" from zero.
    clock.advance(Duration.ofSeconds(61));
    assertEquals(0L, json(live).getJsonObject("throughput").getLong("lastMinute"));
    clock.advance(Duration.ofHours(14));
    s = json(live);
    assertEquals(0L, s.getJsonObject("completedToday").getLong("count"));
    assertEquals(2L, figure(s, "completed").getLong("count"), "all-time figures stay");

    // Nonsense is refused and changes nothing.
    JsonObject before = json(live);
    assertFalse(live.apply(new JsonObject().put("to", "exploded").put("amount", "1.00")));
    assertFalse(live.apply(transition(9, null, "pending", "lots")));
    assertFalse(live.apply(transition(9, "nowhere", "pending", "1.00")));
    assertEquals(before, json(live));
    // Removing more than is there never goes below zero.
    live.apply(transition(7, "approved", "processing", "99.00"));
    assertEquals(new JsonObject().put("count", 0L).put("sum", "0.00"), figure(json(live), "approved"));
  }

  @Test
  void reconcileReplacesDriftedFiguresWithTheDatabases() {
    Fixtures f = stack.f;
    long user = await(f.userWith("1000.00")).id();
    await(f.request(user, "40.00", PayoutMethod.PAYPAL));
    await(f.request(user, "60.00", PayoutMethod.CHECK));
    PayoutStats truthStats = await(new StatsRepository(db.pool()).snapshot());
    JsonObject truth = StatsJson.payouts(truthStats);

    LiveStats live = new LiveStats(Clock.systemUTC());
    live.apply(transition(999_999, null, "pending", "5000.00")); // a message for a payout that never committed
    live.apply(transition(999_999, "pending", "approved", "5000.00"));
    assertNotEquals(figure(truth, "approved"), figure(json(live), "approved"));

    JsonObject depth = new JsonObject().put("ready", 3).put("delayed", 1).put("inflight", 2).put("dead", 0)
        .put("oldestReadyAgeMs", 1500);
    live.reconcile(truthStats);
    live.queue(QueueFigures.of(depth));
    JsonObject s = json(live);
    for (PayoutStatus st : PayoutStatus.values()) {
      assertEquals(figure(truth, st.wire()), figure(s, st.wire()), st.wire());
    }
    assertEquals(truth.getJsonObject("completedToday"), s.getJsonObject("completedToday"));
    assertEquals(truth.getJsonObject("successRateByMethod"), s.getJsonObject("successRateByMethod"));
    assertEquals(6L, s.getJsonObject("queue").getLong("depth"));
    assertEquals(1500L, s.getJsonObject("queue").getLong("oldestJobAgeMs"));
  }

  /** Arrival times and bodies of what the aggregator published. */
  record Heard(long atMs, JsonObject body) {}

  List<Heard> listen(String address) {
    List<Heard> heard = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> c = vertx.eventBus().consumer(address, m -> heard.add(new Heard(System.currentTimeMillis(), m.body())));
    await(c.completion());
    consumers.add(c);
    return heard;
  }

  void deploy(StatsAggregatorVerticle v) {
    deployments.add(await(vertx.deployVerticle(v)));
  }

  static int mostInOneSecond(List<Heard> heard) {
    int most = 0;
    for (int i = 0; i < heard.size(); i++) {
      int n = 0;
      for (int j = i; j < heard.size() && heard.get(j).atMs() - heard.get(i).atMs() < 1000; j++) n++;
      most = Math.max(most, n);
    }
    return most;
  }

  @Test
  void fiveThousandTransitionsArePublishedAtMostFourTimesASecondAndNoneSilentlyLost() {
    StatsRepository stats = new StatsRepository(db.pool());
    JsonObject base = StatsJson.payouts(await(stats.snapshot()));
    long pendingBefore = figure(base, "pending").getLong("count");
    List<Heard> statsHeard = listen(Addresses.DASHBOARD_STATS);
    List<Heard> batches = listen(Addresses.DASHBOARD_PAYOUTS);
    deploy(new StatsAggregatorVerticle(stats, null,
        new StatsAggregatorVerticle.Options(Duration.ofHours(1), Duration.ofMillis(250), 500), Clock.systemUTC()));
    statsHeard.clear();

    // 5,000 new payouts over about two seconds, in bursts of 250 every 100 ms.
    long started = System.currentTimeMillis();
    long[] next = {1};
    await(vertx.executeBlocking(() -> {
      while (next[0] <= 5_000) {
        for (int i = 0; i < 250; i++, next[0]++) {
          vertx.eventBus().publish(Addresses.PAYOUT_TRANSITIONS, transition(next[0], null, "pending", "1.00"));
        }
        Thread.sleep(100);
      }
      return null;
    }));
    eventually(() -> !statsHeard.isEmpty()
        && figure(statsHeard.get(statsHeard.size() - 1).body(), "pending").getLong("count") == pendingBefore + 5_000,
        5_000, "the last snapshot counts all 5,000");
    sleep(1_000); // quiet: nothing changes, so nothing more is published
    int afterQuiet = statsHeard.size();
    sleep(700);
    assertEquals(afterQuiet, statsHeard.size(), "no publish without a change");
    double seconds = (statsHeard.get(statsHeard.size() - 1).atMs() - started) / 1000.0;

    assertTrue(mostInOneSecond(statsHeard) <= 5, "stats in one second: " + mostInOneSecond(statsHeard));
    assertTrue(statsHeard.size() <= Math.ceil(seconds * 4) + 2, statsHeard.size() + " stats in " + seconds + " s");
    JsonObject last = statsHeard.get(statsHeard.size() - 1).body();
    assertEquals(new BigDecimal(figure(base, "pending").getString("sum")).add(new BigDecimal("5000.00")).toPlainString(),
        figure(last, "pending").getString("sum"));
    assertNotNull(last.getString("generatedAt"));

    assertTrue(mostInOneSecond(batches) <= 5, "batches in one second: " + mostInOneSecond(batches));
    long sent = 0;
    long dropped = 0;
    for (Heard b : batches) {
      int size = b.body().getJsonArray("transitions").size();
      assertTrue(size <= 500, "a batch of " + size);
      sent += size;
      long d = b.body().getLong("dropped", 0L);
      if (d > 0) assertTrue(b.body().getBoolean("resync"), "a batch that left some out says resync");
      dropped += d;
    }
    assertEquals(5_000, sent + dropped, "every transition is sent or counted as dropped");
  }

  @Test
  void aBurstKeepsTheNewestAndAsksForAResync() {
    List<Heard> batches = listen(Addresses.DASHBOARD_PAYOUTS);
    deploy(new StatsAggregatorVerticle(new StatsRepository(db.pool()), null,
        new StatsAggregatorVerticle.Options(Duration.ofHours(1), Duration.ofMillis(250), 500), Clock.systemUTC()));
    for (long id = 1; id <= 1_200; id++) {
      vertx.eventBus().publish(Addresses.PAYOUT_TRANSITIONS, transition(id, null, "pending", "2.00"));
    }
    eventually(() -> batches.stream().mapToLong(b -> b.body().getJsonArray("transitions").size()
        + b.body().getLong("dropped", 0L)).sum() == 1_200, 3_000, "all 1,200 accounted for");
    assertTrue(batches.stream().anyMatch(b -> b.body().getBoolean("resync", false)
        && b.body().getLong("dropped") > 0), "a resync was asked for");
    JsonArray newest = batches.get(batches.size() - 1).body().getJsonArray("transitions");
    assertEquals(1_200L, newest.getJsonObject(newest.size() - 1).getLong("payoutId"), "the newest is kept");
    long kept = batches.stream().mapToLong(b -> b.body().getJsonArray("transitions").size()).sum();
    assertTrue(kept <= 1_000, "at most 500 per batch: " + kept);
  }

  @Test
  void theAggregatorPutsADriftRightWithinOneReconcile() {
    long user = await(stack.f.userWith("1000.00")).id();
    List<Heard> statsHeard = listen(Addresses.DASHBOARD_STATS);
    deploy(new StatsAggregatorVerticle(new StatsRepository(db.pool()), null,
        new StatsAggregatorVerticle.Options(Duration.ofMillis(400), Duration.ofMillis(100), 500), Clock.systemUTC()));
    // One message for a payout that never committed, and two payouts whose messages were lost.
    vertx.eventBus().publish(Addresses.PAYOUT_TRANSITIONS, transition(999_998, null, "processing", "7777.00"));
    lostMessage(user, "11.00");
    lostMessage(user, "22.00");
    JsonObject truth = StatsJson.payouts(await(new StatsRepository(db.pool()).snapshot()));
    eventually(() -> !statsHeard.isEmpty() && statsHeard.get(statsHeard.size() - 1).body().getJsonObject("byStatus")
        .equals(truth.getJsonObject("byStatus")), 10_000, "published figures match the database again");
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      throw new RuntimeException(e);
    }
  }
}
