package com.payouts.http.auth;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Credentials, sessions and API tokens over the Pg pool. Secrets arrive here already hashed. */
public class AuthRepository {
  /** A user as needed to check a password; {@code passwordHash} is null when they cannot sign in. */
  public record UserLogin(long id, String email, String name, boolean staff, String passwordHash) {}

  /** A live session's row: its user and CSRF token. */
  public record SessionRow(Principal principal, String csrfToken) {}

  private final Pool pool;

  public AuthRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<UserLogin>> findLogin(String email) {
    return pool.preparedQuery(AuthSql.LOGIN_BY_EMAIL).execute(Tuple.of(email)).map(rows -> first(rows).map(r ->
        new UserLogin(r.getLong("id"), r.getString("email"), r.getString("name"), r.getBoolean("is_staff"),
            r.getString("password_hash"))));
  }

  public Future<Void> createSession(String sessionId, long userId, String csrfToken, int ttlSeconds) {
    return pool.preparedQuery(AuthSql.CREATE_SESSION).execute(Tuple.of(sessionId, userId, csrfToken, ttlSeconds))
        .mapEmpty();
  }

  /** Empty when there is no such session or it has expired. */
  public Future<Optional<SessionRow>> findSession(String sessionId) {
    return pool.preparedQuery(AuthSql.SESSION_BY_ID).execute(Tuple.of(sessionId)).map(rows -> first(rows).map(r ->
        new SessionRow(principal(r, r.getString("session_id")), r.getString("csrf_token"))));
  }

  /** True when a row was deleted. */
  public Future<Boolean> deleteSession(String sessionId) {
    return pool.preparedQuery(AuthSql.DELETE_SESSION).execute(Tuple.of(sessionId)).map(rows -> rows.rowCount() == 1);
  }

  public Future<ApiToken> createToken(long userId, String name, String tokenHash) {
    return pool.preparedQuery(AuthSql.CREATE_TOKEN).execute(Tuple.of(userId, name, tokenHash))
        .map(rows -> token(rows.iterator().next()));
  }

  /** The user's tokens that are not revoked, oldest first. */
  public Future<List<ApiToken>> listTokens(long userId) {
    return pool.preparedQuery(AuthSql.LIST_TOKENS).execute(Tuple.of(userId)).map(rows -> {
      List<ApiToken> out = new ArrayList<>(rows.size());
      for (Row r : rows) out.add(token(r));
      return out;
    });
  }

  /** False when the token does not exist, is someone else's or is already revoked. */
  public Future<Boolean> revokeToken(long tokenId, long userId) {
    return pool.preparedQuery(AuthSql.REVOKE_TOKEN).execute(Tuple.of(tokenId, userId))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Empty when there is no such live (unrevoked) token. */
  public Future<Optional<Principal>> findUserByToken(String tokenHash) {
    return pool.preparedQuery(AuthSql.USER_BY_TOKEN).execute(Tuple.of(tokenHash))
        .map(rows -> first(rows).map(r -> principal(r, null)));
  }

  /** Inserts a staff user (and wallet) unless the email is taken; true when it inserted. */
  public Future<Boolean> ensureAdmin(String email, String passwordHash) {
    return pool.preparedQuery(AuthSql.ENSURE_ADMIN).execute(Tuple.of(email, "Administrator", passwordHash))
        .map(rows -> rows.size() == 1);
  }

  private static Principal principal(Row r, String sessionId) {
    return new Principal(r.getLong("id"), r.getString("email"), r.getString("name"), r.getBoolean("is_staff"),
        sessionId);
  }

  private static ApiToken token(Row r) {
    return new ApiToken(r.getLong("id"), r.getString("name"), instant(r, "created_at"), instant(r, "last_used_at"));
  }

  private static Instant instant(Row r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }

  private static Optional<Row> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next());
  }
}
