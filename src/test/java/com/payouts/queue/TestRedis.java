package com.payouts.queue;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;

/** Small Redis reads for assertions, and cleanup of one key prefix (never the whole server). */
final class TestRedis {
  /** See {@link com.payouts.support.TestServers}. */
  static String url() {
    return com.payouts.support.TestServers.redisUrl();
  }

  private final Redis redis;

  TestRedis(Redis redis) {
    this.redis = redis;
  }

  Future<Response> send(Command cmd, Object... args) {
    return redis.send(Request.cmd(cmd, args));
  }

  Future<Long> zcard(String key) {
    return send(Command.ZCARD, key).map(Response::toLong);
  }

  /** Null when the member is absent. */
  Future<Long> zscore(String key, String member) {
    return send(Command.ZSCORE, key, member).map(r -> r == null ? null : r.toDouble().longValue());
  }

  Future<Boolean> exists(String key) {
    return send(Command.EXISTS, key).map(r -> r.toInteger() == 1);
  }

  Future<String> hget(String key, String field) {
    return send(Command.HGET, key, field).map(r -> r == null ? null : r.toString());
  }

  Future<Long> pttl(String key) {
    return send(Command.PTTL, key).map(Response::toLong);
  }

  /** SCAN + DEL of every key under {@code prefix}, batch by batch. */
  Future<Void> deleteAll(String prefix) {
    return deleteFrom("0", prefix);
  }

  private Future<Void> deleteFrom(String cursor, String prefix) {
    return send(Command.SCAN, cursor, "MATCH", "*" + prefix + "*", "COUNT", 1000).compose(page -> {
      List<String> found = page.get(1).stream().map(Response::toString).toList();
      Future<?> deleted = found.isEmpty() ? Future.succeededFuture() : send(Command.DEL, found.toArray());
      String next = page.get(0).toString();
      return deleted.compose(v -> "0".equals(next) ? Future.succeededFuture() : deleteFrom(next, prefix));
    });
  }
}
