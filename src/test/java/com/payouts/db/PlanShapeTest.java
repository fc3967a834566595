package com.payouts.db;

import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every statement that moves or reads payouts by id finds them by primary key (or by the row
 * address a locked lookup returned) and nothing else, whatever the planner's statistics say:
 * never a scan of everything in a status, never a sequential scan. Checked on the generic plans
 * that cached prepared statements use, over a table right after a bulk load that was never
 * analyzed (the case an outside client met: 20,000 pending payouts, each 200-id approval slower
 * than the last), and again once it is analyzed. Plans, not timings: the benchmark times them.
 */
@ExtendWith(VertxExtension.class)
class PlanShapeTest {
  static TestDatabase db;

  /** Each statement with arguments of the right types; the values do not matter to a generic plan. */
  static final Map<String, String> STATEMENTS = new LinkedHashMap<>();

  static {
    STATEMENTS.put("BY_IDS", PayoutSql.BY_IDS + "|('{1,2}')");
    STATEMENTS.put("STANDING", PayoutSql.STANDING + "|('{1,2}')");
    STATEMENTS.put("APPROVE", PayoutSql.APPROVE + "|('{1,2}', 'a', 'd', 3)");
    STATEMENTS.put("REJECT", PayoutSql.REJECT + "|('{1,2}', 'a', 'd')");
    STATEMENTS.put("START_PROCESSING", PayoutSql.START_PROCESSING + "|('{1,2}', 'a', 'payout-x-%s-%s')");
    STATEMENTS.put("START_RETRY", PayoutSql.START_RETRY + "|('{1,2}', 'a', true, 'payout-x-%s-%s')");
    STATEMENTS.put("TAKE_OVER", PayoutSql.TAKE_OVER + "|('{1,2}', 60)");
    STATEMENTS.put("COMPLETE", PayoutSql.COMPLETE + "|('{1,2}', '{1,1}', '{t1,t2}', '{0.25,0.25}', 'a')");
    STATEMENTS.put("FAIL", PayoutSql.FAIL + "|('{1,2}', '{1,1}', '{c,c}', '{m,m}', '{t,f}', '{NULL,NULL}', 'a')");
    STATEMENTS.put("NEEDS_REVIEW", PayoutSql.NEEDS_REVIEW + "|('{1,2}', '{1,1}', '{c,c}', '{m,m}', 'a')");
    STATEMENTS.put("LOCK_WALLETS", PayoutSql.LOCK_WALLETS + "|('{1,2}')");
    STATEMENTS.put("WALLET_DELTAS", PayoutSql.WALLET_DELTAS + "|('{1,2}', '{1.00,2.00}', '{-1.00,-2.00}')");
  }

  /** Indexes that find rows by what the statement names, so their cost follows the rows touched. */
  static final List<String> BY_KEY = List.of("payout_requests_pkey", "users_pkey", "wallets_pkey");

  @BeforeAll
  static void start(Vertx vertx) {
    db = await(TestDatabase.create(vertx, 2));
    await(db.pool().query("""
        ALTER TABLE payout_requests SET (autovacuum_enabled = false);
        ALTER TABLE users SET (autovacuum_enabled = false);
        ALTER TABLE wallets SET (autovacuum_enabled = false);
        INSERT INTO users (email, name) SELECT 'plan-' || i || '@example.com', 'Plan' FROM generate_series(1, 5000) i;
        INSERT INTO wallets (user_id, available) SELECT id, 1000000 FROM users""").execute());
  }

  @AfterAll
  static void drop() {
    await(db.drop());
  }

  /** {@code n} payouts in {@code status}, in one statement, like a bulk import. */
  static void load(int n, String status) {
    await(db.pool().query("""
        INSERT INTO payout_requests (user_id, amount, method, fee, net_amount, status, gateway_key, transaction_id, holds_funds)
        SELECT 1 + mod(i, 5000), 10.00, 'stripe_bank', 0.25, 9.75, '%1$s',
               CASE WHEN '%1$s' IN ('processing', 'completed') THEN 'payout-x-' || i || '-0' END,
               CASE WHEN '%1$s' = 'completed' THEN 'txn-%1$s-' || i END, '%1$s' <> 'completed'
        FROM generate_series(1, %2$d) i""".formatted(status, n)).execute());
  }

  @Test
  void everyStatementByIdFindsItsRowsByKeyWhateverThePlannerKnows() {
    // What an outside client met: 20,000 pending payouts created on a fresh database, never analyzed.
    load(20_000, "pending");
    assertPlansByKey("20,000 pending, never analyzed");
    // Then a bulk load of every other status, still never analyzed.
    load(10_000, "approved");
    load(10_000, "processing");
    load(20_000, "completed");
    load(5_000, "failed");
    assertPlansByKey("65,000 rows, never analyzed");
    await(db.pool().query("ANALYZE payout_requests; ANALYZE users; ANALYZE wallets").execute());
    assertPlansByKey("analyzed");
  }

  private static void assertPlansByKey(String state) {
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, String> e : STATEMENTS.entrySet()) {
      String[] sqlAndArgs = e.getValue().split("\\|\\(", 2);
      JsonObject plan = await(genericPlan(sqlAndArgs[0], "(" + sqlAndArgs[1])
          .recover(err -> Future.failedFuture(new AssertionError(e.getKey() + ": " + err.getMessage(), err))));
      for (String scan : scansOfTables(plan)) {
        if (!scan.startsWith("Tid Scan") && BY_KEY.stream().noneMatch(scan::endsWith)) {
          wrong.add(e.getKey() + ": " + scan);
        }
      }
    }
    assertTrue(wrong.isEmpty(), state + ": statements that scan by something other than the rows they name: " + wrong);
  }

  /** The generic plan of {@code sql} as cached prepared statements run it (EXPLAIN only: nothing executes). */
  static Future<JsonObject> genericPlan(String sql, String args) {
    return db.pool().withConnection((SqlConnection conn) -> conn.query("SET plan_cache_mode = force_generic_plan").execute()
        .compose(v -> conn.query("PREPARE s AS " + sql).execute())
        .compose(v -> conn.query("EXPLAIN (FORMAT JSON) EXECUTE s" + args).execute())
        .map(rows -> {
          Row r = rows.iterator().next();
          Object v = r.getValue(0);
          JsonArray json = v instanceof JsonArray a ? a : new JsonArray(String.valueOf(v));
          return json.getJsonObject(0).getJsonObject("Plan");
        })
        .eventually(() -> conn.query("DEALLOCATE s").execute()));
  }

  /** "Node Type on relation using index" for every scan of a table in the plan. */
  static List<String> scansOfTables(JsonObject node) {
    List<String> out = new ArrayList<>();
    collect(node, out);
    return out;
  }

  private static void collect(JsonObject node, List<String> out) {
    String relation = node.getString("Relation Name");
    String type = node.getString("Node Type");
    // A bitmap heap scan fetches what its bitmap index scans found: those are checked.
    if (relation != null && type.contains("Scan") && !"Bitmap Heap Scan".equals(type)) {
      String index = node.getString("Index Name");
      out.add(type + " on " + relation + (index == null ? "" : " using " + index));
    }
    if ("Bitmap Index Scan".equals(type)) out.add(type + " using " + node.getString("Index Name"));
    JsonArray children = node.getJsonArray("Plans");
    if (children != null) for (Object c : children) collect((JsonObject) c, out);
  }
}
