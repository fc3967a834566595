package com.payouts.service;

import com.payouts.db.PayoutRepository;
import com.payouts.domain.GatewayAnswerRule;
import com.payouts.domain.Outcome;
import com.payouts.domain.Payout;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Writes gateway outcomes as they arrive, many to a statement and a commit: an outcome that comes
 * while a write is under way waits for the next one, which takes every outcome waiting by then (up
 * to {@value #MAX_PER_WRITE}); answers that arrive together (one event-loop turn) share a write. So
 * a quiet processor writes each answer at once and a busy one writes hundreds per transaction,
 * with no timer in between. One writer
 * serves one event loop (see {@link PayoutService}), so its state needs no locks; what waits here
 * is bounded by the payouts the processors hold in flight.
 */
final class OutcomeWriter {
  static final int MAX_PER_WRITE = 500;
  /**
   * One: the writes of an event loop follow each other, so each one's check of transaction ids
   * sees what the one before it committed.
   */
  static final int WRITES_IN_FLIGHT = 1;

  private record Waiting(Outcome outcome, String actor, Promise<Payout> written) {}

  private final PayoutRepository payouts;
  private final BiConsumer<List<Payout>, String> committed;
  private final Context context;
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private int writing;
  private boolean drainScheduled;

  /**
   * Writes on {@code context}'s event loop; {@code committed} hears of each write's payouts once
   * its transaction is committed, with the actor it was written for.
   */
  OutcomeWriter(PayoutRepository payouts, Context context, BiConsumer<List<Payout>, String> committed) {
    this.payouts = payouts;
    this.context = context;
    this.committed = committed;
  }

  /** The payout as written, or null when its conditional update found it moved by another worker. */
  Future<Payout> write(Outcome outcome, String actor) {
    Promise<Payout> written = Promise.promise();
    Waiting w = new Waiting(outcome, actor, written);
    if (Vertx.currentContext() == context) add(w);
    else context.runOnContext(v -> add(w)); // an answer completed elsewhere: the state is this loop's
    return written.future();
  }

  private void add(Waiting w) {
    waiting.add(w);
    if (!drainScheduled) {
      drainScheduled = true;
      context.runOnContext(v -> {
        drainScheduled = false;
        drain();
      });
    }
  }

  private void drain() {
    while (writing < WRITES_IN_FLIGHT && !waiting.isEmpty()) {
      List<Waiting> batch = new ArrayList<>(Math.min(waiting.size(), MAX_PER_WRITE));
      while (batch.size() < MAX_PER_WRITE && !waiting.isEmpty()) batch.add(waiting.poll());
      writing++;
      writeAll(batch).onComplete(ar -> {
        writing--;
        drain();
      });
    }
  }

  /** One transaction per actor in the batch (in practice one: the processor's). */
  private Future<Void> writeAll(List<Waiting> batch) {
    Map<String, List<Waiting>> byActor = new LinkedHashMap<>();
    for (Waiting w : batch) byActor.computeIfAbsent(w.actor(), a -> new ArrayList<>()).add(w);
    List<Future<Void>> writes = new ArrayList<>(byActor.size());
    byActor.forEach((actor, ws) -> writes.add(write(ws, actor)));
    return Future.join(writes).mapEmpty();
  }

  private Future<Void> write(List<Waiting> ws, String actor) {
    Map<Long, Outcome> answered = new LinkedHashMap<>();
    for (Waiting w : ws) answered.put(w.outcome().payoutId(), w.outcome());
    return oneTransactionPerPayout(answered)
        .compose(outcomes -> payouts.record(List.copyOf(outcomes.values()), actor))
        .onSuccess(written -> committed.accept(written, actor))
        .<Void>map(written -> {
          Map<Long, Payout> byId = new HashMap<>();
          for (Payout p : written) byId.put(p.id(), p);
          for (Waiting w : ws) w.written().tryComplete(byId.get(w.outcome().payoutId()));
          return null;
        })
        .onFailure(err -> ws.forEach(w -> w.written().tryFail(err)));
  }

  /**
   * A transaction id settles one payout. Two answers naming the same one (in this write, or one
   * that already settles another payout) cannot both be right, and the second would make the
   * write fail on the unique index: those payouts go to review instead.
   */
  private Future<Map<Long, Outcome>> oneTransactionPerPayout(Map<Long, Outcome> answered) {
    Map<Long, Outcome> outcomes = new LinkedHashMap<>(answered);
    Map<String, List<Long>> byTxn = new HashMap<>();
    outcomes.values().forEach(o -> {
      if (o instanceof Outcome.Paid p) byTxn.computeIfAbsent(p.transactionId(), k -> new ArrayList<>()).add(p.payoutId());
    });
    if (byTxn.isEmpty()) return Future.succeededFuture(outcomes);
    return payouts.settledBy(List.copyOf(byTxn.keySet())).map(settled -> {
      byTxn.forEach((txn, ids) -> {
        Long other = settled.get(txn);
        if (ids.size() == 1 && (other == null || other.equals(ids.get(0)))) return;
        for (Long id : ids) {
          Outcome.Paid p = (Outcome.Paid) outcomes.get(id);
          String why = other != null ? "already settles payout " + other : "was answered for " + ids.size() + " payouts";
          outcomes.put(id, new Outcome.NeedsReview(id, p.expectedVersion(), GatewayAnswerRule.MISMATCH,
              "transaction id " + txn + " " + why));
        }
      });
      return outcomes;
    });
  }
}
