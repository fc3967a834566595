package com.payouts.db;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks every money invariant against the database and returns the rows that break one. What the
 * gateway paid is compared through its own report, not its tables: see {@code service.Reconciliation}.
 * Payouts in needs_review break no invariant (their funds are held as they should be) but are
 * reported too, each with what did not match: the ledger is not settled while any is left.
 */
public class LedgerVerifier {
  /** Rows printed per broken invariant; the count is always exact. */
  private static final int SAMPLE = 20;
  /** Payouts in review are each an operator's task: list (nearly) all of them. */
  private static final int REVIEW_SAMPLE = 1_000;
  public static final String NEEDS_REVIEW = "payouts need review: the gateway's answer did not belong to them";

  private final Pool pool;

  public LedgerVerifier(Pool pool) {
    this.pool = pool;
  }

  public record Violation(String invariant, long count, List<JsonObject> sample) {
    /** Not a broken invariant: payouts held for an operator (see {@link #NEEDS_REVIEW}). */
    public boolean needsReview() {
      return NEEDS_REVIEW.equals(invariant);
    }
  }

  /** Broken invariants, then (when there are any) the payouts needing review. */
  public Future<List<Violation>> verify() {
    List<Future<Violation>> checks = new ArrayList<>();
    for (LedgerSql.Check c : LedgerSql.CHECKS) checks.add(run(c.name(), c.sql(), SAMPLE));
    checks.add(run(NEEDS_REVIEW, LedgerSql.NEEDS_REVIEW, REVIEW_SAMPLE));
    return Future.all(checks).map(all -> {
      List<Violation> broken = new ArrayList<>();
      for (Future<Violation> f : checks) {
        if (f.result().count() > 0) broken.add(f.result());
      }
      return broken;
    });
  }

  private Future<Violation> run(String name, String sql, int limit) {
    return pool.query(sql).execute().map(rows -> {
      List<JsonObject> sample = new ArrayList<>();
      for (Row r : rows) {
        if (sample.size() == limit) break;
        sample.add(r.toJson());
      }
      return new Violation(name, rows.size(), sample);
    });
  }
}
