package com.payouts.db;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks every money invariant against the database and returns the rows that break one. The
 * gateway checks read the built-in mock gateway's record (schema gateway) in the same database.
 */
public class LedgerVerifier {
  /** Rows printed per broken invariant; the count is always exact. */
  private static final int SAMPLE = 20;

  private final Pool pool;

  public LedgerVerifier(Pool pool) {
    this.pool = pool;
  }

  public record Violation(String invariant, long count, List<JsonObject> sample) {}

  public Future<List<Violation>> verify() {
    List<Future<Violation>> checks = new ArrayList<>();
    for (LedgerSql.Check c : LedgerSql.CHECKS) checks.add(run(c.name(), c.sql()));
    checks.add(run("no gateway key executed twice", LedgerSql.GATEWAY_KEYS_EXECUTED_TWICE));
    return Future.all(checks).map(all -> {
      List<Violation> broken = new ArrayList<>();
      for (Future<Violation> f : checks) {
        if (f.result().count() > 0) broken.add(f.result());
      }
      return broken;
    });
  }

  private Future<Violation> run(String name, String sql) {
    return pool.query(sql).execute().map(rows -> {
      List<JsonObject> sample = new ArrayList<>();
      for (Row r : rows) {
        if (sample.size() == SAMPLE) break;
        sample.add(r.toJson());
      }
      return new Violation(name, rows.size(), sample);
    });
  }
}
