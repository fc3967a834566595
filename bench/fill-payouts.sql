-- Fills payout_requests up to :rows rows for the HTTP benchmark, in one statement.
-- Rows satisfy the table's constraints (fee and net per method, a transaction id when completed)
-- and spread over pending, completed, failed and rejected, created over the last 90 days. No
-- approved or processing rows: the recovery sweep would pick those up and pay them. They get no
-- ledger rows, so verify-ledger is not meaningful on this database afterwards.
\set ON_ERROR_STOP on
WITH users_ AS (
  SELECT array_agg(id ORDER BY id) AS ids FROM users WHERE NOT is_staff
), need AS (
  SELECT greatest(0, :rows - (SELECT count(*) FROM payout_requests)) AS n,
         (SELECT coalesce(max(id), 0) FROM payout_requests) AS base
), g AS (
  SELECT i, need.base,
         ((10 + i % 490) + (i * 37 % 100) / 100.0)::numeric(14,2) AS amount,
         (ARRAY['stripe_bank', 'paypal', 'check'])[1 + i % 3] AS method,
         CASE WHEN i % 20 < 6 THEN 'pending'
              WHEN i % 20 < 16 THEN 'completed'
              WHEN i % 20 < 18 THEN 'failed'
              ELSE 'rejected' END AS status,
         now() - make_interval(secs => (i * 7919) % 7776000) AS created
  FROM need, generate_series(1, need.n) AS i
), f AS (
  SELECT g.*,
         CASE g.method WHEN 'stripe_bank' THEN 0.25
                       WHEN 'paypal' THEN round(g.amount * 0.02, 2)
                       ELSE 5.00 END AS fee,
         g.created + interval '1 hour' AS decided,
         g.created + interval '1 hour 2 minutes' AS finished
  FROM g
)
INSERT INTO payout_requests (user_id, amount, method, priority, status, fee, net_amount, transaction_id,
    error_code, error_message, holds_funds, rejection_reason, notes, created_at, approved_at, rejected_at,
    processing_started_at, completed_at, failed_at, updated_at)
SELECT u.ids[1 + f.i % cardinality(u.ids)], f.amount, f.method,
       (ARRAY['urgent', 'high', 'normal', 'low'])[1 + f.i % 4],
       f.status, f.fee, f.amount - f.fee,
       CASE WHEN f.status = 'completed' THEN 'bench-fill-' || (f.base + f.i) END,
       CASE WHEN f.status = 'failed' THEN 'invalid_account' END,
       CASE WHEN f.status = 'failed' THEN 'Invalid bank account details' END,
       f.status = 'pending',
       CASE WHEN f.status = 'rejected' THEN 'bench fill' END,
       'bench fill',
       f.created,
       CASE WHEN f.status IN ('completed', 'failed') THEN f.decided END,
       CASE WHEN f.status = 'rejected' THEN f.decided END,
       CASE WHEN f.status IN ('completed', 'failed') THEN f.decided END,
       CASE WHEN f.status = 'completed' THEN f.finished END,
       CASE WHEN f.status = 'failed' THEN f.finished END,
       CASE WHEN f.status = 'pending' THEN f.created ELSE f.finished END
FROM f CROSS JOIN users_ u;
