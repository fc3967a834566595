package com.payouts.db;

import java.util.Set;

/**
 * Every statement over payout_requests. Each transition is ONE statement over arrays of ids: the
 * conditional status update, the ledger rows and the audit rows share it, so a batch of payouts
 * costs one round trip. A transition that moves money over many wallets (reject, the gateway
 * outcomes) is followed in its transaction by {@link #WALLET_DELTAS}; a request, which touches one
 * wallet, changes it in the same statement.
 */
final class PayoutSql {
  private PayoutSql() {}

  /**
   * The payouts named by $1, found by primary key alone and locked in id order, so that two
   * statements over the same payouts queue instead of deadlocking. Every status (and version, and
   * eligibility) test is made on these locked rows, and the update then addresses them by id alone:
   * given {@code id = ANY($1) AND status = 'pending'} in one WHERE, the planner may instead walk
   * everything pending through the status index (it did, on a table that had never been analyzed:
   * each 200-id approval took longer as the table grew). MATERIALIZED keeps those tests out of the
   * lookup, so a statement's cost follows the ids it is given, whatever the statistics say.
   */
  private static final String LOCKED = """
      c AS MATERIALIZED (SELECT * FROM payout_requests WHERE id = ANY($1) ORDER BY id FOR UPDATE)""";

  /** A user's eligibility as a per-row lookup (a subplan), never a join the planner may turn into a scan of users. */
  private static final String ELIGIBLE =
      " (SELECT u.payout_eligible FROM users u WHERE u.id = c.user_id) ";

  /** The payout's user's email, looked up per row by primary key. */
  private static final String EMAIL = "(SELECT u.email FROM users u WHERE u.id = t.user_id) AS user_email";


  static final String BY_ID = """
      SELECT t.*, u.email AS user_email FROM payout_requests t JOIN users u ON u.id = t.user_id
      WHERE t.id = $1""";

  /** Reconciliation's walk over every payout, a page at a time. */
  static final String BOOKED_AFTER = """
      SELECT id, status, amount, transaction_id, return_code, updated_at FROM payout_requests
      WHERE id > $1 ORDER BY id LIMIT $2""";

  static final String BY_IDS = "SELECT t.*, " + EMAIL + """

      FROM payout_requests t WHERE t.id = ANY($1) ORDER BY t.id""";

  /** What explains a transition that did not happen: the status, and whether the user may be paid. */
  static final String STANDING = """
      SELECT t.id, t.status, t.holds_funds, t.user_id, u.payout_eligible, u.eligibility_reason,
             t.requested_by, t.approvals_required,
             ARRAY(SELECT (a->>'userId')::bigint FROM jsonb_array_elements(t.approvals) a WHERE a->>'userId' IS NOT NULL) AS approvers
      FROM payout_requests t CROSS JOIN LATERAL (SELECT payout_eligible, eligibility_reason FROM users
                                                 WHERE id = t.user_id OFFSET 0) u
      WHERE t.id = ANY($1) ORDER BY t.id""";

  /** Ids in a status, oldest first, for the CLI and sweeps. */
  static final String IDS_IN_STATUS = """
      SELECT id FROM payout_requests WHERE status = $1 ORDER BY created_at, id LIMIT $2""";

  /**
   * Creation: hold the amount (only if available covers it), insert, ledger, audit; and the
   * approval policy, decided on the row as it is inserted. $9 auto-below and $10 two-approvers-from
   * (null: not configured), $11 whether first payouts and method changes are flagged, $12/$13 the
   * velocity count limit and its window in seconds, $14/$15 the amount limit and its window (nulls:
   * no limit), $16 the staff user requesting it. A payout below auto-below with no review reason is
   * approved here by {@link com.payouts.domain.ApprovalPolicy#AUTO_APPROVER}, audited as such. The
   * velocity counts read the user's payouts through payout_requests_user (user_id, created_at).
   */
  static final String CREATE = """
      WITH u AS (SELECT id, email, payout_method_changed_at FROM users WHERE id = $1 AND payout_eligible),
      w AS (UPDATE wallets SET available = available - $2, held = held + $2, updated_at = now()
            WHERE user_id = (SELECT id FROM u) AND available >= $2
            RETURNING user_id),
      r AS (SELECT array_remove(ARRAY[
              CASE WHEN ($12::int IS NOT NULL AND (SELECT count(*) FROM payout_requests p
                          WHERE p.user_id = $1 AND p.created_at > now() - make_interval(secs => $13::float8)) >= $12::int)
                     OR ($14::numeric IS NOT NULL AND (SELECT coalesce(sum(p.amount), 0) FROM payout_requests p
                          WHERE p.user_id = $1 AND p.created_at > now() - make_interval(secs => $15::float8)) + $2 > $14::numeric)
                   THEN 'velocity' END,
              CASE WHEN $11::bool AND NOT EXISTS (SELECT 1 FROM payout_requests p WHERE p.user_id = $1)
                   THEN 'first_payout' END,
              CASE WHEN $11::bool AND (SELECT payout_method_changed_at FROM u) > now() - interval '24 hours'
                   THEN 'method_changed' END]::text[], NULL) AS reasons),
      d AS (SELECT r.reasons,
                   CASE WHEN $10::numeric IS NOT NULL AND $2 >= $10::numeric THEN 2 ELSE 1 END AS required,
                   ($9::numeric IS NOT NULL AND $2 < $9::numeric AND cardinality(r.reasons) = 0
                    AND NOT ($10::numeric IS NOT NULL AND $2 >= $10::numeric)) AS auto
            FROM r),
      t AS (INSERT INTO payout_requests
              (user_id, amount, method, priority, fee, net_amount, notes, status, approved_at, approvals,
               approvals_required, review_reasons, requested_by)
            SELECT user_id, $2, $3, $4, $5, $6, $7, CASE WHEN d.auto THEN 'approved' ELSE 'pending' END,
                   CASE WHEN d.auto THEN now() END,
                   CASE WHEN d.auto THEN jsonb_build_array(jsonb_build_object('userId', NULL, 'actor', 'system:auto-approval', 'at', now()))
                        ELSE '[]'::jsonb END,
                   d.required, d.reasons, $16::bigint
            FROM w, d
            RETURNING *),
      l AS (INSERT INTO wallet_transactions (user_id, payout_id, kind, amount, available_delta, held_delta, reason)
            SELECT user_id, id, 'hold', amount, -amount, amount, 'payout requested' FROM t),
      e AS (INSERT INTO payout_events (payout_id, from_status, to_status, actor, detail)
            SELECT t.id, v.from_status, v.to_status, v.actor, v.detail
            FROM t CROSS JOIN LATERAL (VALUES
              (1, NULL, 'pending', $8::text, 'requested'),
              (2, 'pending', 'approved', 'system:auto-approval', 'below the auto-approval amount ' || $9::numeric)
            ) v(n, from_status, to_status, actor, detail)
            WHERE v.n = 1 OR t.status = 'approved'
            ORDER BY v.n)
      SELECT t.*, (SELECT email FROM u) AS user_email FROM t""";

  /**
   * The user's wallet, locked before a request is counted against velocity limits: a concurrent
   * request of the same user then commits first, and the next statement (a new snapshot) counts it.
   */
  static final String LOCK_WALLET = """
      SELECT user_id FROM wallets WHERE user_id = $1 FOR UPDATE""";

  /** The wallets of a group of requests, locked in user id order (so two groups never wait on each other in a cycle). */
  static final String LOCK_WALLETS = """
      SELECT user_id FROM wallets WHERE user_id = ANY($1) ORDER BY user_id FOR UPDATE""";

  /**
   * The three steps toward the gateway (approve, claim, retry claim) move only payouts whose users
   * may be paid now: the check is in the conditional update itself, so a user made ineligible
   * between a request and its job is never paid. A payout refused that way keeps its status and hold.
   */
  private static final String USER_ELIGIBLE =
      " EXISTS (SELECT 1 FROM users u WHERE u.id = payout_requests.user_id AND u.payout_eligible) ";

  /**
   * An approval of each pending payout whose user may be paid, by staff user $4 (null: the command
   * line or a script, who may give only a payout's single approval). It is appended to the payout's
   * approvals; the payout moves to approved once it has the approvals its policy requires, and
   * otherwise stays pending with the approval audited (pending to pending, "approval 1 of 2"). A
   * payout needing two approvals takes none from its requester, and one per staff user. Returns
   * every payout that took the approval, moved or not.
   */
  static final String APPROVE = "WITH " + LOCKED + """
      ,
      t AS (UPDATE payout_requests p SET
              approvals = p.approvals || jsonb_build_array(jsonb_build_object('userId', $4::bigint, 'actor', $2::text, 'at', now())),
              status = CASE WHEN jsonb_array_length(c.approvals) + 1 >= c.approvals_required THEN 'approved' ELSE 'pending' END,
              approved_at = CASE WHEN jsonb_array_length(c.approvals) + 1 >= c.approvals_required THEN now() END,
              updated_at = now(), version = p.version + 1
            FROM c
            WHERE p.id = c.id AND p.id = ANY(ARRAY(SELECT id FROM c WHERE status = 'pending' AND""" + ELIGIBLE + """
                AND (approvals_required < 2
                     OR ($4::bigint IS NOT NULL AND requested_by IS DISTINCT FROM $4::bigint
                         AND NOT approvals @> jsonb_build_array(jsonb_build_object('userId', $4::bigint))))
            ))
            RETURNING p.*),
      e AS (INSERT INTO payout_events (payout_id, from_status, to_status, actor, detail)
            SELECT id, 'pending', status, $2, CASE WHEN status = 'approved' THEN $3
                   ELSE 'approval ' || jsonb_array_length(approvals) || ' of ' || approvals_required END
            FROM t)
      SELECT t.*, """ + EMAIL + " FROM t ORDER BY t.id";

  /** pending -> rejected with the release rows; the wallets follow in {@link #WALLET_DELTAS}. */
  static final String REJECT = "WITH " + LOCKED + """
      ,
      t AS (UPDATE payout_requests SET status = 'rejected', rejected_at = now(), updated_at = now(),
              rejection_reason = $3, holds_funds = FALSE, version = version + 1
            WHERE id = ANY(ARRAY(SELECT id FROM c WHERE status = 'pending' AND holds_funds))
            RETURNING *),
      l AS (INSERT INTO wallet_transactions (user_id, payout_id, kind, amount, available_delta, held_delta, reason)
            SELECT user_id, id, 'release', amount, amount, -amount, 'payout rejected' FROM t),
      e AS (INSERT INTO payout_events (payout_id, from_status, to_status, actor, detail)
            SELECT id, 'pending', 'rejected', $2, $3 FROM t)
      SELECT t.*, """ + EMAIL + " FROM t ORDER BY t.id";

  /**
   * The rule holds at execution: a payout whose policy requires more than one approval is claimed
   * only with that many recorded (one approval is its move to approved, as before policies).
   */
  private static final String APPROVALS_GIVEN =
      " (approvals_required <= 1 OR jsonb_array_length(approvals) >= approvals_required) ";

  /**
   * approved -> processing; the claim. Returns only the payouts this caller won. The attempt's
   * gateway key is fixed here: $3 is {@link com.payouts.domain.Payout#gatewayKeyFormat}, whose two
   * %s are the payout id and the attempt (format() reads it as String.format does).
   */
  static final String START_PROCESSING = "WITH " + LOCKED + """
      ,
      t AS (UPDATE payout_requests SET status = 'processing', processing_started_at = now(),
              updated_at = now(), version = version + 1, gateway_key = format($3, id, retry_count)
            WHERE id = ANY(ARRAY(SELECT id FROM c WHERE status = 'approved' AND""" + APPROVALS_GIVEN + "AND" + ELIGIBLE + """
            ))
            RETURNING *),
      e AS (INSERT INTO payout_events (payout_id, from_status, to_status, actor, detail)
            SELECT id, 'approved', 'processing', $2, 'attempt ' || (retry_count + 1) FROM t)
      SELECT t.*, """ + EMAIL + " FROM t ORDER BY t.id";

  /**
   * failed -> processing for payouts that still hold their funds; $3 true: only those due. A new
   * attempt, so a new gateway key: $4 as in {@link #START_PROCESSING}, with the new attempt number.
   */
  static final String START_RETRY = "WITH " + LOCKED + """
      ,
      t AS (UPDATE payout_requests SET status = 'processing', processing_started_at = now(),
              updated_at = now(), version = version + 1, retry_count = retry_count + 1,
              next_retry_at = NULL, gateway_key = format($4, id, retry_count + 1)
            WHERE id = ANY(ARRAY(SELECT id FROM c WHERE status = 'failed' AND holds_funds
                                   AND (NOT $3 OR next_retry_at <= now()) AND""" + APPROVALS_GIVEN + "AND" + ELIGIBLE + """
            ))
            RETURNING *),
      e AS (INSERT INTO payout_events (payout_id, from_status, to_status, actor, detail)
            SELECT id, 'failed', 'processing', $2, 'retry ' || retry_count || ' after ' || coalesce(error_code, 'error')
            FROM t)
      SELECT t.*, """ + EMAIL + " FROM t ORDER BY t.id";

  /**
   * Take over payouts stuck in processing (their worker died or stalled): bumping the version
   * makes any late write by the old worker fail its version check.
   */
  static final String TAKE_OVER = "WITH " + LOCKED + """

      UPDATE payout_requests t SET version = version + 1, processing_started_at = now(), updated_at = now()
      WHERE t.id = ANY(ARRAY(SELECT id FROM c WHERE status = 'processing'
                               AND processing_started_at < now() - make_interval(secs => $2)))
      RETURNING t.*, """ + EMAIL;

  /** processing -> completed: the settle rows and the audit; the wallets follow in {@link #WALLET_DELTAS}. */
  static final String COMPLETE = """
      WITH i AS (SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[]::numeric[]) AS i(id, v, txn, fee)),
      """ + LOCKED + """
      ,
      t AS (UPDATE payout_requests p SET status = 'completed', completed_at = now(), updated_at = now(),
              transaction_id = i.txn, fee = i.fee, net_amount = p.amount - i.fee, holds_funds = FALSE,
              error_code = NULL, error_message = NULL, retryable = FALSE, version = p.version + 1
            FROM i WHERE p.id = i.id AND p.id = ANY(ARRAY(
                SELECT c.id FROM c JOIN i ON i.id = c.id WHERE c.status = 'processing' AND c.version = i.v))
            RETURNING p.*),
      l AS (INSERT INTO wallet_transactions (user_id, payout_id, kind, amount, available_delta, held_delta, reason)
            SELECT user_id, id, 'settle', amount, 0, -amount, 'payout completed ' || transaction_id FROM t),
      e AS (INSERT INTO payout_events (payout_id, from_status, to_status, actor, detail)
            SELECT id, 'processing', 'completed', $5, transaction_id FROM t)
      SELECT t.*, """ + EMAIL + " FROM t ORDER BY t.id";

  /**
   * processing -> failed; a null next retry time makes it final and releases the hold (the release
   * row here, the wallet in {@link #WALLET_DELTAS}).
   */
  static final String FAIL = """
      WITH i AS (SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::bool[], $6::timestamptz[])
                   AS i(id, v, code, msg, retryable, next_at)),
      """ + LOCKED + """
      ,
      t AS (UPDATE payout_requests p SET status = 'failed', failed_at = now(), updated_at = now(),
              error_code = i.code, error_message = i.msg, retryable = i.retryable, next_retry_at = i.next_at,
              holds_funds = (i.next_at IS NOT NULL), version = p.version + 1
            FROM i WHERE p.id = i.id AND p.id = ANY(ARRAY(
                SELECT c.id FROM c JOIN i ON i.id = c.id WHERE c.status = 'processing' AND c.version = i.v))
            RETURNING p.*),
      l AS (INSERT INTO wallet_transactions (user_id, payout_id, kind, amount, available_delta, held_delta, reason)
            SELECT user_id, id, 'release', amount, amount, -amount, 'payout failed: ' || error_code
            FROM t WHERE NOT holds_funds),
      e AS (INSERT INTO payout_events (payout_id, from_status, to_status, actor, detail)
            SELECT id, 'processing', 'failed', $7,
                   error_code || CASE WHEN holds_funds THEN ', retry at ' || next_retry_at ELSE ', final' END
            FROM t)
      SELECT t.*, """ + EMAIL + " FROM t ORDER BY t.id";

  /**
   * processing -> needs_review: the gateway's answer did not belong to the payout. Nothing moves in
   * the ledger or the wallet: the funds stay held (holds_funds stays true) until an operator decides.
   */
  static final String NEEDS_REVIEW = """
      WITH i AS (SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[]) AS i(id, v, code, msg)),
      """ + LOCKED + """
      ,
      t AS (UPDATE payout_requests p SET status = 'needs_review', updated_at = now(),
              error_code = i.code, error_message = i.msg, retryable = FALSE, next_retry_at = NULL,
              version = p.version + 1
            FROM i WHERE p.id = i.id AND p.id = ANY(ARRAY(
                SELECT c.id FROM c JOIN i ON i.id = c.id WHERE c.status = 'processing' AND c.version = i.v))
            RETURNING p.*),
      e AS (INSERT INTO payout_events (payout_id, from_status, to_status, actor, detail)
            SELECT id, 'processing', 'needs_review', $5, error_code || ': ' || error_message FROM t)
      SELECT t.*, """ + EMAIL + " FROM t ORDER BY t.id";

  /**
   * completed -> returned, applying the gateway's event $1 once: the event's row and the return
   * share the statement, so an event already applied (a webhook replayed, or found again by the
   * poller) changes nothing. The payout must be completed with the transaction and amount the
   * event names; otherwise the event is recorded with why it changed nothing, and reconciliation
   * lists the difference. The return row gives the amount back to available (the wallet follows
   * in {@link #WALLET_DELTAS}), and the user's payouts are switched off, with its audit row, until
   * an operator switches them on again. Answers whether the event was new, and the payout returned.
   */
  static final String RETURN = """
      WITH c AS MATERIALIZED (SELECT * FROM payout_requests WHERE id = $3 FOR UPDATE),
      ok AS (SELECT id FROM c WHERE status = 'completed' AND transaction_id = $4 AND amount = $5::text::numeric),
      ev AS (INSERT INTO gateway_events (id, type, payout_id, outcome, received_via, payload)
             VALUES ($1, $2, $3, CASE WHEN EXISTS (SELECT 1 FROM ok) THEN 'returned'
                                      ELSE coalesce((SELECT 'ignored: payout ' || id || ' is ' || status
                                                            || CASE WHEN status = 'completed'
                                                                    THEN ' with another transaction or amount' ELSE '' END
                                                     FROM c), 'ignored: no such payout') END,
                     $9, $10::text::jsonb)
             ON CONFLICT (id) DO NOTHING RETURNING id),
      t AS (UPDATE payout_requests p SET status = 'returned', return_code = $6, returned_at = $7, updated_at = now(),
              version = p.version + 1
            WHERE p.id = ANY(ARRAY(SELECT id FROM ok)) AND EXISTS (SELECT 1 FROM ev)
            RETURNING p.*),
      l AS (INSERT INTO wallet_transactions (user_id, payout_id, kind, amount, available_delta, held_delta, reason)
            SELECT user_id, id, 'return', amount, amount, 0, 'payout returned: ' || return_code FROM t),
      e AS (INSERT INTO payout_events (payout_id, from_status, to_status, actor, detail)
            SELECT id, 'completed', 'returned', $8, return_code || ' (' || $1 || ')' FROM t),
      u AS (UPDATE users SET payout_eligible = FALSE,
              eligibility_reason = 'payout ' || t.id || ' was returned: ' || t.return_code
            FROM t WHERE users.id = t.user_id
            RETURNING users.id, users.eligibility_reason),
      ue AS (INSERT INTO user_events (user_id, eligible, reason, actor)
             SELECT id, FALSE, eligibility_reason, $8 FROM u)
      SELECT (SELECT count(*) FROM ev) AS fresh, (SELECT id FROM t) AS returned_id""";

  /** Which of these transaction ids already settle a payout (a second one would break the unique index). */
  static final String SETTLED_BY = """
      SELECT transaction_id, id FROM payout_requests WHERE transaction_id = ANY($1::text[])""";

  /**
   * The wallet side of a reject or a group's outcomes, last in its transaction: per-user deltas of
   * available and held, applied after locking the wallets in user id order. Transactions therefore
   * hold the hot wallets only for this statement and the commit, and never deadlock each other.
   */
  static final String WALLET_DELTAS = "WITH lk AS MATERIALIZED (" + """
      SELECT w.user_id FROM wallets w WHERE w.user_id = ANY($1) ORDER BY w.user_id FOR UPDATE OF w),
      d AS (SELECT * FROM unnest($1::bigint[], $2::text[]::numeric[], $3::text[]::numeric[]) AS d(user_id, available, held))
      UPDATE wallets w SET available = w.available + d.available, held = w.held + d.held, updated_at = now()
      FROM d WHERE w.user_id = d.user_id AND w.user_id = ANY($1) AND (SELECT count(*) FROM lk) >= 0""";

  static final String EVENTS = """
      SELECT * FROM payout_events WHERE payout_id = $1 ORDER BY id""";

  static final String LEDGER_OF_PAYOUT = """
      SELECT * FROM wallet_transactions WHERE payout_id = $1 ORDER BY id""";

  /**
   * Failed payouts whose retry is due, for the retry sweep. Those of ineligible users wait (their
   * retry claim would refuse them) and are due again once their users are eligible.
   */
  static final String DUE_RETRIES = """
      SELECT id FROM payout_requests
      WHERE status = 'failed' AND next_retry_at IS NOT NULL AND next_retry_at <= now() AND""" + USER_ELIGIBLE + """
      ORDER BY next_retry_at LIMIT $1""";

  /**
   * Payouts that have waited in approved or processing longer than a lease, for the sweeper. An
   * approved payout of an ineligible user is left alone until the user is eligible again (its claim
   * would refuse it, sweep after sweep), and so is one without the approvals its policy requires;
   * one already processing is finished whatever its user's standing, since the gateway may have it.
   */
  static final String STALE = """
      SELECT id, status FROM payout_requests
      WHERE (status = 'approved' AND coalesce(approved_at, updated_at) < now() - make_interval(secs => $1)
             AND""" + APPROVALS_GIVEN + "AND" + USER_ELIGIBLE + """
      )
         OR (status = 'processing' AND processing_started_at < now() - make_interval(secs => $1))
      ORDER BY id LIMIT $2""";

  /**
   * The statements that move or read payouts by a list of ids: each call is planned for its own
   * arguments and the table as it is then, never from a cached generic plan. A generic plan stays
   * until the table is next analyzed, and one made while the table was small (an empty database,
   * five calls) scans the table whole once a bulk load has filled it: a 200-id approval took
   * 140 ms at 100,000 rows instead of 6. Planning one of these costs well under a millisecond, and
   * each of them moves up to hundreds of payouts.
   */
  static final Set<String> PLANNED_PER_CALL = Set.of(BY_IDS, STANDING, APPROVE, REJECT, START_PROCESSING,
      START_RETRY, TAKE_OVER, COMPLETE, FAIL, NEEDS_REVIEW, LOCK_WALLETS, WALLET_DELTAS);
}
