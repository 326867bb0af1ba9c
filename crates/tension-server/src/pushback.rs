//! Pushback and decisions on a workspace: objections move through their lifecycle, decisions
//! pick a plan of the frontier with a snapshot of everything it was based on, and both sides
//! sign. The rules are the model's (`Objection::transition`, `Decision::sign`); this module
//! stores what they allow, for the API and the web pages alike.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use tension_model::{
    Actor, Decision, DecisionError, DecisionStatus, ObjectionStatus, ReviewStatus, Scenario,
    SignOff, TransitionDetails,
};
use tension_plan::Outcome;
use tension_report::record::{self, RecordContext, Snapshot};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::{changes_of, membership, object_json};
use crate::auth::Caller;
use crate::document::{FILE_NAME, check, file_of, objects_of};
use crate::error::{ApiError, ApiJson};
use crate::roles::Role;
use crate::store::{Acceptance, DecisionRow, Object, SignOffRow, Signed, Updated, WorkspaceRecord};

type ApiResult<T> = Result<T, ApiError>;

/// Trials of the plan behind a decision, and of its chosen plan's forecast; seed 1, as the
/// plan endpoint's defaults, so that the decision shows the frontier the meeting looked at.
pub(crate) const PLAN_TRIALS: usize = 2_000;
pub(crate) const FORECAST_TRIALS: usize = 10_000;

/// The planning behind a decision and the meeting view, so that both number the same frontier.
pub(crate) fn plan_config() -> tension_plan::Config {
    tension_plan::Config {
        trials: PLAN_TRIALS,
        seed: 1,
        ..tension_plan::Config::default()
    }
}

/// Today, in the server's time zone.
pub(crate) fn today() -> Date {
    jiff::ZonedDateTime::now().date()
}

/// The person acting, for the side their role speaks for; admins and viewers speak for none.
fn actor(caller: &Caller, role: Role, what: &str) -> ApiResult<Actor> {
    match role.side() {
        Some(side) => Ok(Actor {
            name: caller.name.clone(),
            side,
        }),
        None => Err(ApiError::forbidden(format!(
            "{what} is for a business or technical member, and you are `{}` here: ask an admin to give you the role of your side",
            role.name()
        ))),
    }
}

/// The workspace's objects and the scenario they make.
async fn scenario_of(
    state: &AppState,
    workspace: &WorkspaceRecord,
) -> ApiResult<(Vec<Object>, Scenario)> {
    let objects = state.store.objects(workspace.id).await?;
    if objects.is_empty() {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "this workspace has no scenario yet; import one first",
        ));
    }
    let scenario = check(FILE_NAME, &file_of(&objects)).map_err(|invalid| ApiError {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        body: invalid.to_json(),
    })?;
    Ok((objects, scenario))
}

/// 404 for a member: what is missing, and where to look (a non-member never gets this far).
fn missing(kind: &str, id: &str, look: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        format!("this workspace has no {kind} `{id}`: {look}"),
    )
}

fn parse_date(text: &str, field: &str) -> ApiResult<Date> {
    text.parse().map_err(|_| {
        ApiError::unprocessable(format!(
            "`{field}` is `{text}`, not a date: write it as YYYY-MM-DD"
        ))
    })
}

/// A move of an objection through its lifecycle.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Move {
    /// `answered`, `open` (reopen), `resolved` or `accepted-risk`.
    pub to: String,
    /// The answer, or what was decided and why (resolving and accepting a risk need one).
    pub note: Option<String>,
    /// Who watches an accepted risk.
    pub risk_owner: Option<String>,
    /// When an accepted risk is looked at again, `YYYY-MM-DD`.
    pub review_by: Option<String>,
    /// What the resolution led to: `one-click.effort revised`, `load-test added`.
    #[serde(default)]
    pub changes: Vec<String>,
    /// The objection's version the move was made on; a stale one is refused (409).
    pub version: Option<i64>,
}

/// Moves an objection, by the caller, today; the objection at its new version.
pub(crate) async fn move_objection(
    state: &AppState,
    caller: &Caller,
    slug: &str,
    id: &str,
    request: Move,
) -> ApiResult<Value> {
    let (workspace, role) = membership(state, caller, slug).await?;
    let actor = actor(caller, role, "moving an objection")?;
    let (objects, scenario) = scenario_of(state, &workspace).await?;
    let (Some(current), Some(objection)) = (
        objects
            .iter()
            .find(|o| o.kind == "objection" && o.key == id),
        scenario.objections.iter().find(|o| o.id == id),
    ) else {
        return Err(missing("objection", id, "GET .../objections lists them"));
    };
    check_version(current, request.version)?;
    let Some(to) = ObjectionStatus::ALL
        .into_iter()
        .find(|s| s.name() == request.to)
    else {
        return Err(ApiError::unprocessable(format!(
            "`to` is `{}`: an objection moves to answered, open, resolved or accepted-risk",
            request.to
        )));
    };
    let nonempty =
        |text: Option<String>| text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    let details = TransitionDetails {
        note: nonempty(request.note),
        risk_owner: nonempty(request.risk_owner),
        review_by: nonempty(request.review_by)
            .map(|d| parse_date(&d, "review_by"))
            .transpose()?,
        changes: request
            .changes
            .into_iter()
            .filter(|c| !c.trim().is_empty())
            .collect(),
    };
    let (moved, _) = objection
        .transition(to, &actor, today(), details)
        .map_err(|error| ApiError::new(StatusCode::CONFLICT, error.to_string()))?;
    let mut next = scenario.clone();
    if let Some(slot) = next.objections.iter_mut().find(|o| o.id == moved.id) {
        *slot = moved;
    }
    store_changed(state, caller, role, &workspace, &objects, current, &next).await
}

/// A move of a review through its workflow.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReviewMove {
    /// `requested`, `in-review`, `changes-requested`, `approved`,
    /// `approved-with-conditions` or `rejected`.
    pub to: String,
    /// What an approval with conditions asks for (that move only).
    #[serde(default)]
    pub conditions: Vec<String>,
    /// The review's version the move was made on; a stale one is refused (409).
    pub version: Option<i64>,
}

/// Moves a review, today: either side (or an admin) requests it; the reviewers, who sit on the
/// technical side (security, IT, data), or an admin, record its progress and verdict.
pub(crate) async fn move_review(
    state: &AppState,
    caller: &Caller,
    slug: &str,
    id: &str,
    request: ReviewMove,
) -> ApiResult<Value> {
    let (workspace, role) = membership(state, caller, slug).await?;
    let Some(to) = ReviewStatus::ALL
        .into_iter()
        .find(|s| s.name() == request.to)
    else {
        return Err(ApiError::unprocessable(format!(
            "`to` is `{}`: a review moves to requested, in-review, changes-requested, approved, approved-with-conditions or rejected",
            request.to
        )));
    };
    if !may_move_review(role, to) {
        return Err(ApiError::forbidden(format!(
            "either side requests a review; its progress and verdict are recorded by the reviewers (the technical side) or an admin, and you are `{}`",
            role.name()
        )));
    }
    let (objects, scenario) = scenario_of(state, &workspace).await?;
    let (Some(current), Some(review)) = (
        objects.iter().find(|o| o.kind == "review" && o.key == id),
        scenario.reviews.iter().find(|r| r.id == id),
    ) else {
        return Err(missing("review", id, "GET .../reviews lists them"));
    };
    check_version(current, request.version)?;
    let conditions = request
        .conditions
        .into_iter()
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect();
    let moved = review
        .transition(to, today(), conditions)
        .map_err(|error| ApiError::new(StatusCode::CONFLICT, error.to_string()))?;
    let mut next = scenario.clone();
    if let Some(slot) = next.reviews.iter_mut().find(|r| r.id == moved.id) {
        *slot = moved;
    }
    store_changed(state, caller, role, &workspace, &objects, current, &next).await
}

/// Whether `role` may move a review to `to`: either side requests one; the reviewers (the
/// technical side) and admins record its progress and verdict.
pub(crate) fn may_move_review(role: Role, to: ReviewStatus) -> bool {
    match role {
        Role::Admin | Role::Technical => true,
        Role::Business => to == ReviewStatus::Requested,
        Role::Viewer => false,
    }
}

/// `POST /api/v1/workspaces/{ws}/reviews/{id}/moves`: a review through its workflow, from
/// requested to its verdict; the audit log records each move.
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/reviews/{id}/moves", tag = "reviews", request_body = ReviewMove,
    params(("ws" = String, Path, description = "workspace slug"), ("id" = String, Path, description = "review id")),
    responses((status = 200, description = "the review at its new version"),
        (status = 403, description = "a viewer, or a business member recording progress or a verdict"),
        (status = 404, description = "no such review or workspace, or not a member"),
        (status = 409, description = "a move the workflow does not allow, conditions missing or out of place, or a stale version"),
        (status = 422, description = "an unknown status")))]
pub(crate) async fn post_review_move(
    State(state): State<AppState>,
    caller: Caller,
    Path((slug, id)): Path<(String, String)>,
    ApiJson(request): ApiJson<ReviewMove>,
) -> ApiResult<Json<Value>> {
    move_review(&state, &caller, &slug, &id, request)
        .await
        .map(Json)
}

/// Writes an object the model changed back, as the canonical writer writes it: `next` is the
/// scenario with the change, `current` the stored object of `kind` it replaces.
#[allow(clippy::too_many_arguments)]
async fn store_changed(
    state: &AppState,
    caller: &Caller,
    role: Role,
    workspace: &WorkspaceRecord,
    objects: &[Object],
    current: &Object,
    next: &Scenario,
) -> ApiResult<Value> {
    let (kind, key) = (current.kind.as_str(), current.key.as_str());
    let Some(written) = objects_of(next)
        .into_iter()
        .find(|o| o.kind == kind && o.key == key)
    else {
        return Err(ApiError::not_found());
    };
    let old: Map<String, Value> = serde_json::from_str(&current.body).unwrap_or_default();
    let new: Map<String, Value> = serde_json::from_str(&written.body).unwrap_or_default();
    let changes = changes_of(kind, role, &old, &new)?;
    let updated = Object {
        body: written.body.clone(),
        ..current.clone()
    };
    let mut all = objects.to_vec();
    if let Some(slot) = all.iter_mut().find(|o| o.kind == kind && o.key == key) {
        *slot = updated.clone();
    }
    check(FILE_NAME, &file_of(&all)).map_err(|invalid| ApiError {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        body: invalid.to_json(),
    })?;
    match state
        .store
        .update_object(workspace.id, current, &written.body, &caller.name, &changes)
        .await?
    {
        Updated::Done(version) => Ok(object_json(&Object { version, ..updated })),
        Updated::Conflict(now) => Err(ApiError {
            status: StatusCode::CONFLICT,
            body: json!({
                "error": format!("{kind} `{key}` changed while this move was checked; look at it again"),
                "current": object_json(&now),
            }),
        }),
        Updated::Missing => Err(ApiError::not_found()),
    }
}

/// Refuses a move made on a stale version of `current`.
fn check_version(current: &Object, version: Option<i64>) -> ApiResult<()> {
    match version {
        Some(version) if version != current.version => Err(ApiError {
            status: StatusCode::CONFLICT,
            body: json!({
                "error": format!("{} `{}` changed since version {version}: it is at version {}; look at it again before moving it", current.kind, current.key, current.version),
                "current": object_json(current),
            }),
        }),
        _ => Ok(()),
    }
}

/// `POST /api/v1/workspaces/{ws}/objections/{id}/moves`: the other side answers, the raising
/// side reopens or resolves, either side accepts it as a risk; recorded in its history with
/// who and when.
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/objections/{id}/moves", tag = "objections", request_body = Move,
    params(("ws" = String, Path, description = "workspace slug"), ("id" = String, Path, description = "objection id")),
    responses((status = 200, description = "the objection at its new version, its history with the move"),
        (status = 403, description = "an admin or viewer: moves are made by a side"),
        (status = 404, description = "no such objection or workspace, or not a member"),
        (status = 409, description = "a move the lifecycle does not allow (out of order, by the wrong side, or missing its note or risk owner), or a stale version"),
        (status = 422, description = "an unknown status or a bad date")))]
pub(crate) async fn post_move(
    State(state): State<AppState>,
    caller: Caller,
    Path((slug, id)): Path<(String, String)>,
    ApiJson(request): ApiJson<Move>,
) -> ApiResult<Json<Value>> {
    move_objection(&state, &caller, &slug, &id, request)
        .await
        .map(Json)
}

/// A proposed decision.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Proposal {
    /// The plan of the frontier, numbered from 1 as the plan endpoint lists them.
    pub plan: usize,
    /// Why this plan, in a sentence or two.
    pub rationale: String,
    /// The accepted decision this one replaces, once accepted.
    pub supersedes: Option<i64>,
    /// The plan's items as the proposer saw them: when the frontier has changed since, the
    /// proposal is refused (409) rather than made on another plan.
    #[serde(default)]
    pub items: Option<Vec<String>>,
}

/// The refusal to read a decision row the server cannot read back. The server writes these
/// rows itself, so such a value was changed outside it, and guessing (an unsigned decision, a
/// proposed one, today's date) would misstate who agreed to what, and when.
fn damaged(row: &DecisionRow, what: String) -> ApiError {
    tracing::error!(decision = row.number, %what, "a decision row cannot be read");
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        format!(
            "decision {} in the database is damaged ({what}); nothing was changed: restore the row from a backup",
            row.number
        ),
    )
}

/// The model's view of a stored decision.
fn model_of(row: &DecisionRow, signoffs: &[SignOffRow]) -> ApiResult<Decision> {
    let damaged = |what: String| damaged(row, what);
    let number =
        |n: i64| u32::try_from(n).map_err(|_| damaged(format!("`{n}` is not a decision number")));
    let items = serde_json::from_str(&row.items)
        .map_err(|error| damaged(format!("its items are not a list of ids: {error}")))?;
    let status = DecisionStatus::parse(&row.status)
        .ok_or_else(|| damaged(format!("its status `{}` is not a status", row.status)))?;
    let signoffs = signoffs
        .iter()
        .map(|s| {
            Ok(SignOff {
                name: s.user_name.clone(),
                side: tension_model::Side::ALL
                    .into_iter()
                    .find(|side| side.name() == s.side)
                    .ok_or_else(|| {
                        damaged(format!(
                            "the sign-off of {} names no side: `{}`",
                            s.user_name, s.side
                        ))
                    })?,
                on: s.signed_on.parse().map_err(|_| {
                    damaged(format!(
                        "the sign-off of {} has no date: `{}`",
                        s.user_name, s.signed_on
                    ))
                })?,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(Decision {
        number: number(row.number)?,
        items,
        status,
        signoffs,
        supersedes: row.supersedes.map(number).transpose()?,
        superseded_by: row.superseded_by.map(number).transpose()?,
    })
}

/// The status line of a record: `superseded by 0004` names the successor.
fn status_line(row: &DecisionRow) -> String {
    match row.superseded_by {
        Some(by) if row.status == "superseded" => {
            format!(
                "superseded by {}",
                record::numbered(u32::try_from(by).unwrap_or(0))
            )
        }
        _ => row.status.clone(),
    }
}

/// The Markdown record of a decision: the snapshot, the objections (fixed at acceptance, the
/// workspace's as they stand while proposed), and the sign-offs.
fn record_of(
    row: &DecisionRow,
    signoffs: &[SignOffRow],
    current_objections: &str,
) -> ApiResult<String> {
    let signed_by: Vec<_> = model_of(row, signoffs)?
        .signoffs
        .into_iter()
        .map(|s| (s.side, s.name))
        .collect();
    let date_text = row.accepted_on.as_deref().unwrap_or(&row.proposed_on);
    let date = date_text
        .parse()
        .map_err(|_| damaged(row, format!("`{date_text}` is not a date")))?;
    Ok(record::record(
        &record::Status {
            status: &status_line(row),
            date,
            signed_by: &signed_by,
        },
        &Snapshot {
            head: row.head.clone(),
            evidence: row.evidence.clone(),
        },
        row.objections.as_deref().unwrap_or(current_objections),
    ))
}

/// A decision as the API gives it.
fn decision_json(row: &DecisionRow, signoffs: &[SignOffRow], record: String) -> ApiResult<Value> {
    let decision = model_of(row, signoffs)?;
    Ok(json!({
        "number": row.number,
        "title": row.title,
        "file_name": record::file_name(decision.number, &row.title),
        "plan": row.plan_number,
        "items": decision.items,
        "rationale": row.rationale,
        "status": row.status,
        "proposed_by": row.proposed_by,
        "proposed_on": row.proposed_on,
        "accepted_on": row.accepted_on,
        "supersedes": row.supersedes,
        "superseded_by": row.superseded_by,
        "signoffs": signoffs.iter().map(|s| json!({ "name": s.user_name, "side": s.side, "on": s.signed_on })).collect::<Vec<_>>(),
        "missing_sides": decision.missing_sides().iter().map(|s| s.name()).collect::<Vec<_>>(),
        "record": record,
    }))
}

/// Proposes a decision on plan `proposal.plan` of the workspace's frontier, with its snapshot.
pub(crate) async fn propose(
    state: &AppState,
    caller: &Caller,
    slug: &str,
    proposal: Proposal,
) -> ApiResult<Value> {
    let (workspace, role) = membership(state, caller, slug).await?;
    if !role.may_propose() {
        return Err(ApiError::forbidden(
            "viewers read: the `viewer` role proposes nothing",
        ));
    }
    let rationale = proposal.rationale.trim().to_owned();
    if rationale.is_empty() {
        return Err(ApiError::unprocessable(
            "the rationale is empty: say why this plan, in a sentence or two",
        ));
    }
    if let Some(earlier) = proposal.supersedes {
        let Some(row) = state.store.decision(workspace.id, earlier).await? else {
            return Err(ApiError::unprocessable(format!(
                "there is no decision {earlier} to supersede"
            )));
        };
        let signoffs = state.store.signoffs(workspace.id, earlier).await?;
        model_of(&row, &signoffs)?
            .may_be_superseded()
            .map_err(|error| ApiError::new(StatusCode::CONFLICT, error.to_string()))?;
    }
    let (objects, scenario) = scenario_of(state, &workspace).await?;
    let file = crate::document::canonical_file_of(&objects);
    let source = format!("Workspace `{}`", workspace.slug);
    let row = tokio::task::spawn_blocking(move || snapshot(&scenario, &proposal, &source))
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the engine stopped unexpectedly",
            )
        })??;
    let row = DecisionRow {
        rationale,
        proposed_by: caller.name.clone(),
        proposed_on: today().to_string(),
        scenario: file,
        ..row
    };
    let number = state.store.insert_decision(workspace.id, &row).await?;
    let row = DecisionRow { number, ..row };
    let record = record_of(&row, &[], "")?;
    decision_json(&row, &[], record)
}

/// Plans the scenario and fixes the snapshot of plan `proposal.plan`; the row lacks the
/// proposer, the date and the file, which the caller fills in.
fn snapshot(scenario: &Scenario, proposal: &Proposal, source: &str) -> ApiResult<DecisionRow> {
    let planned = match tension_plan::plan(scenario, &plan_config())
        .map_err(|error| ApiError::unprocessable(error.to_string()))?
    {
        Outcome::Planned(planned) => planned,
        Outcome::Infeasible(reason) => {
            return Err(ApiError::unprocessable(format!(
                "no plan to decide on: {}",
                reason.message()
            )));
        }
    };
    let n = planned.frontier.len();
    if proposal.plan == 0 || proposal.plan > n {
        return Err(ApiError::unprocessable(format!(
            "plan {} is not a plan of the frontier: they are numbered 1 to {n}",
            proposal.plan
        )));
    }
    let chosen = &planned.frontier[proposal.plan - 1];
    if let Some(seen) = &proposal.items {
        let mut seen = seen.clone();
        seen.sort();
        let mut now = chosen.items.clone();
        now.sort();
        if seen != now {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                format!(
                    "the frontier changed since you looked: plan {} now takes {}; look at it again, then propose",
                    proposal.plan,
                    chosen.items.join(", ")
                ),
            ));
        }
    }
    let forecast =
        tension_explain::forecast_plan(scenario, &chosen.items, FORECAST_TRIALS, 1, false)
            .map_err(|error| ApiError::unprocessable(error.to_string()))?;
    let snapshot = record::snapshot(&RecordContext {
        scenario,
        planned: &planned,
        chosen: proposal.plan - 1,
        rationale: &proposal.rationale,
        source,
        supersedes: proposal.supersedes.and_then(|n| u32::try_from(n).ok()),
    });
    let report = |value: Value| value.to_string();
    Ok(DecisionRow {
        number: 0,
        title: format!("{} plan {}", scenario.name, proposal.plan),
        plan_number: proposal.plan as i64,
        items: json!(chosen.items).to_string(),
        rationale: String::new(),
        status: DecisionStatus::Proposed.name().to_owned(),
        proposed_by: String::new(),
        proposed_on: String::new(),
        accepted_on: None,
        supersedes: proposal.supersedes,
        superseded_by: None,
        scenario: String::new(),
        plan_report: report(
            serde_json::to_value(tension_report::plan(&planned)).unwrap_or(Value::Null),
        ),
        forecast_report: report(
            serde_json::to_value(tension_report::forecast(&forecast)).unwrap_or(Value::Null),
        ),
        head: snapshot.head,
        evidence: snapshot.evidence,
        objections: None,
    })
}

/// `GET /api/v1/workspaces/{ws}/decisions`: the decision log, newest first.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/decisions", tag = "decisions", params(("ws" = String, Path, description = "workspace slug")),
    responses((status = 200, description = "`[{number, title, plan, items, status, signoffs, missing_sides, supersedes, superseded_by, ...}]`"), (status = 404, description = "no such workspace, or not a member")))]
pub(crate) async fn decisions(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> ApiResult<Json<Value>> {
    let log = decision_log(&state, &caller, &slug).await?;
    Ok(Json(Value::Array(log)))
}

/// The decisions of a workspace as JSON, newest first, with their records.
pub(crate) async fn decision_log(
    state: &AppState,
    caller: &Caller,
    slug: &str,
) -> ApiResult<Vec<Value>> {
    let (workspace, _) = membership(state, caller, slug).await?;
    let rows = state.store.decisions(workspace.id).await?;
    let scenario = current_scenario(state, &workspace).await?;
    let current = objections_part(scenario.as_ref());
    let inputs = scenario.map(without_objections);
    let mut log = Vec::new();
    for row in rows {
        let signoffs = state.store.signoffs(workspace.id, row.number).await?;
        let record = record_of(&row, &signoffs, &current)?;
        let mut entry = decision_json(&row, &signoffs, record)?;
        // A proposal made on other inputs than today's: signing it signs the old numbers.
        if row.status == DecisionStatus::Proposed.name() {
            let then = check(FILE_NAME, &row.scenario).ok().map(without_objections);
            entry["inputs_changed"] = json!(then != inputs);
        }
        log.push(entry);
    }
    Ok(log)
}

/// A scenario's inputs: everything the engines read, which is all but the objections.
fn without_objections(mut scenario: Scenario) -> Scenario {
    scenario.objections.clear();
    scenario
}

/// The workspace's scenario as it stands, if it has a valid one.
async fn current_scenario(
    state: &AppState,
    workspace: &WorkspaceRecord,
) -> ApiResult<Option<Scenario>> {
    let objects = state.store.objects(workspace.id).await?;
    Ok(check(FILE_NAME, &file_of(&objects)).ok())
}

/// The objections part of a record that is not fixed yet, from the workspace as it stands.
fn objections_part(scenario: Option<&Scenario>) -> String {
    scenario
        .map(|scenario| record::objections(&scenario.objections))
        .unwrap_or_default()
}

/// One decision as JSON, with its record.
pub(crate) async fn with_record(
    state: &AppState,
    workspace: &WorkspaceRecord,
    number: i64,
) -> ApiResult<(DecisionRow, Value)> {
    let (row, signoffs) = stored(state, workspace, number).await?;
    let scenario = current_scenario(state, workspace).await?;
    let record = record_of(&row, &signoffs, &objections_part(scenario.as_ref()))?;
    let body = decision_json(&row, &signoffs, record)?;
    Ok((row, body))
}

/// `POST /api/v1/workspaces/{ws}/decisions`: proposes a decision on a plan of the frontier,
/// with a snapshot of the scenario, the frontier, the chosen plan's forecast, its concessions
/// and the evidence behind its inputs.
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/decisions", tag = "decisions", request_body = Proposal, params(("ws" = String, Path, description = "workspace slug")),
    responses((status = 201, description = "the proposed decision, with its record"), (status = 403, description = "a viewer"),
        (status = 409, description = "`supersedes` names a decision that is not accepted"),
        (status = 422, description = "no such plan, an empty rationale, no decision to supersede, or no plan at all")))]
pub(crate) async fn post_decision(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
    ApiJson(proposal): ApiJson<Proposal>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let decision = propose(&state, &caller, &slug, proposal).await?;
    Ok((StatusCode::CREATED, Json(decision)))
}

async fn stored(
    state: &AppState,
    workspace: &WorkspaceRecord,
    number: i64,
) -> ApiResult<(DecisionRow, Vec<SignOffRow>)> {
    let Some(row) = state.store.decision(workspace.id, number).await? else {
        return Err(missing(
            "decision",
            &number.to_string(),
            "GET .../decisions lists them",
        ));
    };
    let signoffs = state.store.signoffs(workspace.id, number).await?;
    Ok((row, signoffs))
}

/// `GET /api/v1/workspaces/{ws}/decisions/{n}`: a decision with its snapshot.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/decisions/{n}", tag = "decisions",
    params(("ws" = String, Path, description = "workspace slug"), ("n" = i64, Path, description = "decision number")),
    responses((status = 200, description = "the decision, its record, and its snapshot: `scenario` (the file), `plan` and `forecast` (the engines' JSON)"), (status = 404, description = "no such decision or workspace, or not a member")))]
pub(crate) async fn decision(
    State(state): State<AppState>,
    caller: Caller,
    Path((slug, number)): Path<(String, i64)>,
) -> ApiResult<Json<Value>> {
    let (workspace, _) = membership(&state, &caller, &slug).await?;
    let (row, mut body) = with_record(&state, &workspace, number).await?;
    body["snapshot"] = json!({
        "scenario": row.scenario,
        "plan": serde_json::from_str::<Value>(&row.plan_report).unwrap_or(Value::Null),
        "forecast": serde_json::from_str::<Value>(&row.forecast_report).unwrap_or(Value::Null),
    });
    Ok(Json(body))
}

/// The caller signs decision `number`: refused while a blocking objection on a chosen item, or
/// on a review or quantity they rest on, is pending, for a second signature, and once the
/// decision is accepted.
pub(crate) async fn sign(
    state: &AppState,
    caller: &Caller,
    slug: &str,
    number: i64,
) -> ApiResult<Value> {
    let (workspace, role) = membership(state, caller, slug).await?;
    let actor = actor(caller, role, "signing a decision")?;
    let (row, signoffs) = stored(state, &workspace, number).await?;
    // The revision first, then the objections it covers.
    let revision = state.store.revision(workspace.id).await?;
    let (_, scenario) = scenario_of(state, &workspace).await?;
    let decision = model_of(&row, &signoffs)?;
    let today = today();
    decision
        .sign(
            &actor,
            today,
            &scenario.objections,
            &scenario.reliance(&decision.items),
        )
        .map_err(|error| {
            let mut refused = ApiError::new(StatusCode::CONFLICT, error.to_string());
            if let DecisionError::Blocked { pending, .. } = &error {
                refused.body["blocking"] = json!(
                    pending
                        .iter()
                        .map(|(id, status)| json!({ "id": id, "status": status.name() }))
                        .collect::<Vec<_>>()
                );
            }
            refused
        })?;
    // The model has checked this signature; whether it completes the decision is counted
    // where it is stored, against signatures given at the same moment.
    let acceptance = Acceptance {
        accepted_on: today.to_string(),
        objections: record::objections(&scenario.objections),
    };
    let signoff = SignOffRow {
        user_name: actor.name.clone(),
        side: actor.side.name().to_owned(),
        signed_on: today.to_string(),
    };
    match state
        .store
        .sign_decision(
            workspace.id,
            number,
            revision,
            &signoff,
            &acceptance,
            row.supersedes,
        )
        .await?
    {
        Signed::Proposed | Signed::Accepted => {}
        Signed::Changed => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                format!(
                    "decision {number} changed while you signed (signed by you, or accepted, meanwhile); look at it again"
                ),
            ));
        }
        Signed::ScenarioChanged => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                format!(
                    "the workspace changed while you signed decision {number} (an objection may have been raised); nothing was signed: look at it again, then sign"
                ),
            ));
        }
        Signed::PredecessorGone => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                format!(
                    "decision {number} supersedes decision {}, which another decision superseded meanwhile; nothing was signed: propose this plan again, superseding the decision now in force",
                    row.supersedes.unwrap_or_default()
                ),
            ));
        }
    }
    with_record(state, &workspace, number)
        .await
        .map(|(_, body)| body)
}

/// `POST /api/v1/workspaces/{ws}/decisions/{n}/signoffs`: the caller signs for their side.
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/decisions/{n}/signoffs", tag = "decisions",
    params(("ws" = String, Path, description = "workspace slug"), ("n" = i64, Path, description = "decision number")),
    responses((status = 200, description = "the decision: `accepted` once a business and a technical member have signed"),
        (status = 403, description = "an admin or viewer: sign-off is by a side"),
        (status = 404, description = "no such decision or workspace, or not a member"),
        (status = 409, description = "signed twice, an accepted (immutable) decision, or blocking objections pending on its items, or on reviews or quantities they rest on (listed in `blocking`)")))]
pub(crate) async fn post_signoff(
    State(state): State<AppState>,
    caller: Caller,
    Path((slug, number)): Path<(String, i64)>,
) -> ApiResult<Json<Value>> {
    sign(&state, &caller, &slug, number).await.map(Json)
}

/// `GET /api/v1/workspaces/{ws}/decisions/{n}/record`: the Markdown decision record, as
/// `tension decide` writes it.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/decisions/{n}/record", tag = "decisions",
    params(("ws" = String, Path, description = "workspace slug"), ("n" = i64, Path, description = "decision number")),
    responses((status = 200, description = "`text/markdown`: the record, named NNNN-slug.md"), (status = 404, description = "no such decision or workspace, or not a member")))]
pub(crate) async fn decision_record(
    State(state): State<AppState>,
    caller: Caller,
    Path((slug, number)): Path<(String, i64)>,
) -> ApiResult<Response> {
    let (workspace, _) = membership(&state, &caller, &slug).await?;
    let (_, body) = with_record(&state, &workspace, number).await?;
    let text = |key: &str| body[key].as_str().unwrap_or_default().to_owned();
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/markdown; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", text("file_name")),
            ),
        ],
        text("record"),
    )
        .into_response())
}
