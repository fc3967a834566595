package com.payouts.loadtest;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Reads terminal payouts straight from Postgres in pages of ids: one query instead of thousands of GETs. */
public final class DatabaseWatch implements TerminalWatch {
  static final int PAGE = 5_000;

  private static final String TERMINAL = """
      SELECT id, status,
             (extract(epoch FROM approved_at) * 1000000)::bigint AS approved_us,
             (extract(epoch FROM coalesce(completed_at, failed_at)) * 1000000)::bigint AS terminal_us
      FROM payout_requests
      WHERE id = ANY($1) AND status IN ('completed', 'failed')""";

  private final Pool pool;

  public DatabaseWatch(Pool pool) {
    this.pool = pool;
  }

  /** Pages one after another, so the watch never holds more than one connection. */
  @Override
  public Future<List<TerminalState>> poll(List<Long> open) {
    List<TerminalState> found = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < open.size(); from += PAGE) {
      Long[] page = open.subList(from, Math.min(open.size(), from + PAGE)).toArray(Long[]::new);
      chain = chain.compose(v -> pool.preparedQuery(TERMINAL).execute(Tuple.tuple().addArrayOfLong(page))
          .map(rows -> {
            for (Row r : rows) found.add(state(r));
            return null;
          }));
    }
    return chain.map(v -> found);
  }

  private static TerminalState state(Row r) {
    Long approved = r.getLong("approved_us");
    Long terminal = r.getLong("terminal_us");
    return new TerminalState(r.getLong("id"), "completed".equals(r.getString("status")),
        approved == null ? -1 : approved, terminal == null ? -1 : terminal, -1);
  }
}
