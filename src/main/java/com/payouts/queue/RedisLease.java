package com.payouts.queue;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;

/**
 * A lease in Redis that one node at a time holds, so that work which must not run twice at once
 * (the retry sweeps, the stats reconciliation) runs on one node of a cluster. The holder renews it
 * well within its time; when the holder dies the lease lapses and the next node to ask takes it,
 * within one lease time. A node believes it holds the lease only until its own last renewal plus
 * the lease time, minus a margin for clock drift, so two holders never overlap in practice.
 */
public final class RedisLease {
  /** KEYS[1] the lease; ARGV owner, ms. Takes a free lease or renews our own: 1 when held. */
  static final String TAKE_OR_RENEW = """
      if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
      end
      return 0
      """;
  static final String RELEASE = """
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
      return 0
      """;

  private final Redis redis;
  private final String key;
  private final String owner;
  private final Duration ttl;
  private volatile long heldUntilNanos;

  public RedisLease(Redis redis, String key, String owner, Duration ttl) {
    if (ttl.toMillis() < 100) throw new IllegalArgumentException("a lease shorter than 100 ms cannot be renewed in time");
    this.redis = redis;
    this.key = key;
    this.owner = owner;
    this.ttl = ttl;
  }

  /** Takes the lease when it is free, renews it when it is ours; true while we hold it. */
  public Future<Boolean> takeOrRenew() {
    long asked = System.nanoTime();
    return redis.send(Request.cmd(Command.EVAL).arg(TAKE_OR_RENEW).arg(1).arg(key).arg(owner).arg(ttl.toMillis()))
        .map(r -> {
          boolean held = r.toInteger() == 1;
          heldUntilNanos = held ? asked + ttl.toNanos() * 9 / 10 : 0;
          return held;
        })
        .otherwise(err -> {
          heldUntilNanos = 0; // Redis away: behave as if we lost it, another node may hold it soon
          return false;
        });
  }

  /** Whether our last renewal still covers now. */
  public boolean held() {
    return heldUntilNanos != 0 && System.nanoTime() - heldUntilNanos < 0;
  }

  /** How often a holder should renew: a third of the lease time. */
  public Duration renewEvery() {
    return ttl.dividedBy(3);
  }

  /** Gives the lease up at once (a graceful stop), so the next node need not wait for it to lapse. */
  public Future<Void> release() {
    heldUntilNanos = 0;
    return redis.send(Request.cmd(Command.EVAL).arg(RELEASE).arg(1).arg(key).arg(owner)).<Void>mapEmpty().otherwiseEmpty();
  }

  public String owner() {
    return owner;
  }
}
