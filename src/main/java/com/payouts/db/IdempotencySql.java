package com.payouts.db;

/** Every statement over idempotency_keys. */
final class IdempotencySql {
  private IdempotencySql() {}

  /**
   * Takes the key for this request, in the caller's transaction: inserts it, or takes over a row
   * whose time is up (an expired key is a new key). A row another transaction is inserting makes
   * this wait until that one commits or rolls back. No row returned: the key is in use; read it.
   */
  static final String CLAIM = """
      INSERT INTO idempotency_keys (scope, key, request_fingerprint, endpoint, expires_at)
      VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))
      ON CONFLICT (scope, key) DO UPDATE
        SET request_fingerprint = EXCLUDED.request_fingerprint, endpoint = EXCLUDED.endpoint,
            response_status = NULL, response_body = NULL, created_at = now(), expires_at = EXCLUDED.expires_at
        WHERE idempotency_keys.expires_at <= now()
      RETURNING key""";

  static final String FIND = """
      SELECT request_fingerprint, endpoint, response_status, response_body FROM idempotency_keys
      WHERE scope = $1 AND key = $2""";

  static final String STORE_RESPONSE = """
      UPDATE idempotency_keys SET response_status = $3, response_body = $4 WHERE scope = $1 AND key = $2""";

  /** A key given back, unanswered, by the transaction that claimed it. */
  static final String RELEASE = """
      DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND response_status IS NULL""";

  /** Up to $1 expired keys, oldest first. */
  static final String DELETE_EXPIRED = """
      DELETE FROM idempotency_keys WHERE (scope, key) IN (
        SELECT scope, key FROM idempotency_keys WHERE expires_at <= now() ORDER BY expires_at LIMIT $1)""";
}
