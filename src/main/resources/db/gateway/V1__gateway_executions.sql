-- The mock gateway's own record of what it executed, in its own schema so that it survives a
-- restart of either side. One row per idempotency key: a key is never executed twice.
CREATE TABLE executions (
  idempotency_key TEXT          PRIMARY KEY,
  transaction_id  TEXT          UNIQUE,
  payout_ref      TEXT,
  method          TEXT          NOT NULL,
  amount          NUMERIC(14,2) NOT NULL CHECK (amount > 0),
  fee             NUMERIC(14,2),
  status          TEXT          NOT NULL CHECK (status IN ('succeeded', 'failed')),
  error_code      TEXT,
  error_message   TEXT,
  retryable       BOOLEAN       NOT NULL DEFAULT FALSE,
  created_at      TIMESTAMPTZ   NOT NULL DEFAULT now(),
  CONSTRAINT execution_outcome CHECK ((status = 'succeeded') = (transaction_id IS NOT NULL))
);
