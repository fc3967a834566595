package com.payouts.http.auth;

/** Every statement over users' credentials, sessions and API tokens. */
final class AuthSql {
  private AuthSql() {}

  static final String LOGIN_BY_EMAIL = """
      SELECT id, email, name, is_staff, password_hash FROM users WHERE lower(email) = lower($1)""";

  /** Also sweeps expired sessions, so the table needs no separate janitor. */
  static final String CREATE_SESSION = """
      WITH swept AS (DELETE FROM sessions WHERE expires_at < now())
      INSERT INTO sessions (id, user_id, csrf_token, expires_at)
      VALUES ($1, $2, $3, now() + $4::integer * interval '1 second')""";

  /** A live session with its user; last_seen_at is refreshed at most once a minute. */
  static final String SESSION_BY_ID = """
      WITH s AS (SELECT id, user_id, csrf_token FROM sessions WHERE id = $1 AND expires_at > now()),
      touched AS (UPDATE sessions SET last_seen_at = now()
                  WHERE id = (SELECT id FROM s) AND last_seen_at < now() - interval '1 minute')
      SELECT s.id AS session_id, s.csrf_token, u.id, u.email, u.name, u.is_staff
      FROM s JOIN users u ON u.id = s.user_id""";

  static final String DELETE_SESSION = "DELETE FROM sessions WHERE id = $1";

  static final String CREATE_TOKEN = """
      INSERT INTO api_tokens (user_id, name, token_hash) VALUES ($1, $2, $3)
      RETURNING id, name, created_at, last_used_at""";

  static final String LIST_TOKENS = """
      SELECT id, name, created_at, last_used_at FROM api_tokens
      WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id""";

  static final String REVOKE_TOKEN = """
      UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL""";

  /** The user of a live token; last_used_at is refreshed at most once a minute. */
  static final String USER_BY_TOKEN = """
      WITH t AS (SELECT id, user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL),
      touched AS (UPDATE api_tokens SET last_used_at = now()
                  WHERE id = (SELECT id FROM t) AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute'))
      SELECT u.id, u.email, u.name, u.is_staff FROM t JOIN users u ON u.id = t.user_id""";

  /** A staff user with a wallet, unless the email is taken; returns a row only when it inserted. */
  static final String ENSURE_ADMIN = """
      WITH u AS (INSERT INTO users (email, name, is_staff, password_hash) VALUES ($1, $2, TRUE, $3)
                 ON CONFLICT ((lower(email))) DO NOTHING RETURNING id),
      w AS (INSERT INTO wallets (user_id) SELECT id FROM u)
      SELECT id FROM u""";
}
