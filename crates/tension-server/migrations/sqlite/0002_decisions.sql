-- Decisions: one plan of the frontier, with the snapshot it was based on and its sign-offs.
CREATE TABLE decisions (
    workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
    number BIGINT NOT NULL,
    title TEXT NOT NULL,
    plan_number BIGINT NOT NULL,
    items TEXT NOT NULL,
    rationale TEXT NOT NULL,
    status TEXT NOT NULL,
    proposed_by TEXT NOT NULL,
    proposed_on TEXT NOT NULL,
    accepted_on TEXT,
    supersedes BIGINT,
    superseded_by BIGINT,
    scenario TEXT NOT NULL,
    plan_report TEXT NOT NULL,
    forecast_report TEXT NOT NULL,
    head TEXT NOT NULL,
    evidence TEXT NOT NULL,
    objections TEXT,
    PRIMARY KEY (workspace_id, number)
);

CREATE TABLE signoffs (
    workspace_id BIGINT NOT NULL,
    number BIGINT NOT NULL,
    user_name TEXT NOT NULL,
    side TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, number, user_name),
    FOREIGN KEY (workspace_id, number) REFERENCES decisions (workspace_id, number)
);

-- The snapshot never changes; an accepted decision changes only to be superseded.
CREATE TRIGGER decisions_snapshot_fixed BEFORE UPDATE ON decisions
WHEN NEW.scenario IS NOT OLD.scenario OR NEW.head IS NOT OLD.head
    OR NEW.evidence IS NOT OLD.evidence OR NEW.items IS NOT OLD.items
    OR NEW.rationale IS NOT OLD.rationale OR NEW.plan_report IS NOT OLD.plan_report
    OR NEW.forecast_report IS NOT OLD.forecast_report
    OR (OLD.status <> 'proposed' AND (NEW.objections IS NOT OLD.objections
        OR NEW.accepted_on IS NOT OLD.accepted_on
        OR NOT (NEW.status = OLD.status OR (OLD.status = 'accepted' AND NEW.status = 'superseded'))))
BEGIN
    SELECT RAISE(ABORT, 'a decision''s snapshot is fixed, and a signed decision is immutable');
END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN
    SELECT RAISE(ABORT, 'decisions are never deleted; supersede one instead');
END;
CREATE TRIGGER signoffs_fixed BEFORE UPDATE ON signoffs
BEGIN
    SELECT RAISE(ABORT, 'a sign-off is never changed');
END;
