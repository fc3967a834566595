package com.payouts.db;

import com.payouts.domain.PayoutFilter;
import com.payouts.domain.PayoutPage;

import com.payouts.domain.ApprovalPolicy;
import com.payouts.domain.LedgerEntry;
import com.payouts.domain.VelocityLimits;
import com.payouts.domain.NewPayout;
import com.payouts.domain.Outcome;
import com.payouts.domain.Payout;
import com.payouts.domain.PayoutEvent;
import com.payouts.domain.PayoutReturn;
import com.payouts.domain.PayoutStatus;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.RowStream;
import io.vertx.core.streams.ReadStream;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Payout requests over the Pg pool. Every transition takes many ids and returns the payouts that
 * actually moved: the rest were not in the expected status (or version) and are left alone.
 */
public class PayoutRepository {
  /**
   * Whether a pool should plan {@code sql} at each call instead of keeping its prepared statement
   * (see {@link PayoutSql#PLANNED_PER_CALL}): those statements run as one-shot, unnamed statements.
   */
  public static boolean plannedPerCall(String sql) {
    return PayoutSql.PLANNED_PER_CALL.contains(sql);
  }

  /** Multi-wallet statements lock in user id order; should Postgres still break a deadlock, we try again. */
  public static final int DEADLOCK_RETRIES = 5;

  private final Pool pool;
  private final InstallationRepository installation;

  public PayoutRepository(Pool pool) {
    this.pool = pool;
    this.installation = new InstallationRepository(pool);
  }

  /** For {@link Work#autoCommit}: the pool these payouts live in. */
  public Pool pool() {
    return pool;
  }

  public Future<Optional<Payout>> find(long id) {
    return find(pool, id);
  }

  public Future<Optional<Payout>> find(SqlClient sql, long id) {
    return sql.preparedQuery(PayoutSql.BY_ID).execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(Rows.payout(rows.iterator().next())));
  }

  /** What reconciliation needs of a payout: its status, amount and settling transaction. */
  public record Booked(long id, PayoutStatus status, java.math.BigDecimal amount, String transactionId,
      String returnCode, java.time.Instant updatedAt) {}

  /** Up to {@code limit} payouts after {@code afterId}, in id order (a primary-key range). */
  public Future<List<Booked>> bookedAfter(long afterId, int limit) {
    return pool.preparedQuery(PayoutSql.BOOKED_AFTER).execute(Tuple.of(afterId, limit)).map(rows -> {
      List<Booked> out = new ArrayList<>(rows.size());
      for (Row r : rows) {
        out.add(new Booked(r.getLong("id"), PayoutStatus.parse(r.getString("status")), r.getBigDecimal("amount"),
            r.getString("transaction_id"), r.getString("return_code"), Rows.instant(r, "updated_at")));
      }
      return out;
    });
  }

  public Future<List<Payout>> findAll(List<Long> ids) {
    return findAll(pool, ids);
  }

  public Future<List<Payout>> findAll(SqlClient sql, List<Long> ids) {
    return sql.preparedQuery(PayoutSql.BY_IDS).execute(Tuple.of(ids.toArray(Long[]::new))).map(Rows::payouts);
  }

  /** A payout's status and whether its user may be paid: what explains a transition that did not happen. */
  public record Standing(long id, PayoutStatus status, boolean holdsFunds, long userId, boolean userEligible,
      String eligibilityReason, Long requestedBy, int approvalsRequired, List<Long> approvers) {}

  /** The standing of each of these payouts that exists, by id. */
  public Future<List<Standing>> standing(SqlClient sql, List<Long> ids) {
    return sql.preparedQuery(PayoutSql.STANDING).execute(Tuple.of(ids.toArray(Long[]::new))).map(rows -> {
      List<Standing> out = new ArrayList<>(rows.size());
      for (Row r : rows) {
        out.add(new Standing(r.getLong("id"), PayoutStatus.parse(r.getString("status")), r.getBoolean("holds_funds"),
            r.getLong("user_id"), r.getBoolean("payout_eligible"), r.getString("eligibility_reason"),
            r.getLong("requested_by"), r.getInteger("approvals_required"), List.of(r.getArrayOfLongs("approvers"))));
      }
      return out;
    });
  }

  /** A page of payouts and the cursor of the next page (null on the last). */

  public Future<PayoutPage> list(PayoutFilter filter) {
    PayoutListSql.Query q = PayoutListSql.build(filter);
    return pool.preparedQuery(q.sql()).execute(q.args()).map(rows -> {
      List<Payout> items = new ArrayList<>(Math.min(rows.size(), filter.limit()));
      String lastSortValue = null;
      Rows.PayoutColumns c = null;
      for (Row r : rows) {
        if (items.size() == filter.limit()) {
          return new PayoutPage(items, new PayoutFilter.Cursor(lastSortValue, items.get(items.size() - 1).id()));
        }
        if (c == null) c = Rows.PayoutColumns.of(r);
        items.add(Rows.payout(c, r));
        lastSortValue = r.getString(c.sortValue);
      }
      return new PayoutPage(items, null);
    });
  }

  /** Rows fetched per round trip of an export's cursor: memory stays this many rows, whatever the total. */
  static final int EXPORT_FETCH = 500;

  /**
   * Every payout the filter matches (its page's limit and cursor aside), read through a cursor in
   * a read-only transaction of its own connection: {@code close} ends both, and runs by itself at
   * the end of the rows or on a failure.
   */
  public record Export(ReadStream<Payout> rows, Supplier<Future<Void>> close) {}

  public Future<Export> export(PayoutFilter filter) {
    PayoutListSql.Query q = PayoutListSql.export(filter);
    return pool.getConnection().compose(conn -> conn.begin()
        .compose(tx -> conn.prepare(q.sql()).map(ps -> {
          RowStream<Row> rows = ps.createStream(EXPORT_FETCH, q.args());
          boolean[] closed = {false};
          Supplier<Future<Void>> close = () -> {
            if (closed[0]) return Future.succeededFuture();
            closed[0] = true;
            return rows.close().transform(ar -> tx.commit()).transform(ar -> conn.close());
          };
          return new Export(new PayoutRowStream(rows, close), close);
        }))
        .onFailure(err -> conn.close()));
  }

  public Future<List<Long>> idsInStatus(PayoutStatus status, int limit) {
    return pool.preparedQuery(PayoutSql.IDS_IN_STATUS).execute(Tuple.of(status.wire(), limit))
        .map(PayoutRepository::ids);
  }

  public Future<List<Long>> dueRetries(int limit) {
    return pool.preparedQuery(PayoutSql.DUE_RETRIES).execute(Tuple.of(limit)).map(PayoutRepository::ids);
  }

  /** A payout that waited in approved or processing for longer than a lease. */
  public record Stale(long id, PayoutStatus status) {}

  /** Payouts that sat in approved or processing longer than {@code age}. */
  public Future<List<Stale>> stale(Duration age, int limit) {
    return pool.preparedQuery(PayoutSql.STALE).execute(Tuple.of(age.toMillis() / 1000.0, limit)).map(rows -> {
      List<Stale> out = new ArrayList<>(rows.size());
      for (Row r : rows) out.add(new Stale(r.getLong("id"), PayoutStatus.parse(r.getString("status"))));
      return out;
    });
  }

  /**
   * Holds the amount and records the request, in one statement. Empty when the user does not
   * exist, is not eligible, or cannot afford it (the caller finds out which).
   */
  public Future<Optional<Payout>> create(SqlClient sql, NewPayout p, String actor) {
    return create(sql, p, actor, null, ApprovalPolicy.NONE, VelocityLimits.NONE);
  }

  /**
   * The same under an approval policy and velocity limits: the payout's approvals required and
   * review reasons are decided in the statement, and below the policy's auto-approval amount it
   * may come back approved. {@code requestedBy}: the staff user asking (null: none).
   */
  public Future<Optional<Payout>> create(SqlClient sql, NewPayout p, String actor, Long requestedBy,
      ApprovalPolicy policy, VelocityLimits limits) {
    return sql.preparedQuery(PayoutSql.CREATE).execute(createArgs(p, actor, requestedBy, policy, limits))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(Rows.payout(rows.iterator().next())));
  }

  private static Tuple createArgs(NewPayout p, String actor, Long requestedBy, ApprovalPolicy policy, VelocityLimits limits) {
    return Tuple.tuple()
        .addLong(p.userId()).addBigDecimal(p.amount()).addString(p.method().wire())
        .addString(p.priority().wire()).addBigDecimal(p.fee()).addBigDecimal(p.net())
        .addString(p.notes()).addString(actor)
        .addBigDecimal(policy.autoBelow()).addBigDecimal(policy.twoApproversFrom()).addBoolean(policy.configured())
        .addInteger(limits.count()).addDouble(seconds(limits.countWindow()))
        .addBigDecimal(limits.amount()).addDouble(seconds(limits.amountWindow()))
        .addLong(requestedBy);
  }

  /**
   * Several requests in {@code conn}'s transaction, one {@link PayoutSql#CREATE} execution each,
   * sent together (one round trip) and in order: each sees what the ones before it held, so two
   * requests of one user are counted one after the other. The users' wallets must be locked first
   * ({@link #lockWallets}). Each answer is the payout created, or empty when it was refused.
   */
  public Future<List<Optional<Payout>>> createAll(SqlConnection conn, List<NewPayout> requests, List<String> actors,
      List<Long> requestedBy, ApprovalPolicy policy, VelocityLimits limits) {
    List<Tuple> batch = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      batch.add(createArgs(requests.get(i), actors.get(i), requestedBy.get(i), policy, limits));
    }
    return conn.preparedQuery(PayoutSql.CREATE).executeBatch(batch).map(first -> {
      List<Optional<Payout>> out = new ArrayList<>(requests.size());
      for (RowSet<Row> rows = first; rows != null; rows = rows.next()) {
        out.add(rows.size() == 0 ? Optional.empty() : Optional.of(Rows.payout(rows.iterator().next())));
      }
      return out;
    });
  }

  /** Locks these users' wallets in {@code conn}'s transaction, in user id order, until it ends. */
  public Future<Void> lockWallets(SqlConnection conn, List<Long> userIds) {
    Long[] ids = userIds.stream().distinct().sorted().toArray(Long[]::new);
    return conn.preparedQuery(PayoutSql.LOCK_WALLETS).execute(Tuple.of(ids)).mapEmpty();
  }

  /** A payout's audit trail and ledger rows, oldest first. */
  public record Trail(List<PayoutEvent> events, List<LedgerEntry> ledger) {}

  /** The audit trail and ledger rows of each of these payouts, in their order: two round trips for all. */
  public Future<List<Trail>> trails(SqlClient sql, List<Long> payoutIds) {
    if (payoutIds.isEmpty()) return Future.succeededFuture(List.of());
    List<Tuple> ids = payoutIds.stream().map(Tuple::of).toList();
    Future<List<List<PayoutEvent>>> events = sql.preparedQuery(PayoutSql.EVENTS).executeBatch(ids)
        .map(first -> each(first, Rows::event));
    Future<List<List<LedgerEntry>>> ledger = sql.preparedQuery(PayoutSql.LEDGER_OF_PAYOUT).executeBatch(ids)
        .map(first -> each(first, Rows::ledger));
    return Future.all(events, ledger).map(both -> {
      List<List<PayoutEvent>> e = both.resultAt(0);
      List<List<LedgerEntry>> l = both.resultAt(1);
      List<Trail> out = new ArrayList<>(e.size());
      for (int i = 0; i < e.size(); i++) out.add(new Trail(e.get(i), l.get(i)));
      return out;
    });
  }

  private static <T> List<List<T>> each(RowSet<Row> first, Function<Row, T> row) {
    List<List<T>> out = new ArrayList<>();
    for (RowSet<Row> rows = first; rows != null; rows = rows.next()) {
      List<T> one = new ArrayList<>(rows.size());
      for (Row r : rows) one.add(row.apply(r));
      out.add(one);
    }
    return out;
  }

  /** Locks the user's wallet in {@code conn}'s transaction, until it ends. */
  public Future<Void> lockWallet(SqlConnection conn, long userId) {
    return conn.preparedQuery(PayoutSql.LOCK_WALLET).execute(Tuple.of(userId)).mapEmpty();
  }

  private static Double seconds(Duration d) {
    return d == null ? null : d.toMillis() / 1000.0;
  }

  /** pending -> approved for the payouts whose users may be paid now; returns those that moved. */
  public Future<List<Payout>> approve(SqlClient sql, List<Long> ids, String actor, String detail) {
    return approve(sql, ids, actor, detail, null);
  }

  /**
   * An approval by staff user {@code approverId} (null: no staff user) of each pending payout it may
   * approve; returns those that took it: approved, or still pending for their second approval.
   */
  public Future<List<Payout>> approve(SqlClient sql, List<Long> ids, String actor, String detail, Long approverId) {
    return sql.preparedQuery(PayoutSql.APPROVE).execute(Tuple.of(ids.toArray(Long[]::new), actor, detail, approverId))
        .map(Rows::payouts);
  }

  /** pending -> rejected, and the released holds back to the wallets: conn's transaction commits both. */
  public Future<List<Payout>> reject(SqlConnection conn, List<Long> ids, String actor, String reason) {
    return conn.preparedQuery(PayoutSql.REJECT).execute(Tuple.of(ids.toArray(Long[]::new), actor, reason))
        .map(Rows::payouts)
        .compose(moved -> applyWalletDeltas(conn, WalletDeltas.of(moved)).map(moved));
  }

  /** approved -> processing, each with the gateway key of its attempt in this installation. */
  public Future<List<Payout>> startProcessing(List<Long> ids, String actor) {
    return installation.installationId().compose(inst -> transition(PayoutSql.START_PROCESSING,
        Tuple.of(ids.toArray(Long[]::new), actor, Payout.gatewayKeyFormat(inst))));
  }

  public Future<List<Payout>> startRetry(List<Long> ids, String actor, boolean onlyDue) {
    return installation.installationId().compose(inst -> transition(PayoutSql.START_RETRY,
        Tuple.of(ids.toArray(Long[]::new), actor, onlyDue, Payout.gatewayKeyFormat(inst))));
  }

  /** Claims payouts left in processing for longer than {@code stalledFor} from a dead or stalled worker. */
  public Future<List<Payout>> takeOver(List<Long> ids, Duration stalledFor) {
    return transition(PayoutSql.TAKE_OVER, Tuple.of(ids.toArray(Long[]::new), stalledFor.toMillis() / 1000.0));
  }

  /**
   * Writes a group's gateway outcomes in one transaction: the paid in one statement, the declined
   * in another, the ones in need of review in a third, then the wallet deltas, so the shared
   * wallets are locked only at the end.
   */
  public Future<List<Payout>> record(List<Outcome> outcomes, String actor) {
    List<Outcome.Paid> paid = new ArrayList<>();
    List<Outcome.Declined> declined = new ArrayList<>();
    List<Outcome.NeedsReview> review = new ArrayList<>();
    for (Outcome o : outcomes) {
      if (o instanceof Outcome.Paid p) paid.add(p);
      else if (o instanceof Outcome.Declined d) declined.add(d);
      else review.add((Outcome.NeedsReview) o);
    }
    if (outcomes.isEmpty()) return Future.succeededFuture(List.of());
    return movingMoney(conn -> {
      List<Payout> all = new ArrayList<>(outcomes.size());
      return complete(conn, paid, actor).map(all::addAll)
          .compose(v -> fail(conn, declined, actor)).map(all::addAll)
          .compose(v -> needsReview(conn, review, actor)).map(all::addAll)
          .map(v -> all);
    });
  }

  /** What applying a gateway event did: whether it was new, and the payout it returned (if any). */
  public record Applied(boolean fresh, Optional<Payout> returned) {}

  /**
   * Applies the gateway's return event once (see {@link PayoutSql#RETURN}), with the wallet's
   * change in the same transaction. {@code via} is "webhook" or "poll".
   */
  public Future<Applied> returnPayout(PayoutReturn r, String actor, String via) {
    Tuple args = Tuple.tuple().addString(r.eventId()).addString(r.eventType()).addValue(r.payoutId())
        .addString(r.transactionId()).addString(r.amount() == null ? null : r.amount().toPlainString())
        .addString(r.returnCode()).addValue(r.returnedAt().atOffset(ZoneOffset.UTC)).addString(actor)
        .addString(via).addString(r.payload());
    return withDeadlockRetry(() -> pool.withTransaction(conn -> conn.preparedQuery(PayoutSql.RETURN).execute(args)
        .compose(rows -> {
          Row row = rows.iterator().next();
          boolean fresh = row.getLong("fresh") > 0;
          Long returnedId = row.getLong("returned_id");
          if (returnedId == null) return Future.succeededFuture(new Applied(fresh, Optional.<Payout>empty()));
          return find(conn, returnedId).compose(p -> applyWalletDeltas(conn, WalletDeltas.of(List.of(p.orElseThrow())))
              .map(v -> new Applied(fresh, p)));
        })), DEADLOCK_RETRIES);
  }

  /** The payout each of these transaction ids already settles, by transaction id. */
  public Future<Map<String, Long>> settledBy(List<String> transactionIds) {
    if (transactionIds.isEmpty()) return Future.succeededFuture(Map.of());
    return pool.preparedQuery(PayoutSql.SETTLED_BY).execute(Tuple.of(transactionIds.toArray(String[]::new)))
        .map(rows -> {
          Map<String, Long> out = new HashMap<>();
          for (Row r : rows) out.put(r.getString("transaction_id"), r.getLong("id"));
          return out;
        });
  }

  /** A transition over many wallets: its statements, then its wallet deltas, in one transaction. */
  private Future<List<Payout>> movingMoney(Function<SqlConnection, Future<List<Payout>>> transition) {
    return withDeadlockRetry(() -> pool.withTransaction(conn -> transition.apply(conn)
        .compose(moved -> applyWalletDeltas(conn, WalletDeltas.of(moved)).map(moved))), DEADLOCK_RETRIES);
  }

  private static Future<List<Payout>> complete(SqlConnection conn, List<Outcome.Paid> paid, String actor) {
    if (paid.isEmpty()) return Future.succeededFuture(List.of());
    int n = paid.size();
    Long[] ids = new Long[n];
    Integer[] versions = new Integer[n];
    String[] txns = new String[n];
    String[] fees = new String[n];
    for (int i = 0; i < n; i++) {
      Outcome.Paid p = paid.get(i);
      ids[i] = p.payoutId();
      versions[i] = p.expectedVersion();
      txns[i] = p.transactionId();
      fees[i] = p.fee().toPlainString();
    }
    return conn.preparedQuery(PayoutSql.COMPLETE).execute(Tuple.of(ids, versions, txns, fees, actor)).map(Rows::payouts);
  }

  private static Future<List<Payout>> fail(SqlConnection conn, List<Outcome.Declined> declined, String actor) {
    if (declined.isEmpty()) return Future.succeededFuture(List.of());
    int n = declined.size();
    Long[] ids = new Long[n];
    Integer[] versions = new Integer[n];
    String[] codes = new String[n];
    String[] messages = new String[n];
    Boolean[] retryable = new Boolean[n];
    OffsetDateTime[] next = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      Outcome.Declined d = declined.get(i);
      ids[i] = d.payoutId();
      versions[i] = d.expectedVersion();
      codes[i] = d.errorCode();
      messages[i] = d.errorMessage();
      retryable[i] = d.retryable();
      next[i] = d.nextRetryAt() == null ? null : d.nextRetryAt().atOffset(ZoneOffset.UTC);
    }
    return conn.preparedQuery(PayoutSql.FAIL).execute(Tuple.of(ids, versions, codes, messages, retryable, next, actor))
        .map(Rows::payouts);
  }

  private static Future<List<Payout>> needsReview(SqlConnection conn, List<Outcome.NeedsReview> review, String actor) {
    if (review.isEmpty()) return Future.succeededFuture(List.of());
    int n = review.size();
    Long[] ids = new Long[n];
    Integer[] versions = new Integer[n];
    String[] codes = new String[n];
    String[] reasons = new String[n];
    for (int i = 0; i < n; i++) {
      Outcome.NeedsReview r = review.get(i);
      ids[i] = r.payoutId();
      versions[i] = r.expectedVersion();
      codes[i] = r.code();
      reasons[i] = r.reason();
    }
    return conn.preparedQuery(PayoutSql.NEEDS_REVIEW).execute(Tuple.of(ids, versions, codes, reasons, actor))
        .map(Rows::payouts);
  }

  /** Applies the deltas; fewer wallets updated than asked for means a missing wallet, and rolls back. */
  private static Future<Void> applyWalletDeltas(SqlConnection conn, WalletDeltas deltas) {
    if (deltas.isEmpty()) return Future.succeededFuture();
    return conn.preparedQuery(PayoutSql.WALLET_DELTAS)
        .execute(Tuple.of(deltas.userIds(), deltas.available(), deltas.held()))
        .compose(rows -> rows.rowCount() == deltas.size()
            ? Future.<Void>succeededFuture()
            : Future.failedFuture(new IllegalStateException(
                "updated " + rows.rowCount() + " of " + deltas.size() + " wallets; rolled back")));
  }

  public Future<List<PayoutEvent>> events(long payoutId) {
    return events(pool, payoutId);
  }

  public Future<List<PayoutEvent>> events(SqlClient sql, long payoutId) {
    return sql.preparedQuery(PayoutSql.EVENTS).execute(Tuple.of(payoutId)).map(rows -> {
      List<PayoutEvent> out = new ArrayList<>();
      for (Row r : rows) out.add(Rows.event(r));
      return out;
    });
  }

  public Future<List<LedgerEntry>> ledger(long payoutId) {
    return ledger(pool, payoutId);
  }

  public Future<List<LedgerEntry>> ledger(SqlClient sql, long payoutId) {
    return sql.preparedQuery(PayoutSql.LEDGER_OF_PAYOUT).execute(Tuple.of(payoutId)).map(rows -> {
      List<LedgerEntry> out = new ArrayList<>();
      for (Row r : rows) out.add(Rows.ledger(r));
      return out;
    });
  }

  private Future<List<Payout>> transition(String sql, Tuple args) {
    return withDeadlockRetry(() -> pool.preparedQuery(sql).execute(args).map(Rows::payouts), DEADLOCK_RETRIES);
  }

  public static <T> Future<T> withDeadlockRetry(Supplier<Future<T>> work, int triesLeft) {
    return work.get().recover(err -> {
      if (triesLeft > 0 && err instanceof PgException pg && "40P01".equals(pg.getSqlState())) {
        return withDeadlockRetry(work, triesLeft - 1);
      }
      return Future.failedFuture(err);
    });
  }

  private static List<Long> ids(RowSet<Row> rows) {
    List<Long> out = new ArrayList<>(rows.size());
    for (Row r : rows) out.add(r.getLong("id"));
    return out;
  }
}
