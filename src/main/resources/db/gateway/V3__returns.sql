-- A bank may return a paid execution later. The draw decides at execution time whether (and with
-- which code) it will be returned; the return happens once return_due_at has passed, and becomes
-- an event the service is told of by webhook and can read again from the event list.
ALTER TABLE executions
  ADD COLUMN return_code   TEXT,
  ADD COLUMN return_due_at TIMESTAMPTZ,
  ADD COLUMN returned_at   TIMESTAMPTZ;
CREATE INDEX executions_return_due ON executions (return_due_at)
  WHERE return_due_at IS NOT NULL AND returned_at IS NULL;

CREATE TABLE events (
  seq          BIGSERIAL   PRIMARY KEY,
  id           TEXT        NOT NULL UNIQUE,
  type         TEXT        NOT NULL,
  body         JSONB       NOT NULL,
  delivered_at TIMESTAMPTZ,
  attempts     INT         NOT NULL DEFAULT 0,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX events_undelivered ON events (seq) WHERE delivered_at IS NULL;
