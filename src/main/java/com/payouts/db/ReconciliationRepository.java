package com.payouts.db;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/** Reconciliation results as they were run, newest last. */
public class ReconciliationRepository {
  private final Pool pool;

  public ReconciliationRepository(Pool pool) {
    this.pool = pool;
  }

  /** {@code mismatches}: {"count", "items"} as the report lists them. */
  public Future<Long> save(Instant at, Instant since, boolean clean, long executions, long payouts, JsonObject mismatches) {
    return pool.preparedQuery(ReconciliationSql.SAVE).execute(Tuple.of(at.atOffset(ZoneOffset.UTC),
            since == null ? null : since.atOffset(ZoneOffset.UTC), clean, executions, payouts, mismatches.encode()))
        .map(rows -> rows.iterator().next().getLong("id"));
  }

  /** The last run as {"id", "at", "since", "clean", "executions", "payouts", "mismatches": {"count", "items"}}. */
  public Future<Optional<JsonObject>> last() {
    return pool.query(ReconciliationSql.LAST).execute().map(rows -> {
      if (rows.size() == 0) return Optional.empty();
      Row r = rows.iterator().next();
      Instant since = Rows.instant(r, "since");
      return Optional.of(new JsonObject().put("id", r.getLong("id")).put("at", Rows.instant(r, "at").toString())
          .put("since", since == null ? null : since.toString()).put("clean", r.getBoolean("clean"))
          .put("executions", r.getLong("executions")).put("payouts", r.getLong("payouts"))
          .put("mismatches", new JsonObject(r.getString("mismatches"))));
    });
  }
}
