-- A workspace's revision: every write of its scenario's objects takes it (and so waits for a
-- sign-off in progress), and a sign-off checks that no object changed since its objections
-- were checked.
ALTER TABLE workspaces ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
