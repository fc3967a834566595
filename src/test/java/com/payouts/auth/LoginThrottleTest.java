package com.payouts.auth;

import static com.payouts.support.Await.await;
import static com.payouts.support.Await.eventually;
import static com.payouts.support.Await.failure;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.support.TestServers;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The throttle's counters in the machine's Redis, each test under a key prefix of its own. */
@ExtendWith(VertxExtension.class)
class LoginThrottleTest {
  static Redis redis;
  static Vertx vertx;

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    redis = Redis.createClient(v, TestServers.redisUrl());
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  static LoginThrottle throttle(LoginThrottle.Limits limits) {
    return new LoginThrottle(redis, "t:login:" + UUID.randomUUID() + ":", limits);
  }

  static LoginThrottle.Blocked blocked(LoginThrottle t, String email, String address) {
    return assertInstanceOf(LoginThrottle.Blocked.class, failure(t.acquire(email, address)));
  }

  @Test
  void failuresForAnEmailFromOneAddressNeverSlowTheSameEmailFromAnother() {
    LoginThrottle t = throttle(LoginThrottle.Limits.DEFAULT);
    for (int i = 0; i < 5; i++) await(t.acquire("Admin@Example.com", "203.0.113.7"));
    assertTrue(blocked(t, "admin@example.com", "203.0.113.7").retryAfterSeconds() >= 1);
    await(t.acquire("admin@example.com", "198.51.100.2")); // the admin, elsewhere
  }

  @Test
  void anAddressSprayingManyEmailsWaitsAfterItsLooserLimit() {
    LoginThrottle t = throttle(LoginThrottle.Limits.DEFAULT);
    for (int i = 0; i < 30; i++) await(t.acquire("u" + i + "@example.com", "203.0.113.8"));
    blocked(t, "fresh@example.com", "203.0.113.8");
    await(t.acquire("fresh@example.com", "203.0.113.9"));
  }

  @Test
  void anIpv6HostCannotDodgeTheLimitWithFreshAddressesInItsSlash64() {
    LoginThrottle t = throttle(LoginThrottle.Limits.DEFAULT);
    for (int i = 0; i < 5; i++) await(t.acquire("d@example.com", "2001:db8:7:7::" + Integer.toHexString(i + 1)));
    blocked(t, "d@example.com", "2001:db8:7:7::beef");
    await(t.acquire("d@example.com", "2001:db8:7:8::1"));
  }

  @Test
  void theDelayDoublesWithEachFurtherFailure() {
    LoginThrottle t = throttle(new LoginThrottle.Limits(2, 100, Duration.ofSeconds(1), Duration.ofMinutes(15),
        Duration.ofMinutes(15)));
    await(t.acquire("a@example.com", "203.0.113.10"));
    await(t.acquire("a@example.com", "203.0.113.10"));
    assertEquals(1, blocked(t, "a@example.com", "203.0.113.10").retryAfterSeconds());
    eventually(Duration.ofSeconds(10), () -> t.acquire("a@example.com", "203.0.113.10")
        .toCompletionStage().toCompletableFuture().handle((ok, err) -> err == null).join(), "the first delay passes");
    assertEquals(2, blocked(t, "a@example.com", "203.0.113.10").retryAfterSeconds());
  }

  @Test
  void successClearsThePairAndReleaseTakesTheAttemptBack() {
    LoginThrottle t = throttle(LoginThrottle.Limits.DEFAULT);
    for (int i = 0; i < 4; i++) await(t.acquire("b@example.com", "203.0.113.11"));
    await(t.succeeded(await(t.acquire("b@example.com", "203.0.113.11"))));
    for (int i = 0; i < 4; i++) await(t.acquire("b@example.com", "203.0.113.11"));
    await(t.release(await(t.acquire("b@example.com", "203.0.113.11"))));
    LoginThrottle.Ticket fifth = await(t.acquire("b@example.com", "203.0.113.11"));
    blocked(t, "b@example.com", "203.0.113.11");
    // Both counters expire by themselves.
    long pairTtl = await(redis.send(Request.cmd(Command.PTTL).arg(fifth.pairKey()))).toLong();
    long addressTtl = await(redis.send(Request.cmd(Command.PTTL).arg(fifth.addressKey()))).toLong();
    assertTrue(pairTtl > 0 && pairTtl <= Duration.ofMinutes(16).toMillis(), "pair PTTL " + pairTtl);
    assertTrue(addressTtl > 0 && addressTtl <= Duration.ofMinutes(15).toMillis(), "address PTTL " + addressTtl);
    assertFalse(fifth.pairKey().contains("b@example.com"), "the email is hashed in the key");
  }

  @Test
  void withRedisDownAnAttemptFailsInsteadOfGoingUncounted() {
    Redis nowhere = Redis.createClient(vertx, "redis://127.0.0.1:1");
    LoginThrottle t = new LoginThrottle(nowhere, "t:login:down:");
    Throwable err = failure(t.acquire("c@example.com", "203.0.113.12"));
    assertFalse(err instanceof LoginThrottle.Blocked, String.valueOf(err));
    nowhere.close();
  }
}
