package com.payouts.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Idempotency keys and the responses they answer with (see V6__idempotency_keys.sql). */
public class IdempotencyRepository {
  private final Pool pool;

  public IdempotencyRepository(Pool pool) {
    this.pool = pool;
  }

  /** A key's first request and, once committed, the response it got. */
  public record Stored(String fingerprint, String endpoint, Integer status, String body) {}

  /**
   * True when this request may use the key: new, or its earlier use expired. {@code tx} must be
   * the transaction the operation runs in, so the key and the operation commit or vanish together.
   */
  public Future<Boolean> claim(SqlClient tx, String scope, String key, String fingerprint, String endpoint,
      Duration ttl) {
    return tx.preparedQuery(IdempotencySql.CLAIM)
        .execute(Tuple.of(scope, key, fingerprint, endpoint, ttl.toMillis() / 1000.0))
        .map(rows -> rows.size() == 1);
  }

  /** A key as a group of requests claims it: whose, which, and what its request asks. */
  public record Claim(String scope, String key, String fingerprint, String endpoint) {}

  /**
   * {@link #claim} for many keys in {@code tx}, one execution each, sent together; the answer for
   * each is in the order given. Callers give them sorted by scope and key, so two groups that share
   * keys take them in the same order.
   */
  public Future<List<Boolean>> claimAll(SqlClient tx, List<Claim> claims, Duration ttl) {
    if (claims.isEmpty()) return Future.succeededFuture(List.of());
    double secs = ttl.toMillis() / 1000.0;
    List<Tuple> batch = new ArrayList<>(claims.size());
    for (Claim c : claims) batch.add(Tuple.of(c.scope(), c.key(), c.fingerprint(), c.endpoint(), secs));
    return tx.preparedQuery(IdempotencySql.CLAIM).executeBatch(batch).map(first -> {
      List<Boolean> out = new ArrayList<>(claims.size());
      for (RowSet<Row> rows = first; rows != null; rows = rows.next()) out.add(rows.size() == 1);
      return out;
    });
  }

  /** {@link #storeResponse} for many keys of {@code tx}: scope, key and body of each, one status for all. */
  public Future<Void> storeResponses(SqlClient tx, List<Claim> keys, int status, List<String> bodies) {
    if (keys.isEmpty()) return Future.succeededFuture();
    List<Tuple> batch = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) batch.add(Tuple.of(keys.get(i).scope(), keys.get(i).key(), status, bodies.get(i)));
    return tx.preparedQuery(IdempotencySql.STORE_RESPONSE).executeBatch(batch).mapEmpty();
  }

  /**
   * Gives back keys {@code tx} claimed for requests that failed: a failed request stores nothing, so
   * its retry executes again (as when a lone request's transaction rolls back).
   */
  public Future<Void> release(SqlClient tx, List<Claim> keys) {
    if (keys.isEmpty()) return Future.succeededFuture();
    List<Tuple> batch = keys.stream().map(k -> Tuple.of(k.scope(), k.key())).toList();
    return tx.preparedQuery(IdempotencySql.RELEASE).executeBatch(batch).mapEmpty();
  }

  public Future<Optional<Stored>> find(SqlClient sql, String scope, String key) {
    return sql.preparedQuery(IdempotencySql.FIND).execute(Tuple.of(scope, key)).map(rows -> {
      if (rows.size() == 0) return Optional.empty();
      Row r = rows.iterator().next();
      return Optional.of(new Stored(r.getString("request_fingerprint"), r.getString("endpoint"),
          r.getInteger("response_status"), r.getString("response_body")));
    });
  }

  public Future<Void> storeResponse(SqlClient tx, String scope, String key, int status, String body) {
    return tx.preparedQuery(IdempotencySql.STORE_RESPONSE).execute(Tuple.of(scope, key, status, body)).mapEmpty();
  }

  /** Deletes up to {@code limit} expired keys; returns how many. */
  public Future<Integer> deleteExpired(int limit) {
    return pool.preparedQuery(IdempotencySql.DELETE_EXPIRED).execute(Tuple.of(limit)).map(rows -> rows.rowCount());
  }
}
