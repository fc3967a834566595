package com.payouts.service;

import com.payouts.db.IdempotencyRepository;
import com.payouts.domain.NewPayout;
import com.payouts.domain.Payout;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Payout requests as a group commit. A request that arrives while a group is being written waits
 * for the next group, which takes every request waiting by then (up to {@value #MAX_PER_COMMIT});
 * requests that arrive in one event-loop turn share a group. So a quiet service writes each request
 * at once and a busy one writes dozens per commit, with no timer in between.
 *
 * <p>A group is one transaction: the keys of its keyed requests are claimed (sorted, so two groups
 * take shared keys in one order), the users' wallets are locked in user id order, each request is
 * created by its own statement (all sent in one round trip, so two requests of one user are counted
 * one after the other), their audit trails and ledger rows are read back, and each keyed request's
 * response is stored with its key. Each request still gets its own answer: its payout, or why it was
 * refused (and its key is given back, as a failed request stores nothing). A key that another
 * request holds, or a group that Postgres refused as a whole, sends those requests down the lone
 * path ({@link IdempotentRequests#run}), which answers exactly as it does for one request. A group
 * whose commit may or may not have happened (the connection dropped) is never run again: its
 * requests fail, as a lone request would.
 *
 * <p>One instance serves one event loop (that of its HTTP verticle), so its state needs no locks;
 * at most {@value #MAX_WAITING} requests wait, and a request beyond that is refused as busy.
 */
public final class PayoutCreations {
  public static final int MAX_PER_COMMIT = 64;
  public static final int MAX_WAITING = 4096;
  /** Two: one group is written while the next gathers and starts; more would only queue on the wallets. */
  static final int COMMITS_IN_FLIGHT = 2;
  private static final int CREATED = 201;

  private record Waiting(IdempotentRequests.Key key, NewPayout request, String actor, Long requestedBy,
      Promise<IdempotentRequests.Reply> answered) {}

  /** How one request of a group ended: answered, refused, or to be run on its own. */
  private record Settled(IdempotentRequests.Reply reply, Throwable refusal) {
    static final Settled ALONE = new Settled(null, null);
  }

  private final Pool pool;
  private final PayoutService payouts;
  private final PayoutDispatcher dispatcher;
  private final IdempotencyRepository keys;
  private final IdempotentRequests requests;
  private final Function<PayoutDetail, String> render;
  private final Context context;
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private int writing;
  private boolean drainScheduled;

  /**
   * Groups on {@code context}'s event loop; {@code render} turns a created payout into the body
   * its request is answered (and its key's response stored) with.
   */
  public PayoutCreations(PayoutService payouts, PayoutDispatcher dispatcher, IdempotentRequests requests,
      Function<PayoutDetail, String> render, Context context) {
    this.pool = payouts.repository().pool();
    this.payouts = payouts;
    this.dispatcher = dispatcher;
    this.keys = requests.keys();
    this.requests = requests;
    this.render = render;
    this.context = context;
  }

  /** create_from_user_request, once per {@code key} when it is not null; answered with 201 and the payout's detail. */
  public Future<IdempotentRequests.Reply> create(IdempotentRequests.Key key, NewPayout request, String actor, Long requestedBy) {
    Promise<IdempotentRequests.Reply> answered = Promise.promise();
    Waiting w = new Waiting(key, request, actor, requestedBy, answered);
    if (Vertx.currentContext() == context) add(w);
    else context.runOnContext(v -> add(w));
    return answered.future();
  }

  private void add(Waiting w) {
    if (waiting.size() >= MAX_WAITING) {
      w.answered().fail(new ServiceBusyException(MAX_WAITING + " payout requests are already waiting for their commit"));
      return;
    }
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
    while (writing < COMMITS_IN_FLIGHT && !waiting.isEmpty()) {
      List<Waiting> group = new ArrayList<>(Math.min(waiting.size(), MAX_PER_COMMIT));
      while (group.size() < MAX_PER_COMMIT && !waiting.isEmpty()) group.add(waiting.poll());
      writing++;
      commit(group).onComplete(ar -> {
        writing--;
        if (ar.succeeded()) settle(group, ar.result());
        else failed(group, ar.cause());
        drain();
      });
    }
  }

  private void settle(List<Waiting> group, List<Settled> settled) {
    for (int i = 0; i < group.size(); i++) {
      Waiting w = group.get(i);
      Settled s = settled.get(i);
      if (s.reply() != null) w.answered().complete(s.reply());
      else if (s.refusal() != null) w.answered().fail(s.refusal());
      else alone(w);
    }
  }

  /** Postgres refused the group (so nothing of it was committed): each request runs on its own. Otherwise each fails. */
  private void failed(List<Waiting> group, Throwable err) {
    for (Waiting w : group) {
      if (err instanceof PgException) alone(w);
      else w.answered().fail(err);
    }
  }

  private void alone(Waiting w) {
    requests.run(w.key(), CREATED, work -> dispatcher.create(work, w.request(), w.actor(), w.requestedBy())
            .compose(p -> payouts.detail(work, p)).map(render))
        .onComplete(w.answered());
  }

  private Future<List<Settled>> commit(List<Waiting> group) {
    return Work.transaction(pool, w -> claim(w, group).compose(claimed -> {
      List<Integer> mine = new ArrayList<>(group.size());
      for (int i = 0; i < group.size(); i++) if (claimed.get(i)) mine.add(i);
      if (mine.isEmpty()) return Future.succeededFuture(List.of(group.stream().map(x -> Settled.ALONE).toArray(Settled[]::new)));
      List<NewPayout> asked = mine.stream().map(i -> group.get(i).request()).toList();
      return dispatcher.createAll(w, asked, mine.stream().map(i -> group.get(i).actor()).toList(),
              mine.stream().map(i -> group.get(i).requestedBy()).toList())
          .compose(created -> answers(w, group, mine, created));
    }));
  }

  /** Whether each request may run in this group: unkeyed, or its key claimed here. */
  private Future<List<Boolean>> claim(Work w, List<Waiting> group) {
    List<Integer> keyed = new ArrayList<>();
    for (int i = 0; i < group.size(); i++) if (group.get(i).key() != null) keyed.add(i);
    if (keyed.isEmpty()) return Future.succeededFuture(group.stream().map(x -> true).toList());
    keyed.sort(Comparator.comparing((Integer i) -> group.get(i).key().scope()).thenComparing(i -> group.get(i).key().key()));
    return keys.claimAll(w.sql(), keyed.stream().map(i -> claimOf(group.get(i).key())).toList(), requests.ttl())
        .map(taken -> {
          Boolean[] out = new Boolean[group.size()];
          for (int i = 0; i < group.size(); i++) out[i] = group.get(i).key() == null;
          for (int j = 0; j < keyed.size(); j++) out[keyed.get(j)] = taken.get(j);
          return List.of(out);
        });
  }

  /** The created payouts' bodies (stored with their keys) and the refusals (their keys given back). */
  private Future<List<Settled>> answers(Work w, List<Waiting> group, List<Integer> mine, List<Optional<Payout>> created) {
    List<Payout> made = created.stream().flatMap(Optional::stream).toList();
    return payouts.details(w, made).compose(details -> {
      Settled[] out = new Settled[group.size()];
      for (int i = 0; i < out.length; i++) out[i] = Settled.ALONE;
      List<IdempotencyRepository.Claim> answeredKeys = new ArrayList<>();
      List<String> bodies = new ArrayList<>();
      List<IdempotencyRepository.Claim> givenBack = new ArrayList<>();
      List<Future<Void>> refusals = new ArrayList<>();
      int next = 0;
      for (int j = 0; j < mine.size(); j++) {
        int i = mine.get(j);
        Waiting item = group.get(i);
        if (created.get(j).isPresent()) {
          String body = render.apply(details.get(next++));
          out[i] = new Settled(new IdempotentRequests.Reply(CREATED, body, false), null);
          if (item.key() != null) {
            answeredKeys.add(claimOf(item.key()));
            bodies.add(body);
          }
        } else {
          if (item.key() != null) givenBack.add(claimOf(item.key()));
          refusals.add(payouts.whyNotCreated(w, item.request()).<Void>mapEmpty().recover(err -> {
            out[i] = new Settled(null, err);
            return Future.succeededFuture();
          }));
        }
      }
      return Future.all(refusals)
          .compose(v -> keys.storeResponses(w.sql(), answeredKeys, CREATED, bodies))
          .compose(v -> keys.release(w.sql(), givenBack))
          .map(v -> List.of(out));
    });
  }

  private static IdempotencyRepository.Claim claimOf(IdempotentRequests.Key k) {
    return new IdempotencyRepository.Claim(k.scope(), k.key(), k.fingerprint(), k.endpoint());
  }
}
