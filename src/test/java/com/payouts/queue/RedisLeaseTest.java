package com.payouts.queue;

import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.support.Await;
import com.payouts.support.TestServers;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One holder at a time; another takes over once the holder stops renewing, or at once when it lets go. */
@ExtendWith(VertxExtension.class)
class RedisLeaseTest {

  @Test
  void oneNodeAtATimeAndATakeOverWhenTheHolderDies(Vertx vertx) {
    Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(TestServers.redisUrl()));
    String key = "t:" + UUID.randomUUID() + ":lease:retry";
    // Long enough that a slow round trip on a busy machine still leaves it held when it answers.
    RedisLease a = new RedisLease(redis, key, "node-a", Duration.ofSeconds(3));
    RedisLease b = new RedisLease(redis, key, "node-b", Duration.ofSeconds(3));
    await(redis.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.PING))); // connected first

    assertTrue(await(a.takeOrRenew()));
    assertFalse(await(b.takeOrRenew()), "held by a");
    assertTrue(a.held());
    assertFalse(b.held());
    assertTrue(await(a.takeOrRenew()), "a renews its own");

    // a dies: it renews no more; b gets it once the lease has lapsed
    Await.eventually(Duration.ofSeconds(10), () -> await(b.takeOrRenew()), "b takes the lapsed lease");
    assertFalse(await(a.takeOrRenew()), "a, back, finds it taken");
    assertFalse(a.held());

    await(b.release());
    assertTrue(await(a.takeOrRenew()), "a graceful stop hands it over at once");
    await(a.release());
    redis.close();
  }
}
