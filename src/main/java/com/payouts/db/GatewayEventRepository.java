package com.payouts.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/** Where the poller of the gateway's event list has read up to (the events applied are {@link PayoutRepository#returnPayout}'s). */
public class GatewayEventRepository {
  public static final String FEED = "gateway";

  private final Pool pool;

  public GatewayEventRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<String>> cursor() {
    return pool.preparedQuery(GatewayEventSql.CURSOR).execute(Tuple.of(FEED))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString("after")));
  }

  public Future<Void> saveCursor(String after) {
    return pool.preparedQuery(GatewayEventSql.SAVE_CURSOR).execute(Tuple.of(FEED, after)).mapEmpty();
  }
}
