-- A gateway answer must belong to the payout it settles.
--
-- 1. The installation: a name/value table for what is created once per database and shared by
--    every process on it (the installation id that namespaces gateway keys, the built-in gateway's
--    generated API key). Rows are inserted if absent at start (InstallationRepository), so two
--    processes starting at once agree on one value.
CREATE TABLE installation_settings (
  name       TEXT        PRIMARY KEY,
  value      TEXT        NOT NULL CHECK (length(value) > 0),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- 2. The key of the current gateway attempt, fixed when the attempt starts (START_PROCESSING,
--    START_RETRY), so a resume or lookup always asks under the key the attempt was paid under.
--    (payout_requests.idempotency_key is the API client's key of the request, not this one.)
ALTER TABLE payout_requests ADD COLUMN gateway_key TEXT;

-- Attempts that started before installations had ids were paid under 'payout-{id}-{attempt}'.
-- Every payout that reached the gateway keeps that key for its current attempt: an in-flight one
-- (processing) is looked up under it after the upgrade and never paid again under a new key; a
-- failed one waiting for a retry gets a new-format key when that retry starts.
UPDATE payout_requests SET gateway_key = 'payout-' || id || '-' || retry_count
WHERE status IN ('processing', 'completed', 'failed');

-- 3. needs_review: the gateway's answer did not match the payout (another execution under its
--    key, a wrong amount, method or reference, an impossible fee). The funds stay held and nothing
--    retries or pays it automatically; an operator decides.
ALTER TABLE payout_requests DROP CONSTRAINT payout_requests_status_check;
ALTER TABLE payout_requests ADD CONSTRAINT payout_requests_status_check
  CHECK (status IN ('pending', 'approved', 'rejected', 'processing', 'completed', 'failed', 'needs_review'));
ALTER TABLE payout_requests ADD CONSTRAINT payout_attempt_has_gateway_key
  CHECK (status NOT IN ('processing', 'needs_review') OR gateway_key IS NOT NULL);
