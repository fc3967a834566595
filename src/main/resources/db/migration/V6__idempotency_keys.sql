-- Idempotency-Key as Stripe means it, on the POSTs that move money (a payout request, a credit, a
-- batch): a key belongs to the API client that sent it (scope: the staff user behind the token or
-- session), remembers the request it was first used for (fingerprint: path and canonical body),
-- and answers that request's first response again until it expires.
--
-- The operation runs in the transaction that inserts its key row, so a concurrent request with the
-- same key waits on the primary key until the first commits, then answers its stored response.
-- A request that fails rolls its key row back with it: only successful responses are stored, and
-- committed rows always have both response columns.
CREATE TABLE idempotency_keys (
  scope               TEXT        NOT NULL,
  key                 TEXT        NOT NULL,
  request_fingerprint TEXT        NOT NULL,
  endpoint            TEXT        NOT NULL,  -- "POST /api/payouts": named in the 409 of a reused key
  response_status     INT,
  response_body       TEXT,                  -- the bytes sent, so a replay is identical
  created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires_at          TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (scope, key),
  CONSTRAINT idempotency_key_length CHECK (length(key) BETWEEN 1 AND 255)
);
-- Expired rows are deleted a bounded number at a time by the retry scheduler.
CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);

-- The keys used to live on the payout, unique per payout user: two clients could collide, and a
-- replay read the payout as it is now instead of the first answer. The table above replaces them.
DROP INDEX payout_requests_idempotency_key;
ALTER TABLE payout_requests DROP COLUMN idempotency_key, DROP COLUMN request_fingerprint;
