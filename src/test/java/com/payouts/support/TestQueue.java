package com.payouts.support;

import static com.payouts.support.Await.await;

import com.payouts.bus.Addresses;
import com.payouts.queue.JobQueue;
import com.payouts.service.PayoutDispatcher;
import com.payouts.service.PayoutService;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.UUID;

/** A job queue on the machine's Redis under a key prefix of its own, and the dispatcher over it. */
public final class TestQueue {
  public final Redis redis;
  public final JobQueue queue;
  public final PayoutDispatcher dispatcher;
  public final String prefix;

  public TestQueue(Vertx vertx, PayoutService payouts) {
    redis = Redis.createClient(vertx, TestServers.redisUrl());
    prefix = "t:" + UUID.randomUUID() + ":";
    queue = new JobQueue(redis, prefix);
    dispatcher = new PayoutDispatcher(payouts, queue, () -> vertx.eventBus().publish(Addresses.QUEUE_WAKE, null));
  }

  /** Deletes every key under the prefix and closes the client. */
  public void drop() {
    Response keys = await(redis.send(Request.cmd(Command.KEYS, prefix + "*")));
    if (keys.size() > 0) {
      Request del = Request.cmd(Command.DEL);
      keys.forEach(k -> del.arg(k.toString()));
      await(redis.send(del));
    }
    redis.close();
  }
}
