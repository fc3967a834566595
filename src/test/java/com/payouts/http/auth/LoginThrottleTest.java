package com.payouts.http.auth;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final LoginThrottle throttle = new LoginThrottle(5, 20, Duration.ofMinutes(15), now::get);

  @Test
  void theSixthAttemptForAnEmailIsRefusedUntilTheOldestAgesOut() {
    for (int i = 0; i < 5; i++) {
      throttle.acquire("Pat@Example.com", "10.0.0." + i);
      now.addAndGet(60_000);
    }
    LoginThrottle.Blocked blocked = assertThrows(LoginThrottle.Blocked.class,
        () -> throttle.acquire("pat@example.com", "10.0.0.99"));
    assertEquals(15 * 60 - 5 * 60, blocked.retryAfterSeconds());
    now.addAndGet(blocked.retryAfterSeconds() * 1000);
    throttle.acquire("pat@example.com", "10.0.0.99");
  }

  @Test
  void anIpIsRefusedAfterTwentyFailuresAcrossEmails() {
    for (int i = 0; i < 20; i++) throttle.acquire("u" + i + "@example.com", "10.1.1.1");
    assertThrows(LoginThrottle.Blocked.class, () -> throttle.acquire("fresh@example.com", "10.1.1.1"));
    throttle.acquire("fresh@example.com", "10.1.1.2");
  }

  @Test
  void successClearsTheEmailAndReleaseTakesTheAttemptBack() {
    for (int i = 0; i < 4; i++) throttle.acquire("a@example.com", "10.2.2.2");
    throttle.succeeded("a@example.com", "10.2.2.2", throttle.acquire("a@example.com", "10.2.2.2"));
    for (int i = 0; i < 4; i++) throttle.acquire("a@example.com", "10.2.2.2");
    throttle.release("a@example.com", "10.2.2.2", throttle.acquire("a@example.com", "10.2.2.2"));
    throttle.acquire("a@example.com", "10.2.2.2");
    assertThrows(LoginThrottle.Blocked.class, () -> throttle.acquire("a@example.com", "10.2.2.2"));
  }
}
