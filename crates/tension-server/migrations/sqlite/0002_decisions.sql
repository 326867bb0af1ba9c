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
WHEN NEW.workspace_id IS NOT OLD.workspace_id OR NEW.number IS NOT OLD.number
    OR NEW.title IS NOT OLD.title OR NEW.plan_number IS NOT OLD.plan_number
    OR NEW.proposed_by IS NOT OLD.proposed_by OR NEW.proposed_on IS NOT OLD.proposed_on
    OR NEW.supersedes IS NOT OLD.supersedes
    OR (NEW.superseded_by IS NOT OLD.superseded_by
        AND NOT (OLD.status = 'accepted' AND NEW.status = 'superseded' AND OLD.superseded_by IS NULL))
    OR NEW.scenario IS NOT OLD.scenario OR NEW.head IS NOT OLD.head
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
CREATE TRIGGER signoffs_no_delete BEFORE DELETE ON signoffs
BEGIN
    SELECT RAISE(ABORT, 'a sign-off is never removed');
END;
CREATE TRIGGER signoffs_only_proposed BEFORE INSERT ON signoffs
WHEN (SELECT status FROM decisions WHERE workspace_id = NEW.workspace_id AND number = NEW.number) IS NOT 'proposed'
BEGIN
    SELECT RAISE(ABORT, 'only a proposed decision is signed');
END;
