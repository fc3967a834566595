package com.payouts.support;

import com.payouts.http.auth.AuthRepository;
import com.payouts.http.auth.AuthService;
import io.vertx.core.Future;
import com.payouts.http.auth.LoginThrottle;
import com.payouts.http.auth.SessionCookie;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;
import java.util.UUID;

/** A staff user and a Bearer token for API tests. */
public final class TestAuth {
  public final AuthService auth;
  public final String email;
  private final Pool pool;

  private TestAuth(AuthService auth, Pool pool, String email) {
    this.auth = auth;
    this.pool = pool;
    this.email = email;
  }

  public static TestAuth over(Vertx vertx, Pool pool) {
    return new TestAuth(service(vertx, pool, false), pool, "staff-" + UUID.randomUUID() + "@example.com");
  }

  /**
   * An AuthService over the test database whose login throttle counts in the machine's Redis under a
   * key prefix of its own (so tests never throttle each other), its cookie Secure or not.
   */
  public static AuthService service(Vertx vertx, Pool pool, boolean secureCookies) {
    return service(vertx, pool, secureCookies, "t:login:" + UUID.randomUUID() + ":");
  }

  /** The same, with the throttle's key prefix given: two services with one prefix are two nodes. */
  public static AuthService service(Vertx vertx, Pool pool, boolean secureCookies, String throttlePrefix) {
    Redis redis = Redis.createClient(vertx, TestServers.redisUrl());
    return new AuthService(vertx, new AuthRepository(pool), new LoginThrottle(redis, throttlePrefix),
        new SessionCookie(secureCookies));
  }

  /** Creates the staff user (password "correct horse battery") and returns a fresh token. */
  public Future<String> staffToken() {
    return auth.bootstrapAdmin(email, "correct horse battery")
        .compose(x -> new AuthRepository(pool).findLogin(email))
        .compose(u -> auth.createToken(u.orElseThrow().id(), email, "test", null))
        .map(AuthService.IssuedToken::token);
  }
}
