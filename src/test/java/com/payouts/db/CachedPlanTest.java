package com.payouts.db;

import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.app.ServiceGraph;
import com.payouts.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A statement's plan made while the table was empty must not be the one it runs once a bulk load
 * has filled the table. Postgres settles on a generic plan after five calls of a prepared
 * statement and keeps it until the table is next analyzed; made over an empty table, it scans the
 * table whole, so a 200-id approval took 140 ms at 100,000 rows in the benchmark. Counted here by
 * what the approval read of {@code payout_requests} in its own transaction
 * ({@code pg_stat_xact_user_tables}), through the service's own pool and, to show the trap is real,
 * through a pool that keeps every statement prepared.
 */
@ExtendWith(VertxExtension.class)
class CachedPlanTest {
  static final int ROWS = 50_000;
  static TestDatabase db;

  @BeforeAll
  static void start(Vertx vertx) {
    db = await(TestDatabase.create(vertx, 1));
    await(db.pool().query("""
        ALTER TABLE payout_requests SET (autovacuum_enabled = false);
        INSERT INTO users (email, name) SELECT 'cached-plan-' || i || '@example.com', 'Plan' FROM generate_series(1, 100) i;
        INSERT INTO wallets (user_id, available) SELECT id, 1000000 FROM users""").execute());
  }

  @AfterAll
  static void drop() {
    await(db.drop());
  }

  @Test
  void anApprovalAfterABulkLoadReadsOnlyItsRowsWhateverPlanWasMadeBefore(Vertx vertx) {
    Pool service = ServiceGraph.pool(vertx, db.url(), 1);
    Pool keepsAll = PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
        .connectingTo(PgConnectOptions.fromUri(db.url()).setCachePreparedStatements(true))
        .using(vertx).build();
    try {
      // An empty table, and approvals of ids that do not exist: the plans are made now.
      List<Long> missing = LongStream.rangeClosed(900_000_001L, 900_000_200L).boxed().toList();
      for (int i = 0; i < 10; i++) {
        await(approve(service, missing));
        await(approve(keepsAll, missing));
      }
      // A bulk load, never analyzed, as an import right after the service started.
      await(db.pool().query("""
          INSERT INTO payout_requests (user_id, amount, method, fee, net_amount, status, holds_funds)
          SELECT (SELECT min(id) FROM users) + mod(i, 100), 10.00, 'stripe_bank', 0.25, 9.75, 'pending', true
          FROM generate_series(1, %d) i""".formatted(ROWS)).execute());
      List<Long> pending = await(db.pool().query("SELECT id FROM payout_requests ORDER BY id LIMIT 400").execute()
          .map(rows -> {
            List<Long> ids = new ArrayList<>();
            for (Row r : rows) ids.add(r.getLong(0));
            return ids;
          }));

      long[] keptRead = await(readByApproval(keepsAll, pending.subList(0, 200)));
      assertTrue(keptRead[1] >= ROWS, "the trap this test is about did not happen: a pool that keeps its plans "
          + "read " + keptRead[1] + " rows in " + keptRead[0] + " sequential scans");

      long[] serviceRead = await(readByApproval(service, pending.subList(200, 400)));
      assertEquals(0, serviceRead[0], "the service's approval scanned payout_requests (" + serviceRead[1] + " rows read)");
      assertEquals(200, serviceRead[2], "the service's approval moved all 200 payouts");
    } finally {
      await(service.close());
      await(keepsAll.close());
    }
  }

  private static Future<Integer> approve(Pool pool, List<Long> ids) {
    return pool.preparedQuery(PayoutSql.APPROVE).execute(Tuple.of(ids.toArray(Long[]::new), "test", "approved", null))
        .map(rows -> rows.rowCount());
  }

  /**
   * Sequential scans of payout_requests, rows they read, payouts moved: one approval, rolled back.
   * The counters are read before and after it (they also hold what earlier calls on this connection
   * have not reported yet).
   */
  private static Future<long[]> readByApproval(Pool pool, List<Long> ids) {
    return pool.withConnection(conn -> conn.begin().compose(tx -> scans(conn)
        .compose(before -> conn.preparedQuery(PayoutSql.APPROVE)
            .execute(Tuple.of(ids.toArray(Long[]::new), "test", "approved", null))
            .compose(moved -> scans(conn).map(after ->
                new long[] {after[0] - before[0], after[1] - before[1], moved.rowCount()})))
        .eventually(tx::rollback)));
  }

  private static Future<long[]> scans(SqlConnection conn) {
    return conn.query("""
        SELECT coalesce(seq_scan, 0), coalesce(seq_tup_read, 0)
        FROM pg_stat_xact_user_tables WHERE relname = 'payout_requests'""").execute()
        .map(rows -> {
          Row r = rows.iterator().next();
          return new long[] {r.getLong(0), r.getLong(1)};
        });
  }
}
