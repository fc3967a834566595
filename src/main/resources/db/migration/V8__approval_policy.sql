-- Approval policy: staff roles, approvals recorded per payout, review reasons.

-- Staff roles: admin (everything, staff and every token included), operator (moves money: creates,
-- approves, rejects, processes, retries), viewer (reads only). Staff from before roles were admins.
ALTER TABLE users
  ADD COLUMN staff_role  TEXT CHECK (staff_role IN ('admin', 'operator', 'viewer')),
  -- a disabled staff user's sessions and tokens stop working at once, and they cannot sign in
  ADD COLUMN disabled_at TIMESTAMPTZ,
  -- when the user's payout method last changed: a payout within 24 h of it is flagged method_changed
  ADD COLUMN payout_method_changed_at TIMESTAMPTZ;
UPDATE users SET staff_role = 'admin' WHERE is_staff;

-- Each approval as {"userId", "actor", "at"} (userId null for system:auto-approval); a payout
-- leaves pending once it has approvals_required of them, given by distinct staff users.
ALTER TABLE payout_requests
  ADD COLUMN approvals          JSONB  NOT NULL DEFAULT '[]'::jsonb,
  ADD COLUMN approvals_required INT    NOT NULL DEFAULT 1 CHECK (approvals_required BETWEEN 1 AND 2),
  ADD COLUMN review_reasons     TEXT[] NOT NULL DEFAULT '{}',
  -- the staff user who requested it (null: the command line, a script, or before this existed);
  -- a payout needing two approvals is never approved by its requester
  ADD COLUMN requested_by       BIGINT REFERENCES users (id);
