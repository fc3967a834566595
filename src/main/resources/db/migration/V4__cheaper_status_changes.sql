-- status is indexed, so no update of payout_requests is HOT: every status change writes an entry
-- into each index whose predicate the new row version meets. Unique keys that most rows do not
-- have yet (a transaction id before completion, an idempotency key that clients may omit) become
-- partial, so pending, approved and processing rows skip them.
ALTER TABLE payout_requests DROP CONSTRAINT payout_requests_transaction_id_key;
CREATE UNIQUE INDEX payout_requests_transaction_id ON payout_requests (transaction_id)
  WHERE transaction_id IS NOT NULL;
ALTER TABLE payout_requests DROP CONSTRAINT payout_idempotency_key_per_user;
CREATE UNIQUE INDEX payout_requests_idempotency_key ON payout_requests (user_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
