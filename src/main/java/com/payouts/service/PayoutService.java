package com.payouts.service;

import com.payouts.domain.PayoutPage;

import com.payouts.domain.PayoutFilter;
import com.payouts.db.PayoutRepository;
import com.payouts.db.UserRepository;
import com.payouts.service.Work;
import com.payouts.domain.ApprovalPolicy;
import com.payouts.domain.DomainException;
import com.payouts.domain.VelocityLimits;
import com.payouts.domain.GatewayAnswerRule;
import com.payouts.domain.NewPayout;
import com.payouts.domain.Outcome;
import com.payouts.domain.Payout;
import com.payouts.domain.PayoutAction;
import com.payouts.domain.PayoutReturn;
import com.payouts.domain.PayoutStatus;
import com.payouts.domain.RetryPolicy;
import com.payouts.domain.Transition;
import com.payouts.gateway.GatewayResult;
import com.payouts.gateway.PaymentGateway;
import com.payouts.gateway.PaymentInstruction;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
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
  /** A writer per event loop that processes payouts: a processor's few, or one per call of a command's. */
  private final Map<Context, OutcomeWriter> writers = new ConcurrentHashMap<>();
  private final ApprovalPolicy policy;
  private final VelocityLimits limits;

  public PayoutService(PayoutRepository payouts, UserRepository users, PaymentGateway gateway,
      RetryPolicy retryPolicy, TransitionListener listener, Clock clock) {
    this(payouts, users, gateway, retryPolicy, listener, clock, ApprovalPolicy.NONE, VelocityLimits.NONE);
  }

  public PayoutService(PayoutRepository payouts, UserRepository users, PaymentGateway gateway,
      RetryPolicy retryPolicy, TransitionListener listener, Clock clock, ApprovalPolicy policy, VelocityLimits limits) {
    this.policy = policy;
    this.limits = limits;
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

  /** The payout with its audit trail and ledger rows; fails with not found. */
  public Future<PayoutDetail> detail(long id) {
    return payouts.find(id).compose(found -> found.map(this::detail)
        .orElseGet(() -> Future.failedFuture(DomainException.notFound("payout", id))));
  }

  /** A payout already in hand, with its audit trail and ledger rows. */
  public Future<PayoutDetail> detail(Payout p) {
    return detail(payouts.pool(), p);
  }

  /** The same, read as part of {@code w}: inside a transaction, rows it has not committed yet. */
  public Future<PayoutDetail> detail(Work w, Payout p) {
    return detail(w.sql(), p);
  }

  private Future<PayoutDetail> detail(SqlClient sql, Payout p) {
    return Future.all(payouts.events(sql, p.id()), payouts.ledger(sql, p.id()))
        .map(both -> new PayoutDetail(p, both.resultAt(0), both.resultAt(1)));
  }

  /** A page of payouts that match {@code filter}, and the cursor of the next. */
  public Future<PayoutPage> list(PayoutFilter filter) {
    return payouts.list(filter);
  }

  /** Every payout {@code filter} matches, streamed through a cursor (see {@link PayoutRepository#export}). */
  public Future<PayoutExport> export(PayoutFilter filter) {
    return payouts.export(filter).map(e -> new PayoutExport(e.rows(), e.close()));
  }

  /** create_from_user_request: holds the amount and records the request. */
  public Future<Payout> create(NewPayout request, String actor) {
    return Work.autoCommit(payouts.pool(), w -> create(w, request, actor));
  }

  /** The same, as part of {@code w}: its transition is published once {@code w} is committed. */
  public Future<Payout> create(Work w, NewPayout request, String actor) {
    return create(w, request, actor, null);
  }

  /**
   * The same, requested by staff user {@code requestedBy} (null: none), under the approval policy:
   * it may come back approved by {@link ApprovalPolicy#AUTO_APPROVER}, and then needs its job.
   */
  public Future<Payout> create(Work w, NewPayout request, String actor, Long requestedBy) {
    // Under velocity limits the user's wallet is locked first, so that two requests at the same
    // instant are counted one after the other (one statement's snapshot would miss the other).
    Future<Optional<Payout>> inserted = limits.equals(VelocityLimits.NONE)
        ? payouts.create(w.sql(), request, actor, requestedBy, policy, limits)
        : w.together(conn -> payouts.lockWallet(conn, request.userId())
            .compose(v -> payouts.create(conn, request, actor, requestedBy, policy, limits)));
    return inserted.compose(created -> created
        .map(p -> {
          published(w, List.of(p), null, actor);
          return Future.succeededFuture(p);
        })
        .orElseGet(() -> whyNotCreated(w, request)));
  }

  /**
   * Several requests in {@code w}'s transaction (their wallets locked first, in user id order), one
   * statement each, sent together: a group commit. The answer for each, in order, is its payout or
   * empty when it was refused ({@link #whyNotCreated} says why). Each transition is published once
   * {@code w} is committed.
   */
  Future<List<Optional<Payout>>> createAll(Work w, List<NewPayout> requests, List<String> actors, List<Long> requestedBy) {
    return w.together(conn -> payouts.lockWallets(conn, requests.stream().map(NewPayout::userId).toList())
        .compose(v -> payouts.createAll(conn, requests, actors, requestedBy, policy, limits)))
        .map(created -> {
          Map<String, List<Payout>> byActor = new java.util.LinkedHashMap<>();
          for (int i = 0; i < created.size(); i++) {
            Optional<Payout> p = created.get(i);
            if (p.isPresent()) byActor.computeIfAbsent(actors.get(i), a -> new ArrayList<>()).add(p.get());
          }
          byActor.forEach((actor, moved) -> published(w, moved, null, actor));
          return created;
        });
  }

  /** Each of these payouts with its audit trail and ledger rows, read as part of {@code w}: two round trips for all. */
  Future<List<PayoutDetail>> details(Work w, List<Payout> ps) {
    return payouts.trails(w.sql(), ps.stream().map(Payout::id).toList()).map(trails -> {
      List<PayoutDetail> out = new ArrayList<>(ps.size());
      for (int i = 0; i < ps.size(); i++) out.add(new PayoutDetail(ps.get(i), trails.get(i).events(), trails.get(i).ledger()));
      return out;
    });
  }

  /** Why {@code request} created nothing: the user is missing, not eligible, or short of funds. */
  Future<Payout> whyNotCreated(Work w, NewPayout request) {
    return users.find(w.sql(), request.userId()).compose(user -> {
      if (user.isEmpty()) return Future.failedFuture(DomainException.notFound("user", request.userId()));
      if (!user.get().eligible()) {
        return Future.failedFuture(new DomainException(DomainException.Kind.NOT_ELIGIBLE, "userId",
            "is not eligible for payouts" + (user.get().eligibilityReason() == null ? "" : ": " + user.get().eligibilityReason())));
      }
      return Future.failedFuture(new DomainException(DomainException.Kind.INSUFFICIENT_FUNDS, "amount",
          "exceeds the available balance of " + user.get().available().toPlainString()));
    });
  }

  /** pending -> approved for each id whose user may be paid; returns those that moved. */
  public Future<List<Payout>> approve(List<Long> ids, String actor) {
    return Work.autoCommit(payouts.pool(), w -> approve(w, ids, actor));
  }

  public Future<List<Payout>> approve(Work w, List<Long> ids, String actor) {
    return approve(w, ids, actor, null);
  }

  /**
   * An approval by staff user {@code approverId} (null: none) of each id it may approve: those that
   * now have the approvals their policy requires move to approved, a first of two stays pending
   * with its approval recorded. Returns both kinds.
   */
  public Future<List<Payout>> approve(Work w, List<Long> ids, String actor, Long approverId) {
    return w.statement(sql -> payouts.approve(sql, ids, actor, "approved", approverId))
        .map(moved -> published(w, moved, PayoutAction.APPROVE.from(), actor));
  }

  /** pending -> rejected, releasing each hold before returning. */
  public Future<List<Payout>> reject(List<Long> ids, String actor, String reason) {
    return Work.autoCommit(payouts.pool(), w -> reject(w, ids, actor, reason));
  }

  public Future<List<Payout>> reject(Work w, List<Long> ids, String actor, String reason) {
    return w.together(conn -> payouts.reject(conn, ids, actor, reason == null ? "rejected" : reason))
        .map(moved -> published(w, moved, PayoutAction.REJECT.from(), actor));
  }

  /** One payout, or why it did not move: 404 when missing, 409 in another state, 422 for an ineligible user. */
  public Future<Payout> approveOne(long id, String actor) {
    return approveOne(id, actor, null);
  }

  /** As {@link #approveOne(long, String)} by staff user {@code approverId}: 409 for its requester or a second approval of theirs. */
  public Future<Payout> approveOne(long id, String actor, Long approverId) {
    return single(id, Work.autoCommit(payouts.pool(), w -> approve(w, List.of(id), actor, approverId)),
        PayoutAction.APPROVE, approverId);
  }

  public Future<Payout> rejectOne(long id, String actor, String reason) {
    return single(id, reject(List.of(id), actor, reason), PayoutAction.REJECT);
  }

  /** Explains why a payout did not move, from its row as it is now. */
  public Future<Payout> single(long id, Future<List<Payout>> moved, PayoutAction action) {
    return single(id, moved, action, null);
  }

  private Future<Payout> single(long id, Future<List<Payout>> moved, PayoutAction action, Long approverId) {
    return moved.compose(list -> list.isEmpty()
        ? refusals(payouts.pool(), List.of(id), action, approverId).compose(why -> Future.failedFuture(why.getOrDefault(id,
            DomainException.conflict("cannot " + action.verb() + " payout " + id
                + " now (it changed meanwhile); try again"))))
        : Future.succeededFuture(list.get(0)));
  }

  /**
   * The payout if {@code action} may move it now (it exists, is in the status the action moves
   * out of, its user may be paid), else why not; for the actions whose transition happens later, in a job.
   */
  public Future<Payout> movable(long id, PayoutAction action) {
    return refusals(payouts.pool(), List.of(id), action).compose(why -> why.containsKey(id)
        ? Future.failedFuture(why.get(id))
        : payouts.find(id).map(p -> p.orElseThrow(() -> DomainException.notFound("payout", id))));
  }

  /**
   * Why each of {@code ids} cannot be moved by {@code action} now, read from the rows: not found
   * (404), in a status the action does not move (409), or its user is not eligible (422). Ids
   * that could move are absent; asked after a transition refused them, that means a race lost.
   */
  public Future<Map<Long, DomainException>> refusals(SqlClient sql, List<Long> ids, PayoutAction action) {
    return refusals(sql, ids, action, null);
  }

  /** The same for an approval by staff user {@code approverId}, with the policy's refusals (409). */
  public Future<Map<Long, DomainException>> refusals(SqlClient sql, List<Long> ids, PayoutAction action, Long approverId) {
    return payouts.standing(sql, ids).map(found -> {
      Map<Long, DomainException> why = new HashMap<>();
      for (Long id : ids) why.put(id, DomainException.notFound("payout", id));
      for (PayoutRepository.Standing s : found) {
        Optional<String> refused = action.refusal(s.status());
        if (refused.isPresent()) {
          why.put(s.id(), DomainException.conflict(
              "cannot " + action.verb() + " payout " + s.id() + ": " + refused.get()));
        } else if (!s.userEligible()) {
          why.put(s.id(), new DomainException(DomainException.Kind.NOT_ELIGIBLE, null, ineligible(s)));
        } else if (action == PayoutAction.APPROVE && policyRefusal(s, approverId).isPresent()) {
          why.put(s.id(), DomainException.conflict("cannot approve payout " + s.id() + ": " + policyRefusal(s, approverId).get()));
        } else {
          why.remove(s.id());
        }
      }
      return why;
    });
  }

  /**
   * Why the approval policy refuses staff user {@code approverId}'s approval of a pending payout
   * ("it needs two approvals and you requested it"), or empty.
   */
  public static Optional<String> policyRefusal(PayoutRepository.Standing s, Long approverId) {
    if (s.approvalsRequired() < 2) return Optional.empty();
    if (approverId == null) return Optional.of("it needs approvals by two staff users");
    if (approverId.equals(s.requestedBy())) {
      return Optional.of("it needs two approvals by staff users other than its requester, and you requested it");
    }
    if (s.approvers().contains(approverId)) {
      return Optional.of("you approved it already; it needs a second approval by another staff user");
    }
    return Optional.empty();
  }

  /** "user 3 is not eligible for payouts: chargeback under review" */
  public static String ineligible(PayoutRepository.Standing s) {
    return "user " + s.userId() + " is not eligible for payouts"
        + (s.eligibilityReason() == null || s.eligibilityReason().isBlank() ? "" : ": " + s.eligibilityReason());
  }

  /**
   * completed -> returned, from the gateway's event: applied once by the event's id (a replay, or
   * the poller finding a delivered event again, changes nothing), with its return ledger row, and
   * the user's payouts switched off until an operator switches them on. Nothing retries it.
   */
  public Future<AppliedEvent> applyReturn(PayoutReturn r, String via) {
    return payouts.returnPayout(r, "gateway", via).map(applied -> {
      applied.returned().ifPresent(p -> {
        log.info("payout {} was returned by the bank ({}); user {} is switched off", p.id(), p.returnCode(), p.userId());
        published(List.of(p), PayoutAction.RETURN.from(), "gateway");
      });
      return new AppliedEvent(applied.fresh(), applied.returned());
    });
  }

  /** approved -> processing -> gateway -> completed | failed, for the ids this caller wins. */
  public Future<List<ProcessResult>> process(List<Long> ids, String actor) {
    return process(ids, actor, n -> {});
  }

  /**
   * The same, telling {@code released} of payouts as they leave this call's hands: those not
   * claimed at once, each claimed one when its outcome is written (or found unknown).
   */
  public Future<List<ProcessResult>> process(List<Long> ids, String actor, IntConsumer released) {
    return payouts.startProcessing(ids, actor)
        .compose(claimed -> payClaimed(ids, published(claimed, PayoutAction.START_PROCESSING.from(), actor), actor,
            false, released))
        .compose(this::namingIneligibleUsers);
  }

  /** failed -> processing -> gateway, for payouts that still hold their funds; onlyDue for the sweep. */
  public Future<List<ProcessResult>> retry(List<Long> ids, String actor, boolean onlyDue) {
    return retry(ids, actor, onlyDue, n -> {});
  }

  public Future<List<ProcessResult>> retry(List<Long> ids, String actor, boolean onlyDue, IntConsumer released) {
    return payouts.startRetry(ids, actor, onlyDue)
        .compose(claimed -> payClaimed(ids, published(claimed, PayoutAction.RETRY.from(), actor), actor, false,
            released))
        .compose(this::namingIneligibleUsers);
  }

  /** A payout its claim skipped because of its user says so (in the job's result, on the CLI). */
  private Future<List<ProcessResult>> namingIneligibleUsers(List<ProcessResult> results) {
    List<Long> skipped = results.stream()
        .filter(r -> r.kind() == ProcessResult.Kind.SKIPPED && r.payout() == null).map(ProcessResult::payoutId).toList();
    if (skipped.isEmpty()) return Future.succeededFuture(results);
    return payouts.standing(payouts.pool(), skipped).map(found -> {
      Map<Long, String> why = new HashMap<>();
      for (PayoutRepository.Standing s : found) if (!s.userEligible()) why.put(s.id(), ineligible(s));
      List<ProcessResult> out = new ArrayList<>(results.size());
      for (ProcessResult r : results) {
        String ineligible = r.payout() == null ? why.get(r.payoutId()) : null;
        out.add(ineligible == null ? r : new ProcessResult(r.payoutId(), r.kind(), null, ineligible));
      }
      return out;
    }).otherwise(results); // only the wording is at stake: the work is done
  }

  /**
   * Finishes payouts left in processing for longer than {@code stalledFor}: asks the gateway what
   * happened to the attempt's key, and only pays (with the same key) when it never executed it.
   */
  public Future<List<ProcessResult>> resume(List<Long> ids, Duration stalledFor, String actor) {
    return resume(ids, stalledFor, actor, n -> {});
  }

  public Future<List<ProcessResult>> resume(List<Long> ids, Duration stalledFor, String actor, IntConsumer released) {
    return payouts.takeOver(ids, stalledFor).compose(claimed -> payClaimed(ids, claimed, actor, true, released));
  }

  /**
   * Pays the claimed payouts and writes each outcome as soon as its own answer is in (sharing a
   * write with the others that arrive meanwhile, see {@link OutcomeWriter}), so a payout is not
   * held up by the slowest of its group. The result comes when every one is written or known to
   * be unknown; it fails when a write failed (those payouts stay processing, to be resumed).
   */
  private Future<List<ProcessResult>> payClaimed(List<Long> asked, List<Payout> claimed, String actor,
      boolean lookupFirst, IntConsumer released) {
    released.accept(asked.size() - claimed.size());
    if (claimed.isEmpty()) return Future.succeededFuture(results(asked, claimed, List.of()));
    List<Future<Outcome>> answers = lookupFirst ? lookUpThenPay(claimed) : payEach(claimed);
    OutcomeWriter writer = writer();
    List<Future<ProcessResult>> each = new ArrayList<>(claimed.size());
    for (int i = 0; i < claimed.size(); i++) {
      Payout p = claimed.get(i);
      each.add(answers.get(i).transform(ar -> {
        if (ar.failed()) {
          log.warn("payout {} outcome unknown at the gateway ({}); it stays processing until looked up", p.id(),
              ar.cause().getMessage());
          return Future.succeededFuture(new ProcessResult(p.id(), ProcessResult.Kind.UNKNOWN, p, "no answer from the gateway"));
        }
        return writer.write(ar.result(), actor).map(written -> written == null
            ? new ProcessResult(p.id(), ProcessResult.Kind.SKIPPED, null, "another worker wrote its outcome first")
            : ProcessResult.of(written));
      }).onComplete(ar -> released.accept(1)));
    }
    return Future.join(each).transform(ignored -> {
      for (Future<ProcessResult> f : each) if (f.failed()) return Future.failedFuture(f.cause());
      List<ProcessResult> done = new ArrayList<>(each.size());
      for (Future<ProcessResult> f : each) done.add(f.result());
      return Future.succeededFuture(results(asked, claimed, done));
    });
  }

  /** The writer of the calling event loop; one per loop, so each is only touched from its own thread. */
  private OutcomeWriter writer() {
    Context context = Vertx.currentContext();
    if (context == null) throw new IllegalStateException("payouts are processed on a Vert.x context");
    return writers.computeIfAbsent(context, c -> new OutcomeWriter(payouts, c,
        // Every gateway outcome (complete, fail, needs review) moves a payout out of processing.
        (written, actor) -> published(written, PayoutAction.COMPLETE.from(), actor)));
  }

  /** A batch call for the group's payouts, each answer on its own as soon as it is known. */
  private List<Future<Outcome>> payEach(List<Payout> claimed) {
    List<PaymentInstruction> instructions = new ArrayList<>(claimed.size());
    for (Payout p : claimed) instructions.add(instruction(p));
    List<Future<GatewayResult>> answers = gateway.payEach(instructions);
    List<Future<Outcome>> out = new ArrayList<>(claimed.size());
    for (int i = 0; i < claimed.size(); i++) {
      Payout p = claimed.get(i);
      out.add(answers.get(i).map(r -> toOutcome(p, r)));
    }
    return out;
  }

  /** For payouts whose earlier attempt's answer was lost: ask first, pay (same key) only if never executed. */
  private List<Future<Outcome>> lookUpThenPay(List<Payout> claimed) {
    List<Future<Outcome>> calls = new ArrayList<>(claimed.size());
    for (Payout p : claimed) calls.add(lookUpThenPay(p));
    return calls;
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

  private static List<ProcessResult> results(List<Long> asked, List<Payout> claimed, List<ProcessResult> done) {
    Map<Long, ProcessResult> byId = new HashMap<>();
    for (ProcessResult r : done) byId.put(r.payoutId(), r);
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

  /** Publishes once {@code w} is committed: a transition that may still roll back is never announced. */
  private List<Payout> published(Work w, List<Payout> moved, PayoutStatus from, String actor) {
    if (!moved.isEmpty()) {
      w.afterCommit(() -> {
        published(moved, from, actor);
        return Future.succeededFuture();
      });
    }
    return moved;
  }
}
