-- The payee of an execution, so that a key reused with another destination is refused like one
-- reused with another amount. NULL on executions recorded before destinations were sent.
ALTER TABLE executions ADD COLUMN destination TEXT;
