-- Indexes behind GET /api/payouts. A filter plus the default sort (created) is served by an index
-- scan with keyset pagination, never OFFSET or a full scan. Every index costs each status change
-- an index write (status is indexed, so no update is HOT), so other sorts over a filter sort the
-- filtered rows instead of having an index each.
ALTER TABLE payout_requests ADD COLUMN priority_rank SMALLINT GENERATED ALWAYS AS (
  CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END) STORED;

CREATE INDEX payout_requests_priority_created ON payout_requests (priority, created_at, id);
CREATE INDEX payout_requests_method_created ON payout_requests (method, created_at, id);
CREATE INDEX payout_requests_completed_at ON payout_requests (completed_at) WHERE status = 'completed';
CREATE INDEX payout_requests_failed_at ON payout_requests (failed_at) WHERE status = 'failed';
CREATE INDEX users_email_prefix ON users (lower(email) text_pattern_ops);
