package com.payouts.db;

/** Every statement over users, wallets and their ledger. */
final class UserSql {
  private UserSql() {}

  static final String CREATE = """
      WITH u AS (INSERT INTO users (email, name, is_staff, preferred_method, password_hash)
                 VALUES ($1, $2, $3, $4, $5) RETURNING *),
      w AS (INSERT INTO wallets (user_id) SELECT id FROM u RETURNING *)
      SELECT u.*, w.available, w.held FROM u JOIN w ON w.user_id = u.id""";

  static final String BY_ID = """
      SELECT u.*, w.available, w.held FROM users u JOIN wallets w ON w.user_id = u.id WHERE u.id = $1""";

  static final String BY_EMAIL = """
      SELECT u.*, w.available, w.held FROM users u JOIN wallets w ON w.user_id = u.id
      WHERE lower(u.email) = lower($1)""";

  /** A credit of earnings: the wallet and its ledger row in one statement. */
  static final String CREDIT = """
      WITH w AS (UPDATE wallets SET available = available + $2, updated_at = now() WHERE user_id = $1
                 RETURNING user_id, available, held),
      l AS (INSERT INTO wallet_transactions (user_id, kind, amount, available_delta, held_delta, reason)
            SELECT user_id, 'credit', $2, $2, 0, $3 FROM w RETURNING id)
      SELECT u.*, w.available, w.held FROM users u JOIN w ON w.user_id = u.id""";

  /**
   * A new payout method; a change (not the same method again) is stamped, and the user's payouts
   * requested within 24 h of it carry method_changed.
   */
  static final String SET_PREFERRED_METHOD = """
      UPDATE users SET payout_method_changed_at = CASE WHEN preferred_method IS DISTINCT FROM $2 THEN now()
                                                       ELSE payout_method_changed_at END,
                       preferred_method = $2
      WHERE id = $1 RETURNING id""";

  /** The switch and its audit row ($4: who), in one statement. */
  static final String SET_ELIGIBILITY = """
      WITH u AS (UPDATE users SET payout_eligible = $2, eligibility_reason = $3 WHERE id = $1 RETURNING id),
      e AS (INSERT INTO user_events (user_id, eligible, reason, actor) SELECT id, $2, $3, $4 FROM u)
      SELECT id FROM u""";

  /** Who switched the user's payouts off or on, newest first. */
  static final String ELIGIBILITY_EVENTS = """
      SELECT id, user_id, eligible, reason, actor, created_at FROM user_events WHERE user_id = $1
      ORDER BY id DESC LIMIT $2""";

  static final String LEDGER = """
      SELECT * FROM wallet_transactions WHERE user_id = $1 AND ($2::bigint IS NULL OR id < $2)
      ORDER BY id DESC LIMIT $3""";
}
