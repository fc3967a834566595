package com.payouts.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
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
