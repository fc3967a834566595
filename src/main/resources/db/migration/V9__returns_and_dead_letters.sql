-- After the payment: a bank may return a completed payout days later. The return is a transition
-- of its own (completed -> returned) with a 'return' ledger row that gives the amount back to the
-- user's available balance; the gateway tells us through signed events, each applied once.

ALTER TABLE payout_requests DROP CONSTRAINT payout_requests_status_check;
ALTER TABLE payout_requests ADD CONSTRAINT payout_requests_status_check
  CHECK (status IN ('pending', 'approved', 'rejected', 'processing', 'completed', 'failed', 'needs_review', 'returned'));
ALTER TABLE payout_requests
  ADD COLUMN return_code TEXT,
  ADD COLUMN returned_at TIMESTAMPTZ;
ALTER TABLE payout_requests ADD CONSTRAINT payout_returned_has_code
  CHECK ((status = 'returned') = (return_code IS NOT NULL AND returned_at IS NOT NULL));
ALTER TABLE payout_requests DROP CONSTRAINT payout_completed_has_transaction;
ALTER TABLE payout_requests ADD CONSTRAINT payout_completed_has_transaction
  CHECK (status NOT IN ('completed', 'returned') OR transaction_id IS NOT NULL);
CREATE INDEX payout_requests_returned_at ON payout_requests (returned_at) WHERE status = 'returned';

-- The return row: the settled amount comes back to available (held is untouched: it was settled).
ALTER TABLE wallet_transactions DROP CONSTRAINT wallet_transactions_kind_check;
ALTER TABLE wallet_transactions ADD CONSTRAINT wallet_transactions_kind_check
  CHECK (kind IN ('credit', 'hold', 'release', 'settle', 'return'));
ALTER TABLE wallet_transactions DROP CONSTRAINT ledger_deltas_match_kind;
ALTER TABLE wallet_transactions ADD CONSTRAINT ledger_deltas_match_kind CHECK (
     (kind = 'credit'  AND available_delta = amount  AND held_delta = 0)
  OR (kind = 'hold'    AND available_delta = -amount AND held_delta = amount)
  OR (kind = 'release' AND available_delta = amount  AND held_delta = -amount)
  OR (kind = 'settle'  AND available_delta = 0       AND held_delta = -amount)
  OR (kind = 'return'  AND available_delta = amount  AND held_delta = 0));

-- Every gateway event this service has applied, by the gateway's id: a webhook delivered twice,
-- or delivered and then found again by the poller, is applied once (the primary key decides).
CREATE TABLE gateway_events (
  id          TEXT        PRIMARY KEY,
  type        TEXT        NOT NULL,
  payout_id   BIGINT,
  -- what applying it did: 'returned', or why it changed nothing
  outcome     TEXT        NOT NULL,
  received_via TEXT       NOT NULL CHECK (received_via IN ('webhook', 'poll')),
  payload     JSONB       NOT NULL,
  received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX gateway_events_payout ON gateway_events (payout_id) WHERE payout_id IS NOT NULL;

-- Where the poller of the gateway's event list has read up to.
CREATE TABLE gateway_event_cursor (
  name       TEXT        PRIMARY KEY,
  after      TEXT        NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Who switched a user's payouts off or on, and why: the dashboard's switch, the API, a return.
CREATE TABLE user_events (
  id         BIGSERIAL   PRIMARY KEY,
  user_id    BIGINT      NOT NULL REFERENCES users (id),
  eligible   BOOLEAN     NOT NULL,
  reason     TEXT,
  actor      TEXT        NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX user_events_user ON user_events (user_id, id);

-- The last reconciliations with the gateway's report, for the dashboard.
CREATE TABLE reconciliation_runs (
  id          BIGSERIAL   PRIMARY KEY,
  at          TIMESTAMPTZ NOT NULL DEFAULT now(),
  since       TIMESTAMPTZ,
  clean       BOOLEAN     NOT NULL,
  executions  BIGINT      NOT NULL,
  payouts     BIGINT      NOT NULL,
  mismatches  JSONB       NOT NULL
);
