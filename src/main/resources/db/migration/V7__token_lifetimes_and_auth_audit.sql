-- API tokens expire, and remember what created them: a token made with another token, or in a
-- browser session, never outlives that creator (its expiry is capped at the creator's, and ending
-- the creator revokes it). Sign-in events are audited in an append-only table.

ALTER TABLE api_tokens
  ADD COLUMN expires_at            TIMESTAMPTZ,
  ADD COLUMN created_by_token_id   BIGINT REFERENCES api_tokens (id),
  -- sessions.id of the session it was created in; no foreign key, since sessions rows are deleted
  -- when they end, and the tokens are revoked then (their expiry never passes the session's anyway).
  ADD COLUMN created_by_session_id TEXT;
-- Tokens from before expiry existed get the default lifetime, counted from their creation.
UPDATE api_tokens SET expires_at = created_at + interval '90 days';
ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL;
CREATE INDEX api_tokens_created_by_token ON api_tokens (created_by_token_id) WHERE created_by_token_id IS NOT NULL;
CREATE INDEX api_tokens_created_by_session ON api_tokens (created_by_session_id) WHERE created_by_session_id IS NOT NULL;

CREATE TABLE auth_events (
  id             BIGSERIAL   PRIMARY KEY,
  at             TIMESTAMPTZ NOT NULL DEFAULT now(),
  kind           TEXT        NOT NULL,
  -- the signed-in user acting, or for a failed login the account of the email tried (if any)
  user_id        BIGINT,
  -- the user's email, or for a failed login the email tried, as typed
  email          TEXT,
  -- the client after the trusted-proxy rule; 'local' for the command line
  client_address TEXT        NOT NULL,
  token_id       BIGINT,
  token_name     TEXT,
  detail         TEXT,
  CONSTRAINT auth_events_kind CHECK (kind IN ('login_succeeded', 'login_failed', 'logout', 'token_created', 'token_revoked'))
);

CREATE FUNCTION refuse_auth_event_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'auth_events is append-only' USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER auth_events_append_only BEFORE UPDATE OR DELETE ON auth_events
  FOR EACH ROW EXECUTE FUNCTION refuse_auth_event_rewrite();
