package com.payouts.service;

import com.payouts.db.PayoutRepository;
import com.payouts.db.UserRepository;
import com.payouts.domain.DomainException;
import com.payouts.domain.GatewayAnswerRule;
import com.payouts.domain.NewPayout;
import com.payouts.domain.Outcome;
import com.payouts.domain.Payout;
import com.payouts.domain.PayoutStatus;
import com.payouts.domain.RetryPolicy;
import com.payouts.domain.Transition;
import com.payouts.gateway.GatewayResult;
import com.payouts.gateway.PaymentGateway;
import com.payouts.gateway.PaymentInstruction;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payout lifecycle. Every transition is a conditional update (expected status, and version
 * for gateway outcomes), so racing callers move a payout once; the gateway is called with the
 * attempt's stable idempotency key, and an unknown outcome is looked up, never paid again blindly.
 * Every answer is checked against its payout ({@link GatewayAnswerRule}) before it settles
 * anything; one that does not belong to its payout sends that payout to needs_review, and the
 * rest of its group is written as usual.
 */
public class PayoutService {
  private static final Logger log = LoggerFactory.getLogger(PayoutService.class);

  private final PayoutRepository payouts;
  private final UserRepository users;
  private final PaymentGateway gateway;
  private final TransitionListener listener;
  private final Clock clock;
  private final GatewayAnswerRule answers;

  public PayoutService(PayoutRepository payouts, UserRepository users, PaymentGateway gateway,
      RetryPolicy retryPolicy, TransitionListener listener, Clock clock) {
    this.payouts = payouts;
    this.users = users;
    this.gateway = gateway;
    this.listener = listener;
    this.clock = clock;
    this.answers = new GatewayAnswerRule(retryPolicy);
  }

  public PayoutRepository repository() {
    return payouts;
  }

  /** create_from_user_request: holds the amount and records the request. */
  public Future<Payout> create(NewPayout request, String actor) {
    return create(request, null, null, actor).map(Created::payout);
  }

  /** With an idempotency key: the same key and fingerprint answer the first payout again. */
  public Future<Created> create(NewPayout request, String idempotencyKey, String fingerprint, String actor) {
    return payouts.create(request, idempotencyKey, fingerprint, actor)
        .compose(created -> created
            .map(p -> {
              listener.committed(List.of(new Transition(p, null, actor)));
              return Future.succeededFuture(new Created(p, false));
            })
            .orElseGet(() -> whyNotCreated(request)))
        .recover(err -> {
          if (idempotencyKey != null && err instanceof PgException pg && "23505".equals(pg.getSqlState())) {
            return replay(request.userId(), idempotencyKey, fingerprint);
          }
          return Future.failedFuture(err);
        });
  }

  public record Created(Payout payout, boolean replayed) {}

  private Future<Created> replay(long userId, String key, String fingerprint) {
    return payouts.findByIdempotencyKey(userId, key).compose(found -> {
      PayoutRepository.Keyed keyed =
          found.orElseThrow(() -> DomainException.conflict("idempotency key is being used; try again"));
      Payout p = keyed.payout();
      if (fingerprint != null && !fingerprint.equals(keyed.fingerprint())) {
        return Future.failedFuture(new DomainException(DomainException.Kind.CONFLICT, "Idempotency-Key",
            "was already used for a different request"));
      }
      return Future.succeededFuture(new Created(p, true));
    });
  }

  private Future<Created> whyNotCreated(NewPayout request) {
    return users.find(request.userId()).compose(user -> {
      if (user.isEmpty()) return Future.failedFuture(DomainException.notFound("user", request.userId()));
      if (!user.get().eligible()) {
        return Future.failedFuture(new DomainException(DomainException.Kind.NOT_ELIGIBLE, "userId",
            "is not eligible for payouts" + (user.get().eligibilityReason() == null ? "" : ": " + user.get().eligibilityReason())));
      }
      return Future.failedFuture(new DomainException(DomainException.Kind.INSUFFICIENT_FUNDS, "amount",
          "exceeds the available balance of " + user.get().available().toPlainString()));
    });
  }

  /** pending -> approved for each id; returns those that moved. */
  public Future<List<Payout>> approve(List<Long> ids, String actor) {
    return payouts.approve(ids, actor, "approved").map(moved -> published(moved, PayoutStatus.PENDING, actor));
  }

  /** pending -> rejected, releasing each hold before returning. */
  public Future<List<Payout>> reject(List<Long> ids, String actor, String reason) {
    return payouts.reject(ids, actor, reason == null ? "rejected" : reason)
        .map(moved -> published(moved, PayoutStatus.PENDING, actor));
  }

  /** One payout, or a clear reason why it did not move: 404 when missing, 409 when in another state. */
  public Future<Payout> approveOne(long id, String actor) {
    return single(id, approve(List.of(id), actor), "approve", PayoutStatus.PENDING);
  }

  public Future<Payout> rejectOne(long id, String actor, String reason) {
    return single(id, reject(List.of(id), actor, reason), "reject", PayoutStatus.PENDING);
  }

  /** Explains why a payout did not move. */
  public Future<Payout> single(long id, Future<List<Payout>> moved, String action, PayoutStatus expected) {
    return moved.compose(list -> list.isEmpty()
        ? payouts.find(id).compose(p -> Future.failedFuture(p
            .<RuntimeException>map(found -> DomainException.conflict(
                "cannot " + action + " payout " + id + ": it is " + found.status().wire() + ", not " + expected.wire()))
            .orElseGet(() -> DomainException.notFound("payout", id))))
        : Future.succeededFuture(list.get(0)));
  }

  /** approved -> processing -> gateway -> completed | failed, for the ids this caller wins. */
  public Future<List<ProcessResult>> process(List<Long> ids, String actor) {
    return payouts.startProcessing(ids, actor)
        .compose(claimed -> payClaimed(ids, published(claimed, PayoutStatus.APPROVED, actor), actor, false));
  }

  /** failed -> processing -> gateway, for payouts that still hold their funds; onlyDue for the sweep. */
  public Future<List<ProcessResult>> retry(List<Long> ids, String actor, boolean onlyDue) {
    return payouts.startRetry(ids, actor, onlyDue)
        .compose(claimed -> payClaimed(ids, published(claimed, PayoutStatus.FAILED, actor), actor, false));
  }

  /**
   * Finishes payouts left in processing for longer than {@code stalledFor}: asks the gateway what
   * happened to the attempt's key, and only pays (with the same key) when it never executed it.
   */
  public Future<List<ProcessResult>> resume(List<Long> ids, Duration stalledFor, String actor) {
    return payouts.takeOver(ids, stalledFor).compose(claimed -> payClaimed(ids, claimed, actor, true));
  }

  private Future<List<ProcessResult>> payClaimed(List<Long> asked, List<Payout> claimed, String actor, boolean lookupFirst) {
    if (claimed.isEmpty()) return Future.succeededFuture(results(asked, claimed, List.of(), List.of()));
    Future<Map<Long, Outcome>> answered = (lookupFirst ? lookUpThenPay(claimed) : payAll(claimed))
        .compose(this::oneTransactionPerPayout);
    return answered.compose(known -> {
      List<Outcome> outcomes = new ArrayList<>(known.size());
      List<ProcessResult> unknown = new ArrayList<>();
      for (Payout p : claimed) {
        Outcome o = known.get(p.id());
        if (o != null) {
          outcomes.add(o);
        } else {
          log.warn("payout {} outcome unknown at the gateway; it stays processing until looked up", p.id());
          unknown.add(new ProcessResult(p.id(), ProcessResult.Kind.UNKNOWN, p, "no answer from the gateway"));
        }
      }
      return payouts.record(outcomes, actor).map(written -> {
        published(written, PayoutStatus.PROCESSING, actor);
        return results(asked, claimed, written, unknown);
      });
    });
  }

  /** One batch call for the whole group; outcomes by payout id, unknown ones absent. */
  private Future<Map<Long, Outcome>> payAll(List<Payout> claimed) {
    List<PaymentInstruction> instructions = new ArrayList<>(claimed.size());
    for (Payout p : claimed) instructions.add(instruction(p));
    return gateway.payAll(instructions).map(byKey -> {
      Map<Long, Outcome> out = new HashMap<>();
      for (Payout p : claimed) {
        GatewayResult r = byKey.get(p.gatewayKey());
        if (r != null) out.put(p.id(), toOutcome(p, r));
      }
      return out;
    });
  }

  /**
   * A transaction id settles one payout. Two answers naming the same one (in this group, or one
   * that already settles another payout) cannot both be right, and the second would make the
   * group's write fail on the unique index: those payouts go to review instead.
   */
  private Future<Map<Long, Outcome>> oneTransactionPerPayout(Map<Long, Outcome> answered) {
    Map<Long, Outcome> outcomes = new HashMap<>(answered);
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

  /** For payouts whose earlier attempt's answer was lost: ask first, pay (same key) only if never executed. */
  private Future<Map<Long, Outcome>> lookUpThenPay(List<Payout> claimed) {
    List<Future<Outcome>> calls = new ArrayList<>(claimed.size());
    for (Payout p : claimed) calls.add(lookUpThenPay(p));
    return Future.join(calls).transform(ignored -> {
      Map<Long, Outcome> out = new HashMap<>();
      for (int i = 0; i < claimed.size(); i++) {
        Future<Outcome> f = calls.get(i);
        if (f.succeeded()) out.put(claimed.get(i).id(), f.result());
      }
      return Future.succeededFuture(out);
    });
  }

  private static PaymentInstruction instruction(Payout p) {
    return new PaymentInstruction(p.gatewayKey(), p.payoutRef(), p.method(), p.amount(), p.destination());
  }

  /** Under the key fixed when the attempt started: a resumed attempt is never asked about under another. */
  private Future<Outcome> lookUpThenPay(Payout p) {
    return gateway.lookup(p.gatewayKey())
        .compose(found -> found.map(Future::succeededFuture).orElseGet(() -> gateway.pay(instruction(p))))
        .map(r -> toOutcome(p, r));
  }

  private Outcome toOutcome(Payout p, GatewayResult r) {
    Outcome o = answers.judge(p, r, clock.instant());
    if (o instanceof Outcome.NeedsReview review) {
      log.warn("payout {} needs review, its funds stay held: {}", p.id(), review.reason());
    }
    return o;
  }

  private static List<ProcessResult> results(List<Long> asked, List<Payout> claimed, List<Payout> written,
      List<ProcessResult> unknown) {
    Map<Long, ProcessResult> byId = new HashMap<>();
    for (Payout p : written) byId.put(p.id(), ProcessResult.of(p));
    for (ProcessResult u : unknown) byId.put(u.payoutId(), u);
    Set<Long> claimedIds = new HashSet<>();
    for (Payout p : claimed) claimedIds.add(p.id());
    List<ProcessResult> out = new ArrayList<>(asked.size());
    for (Long id : asked) {
      ProcessResult r = byId.get(id);
      if (r == null) {
        r = new ProcessResult(id, ProcessResult.Kind.SKIPPED, null, claimedIds.contains(id)
            ? "another worker wrote its outcome first" : "not in a state this action moves");
      }
      out.add(r);
    }
    return out;
  }

  private List<Payout> published(List<Payout> moved, PayoutStatus from, String actor) {
    if (!moved.isEmpty()) {
      List<Transition> ts = new ArrayList<>(moved.size());
      for (Payout p : moved) ts.add(new Transition(p, from, actor));
      listener.committed(ts);
    }
    return moved;
  }
}
