package com.payouts.db;

import com.payouts.domain.PayoutAction;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The invariants, each a query that returns the rows that break it (none when all is well). */
final class LedgerSql {
  private LedgerSql() {}

  /**
   * The lifecycle's transitions as audit-row pairs, 'from>to' ('>pending' for a request), as an SQL
   * list: built from {@link PayoutAction}'s table, so the check holds the trail to the domain's rules.
   */
  /** The lifecycle's moves, and the first of two approvals: audited while the payout stays pending. */
  static final String ALLOWED_TRANSITIONS = java.util.stream.Stream.concat(Arrays.stream(PayoutAction.values())
      .map(a -> "'" + (a.from() == null ? "" : a.from().wire()) + ">" + a.to().wire() + "'"), java.util.stream.Stream.of("'pending>pending'"))
      .collect(Collectors.joining(", ", "(", ")"));

  record Check(String name, String sql) {}

  static final Check[] CHECKS = {
    new Check("balance equals its ledger", """
        SELECT w.user_id, w.available, w.held, coalesce(l.a, 0) AS ledger_available, coalesce(l.h, 0) AS ledger_held
        FROM wallets w
        LEFT JOIN (SELECT user_id, sum(available_delta) AS a, sum(held_delta) AS h
                   FROM wallet_transactions GROUP BY user_id) l ON l.user_id = w.user_id
        WHERE w.available <> coalesce(l.a, 0) OR w.held <> coalesce(l.h, 0)"""),
    new Check("held equals the open payouts", """
        SELECT w.user_id, w.held, coalesce(p.open, 0) AS open_payouts
        FROM wallets w
        LEFT JOIN (SELECT user_id, sum(amount) AS open FROM payout_requests WHERE holds_funds GROUP BY user_id) p
          ON p.user_id = w.user_id
        WHERE w.held <> coalesce(p.open, 0)"""),
    // needs_review is open: its funds stay held (one hold row, no settle, no release) until an operator decides.
    new Check("a payout holds funds exactly while it is open", """
        SELECT id, status, holds_funds, next_retry_at FROM payout_requests
        WHERE holds_funds <> (status IN ('pending', 'approved', 'processing', 'needs_review')
                              OR (status = 'failed' AND next_retry_at IS NOT NULL))"""),
    new Check("each payout has exactly its ledger rows", """
        SELECT p.id, p.status, p.holds_funds,
               count(*) FILTER (WHERE l.kind = 'hold') AS holds,
               count(*) FILTER (WHERE l.kind = 'release') AS releases,
               count(*) FILTER (WHERE l.kind = 'settle') AS settles,
               count(*) FILTER (WHERE l.kind = 'return') AS returns
        FROM payout_requests p LEFT JOIN wallet_transactions l ON l.payout_id = p.id
        GROUP BY p.id, p.status, p.holds_funds
        HAVING count(*) FILTER (WHERE l.kind = 'hold') <> 1
            OR count(*) FILTER (WHERE l.kind = 'settle') <>
               (CASE WHEN p.status IN ('completed', 'returned') THEN 1 ELSE 0 END)
            OR count(*) FILTER (WHERE l.kind = 'return') <> (CASE WHEN p.status = 'returned' THEN 1 ELSE 0 END)
            OR count(*) FILTER (WHERE l.kind = 'release') <>
               (CASE WHEN p.status IN ('rejected', 'failed') AND NOT p.holds_funds THEN 1 ELSE 0 END)"""),
    new Check("ledger amounts match their payout", """
        SELECT l.id, l.payout_id, l.kind, l.amount, p.amount AS payout_amount
        FROM wallet_transactions l JOIN payout_requests p ON p.id = l.payout_id
        WHERE l.amount <> p.amount OR l.user_id <> p.user_id"""),
    new Check("each payout's audit trail is a chain of allowed transitions ending in its status", """
        WITH e AS (
          SELECT payout_id, id, from_status, to_status,
                 lag(to_status) OVER (PARTITION BY payout_id ORDER BY id) AS prev,
                 row_number() OVER (PARTITION BY payout_id ORDER BY id DESC) AS from_end
          FROM payout_events)
        SELECT p.id, p.status, e.id AS event_id, e.from_status, e.to_status, e.prev
        FROM payout_requests p LEFT JOIN e ON e.payout_id = p.id
        WHERE e.payout_id IS NULL
           OR e.from_status IS DISTINCT FROM e.prev
           OR (e.from_end = 1 AND e.to_status <> p.status)
           OR (coalesce(e.from_status, '') || '>' || e.to_status) NOT IN\s""" + ALLOWED_TRANSITIONS),
  };

  /**
   * Not a broken invariant but not a finished state either: payouts whose gateway answer did not
   * belong to them, with what did not match. verify-ledger reports every one and fails while any is left.
   */
  static final String NEEDS_REVIEW = """
      SELECT id, user_id, amount, method, gateway_key, error_code, error_message, updated_at
      FROM payout_requests WHERE status = 'needs_review' ORDER BY id""";


}
