package com.payouts.stats;

import com.payouts.bus.Addresses;
import com.payouts.db.StatsRepository;
import com.payouts.queue.JobQueue;
import com.payouts.queue.RedisLease;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the dashboard: keeps {@link LiveStats} from {@link Addresses#PAYOUT_TRANSITIONS}, reconciles
 * them with the database every {@code reconcileEvery} (less often when the table is big), reads the
 * queue's depth every {@code reconcileEvery}, and at most once per {@code publishEvery} publishes the stats on {@link Addresses#DASHBOARD_STATS} (only when they changed) and the
 * transitions seen since on {@link Addresses#DASHBOARD_PAYOUTS}, capped at {@code maxBatch}.
 */
public class StatsAggregatorVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(StatsAggregatorVerticle.class);
  /** Each node's bridge hears its own node's aggregator, which already sees every node's transitions. */
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  /** A reconcile scans payout_requests twice; at 1,000,000 rows that is about 400 ms of database time. */
  static final int RECONCILE_DUTY = 100;

  public record Options(Duration reconcileEvery, Duration publishEvery, int maxBatch) {
    public static Options defaults() {
      return new Options(Duration.ofSeconds(5), Duration.ofMillis(250), 500);
    }
  }

  private final StatsService stats;
  private final boolean hasQueue;
  private final Options options;
  private final LiveStats live;
  private final TransitionBatch batch;
  private JsonObject lastPublished;
  private RedisLease lease;
  private boolean reconciledOnce;

  /** {@code queue} may be null: the queue figures then stay empty. */
  public StatsAggregatorVerticle(StatsRepository stats, JobQueue queue) {
    this(stats, queue, Options.defaults(), Clock.systemUTC());
  }

  public StatsAggregatorVerticle(StatsRepository stats, JobQueue queue, Options options, Clock clock) {
    this.stats = new StatsService(stats, queue);
    this.hasQueue = queue != null;
    this.options = options;
    this.live = new LiveStats(clock);
    this.batch = new TransitionBatch(options.maxBatch());
  }

  /**
   * Reconciles with the database only while this lease is held (and once at start): on a cluster
   * one node at a time scans the table; the others keep their figures from the transitions they
   * all hear.
   */
  public StatsAggregatorVerticle holding(RedisLease lease) {
    this.lease = lease;
    return this;
  }

  @Override
  public Future<?> stop() {
    return lease == null ? Future.succeededFuture() : lease.release();
  }

  @Override
  public Future<?> start() {
    if (lease != null) vertx.setPeriodic(0, lease.renewEvery().toMillis(), t -> lease.takeOrRenew());
    MessageConsumer<JsonObject> transitions = vertx.eventBus().consumer(Addresses.PAYOUT_TRANSITIONS, m -> {
      if (live.apply(m.body())) batch.add(m.body());
    });
    vertx.setPeriodic(options.publishEvery().toMillis(), t -> flush());
    // The queue's depth is one cheap Redis call: it keeps the plain interval.
    if (hasQueue) vertx.setPeriodic(options.reconcileEvery().toMillis(), t -> refreshQueue());
    // The first figures come from the database and Redis before anyone is told about them.
    return transitions.completion().compose(v -> Future.all(timedReconcile(), refreshQueue())).mapEmpty();
  }

  /**
   * Reconciles, then schedules the next one: every {@code reconcileEvery}, or later when the scans
   * take long (a big table), so that they use at most 1/{@value #RECONCILE_DUTY} of the time.
   */
  private Future<Void> timedReconcile() {
    long started = System.nanoTime();
    return reconcile().andThen(ar -> {
      long tookMs = (System.nanoTime() - started) / 1_000_000;
      vertx.setTimer(Math.max(options.reconcileEvery().toMillis(), tookMs * RECONCILE_DUTY), t -> timedReconcile());
    });
  }

  /** Publishes what changed since the last tick; a quiet tick publishes nothing. */
  private void flush() {
    JsonObject moved = batch.drain();
    if (moved != null) vertx.eventBus().publish(Addresses.DASHBOARD_PAYOUTS, moved, LOCAL);
    JsonObject figures = StatsJson.live(live.snapshot());
    if (!figures.equals(lastPublished)) {
      lastPublished = figures;
      vertx.eventBus().publish(Addresses.DASHBOARD_STATS,
          figures.copy().put("generatedAt", Instant.now().toString()), LOCAL);
    }
  }

  /** Never fails: a database hiccup leaves the live figures as they are until the next one. */
  private Future<Void> reconcile() {
    if (reconciledOnce && lease != null && !lease.held()) return Future.succeededFuture();
    reconciledOnce = true;
    return stats.payouts()
        .onSuccess(live::reconcile)
        .onFailure(err -> log.warn("could not reconcile the dashboard figures: {}", err.toString()))
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  /** Never fails: with Redis away the queue figures stay as they were. */
  private Future<Void> refreshQueue() {
    if (!hasQueue) return Future.succeededFuture();
    return stats.queue().onSuccess(live::queue).<Void>mapEmpty().otherwiseEmpty();
  }

  /**
   * Transitions waiting for the next tick, the newest {@code max} of them. When more arrive, the
   * oldest go and the batch says how many and asks browsers to reload ({@code resync}).
   */
  static final class TransitionBatch {
    private final int max;
    private final ArrayDeque<JsonObject> items = new ArrayDeque<>();
    private long dropped;

    TransitionBatch(int max) {
      this.max = max;
    }

    void add(JsonObject transition) {
      if (items.size() == max) {
        items.pollFirst();
        dropped++;
      }
      items.addLast(transition);
    }

    /** {"transitions": [...]} plus "dropped" and "resync" when some were left out; null when empty. */
    JsonObject drain() {
      if (items.isEmpty() && dropped == 0) return null;
      JsonObject out = new JsonObject().put("transitions", new JsonArray(new ArrayList<>(items)));
      if (dropped > 0) out.put("dropped", dropped).put("resync", true);
      items.clear();
      dropped = 0;
      return out;
    }
  }
}
