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
CREATE FUNCTION decisions_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'decisions are never deleted; supersede one instead';
    END IF;
    IF NEW.workspace_id IS DISTINCT FROM OLD.workspace_id OR NEW.number IS DISTINCT FROM OLD.number
        OR NEW.title IS DISTINCT FROM OLD.title OR NEW.plan_number IS DISTINCT FROM OLD.plan_number
        OR NEW.proposed_by IS DISTINCT FROM OLD.proposed_by
        OR NEW.proposed_on IS DISTINCT FROM OLD.proposed_on
        OR NEW.supersedes IS DISTINCT FROM OLD.supersedes
        OR (NEW.superseded_by IS DISTINCT FROM OLD.superseded_by
            AND NOT (OLD.status = 'accepted' AND NEW.status = 'superseded' AND OLD.superseded_by IS NULL))
        OR NEW.scenario IS DISTINCT FROM OLD.scenario OR NEW.head IS DISTINCT FROM OLD.head
        OR NEW.evidence IS DISTINCT FROM OLD.evidence OR NEW.items IS DISTINCT FROM OLD.items
        OR NEW.rationale IS DISTINCT FROM OLD.rationale
        OR NEW.plan_report IS DISTINCT FROM OLD.plan_report
        OR NEW.forecast_report IS DISTINCT FROM OLD.forecast_report
        OR (OLD.status <> 'proposed' AND (NEW.objections IS DISTINCT FROM OLD.objections
            OR NEW.accepted_on IS DISTINCT FROM OLD.accepted_on
            OR NOT (NEW.status = OLD.status OR (OLD.status = 'accepted' AND NEW.status = 'superseded'))))
    THEN
        RAISE EXCEPTION 'a decision''s snapshot is fixed, and a signed decision is immutable';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER decisions_guard BEFORE UPDATE OR DELETE ON decisions
    FOR EACH ROW EXECUTE FUNCTION decisions_guard();
CREATE FUNCTION signoffs_fixed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF (SELECT status FROM decisions WHERE workspace_id = NEW.workspace_id AND number = NEW.number)
            IS DISTINCT FROM 'proposed' THEN
            RAISE EXCEPTION 'only a proposed decision is signed';
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'a sign-off is never changed or removed';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER signoffs_fixed BEFORE INSERT OR UPDATE OR DELETE ON signoffs
    FOR EACH ROW EXECUTE FUNCTION signoffs_fixed();
