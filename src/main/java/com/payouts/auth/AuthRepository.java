package com.payouts.auth;

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
  public record UserLogin(long id, String email, String name, boolean staff, String passwordHash, StaffRole role) {}

  /** A live session's row: its user and CSRF token. */
  public record SessionRow(Principal principal, String csrfToken) {}

  private final Pool pool;

  public AuthRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<UserLogin>> findLogin(String email) {
    return pool.preparedQuery(AuthSql.LOGIN_BY_EMAIL).execute(Tuple.of(email)).map(rows -> first(rows).map(r ->
        new UserLogin(r.getLong("id"), r.getString("email"), r.getString("name"), r.getBoolean("is_staff"),
            r.getString("password_hash"), role(r))));
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

  /**
   * Ends a session, revokes the tokens created in it (and theirs) and audits it; true when there was
   * one. {@code detail} null for a sign-out, else why it ended.
   */
  public Future<Boolean> endSession(String sessionId, String clientAddress, String detail) {
    return pool.preparedQuery(AuthSql.END_SESSION).execute(Tuple.of(sessionId, clientAddress, detail))
        .map(rows -> rows.iterator().next().getLong("ended") > 0);
  }

  /**
   * A token capped at its creator's expiry, audited; empty when the creating token or session is no
   * longer live. At most one of {@code parentTokenId} and {@code parentSessionId} is set.
   */
  public Future<Optional<ApiToken>> createToken(long userId, String email, String name, String tokenHash, int days,
      String clientAddress, Long parentTokenId, String parentSessionId) {
    return pool.preparedQuery(AuthSql.CREATE_TOKEN)
        .execute(Tuple.from(new Object[] {userId, name, tokenHash, days, email, clientAddress, parentTokenId, parentSessionId}))
        .map(rows -> first(rows).map(AuthRepository::token));
  }

  /** Live tokens, oldest first: one user's, or everyone's when {@code userId} is null. */
  public Future<List<ApiToken>> listTokens(Long userId) {
    return pool.preparedQuery(AuthSql.LIST_TOKENS).execute(Tuple.of(userId)).map(rows -> {
      List<ApiToken> out = new ArrayList<>(rows.size());
      for (Row r : rows) out.add(token(r));
      return out;
    });
  }

  /**
   * Revokes the token and every token made with it, audited; false when it does not exist, is
   * already revoked, or is not {@code ownerOrNull}'s (null: any owner).
   */
  public Future<Boolean> revokeToken(long tokenId, Long ownerOrNull, Principal actor, String clientAddress) {
    return pool.preparedQuery(AuthSql.REVOKE_TOKEN)
        .execute(Tuple.of(tokenId, ownerOrNull, actor.userId(), actor.email(), clientAddress))
        .map(rows -> rows.iterator().next().getLong("asked") == 1);
  }

  /** Empty when there is no such live (unrevoked, unexpired) token. */
  public Future<Optional<Principal>> findUserByToken(String tokenHash) {
    return pool.preparedQuery(AuthSql.USER_BY_TOKEN).execute(Tuple.of(tokenHash))
        .map(rows -> first(rows).map(r -> new Principal(r.getLong("id"), r.getString("email"), r.getString("name"),
            r.getBoolean("is_staff"), null, r.getLong("token_id"), role(r))));
  }

  public Future<Void> recordLogin(String kind, Long userId, String email, String clientAddress, String detail) {
    return pool.preparedQuery(AuthSql.INSERT_AUTH_EVENT).execute(Tuple.of(kind, userId, email, clientAddress, detail))
        .mapEmpty();
  }

  /** Newest first; {@code before}: an id from the previous page, or null. */
  public Future<List<AuthEvent>> authEvents(Long before, int limit) {
    return pool.preparedQuery(AuthSql.AUTH_EVENTS).execute(Tuple.of(before, limit)).map(rows -> {
      List<AuthEvent> out = new ArrayList<>(rows.size());
      for (Row r : rows) {
        out.add(new AuthEvent(r.getLong("id"), instant(r, "at"), r.getString("kind"), r.getLong("user_id"),
            r.getString("email"), r.getString("client_address"), r.getLong("token_id"), r.getString("token_name"),
            r.getString("detail")));
      }
      return out;
    });
  }

  /** Inserts a staff user (and wallet) unless the email is taken; true when it inserted. */
  public Future<Boolean> ensureAdmin(String email, String passwordHash) {
    return pool.preparedQuery(AuthSql.ENSURE_ADMIN).execute(Tuple.of(email, "Administrator", passwordHash))
        .map(rows -> rows.size() == 1);
  }

  private static Principal principal(Row r, String sessionId) {
    return new Principal(r.getLong("id"), r.getString("email"), r.getString("name"), r.getBoolean("is_staff"),
        sessionId, null, role(r));
  }

  private static StaffRole role(Row r) {
    String role = r.getString("staff_role");
    return role == null ? null : StaffRole.parse(role);
  }

  /** A new staff user; empty when the email is taken. */
  public Future<Optional<StaffMember>> createStaff(String email, String name, String passwordHash, StaffRole role) {
    return pool.preparedQuery(AuthSql.CREATE_STAFF).execute(Tuple.of(email, name, passwordHash, role.wire()))
        .map(rows -> first(rows).map(AuthRepository::staffMember));
  }

  public Future<List<StaffMember>> listStaff() {
    return pool.preparedQuery(AuthSql.LIST_STAFF).execute().map(rows -> {
      List<StaffMember> out = new ArrayList<>(rows.size());
      for (Row r : rows) out.add(staffMember(r));
      return out;
    });
  }

  /** A staff user changed, and the ids of the sessions that ended with it; empty when there is no such staff user. */
  public record StaffChange(StaffMember member, List<String> endedSessions) {}

  /** {@code role} or {@code disabled} null: unchanged. */
  public Future<Optional<StaffChange>> updateStaff(long id, StaffRole role, Boolean disabled) {
    return pool.preparedQuery(AuthSql.UPDATE_STAFF).execute(Tuple.of(id, role == null ? null : role.wire(), disabled))
        .map(rows -> first(rows).map(r -> new StaffChange(staffMember(r), List.of(r.getArrayOfStrings("ended_sessions")))));
  }

  public Future<Long> otherActiveAdmins(long id) {
    return pool.preparedQuery(AuthSql.OTHER_ACTIVE_ADMINS).execute(Tuple.of(id))
        .map(rows -> rows.iterator().next().getLong("n"));
  }

  private static StaffMember staffMember(Row r) {
    return new StaffMember(r.getLong("id"), r.getString("email"), r.getString("name"),
        StaffRole.parse(r.getString("staff_role")), instant(r, "disabled_at"), instant(r, "created_at"));
  }

  private static ApiToken token(Row r) {
    return new ApiToken(r.getLong("id"), r.getLong("user_id"), r.getString("email"), r.getString("name"),
        instant(r, "created_at"), instant(r, "last_used_at"), instant(r, "expires_at"), r.getLong("created_by_token_id"));
  }

  private static Instant instant(Row r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }

  private static Optional<Row> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next());
  }
}
