package com.payouts.db;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.math.BigDecimal;

/** The dashboard's figures, computed from Postgres (the truth the live counters reconcile with). */
public class StatsRepository {
  static final String BY_STATUS = """
      SELECT status, count(*) AS n, coalesce(sum(amount), 0) AS total FROM payout_requests GROUP BY status""";

  static final String TODAY = """
      SELECT
        (SELECT count(*) FROM payout_requests WHERE status = 'completed' AND completed_at >= date_trunc('day', now())) AS completed_n,
        (SELECT coalesce(sum(amount), 0) FROM payout_requests WHERE status = 'completed' AND completed_at >= date_trunc('day', now())) AS completed_sum,
        (SELECT count(*) FROM payout_requests WHERE status = 'failed' AND failed_at >= date_trunc('day', now())) AS failed_n,
        (SELECT coalesce(sum(amount), 0) FROM payout_requests WHERE status = 'failed' AND failed_at >= date_trunc('day', now())) AS failed_sum""";

  /** Over every payout that reached a terminal gateway outcome. */
  static final String SUCCESS_BY_METHOD = """
      SELECT method, count(*) FILTER (WHERE status = 'completed') AS ok,
             count(*) FILTER (WHERE status IN ('completed', 'failed')) AS done
      FROM payout_requests GROUP BY method""";

  private final Pool pool;

  public StatsRepository(Pool pool) {
    this.pool = pool;
  }

  /** {"byStatus": {status: {count, sum}}, "completedToday", "failedToday", "successRateByMethod"}. */
  public Future<JsonObject> snapshot() {
    Future<JsonObject> byStatus = pool.query(BY_STATUS).execute().map(rows -> {
      JsonObject out = new JsonObject();
      for (String s : new String[] {"pending", "approved", "processing", "completed", "failed", "rejected", "needs_review"}) {
        out.put(s, figure(0, BigDecimal.ZERO));
      }
      for (Row r : rows) out.put(r.getString("status"), figure(r.getLong("n"), r.getBigDecimal("total")));
      return out;
    });
    Future<JsonObject> today = pool.query(TODAY).execute().map(rows -> {
      Row r = rows.iterator().next();
      return new JsonObject()
          .put("completedToday", figure(r.getLong("completed_n"), r.getBigDecimal("completed_sum")))
          .put("failedToday", figure(r.getLong("failed_n"), r.getBigDecimal("failed_sum")));
    });
    Future<JsonObject> rates = pool.query(SUCCESS_BY_METHOD).execute().map(rows -> {
      JsonObject out = new JsonObject();
      for (String m : new String[] {"stripe_bank", "paypal", "check"}) out.putNull(m);
      for (Row r : rows) {
        long done = r.getLong("done");
        out.put(r.getString("method"), done == 0 ? null : Math.round(10_000.0 * r.getLong("ok") / done) / 10_000.0);
      }
      return out;
    });
    return Future.all(byStatus, today, rates).map(all -> new JsonObject()
        .put("byStatus", byStatus.result())
        .mergeIn(today.result())
        .put("successRateByMethod", rates.result()));
  }

  static JsonObject figure(long count, BigDecimal sum) {
    return new JsonObject().put("count", count).put("sum", sum.setScale(2).toPlainString());
  }
}
