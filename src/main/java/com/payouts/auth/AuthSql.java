package com.payouts.auth;

/** Every statement over users' credentials, sessions and API tokens. */
final class AuthSql {
  private AuthSql() {}

  static final String LOGIN_BY_EMAIL = """
      SELECT id, email, name, is_staff, password_hash, CASE WHEN is_staff THEN coalesce(staff_role, 'admin') END AS staff_role
      FROM users WHERE lower(email) = lower($1) AND disabled_at IS NULL""";

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
      SELECT s.id AS session_id, s.csrf_token, u.id, u.email, u.name, u.is_staff, CASE WHEN u.is_staff THEN coalesce(u.staff_role, 'admin') END AS staff_role
      FROM s JOIN users u ON u.id = s.user_id WHERE u.disabled_at IS NULL""";

  /**
   * Ends a session: deletes its row, revokes the tokens created in it and theirs, and audits both.
   * $1 session id, $2 client address, $3 detail of the logout row (null: the user signed out).
   */
  static final String END_SESSION = """
      WITH RECURSIVE gone AS (
        DELETE FROM sessions s USING users u WHERE s.id = $1 AND u.id = s.user_id RETURNING u.id, u.email),
      created_in AS (
        SELECT id FROM api_tokens WHERE created_by_session_id = $1
        UNION
        SELECT t.id FROM api_tokens t JOIN created_in c ON t.created_by_token_id = c.id),
      revoked AS (
        UPDATE api_tokens SET revoked_at = now()
        WHERE id IN (SELECT id FROM created_in) AND revoked_at IS NULL RETURNING id, name),
      logged AS (
        INSERT INTO auth_events (kind, user_id, email, client_address, token_id, token_name, detail)
        SELECT 'logout', g.id, g.email, $2::text, NULL::bigint, NULL::text, $3::text FROM gone g
        UNION ALL
        SELECT 'token_revoked', g.id, g.email, $2::text, r.id, r.name, 'its session ended' FROM gone g, revoked r)
      SELECT count(*) AS ended FROM gone""";

  /**
   * A token whose expiry is capped at its creator's: the token ($7) or session ($8) it was made with,
   * which must still be live; audited in the same statement. $1 user, $2 name, $3 hash, $4 days of
   * life asked for, $5 the user's email, $6 client address.
   */
  static final String CREATE_TOKEN = """
      WITH creator AS (
        SELECT min(e) AS expires_at, count(*) AS live FROM (
          SELECT expires_at AS e FROM api_tokens WHERE id = $7 AND revoked_at IS NULL AND expires_at > now()
          UNION ALL
          SELECT expires_at FROM sessions WHERE id = $8 AND expires_at > now()) c),
      t AS (
        INSERT INTO api_tokens (user_id, name, token_hash, expires_at, created_by_token_id, created_by_session_id)
        SELECT $1::bigint, $2::text, $3::text, LEAST(now() + $4::integer * interval '1 day', creator.expires_at), $7::bigint, $8::text FROM creator
        WHERE creator.live = (CASE WHEN $7::bigint IS NULL THEN 0 ELSE 1 END) + (CASE WHEN $8::text IS NULL THEN 0 ELSE 1 END)
        RETURNING id, user_id, name, created_at, last_used_at, expires_at, created_by_token_id),
      logged AS (
        INSERT INTO auth_events (kind, user_id, email, client_address, token_id, token_name)
        SELECT 'token_created', $1::bigint, $5::text, $6::text, t.id, t.name FROM t)
      SELECT t.*, $5::text AS email FROM t""";

  /** Live tokens ($1 null: everyone's), oldest first. */
  static final String LIST_TOKENS = """
      SELECT t.id, t.user_id, u.email, t.name, t.created_at, t.last_used_at, t.expires_at, t.created_by_token_id
      FROM api_tokens t JOIN users u ON u.id = t.user_id
      WHERE ($1::bigint IS NULL OR t.user_id = $1) AND t.revoked_at IS NULL AND t.expires_at > now()
      ORDER BY t.id LIMIT 1000""";

  /**
   * Revokes a token and every token created with it, down the line, and audits each. $1 token id,
   * $2 the owner it must have (null: any owner, for an admin), $3 actor id, $4 actor email, $5 address.
   */
  static final String REVOKE_TOKEN = """
      WITH RECURSIVE asked AS (
        SELECT id FROM api_tokens WHERE id = $1 AND ($2::bigint IS NULL OR user_id = $2) AND revoked_at IS NULL),
      line AS (
        SELECT id FROM asked
        UNION
        SELECT t.id FROM api_tokens t JOIN line l ON t.created_by_token_id = l.id),
      revoked AS (
        UPDATE api_tokens SET revoked_at = now()
        WHERE id IN (SELECT id FROM line) AND revoked_at IS NULL RETURNING id, name),
      logged AS (
        INSERT INTO auth_events (kind, user_id, email, client_address, token_id, token_name, detail)
        SELECT 'token_revoked', $3::bigint, $4::text, $5::text, r.id, r.name, CASE WHEN r.id = $1 THEN NULL ELSE 'its creator was revoked' END
        FROM revoked r)
      SELECT count(*) FILTER (WHERE id = $1) AS asked, count(*) AS revoked FROM revoked""";

  /** The user of a live token; last_used_at is refreshed at most once a minute. */
  static final String USER_BY_TOKEN = """
      WITH t AS (SELECT id, user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()),
      touched AS (UPDATE api_tokens SET last_used_at = now()
                  WHERE id = (SELECT id FROM t) AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute'))
      SELECT u.id, u.email, u.name, u.is_staff, t.id AS token_id, CASE WHEN u.is_staff THEN coalesce(u.staff_role, 'admin') END AS staff_role
      FROM t JOIN users u ON u.id = t.user_id WHERE u.disabled_at IS NULL""";

  static final String INSERT_AUTH_EVENT = """
      INSERT INTO auth_events (kind, user_id, email, client_address, detail) VALUES ($1, $2, $3, $4, $5)""";

  /** Newest first, keyset-paged by id ($1 null: from the newest). */
  static final String AUTH_EVENTS = """
      SELECT id, at, kind, user_id, email, client_address, token_id, token_name, detail FROM auth_events
      WHERE ($1::bigint IS NULL OR id < $1) ORDER BY id DESC LIMIT $2""";

  /** A staff user with a wallet, unless the email is taken; returns a row only when it inserted. */
  static final String ENSURE_ADMIN = """
      WITH u AS (INSERT INTO users (email, name, is_staff, password_hash, staff_role) VALUES ($1, $2, TRUE, $3, 'admin')
                 ON CONFLICT ((lower(email))) DO NOTHING RETURNING id),
      w AS (INSERT INTO wallets (user_id) SELECT id FROM u)
      SELECT id FROM u""";

  /** A staff user with a wallet (like every user); nothing when the email is taken. $4 the role. */
  static final String CREATE_STAFF = """
      WITH u AS (INSERT INTO users (email, name, is_staff, password_hash, staff_role) VALUES ($1, $2, TRUE, $3, $4)
                 ON CONFLICT ((lower(email))) DO NOTHING RETURNING *),
      w AS (INSERT INTO wallets (user_id) SELECT id FROM u)
      SELECT id, email, name, staff_role, disabled_at, created_at FROM u""";

  static final String LIST_STAFF = """
      SELECT id, email, name, coalesce(staff_role, 'admin') AS staff_role, disabled_at, created_at
      FROM users WHERE is_staff ORDER BY id LIMIT 1000""";

  /**
   * A staff user's role ($2, null: unchanged) and disabled state ($3, null: unchanged). Disabling
   * ends their sessions here; their tokens stop working since every token lookup tests the user.
   */
  static final String UPDATE_STAFF = """
      WITH u AS (UPDATE users SET staff_role = coalesce($2, coalesce(staff_role, 'admin')),
                   disabled_at = CASE WHEN $3::bool IS NULL THEN disabled_at WHEN $3::bool THEN coalesce(disabled_at, now()) END
                 WHERE id = $1 AND is_staff
                 RETURNING id, email, name, staff_role, disabled_at, created_at),
      ended AS (DELETE FROM sessions WHERE user_id = (SELECT id FROM u) AND (SELECT disabled_at FROM u) IS NOT NULL
                RETURNING id)
      SELECT u.*, ARRAY(SELECT id FROM ended) AS ended_sessions FROM u""";

  /** Active admins other than $1: the last one may not be demoted or disabled. */
  static final String OTHER_ACTIVE_ADMINS = """
      SELECT count(*) AS n FROM users
      WHERE is_staff AND coalesce(staff_role, 'admin') = 'admin' AND disabled_at IS NULL AND id <> $1""";
}
