package com.payouts.service;

import com.payouts.db.PayoutRepository;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an operation's statements run, and what waits for their commit. {@link #autoCommit}: each
 * statement on the pool, committed as it completes (the cheap path). {@link #transaction}: all of
 * them in one transaction, as an idempotent request runs beside its key row. Either way the actions
 * handed to {@link #afterCommit} (events, jobs) run only once everything is committed, so nobody
 * hears of a change that may still roll back, and the operation's result waits for them.
 */
public final class Work {
  private static final Logger log = LoggerFactory.getLogger(Work.class);

  private final Pool pool;
  private final SqlConnection tx;
  private final List<Supplier<Future<?>>> afterCommit = new ArrayList<>();

  private Work(Pool pool, SqlConnection tx) {
    this.pool = pool;
    this.tx = tx;
  }

  public static <T> Future<T> autoCommit(Pool pool, Function<Work, Future<T>> body) {
    Work w = new Work(pool, null);
    return apply(body, w).compose(result -> w.committed().map(result));
  }

  /**
   * One transaction for the whole body. Should Postgres break a deadlock, the body runs again from
   * the start in a new transaction (with fresh after-commit actions): nothing of the first try stays.
   */
  public static <T> Future<T> transaction(Pool pool, Function<Work, Future<T>> body) {
    List<Work> tries = new ArrayList<>(1);
    return PayoutRepository.withDeadlockRetry(() -> pool.withTransaction(conn -> {
      Work w = new Work(pool, conn);
      tries.add(w);
      return apply(body, w);
    }), PayoutRepository.DEADLOCK_RETRIES).compose(result -> tries.get(tries.size() - 1).committed().map(result));
  }

  /** For one statement: the pool, or the transaction's connection. Reads inside a transaction must use it too. */
  public SqlClient sql() {
    return tx != null ? tx : pool;
  }

  /** One statement: on the pool it is tried again after a deadlock; in a transaction the whole transaction is. */
  public <T> Future<T> statement(Function<SqlClient, Future<T>> statement) {
    return tx != null
        ? statement.apply(tx)
        : PayoutRepository.withDeadlockRetry(() -> statement.apply(pool), PayoutRepository.DEADLOCK_RETRIES);
  }

  /** Statements that must commit together: in this transaction, or in one of their own. */
  public <T> Future<T> together(Function<SqlConnection, Future<T>> statements) {
    return tx != null
        ? statements.apply(tx)
        : PayoutRepository.withDeadlockRetry(() -> pool.withTransaction(statements), PayoutRepository.DEADLOCK_RETRIES);
  }

  /** Runs {@code action} once the work is committed, before its result is handed on; its failure is logged only. */
  public void afterCommit(Supplier<Future<?>> action) {
    afterCommit.add(action);
  }

  /** The after-commit actions in the order they were given; they never fail the committed work. */
  private Future<Void> committed() {
    Future<Void> chain = Future.succeededFuture();
    for (Supplier<Future<?>> action : afterCommit) {
      chain = chain.compose(v -> {
        Future<?> f;
        try {
          f = action.get();
        } catch (RuntimeException e) {
          f = Future.failedFuture(e);
        }
        return f.<Void>mapEmpty().recover(err -> {
          log.warn("an action after commit failed: {}", err.toString());
          return Future.succeededFuture();
        });
      });
    }
    return chain;
  }

  private static <T> Future<T> apply(Function<Work, Future<T>> body, Work w) {
    try {
      return body.apply(w);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
