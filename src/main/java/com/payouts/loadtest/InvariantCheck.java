package com.payouts.loadtest;

import com.payouts.db.LedgerVerifier;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * After a run, from Postgres: each of the run's payouts that is completed or failed got there
 * exactly once and none entered a terminal state twice, and every invariant {@code verify-ledger}
 * checks holds over the whole database. Payouts still open are the run's "unfinished", not a break.
 */
public final class InvariantCheck {
  private static final int PAGE = 10_000;

  private static final String TERMINAL_ONCE = """
      SELECT count(*) AS seen,
             count(*) FILTER (WHERE terminal_events > 1
                                 OR (status IN ('completed', 'failed') AND terminal_events <> 1)) AS not_once
      FROM (SELECT p.id, p.status,
                   count(e.id) FILTER (WHERE e.to_status IN ('completed', 'failed')) AS terminal_events
            FROM payout_requests p LEFT JOIN payout_events e ON e.payout_id = p.id
            WHERE p.id = ANY($1)
            GROUP BY p.id, p.status) per_payout""";

  /** What broke, one line each; empty when all holds. */
  public record Result(List<String> broken) {
    public boolean ok() {
      return broken.isEmpty();
    }
  }

  private final Pool pool;

  public InvariantCheck(Pool pool) {
    this.pool = pool;
  }

  public Future<Result> check(List<Long> ids) {
    long[] totals = new long[2];
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < ids.size(); from += PAGE) {
      Long[] page = ids.subList(from, Math.min(ids.size(), from + PAGE)).toArray(Long[]::new);
      chain = chain.compose(v -> pool.preparedQuery(TERMINAL_ONCE).execute(Tuple.tuple().addArrayOfLong(page))
          .map(rows -> {
            Row r = rows.iterator().next();
            totals[0] += r.getLong("seen");
            totals[1] += r.getLong("not_once");
            return null;
          }));
    }
    return chain
        .compose(v -> new LedgerVerifier(pool).verify())
        .map(violations -> {
          List<String> broken = new ArrayList<>();
          if (totals[0] != ids.size()) broken.add("payouts found: " + totals[0] + " of " + ids.size());
          if (totals[1] > 0) broken.add("payouts not entering completed/failed exactly once: " + totals[1]);
          for (LedgerVerifier.Violation x : violations) {
            broken.add("ledger: " + x.invariant() + " (" + x.count() + " rows), e.g. "
                + x.sample().stream().limit(3).map(Object::toString).toList());
          }
          return new Result(broken);
        });
  }
}
