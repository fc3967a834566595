-- Sign-in for staff: browser sessions and API tokens. Only SHA-256 hashes of the secrets are
-- stored, so a copy of these tables cannot be replayed as credentials.
-- Failed logins are throttled in memory (see LoginThrottle), not here.

CREATE TABLE sessions (
  id           TEXT        PRIMARY KEY,  -- SHA-256 hex of the session cookie's random token
  user_id      BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token   TEXT        NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires_at   TIMESTAMPTZ NOT NULL,
  CONSTRAINT sessions_id_is_sha256_hex CHECK (id ~ '^[0-9a-f]{64}$')
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
  id           BIGSERIAL   PRIMARY KEY,
  user_id      BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name         TEXT        NOT NULL,
  token_hash   TEXT        NOT NULL UNIQUE,  -- SHA-256 hex of the raw "pat_..." token
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_used_at TIMESTAMPTZ,
  revoked_at   TIMESTAMPTZ,
  CONSTRAINT api_tokens_name_not_blank CHECK (length(btrim(name)) > 0),
  CONSTRAINT api_tokens_hash_is_sha256_hex CHECK (token_hash ~ '^[0-9a-f]{64}$')
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);
