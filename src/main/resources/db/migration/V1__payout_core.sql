-- The payout core: users, wallets, payout requests, the ledger and the audit trail.
-- Money is NUMERIC(14,2); invariants that matter are constraints, not only code.

CREATE TABLE users (
  id                 BIGSERIAL PRIMARY KEY,
  email              TEXT        NOT NULL,
  name               TEXT        NOT NULL,
  is_staff           BOOLEAN     NOT NULL DEFAULT FALSE,
  payout_eligible    BOOLEAN     NOT NULL DEFAULT TRUE,
  eligibility_reason TEXT,
  preferred_method   TEXT        CHECK (preferred_method IN ('stripe_bank', 'paypal', 'check')),
  payout_details     JSONB       NOT NULL DEFAULT '{}'::jsonb,
  password_hash      TEXT,
  created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT users_email_not_blank CHECK (length(btrim(email)) > 0)
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE wallets (
  user_id    BIGINT        PRIMARY KEY REFERENCES users (id),
  available  NUMERIC(14,2) NOT NULL DEFAULT 0 CHECK (available >= 0),
  held       NUMERIC(14,2) NOT NULL DEFAULT 0 CHECK (held >= 0),
  updated_at TIMESTAMPTZ   NOT NULL DEFAULT now()
);

CREATE TABLE payout_requests (
  id                    BIGSERIAL PRIMARY KEY,
  user_id               BIGINT        NOT NULL REFERENCES users (id),
  amount                NUMERIC(14,2) NOT NULL CHECK (amount > 0),
  method                TEXT          NOT NULL CHECK (method IN ('stripe_bank', 'paypal', 'check')),
  priority              TEXT          NOT NULL DEFAULT 'normal'
                                      CHECK (priority IN ('urgent', 'high', 'normal', 'low')),
  status                TEXT          NOT NULL DEFAULT 'pending'
                                      CHECK (status IN ('pending', 'approved', 'rejected', 'processing', 'completed', 'failed')),
  fee                   NUMERIC(14,2) NOT NULL CHECK (fee >= 0),
  net_amount            NUMERIC(14,2) NOT NULL CHECK (net_amount > 0),
  transaction_id        TEXT UNIQUE,
  error_code            TEXT,
  error_message         TEXT,
  retryable             BOOLEAN       NOT NULL DEFAULT FALSE,
  retry_count           INT           NOT NULL DEFAULT 0 CHECK (retry_count >= 0),
  next_retry_at         TIMESTAMPTZ,
  -- true while the amount sits in the wallet's held balance
  holds_funds           BOOLEAN       NOT NULL DEFAULT TRUE,
  notes                 TEXT,
  rejection_reason      TEXT,
  idempotency_key       TEXT,
  request_fingerprint   TEXT,
  created_at            TIMESTAMPTZ   NOT NULL DEFAULT now(),
  approved_at           TIMESTAMPTZ,
  rejected_at           TIMESTAMPTZ,
  processing_started_at TIMESTAMPTZ,
  completed_at          TIMESTAMPTZ,
  failed_at             TIMESTAMPTZ,
  updated_at            TIMESTAMPTZ   NOT NULL DEFAULT now(),
  version               INT           NOT NULL DEFAULT 0,
  CONSTRAINT payout_net_is_amount_minus_fee CHECK (net_amount = amount - fee),
  CONSTRAINT payout_completed_has_transaction CHECK (status <> 'completed' OR transaction_id IS NOT NULL),
  CONSTRAINT payout_idempotency_key_per_user UNIQUE (user_id, idempotency_key)
);
CREATE INDEX payout_requests_status_created ON payout_requests (status, created_at, id);
CREATE INDEX payout_requests_user ON payout_requests (user_id, created_at);
CREATE INDEX payout_requests_retry_due ON payout_requests (next_retry_at) WHERE status = 'failed' AND next_retry_at IS NOT NULL;
CREATE INDEX payout_requests_created ON payout_requests (created_at, id);

-- Append-only: every change of a wallet's balances is one row here.
-- available_delta and held_delta sum to the wallet's balances.
CREATE TABLE wallet_transactions (
  id              BIGSERIAL PRIMARY KEY,
  user_id         BIGINT        NOT NULL REFERENCES users (id),
  payout_id       BIGINT        REFERENCES payout_requests (id),
  kind            TEXT          NOT NULL CHECK (kind IN ('credit', 'hold', 'release', 'settle')),
  amount          NUMERIC(14,2) NOT NULL CHECK (amount > 0),
  available_delta NUMERIC(14,2) NOT NULL,
  held_delta      NUMERIC(14,2) NOT NULL,
  reason          TEXT,
  created_at      TIMESTAMPTZ   NOT NULL DEFAULT now(),
  CONSTRAINT ledger_kind_has_payout CHECK ((kind = 'credit') = (payout_id IS NULL)),
  CONSTRAINT ledger_deltas_match_kind CHECK (
       (kind = 'credit'  AND available_delta = amount  AND held_delta = 0)
    OR (kind = 'hold'    AND available_delta = -amount AND held_delta = amount)
    OR (kind = 'release' AND available_delta = amount  AND held_delta = -amount)
    OR (kind = 'settle'  AND available_delta = 0       AND held_delta = -amount))
);
CREATE INDEX wallet_transactions_user ON wallet_transactions (user_id, id);
-- A payout holds once, and is released or settled at most once: the database refuses a second.
CREATE UNIQUE INDEX wallet_transactions_one_per_payout_kind ON wallet_transactions (payout_id, kind)
  WHERE payout_id IS NOT NULL;

CREATE FUNCTION refuse_ledger_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'wallet_transactions is append-only' USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER wallet_transactions_append_only BEFORE UPDATE OR DELETE ON wallet_transactions
  FOR EACH ROW EXECUTE FUNCTION refuse_ledger_rewrite();

CREATE TABLE payout_events (
  id          BIGSERIAL PRIMARY KEY,
  payout_id   BIGINT      NOT NULL REFERENCES payout_requests (id),
  from_status TEXT,
  to_status   TEXT        NOT NULL,
  actor       TEXT        NOT NULL,
  detail      TEXT,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX payout_events_payout ON payout_events (payout_id, id);
