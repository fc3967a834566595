package com.payouts.mockgateway;

import com.payouts.gateway.GatewayExecution;

import com.payouts.gateway.GatewayResult;

import com.payouts.domain.GatewayAnswer;
import com.payouts.domain.PayoutMethod;
import com.payouts.mockgateway.MockPayoutSimulator.Draw;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The mock processor's ledger of executed keys in {@code gateway.executions}. Recording IS the
 * execution: the primary key makes a key execute at most once, even when requests race.
 *
 * <p>Both lookups and records are grouped (up to {@link #MAX_BATCH} keys or {@link #MAX_WAIT_MS}
 * ms per statement) so that thousands of payments a second cost tens of round trips, not
 * thousands. Not thread-safe: use it from the one event loop that created it, as a verticle does.
 */
public final class GatewayExecutionStore {
  /** One statement for a whole batch request of the processor (up to 1,000 items). */
  static final int MAX_BATCH = 1_000;
  static final long MAX_WAIT_MS = 2;
  /** Buffered plus in-flight calls per kind; beyond it the store refuses work instead of queueing without end. */
  static final int MAX_PENDING = 10_000;

  /** The report: executions in key order after a key, by the primary key's index. */
  private static final String LIST_AFTER = """
      SELECT idempotency_key, transaction_id, payout_ref, destination, method, amount, fee, status, error_code, created_at,
             return_code, returned_at
      FROM gateway.executions WHERE idempotency_key > $1 ORDER BY idempotency_key LIMIT $2""";

  private static final String FIND_ANY = """
      SELECT idempotency_key, transaction_id, fee, status, error_code, error_message, retryable,
             amount, method, payout_ref, destination
      FROM gateway.executions WHERE idempotency_key = ANY($1::text[])""";

  // Target-less ON CONFLICT also skips a (theoretical) transaction-id collision instead of failing
  // the whole batch; such a row is simply not executed and its caller is told so.
  private static final String INSERT_BATCH = """
      INSERT INTO gateway.executions (idempotency_key, transaction_id, payout_ref, method, amount, fee,
                                      status, error_code, error_message, retryable, destination)
      SELECT k, t, r, m, a::numeric, f::numeric, s, c, e, y, d
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                  $8::text[], $9::text[], $10::boolean[], $11::text[]) AS u(k, t, r, m, a, f, s, c, e, y, d)
      ON CONFLICT DO NOTHING
      RETURNING idempotency_key, transaction_id, fee, status, error_code, error_message, retryable,
                amount, method, payout_ref, destination""";

  /** What a caller asks to execute under a key; an earlier execution of the key may have been another. */
  public record Execution(String payoutRef, PayoutMethod method, BigDecimal amount, String destination, Draw draw) {}

  private final Vertx vertx;
  private final Pool pool;
  private final Batcher<Void> finds;
  private final Batcher<Execution> records;

  public GatewayExecutionStore(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
    this.finds = new Batcher<>(keys -> select(keys.keySet(), new HashMap<>()));
    this.records = new Batcher<>(this::insert);
  }

  /** What was executed under {@code key}, if anything. */
  public Future<Optional<GatewayResult>> find(String key) {
    return finds.add(key, null).map(Optional::ofNullable);
  }

  /**
   * Executes {@code draw} for {@code key} unless the key already ran; either way answers the one
   * result recorded for the key, with the parameters it was recorded with (which the caller
   * compares with its own: an earlier execution may have been of another payment).
   */
  public Future<GatewayResult> record(String key, String payoutRef, PayoutMethod method, BigDecimal amount, Draw draw) {
    return record(key, new Execution(payoutRef, method, amount, null, draw));
  }

  public Future<GatewayResult> record(String key, Execution execution) {
    return records.add(key, execution)
        .compose(r -> r != null ? Future.succeededFuture(r)
            : Future.failedFuture(new IllegalStateException("execution of " + key + " was not recorded")));
  }

  /** Up to {@code limit} executions whose keys sort after {@code after} ("" for the first). */
  public Future<List<GatewayExecution>> list(String after, int limit) {
    return pool.preparedQuery(LIST_AFTER).execute(Tuple.of(after, limit)).map(rows -> {
      List<GatewayExecution> out = new ArrayList<>(rows.size());
      for (Row r : rows) {
        java.time.OffsetDateTime at = r.getOffsetDateTime("created_at");
        java.time.OffsetDateTime returnedAt = r.getOffsetDateTime("returned_at");
        out.add(new GatewayExecution(r.getString("idempotency_key"), r.getString("payout_ref"), r.getString("destination"),
            r.getString("method"), r.getBigDecimal("amount"), r.getBigDecimal("fee"), "succeeded".equals(r.getString("status")),
            r.getString("transaction_id"), r.getString("error_code"), at == null ? null : at.toInstant(),
            returnedAt == null ? null : r.getString("return_code"), returnedAt == null ? null : returnedAt.toInstant()));
      }
      return out;
    });
  }

  /** Sends whatever is buffered now; completes when those statements are done. */
  public Future<Void> flush() {
    return Future.all(finds.flush(), records.flush()).mapEmpty();
  }

  private Future<Map<String, GatewayResult>> insert(Map<String, Execution> byKey) {
    return pool.preparedQuery(INSERT_BATCH).execute(insertParams(byKey))
        .compose(inserted -> {
          Map<String, GatewayResult> results = collect(inserted, new HashMap<>());
          List<String> lost = byKey.keySet().stream().filter(k -> !results.containsKey(k)).toList();
          // These keys were executed by an earlier request: answer what that one recorded.
          return lost.isEmpty() ? Future.succeededFuture(results) : select(lost, results);
        });
  }

  private Future<Map<String, GatewayResult>> select(Collection<String> keys, Map<String, GatewayResult> into) {
    return pool.preparedQuery(FIND_ANY).execute(Tuple.tuple().addValue(keys.toArray(String[]::new)))
        .map(rows -> collect(rows, into));
  }

  private static Tuple insertParams(Map<String, Execution> byKey) {
    int n = byKey.size();
    String[] keys = new String[n], txIds = new String[n], refs = new String[n], methods = new String[n];
    String[] amounts = new String[n], fees = new String[n], statuses = new String[n];
    String[] codes = new String[n], messages = new String[n], destinations = new String[n];
    Boolean[] retryable = new Boolean[n];
    int i = 0;
    for (Map.Entry<String, Execution> e : byKey.entrySet()) {
      Execution x = e.getValue();
      Draw d = x.draw();
      keys[i] = e.getKey();
      txIds[i] = d.transactionId();
      refs[i] = x.payoutRef();
      methods[i] = x.method().wire();
      amounts[i] = x.amount().toPlainString();
      fees[i] = d.succeeded() ? d.fee().toPlainString() : null;
      statuses[i] = d.succeeded() ? "succeeded" : "failed";
      codes[i] = d.succeeded() ? null : d.error().code();
      messages[i] = d.succeeded() ? null : d.error().message();
      retryable[i] = !d.succeeded() && d.error().retryable();
      destinations[i] = x.destination();
      i++;
    }
    return Tuple.tuple().addValue(keys).addValue(txIds).addValue(refs).addValue(methods).addValue(amounts)
        .addValue(fees).addValue(statuses).addValue(codes).addValue(messages).addValue(retryable)
        .addValue(destinations);
  }

  private static Map<String, GatewayResult> collect(RowSet<Row> rows, Map<String, GatewayResult> into) {
    for (Row row : rows) into.put(row.getString("idempotency_key"), toResult(row));
    return into;
  }

  private static GatewayResult toResult(Row row) {
    boolean succeeded = "succeeded".equals(row.getString("status"));
    return new GatewayResult(row.getString("idempotency_key"),
        succeeded ? GatewayAnswer.Status.SUCCEEDED : GatewayAnswer.Status.FAILED,
        row.getString("transaction_id"), scaled(row.getBigDecimal("fee")), row.getString("error_code"),
        row.getString("error_message"), row.getBoolean("retryable"), scaled(row.getBigDecimal("amount")),
        row.getString("method"), row.getString("payout_ref"), row.getString("destination"));
  }

  private static BigDecimal scaled(BigDecimal v) {
    return v == null ? null : v.setScale(2);
  }

  /**
   * Collects calls for one statement. Each caller gets the statement's result for its key, or null
   * when the statement returned none. A key asked twice in one batch is sent once: the first
   * caller's item wins, as it would in the table.
   */
  private final class Batcher<T> {
    private record Call<T>(String key, T item, Promise<GatewayResult> answer) {}

    private final Function<Map<String, T>, Future<Map<String, GatewayResult>>> statement;
    private List<Call<T>> buffer = new ArrayList<>();
    private long timer = -1;
    private int pending;

    Batcher(Function<Map<String, T>, Future<Map<String, GatewayResult>>> statement) {
      this.statement = statement;
    }

    Future<GatewayResult> add(String key, T item) {
      if (pending >= MAX_PENDING) {
        return Future.failedFuture(new IllegalStateException(pending + " calls already waiting for the database"));
      }
      Promise<GatewayResult> answer = Promise.promise();
      buffer.add(new Call<>(key, item, answer));
      pending++;
      if (buffer.size() >= MAX_BATCH) {
        flush();
      } else if (timer < 0) {
        timer = vertx.setTimer(MAX_WAIT_MS, id -> {
          timer = -1;
          flush();
        });
      }
      return answer.future();
    }

    Future<Void> flush() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
      if (buffer.isEmpty()) return Future.succeededFuture();
      List<Call<T>> batch = buffer;
      buffer = new ArrayList<>();
      Map<String, T> byKey = new LinkedHashMap<>();
      for (Call<T> c : batch) byKey.putIfAbsent(c.key(), c.item());
      // compose() turns a bug thrown while building the statement into a failed batch, not lost promises.
      return Future.succeededFuture(byKey).compose(statement)
          .andThen(ar -> {
            pending -= batch.size();
            for (Call<T> c : batch) {
              if (ar.succeeded()) c.answer().complete(ar.result().get(c.key()));
              else c.answer().fail(ar.cause());
            }
          })
          .mapEmpty();
    }
  }
}
