package com.payouts.support;

import com.payouts.http.auth.AuthRepository;
import com.payouts.http.auth.AuthService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
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
    return new TestAuth(new AuthService(vertx, new AuthRepository(pool)), pool,
        "staff-" + UUID.randomUUID() + "@example.com");
  }

  /** Creates the staff user (password "correct horse battery") and returns a fresh token. */
  public Future<String> staffToken() {
    return auth.bootstrapAdmin(email, "correct horse battery")
        .compose(x -> new AuthRepository(pool).findLogin(email))
        .compose(u -> auth.createToken(u.orElseThrow().id(), "test"))
        .map(AuthService.IssuedToken::token);
  }
}
