package com.payouts.db;

import com.payouts.domain.PayoutMethod;
import com.payouts.domain.PayoutStats;
import com.payouts.domain.PayoutStatus;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.EnumMap;
import java.util.Map;

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

  /** For the metrics: how many payouts sit in each status, per method. */
  static final String BY_STATUS_AND_METHOD = """
      SELECT status, method, count(*) AS n FROM payout_requests GROUP BY status, method""";

  /** One cell of {@link #BY_STATUS_AND_METHOD}. */
  public record StatusMethodCount(PayoutStatus status, PayoutMethod method, long count) {}

  private final Pool pool;

  public StatsRepository(Pool pool) {
    this.pool = pool;
  }

  /** Every status's figure, today's completed and failed, and the success rate per method. */
  public Future<PayoutStats> snapshot() {
    Future<Map<PayoutStatus, PayoutStats.Figure>> byStatus = pool.query(BY_STATUS).execute().map(rows -> {
      Map<PayoutStatus, PayoutStats.Figure> out = new EnumMap<>(PayoutStatus.class);
      for (Row r : rows) out.put(PayoutStatus.parse(r.getString("status")), figure(r, "n", "total"));
      return out;
    });
    Future<Row> today = pool.query(TODAY).execute().map(rows -> rows.iterator().next());
    Future<Map<PayoutMethod, Double>> rates = pool.query(SUCCESS_BY_METHOD).execute().map(rows -> {
      Map<PayoutMethod, Double> out = new EnumMap<>(PayoutMethod.class);
      for (Row r : rows) {
        out.put(PayoutMethod.parse(r.getString("method")), PayoutStats.rate(r.getLong("ok"), r.getLong("done")));
      }
      return out;
    });
    return Future.all(byStatus, today, rates).map(all -> new PayoutStats(byStatus.result(),
        figure(today.result(), "completed_n", "completed_sum"), figure(today.result(), "failed_n", "failed_sum"),
        rates.result()));
  }

  public Future<java.util.List<StatusMethodCount>> countsByStatusAndMethod() {
    return pool.query(BY_STATUS_AND_METHOD).execute().map(rows -> {
      java.util.List<StatusMethodCount> out = new java.util.ArrayList<>();
      for (Row r : rows) {
        out.add(new StatusMethodCount(PayoutStatus.parse(r.getString("status")), PayoutMethod.parse(r.getString("method")),
            r.getLong("n")));
      }
      return out;
    });
  }

  private static PayoutStats.Figure figure(Row r, String count, String sum) {
    return new PayoutStats.Figure(r.getLong(count), r.getBigDecimal(sum));
  }
}
