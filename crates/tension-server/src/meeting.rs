//! The meeting view: one page per workspace that both sides look at together. The frontier
//! (each point a link to its plan and concessions), the chosen plan's finish-date
//! distribution against the deadline, what to verify first and where the sides disagree, the
//! objections board by tension, the reviews with their SLA, and the decision log with sign-off.
//! Server-rendered, no JavaScript; every form goes through the same code as the API.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use jiff::civil::Date;
use serde::Deserialize;
use serde_json::Value;
use tension_model::{
    Actor, ObjectionStatus, Review, ReviewStatus, Scenario, SlaState, Tension, TransitionDetails,
};
use tension_plan::{Outcome, Planned};
use tension_report::text::{money, number, percent};

use crate::AppState;
use crate::api::membership;
use crate::auth::Caller;
use crate::document::{FILE_NAME, check, file_of};
use crate::error::ApiError;
use crate::pushback::{self, FORECAST_TRIALS, Move, PLAN_TRIALS, Proposal, ReviewMove, today};
use crate::recent::Recent;
use crate::roles::Role;
use crate::svg::{self, FrontierPoint};
use crate::web::{
    error_page, error_text, form_session, page, session, to_login, workspace_objects,
};

struct PlanView {
    number: usize,
    /// The items, comma-separated, as the proposal form sends them back.
    item_ids: String,
    value: String,
    health: String,
    effort: String,
    fit: String,
    items: String,
    business_gives_up: String,
    technical_gives_up: String,
}

struct MoveForm {
    to: &'static str,
    label: &'static str,
    /// Accepting a risk: who watches it, and when to look again (an objection); the conditions
    /// of an approval (a review).
    needs_owner: bool,
    /// Resolving: what the resolution led to.
    takes_changes: bool,
}

struct ObjectionCard {
    id: String,
    version: i64,
    on: String,
    by: &'static str,
    status: &'static str,
    blocking: bool,
    age: String,
    text: String,
    resolution: String,
    risk_owner: String,
    review_by: String,
    history: Vec<String>,
    moves: Vec<MoveForm>,
}

struct TensionColumn {
    name: &'static str,
    title: &'static str,
    cards: Vec<ObjectionCard>,
}

struct ReviewRow {
    id: String,
    version: i64,
    title: String,
    status: String,
    requested: String,
    due: String,
    sla: &'static str,
    sla_class: &'static str,
    checklist: String,
    conditions: String,
    findings: String,
    moves: Vec<MoveForm>,
}

struct DecisionView {
    number: i64,
    title: String,
    status: String,
    items: String,
    rationale: String,
    signoffs: String,
    missing: String,
    may_sign: bool,
    links: String,
    inputs_changed: bool,
}

#[derive(Template)]
#[template(path = "meeting.html")]
struct MeetingPage {
    user: String,
    csrf: String,
    slug: String,
    name: String,
    role: String,
    side: String,
    message: Option<(String, String)>,
    problem: Option<String>,
    frontier_svg: String,
    forecast_svg: String,
    plans: Vec<PlanView>,
    selected: usize,
    forecast_line: String,
    verify_first: Vec<String>,
    evpi_line: String,
    /// Why the value of information could not be weighed; empty when it was.
    explain_error: String,
    disagreements: Vec<String>,
    columns: Vec<TensionColumn>,
    targets: Vec<String>,
    reviews: Vec<ReviewRow>,
    decisions: Vec<DecisionView>,
    accepted: Vec<i64>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct MeetingQuery {
    plan: Option<usize>,
}

fn tension_title(tension: Tension) -> &'static str {
    match tension {
        Tension::VisionFeasibility => "Vision vs Feasibility",
        Tension::SpeedDurability => "Speed vs Durability",
        Tension::OutcomesHealth => "Outcomes vs Health",
    }
}

/// What the engines say about the scenario, for the page; a message when they cannot.
struct Engines {
    planned: Planned,
    selected: usize,
    forecast: tension_forecast::Forecast,
    /// What matters, or why nothing can be weighed (one plan, no uncertainty, a value that is
    /// not a number), which the page shows instead.
    explained: Result<tension_explain::Explained, String>,
}

/// The engines' answers for the last 16 scenarios shown, keyed by the scenario file without
/// its objections, the selected plan and the day (explain weighs evidence by its age): the same
/// inputs and seed give the same answer, so a page after a move, a sign-off or a reload does
/// not plan again, and pages asked at the same time plan once.
static ENGINES: Recent<EnginesKey, Arc<Result<Engines, String>>> = Recent::new(16);
type EnginesKey = (String, Option<usize>, Date);

fn run_engines(scenario: &Scenario, plan: Option<usize>) -> Result<Engines, String> {
    let config = pushback::plan_config();
    let planned = match tension_plan::plan(scenario, &config).map_err(|e| e.to_string())? {
        Outcome::Planned(planned) => planned,
        Outcome::Infeasible(reason) => return Err(format!("no plan: {}", reason.message())),
    };
    let selected = plan
        .filter(|p| (1..=planned.frontier.len()).contains(p))
        .map_or(planned.recommended, |p| p - 1);
    let forecast = tension_explain::forecast_plan(
        scenario,
        &planned.frontier[selected].items,
        FORECAST_TRIALS,
        1,
        true,
    )
    .map_err(|e| e.to_string())?;
    let explain_config = tension_explain::Config {
        trials: PLAN_TRIALS,
        seed: 1,
        min_health: None,
        today: Some(today()),
        plan: config,
    };
    // Explain needs a choice to make and numbers to doubt; without them the page says why.
    let explained =
        tension_explain::explain(scenario, &planned, &explain_config).map_err(|e| e.to_string());
    Ok(Engines {
        planned,
        selected,
        forecast,
        explained,
    })
}

fn age(raised: Option<Date>, today: Date) -> String {
    match raised.and_then(|r| (today - r).get_days().try_into().ok()) {
        Some(0u32) => "raised today".to_owned(),
        Some(1) => "raised 1 day ago".to_owned(),
        Some(days) => format!("raised {days} days ago"),
        None => String::new(),
    }
}

fn review_row(
    review: &Review,
    scenario: &Scenario,
    calendar: &tension_model::Calendar,
    role: Role,
    version: i64,
) -> ReviewRow {
    let sla = review.sla_state(today(), calendar);
    let (state, class) = match sla.as_ref().map(|s| s.state) {
        Some(SlaState::OnTrack) => ("on track", "ok"),
        Some(SlaState::DueSoon) => ("due soon", "soon"),
        Some(SlaState::Overdue) => ("overdue", "late"),
        Some(SlaState::Done) => ("done", "ok"),
        None => ("no SLA", ""),
    };
    let findings: Vec<String> = scenario
        .objections
        .iter()
        .filter(|o| matches!(&o.on, tension_model::Target::Review(r) if *r == review.id))
        .map(|o| format!("{} ({})", o.id, o.status.name()))
        .collect();
    ReviewRow {
        id: review.id.clone(),
        version,
        title: review.title.clone(),
        status: review
            .status
            .map_or_else(|| "not requested".to_owned(), |s| s.name().to_owned()),
        requested: review.requested.map(|d| d.to_string()).unwrap_or_default(),
        due: sla.as_ref().map(|s| s.due.to_string()).unwrap_or_default(),
        sla: state,
        sla_class: class,
        checklist: review.checklist.join(" · "),
        conditions: review.conditions.join(" · "),
        findings: findings.join(", "),
        moves: review_moves(review, role),
    }
}

/// The moves the caller's role may make on a review.
fn review_moves(review: &Review, role: Role) -> Vec<MoveForm> {
    let next = match review.status {
        None => &[ReviewStatus::Requested][..],
        Some(status) => status.next(),
    };
    next.iter()
        .filter(|to| pushback::may_move_review(role, **to))
        .map(|to| MoveForm {
            to: to.name(),
            label: match to {
                ReviewStatus::Requested => "Request",
                ReviewStatus::InReview => "Start the review",
                ReviewStatus::ChangesRequested => "Request changes",
                ReviewStatus::Approved => "Approve",
                ReviewStatus::ApprovedWithConditions => "Approve with conditions",
                ReviewStatus::Rejected => "Reject",
            },
            needs_owner: *to == ReviewStatus::ApprovedWithConditions,
            takes_changes: false,
        })
        .collect()
}

/// The moves the caller's side may make on an objection, by the model's own rules.
fn moves_for(objection: &tension_model::Objection, actor: Option<&Actor>) -> Vec<MoveForm> {
    let Some(actor) = actor else {
        return Vec::new();
    };
    let probe = TransitionDetails {
        note: Some(String::new()),
        risk_owner: Some(String::new()),
        ..TransitionDetails::default()
    };
    objection
        .status
        .next()
        .iter()
        .filter(|to| {
            objection
                .transition(**to, actor, today(), probe.clone())
                .is_ok()
        })
        .map(|to| MoveForm {
            to: to.name(),
            label: match to {
                ObjectionStatus::Answered => "Answer",
                ObjectionStatus::Open => "Reopen",
                ObjectionStatus::Resolved => "Resolve",
                ObjectionStatus::AcceptedRisk => "Accept as a risk",
            },
            needs_owner: *to == ObjectionStatus::AcceptedRisk,
            takes_changes: *to == ObjectionStatus::Resolved,
        })
        .collect()
}

async fn meeting_page(
    state: &AppState,
    caller: Caller,
    csrf: String,
    slug: &str,
    plan: Option<usize>,
    message: Option<(String, String)>,
) -> Response {
    let (workspace, role, objects) = match workspace_objects(state, &caller, slug).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let decisions = match pushback::decision_log(state, &caller, slug).await {
        Ok(log) => log,
        Err(error) => return error_page(error),
    };
    let actor = role.side().map(|side| Actor {
        name: caller.name.clone(),
        side,
    });
    let mut view = MeetingPage {
        user: caller.name.clone(),
        csrf,
        slug: workspace.slug.clone(),
        name: workspace.name.clone(),
        role: role.name().to_owned(),
        side: actor
            .as_ref()
            .map_or_else(String::new, |a| a.side.name().to_owned()),
        message,
        problem: None,
        frontier_svg: String::new(),
        forecast_svg: String::new(),
        plans: Vec::new(),
        selected: 1,
        forecast_line: String::new(),
        verify_first: Vec::new(),
        evpi_line: String::new(),
        explain_error: String::new(),
        disagreements: Vec::new(),
        columns: Vec::new(),
        targets: Vec::new(),
        reviews: Vec::new(),
        decisions: Vec::new(),
        accepted: Vec::new(),
    };
    view.decisions = decisions
        .iter()
        .map(|d| {
            let text = |key: &str| d[key].as_str().unwrap_or_default().to_owned();
            let list = |key: &str| {
                d[key]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default()
            };
            let signoffs = d["signoffs"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|s| {
                            format!(
                                "{} ({}, {})",
                                s["name"].as_str().unwrap_or_default(),
                                s["side"].as_str().unwrap_or_default(),
                                s["on"].as_str().unwrap_or_default()
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .unwrap_or_default();
            let mut links = Vec::new();
            if let Some(n) = d["supersedes"].as_i64() {
                links.push(format!(
                    "supersedes {}",
                    tension_report::record::numbered(n as u32)
                ));
            }
            if let Some(n) = d["superseded_by"].as_i64() {
                links.push(format!(
                    "superseded by {}",
                    tension_report::record::numbered(n as u32)
                ));
            }
            DecisionView {
                number: d["number"].as_i64().unwrap_or_default(),
                title: text("title"),
                status: text("status"),
                items: list("items"),
                rationale: text("rationale"),
                signoffs,
                missing: list("missing_sides"),
                may_sign: actor.is_some()
                    && d["status"] == "proposed"
                    && !d["signoffs"]
                        .as_array()
                        .is_some_and(|a| a.iter().any(|s| s["name"] == caller.name.as_str())),
                links: links.join(" · "),
                inputs_changed: d["inputs_changed"] == true,
            }
        })
        .collect();
    view.accepted = view
        .decisions
        .iter()
        .filter(|d| d.status == "accepted")
        .map(|d| d.number)
        .collect();
    if objects.is_empty() {
        view.problem = Some("This workspace has no scenario yet: import one first.".to_owned());
        return page(&view);
    }
    let scenario = match check(FILE_NAME, &file_of(&objects)) {
        Ok(scenario) => scenario,
        Err(invalid) => {
            view.problem = invalid.to_json()["rendered"].as_str().map(str::to_owned);
            return page(&view);
        }
    };
    view.targets = scenario
        .items
        .iter()
        .map(|i| i.id.clone())
        .chain(scenario.quantities.iter().map(|q| q.name.clone()))
        .chain(scenario.reviews.iter().map(|r| r.id.clone()))
        .collect();
    let today = today();
    let version_of = |kind: &str, id: &str| {
        objects
            .iter()
            .find(|o| o.kind == kind && o.key == id)
            .map_or(0, |o| o.version)
    };
    view.columns = Tension::ALL
        .into_iter()
        .map(|tension| TensionColumn {
            name: tension.name(),
            title: tension_title(tension),
            cards: scenario
                .objections
                .iter()
                .filter(|o| o.tension == tension)
                .map(|o| ObjectionCard {
                    id: o.id.clone(),
                    version: version_of("objection", &o.id),
                    on: o.on.key(),
                    by: o.by.name(),
                    status: o.status.name(),
                    blocking: o.blocking,
                    age: age(o.raised, today),
                    text: o.text.clone(),
                    resolution: o.resolution.clone().unwrap_or_default(),
                    risk_owner: o.risk_owner.clone().unwrap_or_default(),
                    review_by: o.review_by.map(|d| d.to_string()).unwrap_or_default(),
                    history: o
                        .history
                        .iter()
                        .map(|t| {
                            let mut line = format!(
                                "{}: {} → {} by {} ({})",
                                t.on,
                                t.from.name(),
                                t.to.name(),
                                t.who,
                                t.side.name()
                            );
                            if let Some(note) = &t.details.note {
                                line.push_str(&format!(": {note}"));
                            }
                            if !t.details.changes.is_empty() {
                                line.push_str(&format!(
                                    " (led to: {})",
                                    t.details.changes.join(", ")
                                ));
                            }
                            line
                        })
                        .collect(),
                    moves: moves_for(o, actor.as_ref()),
                })
                .collect(),
        })
        .collect();
    // The engines read everything but the objections: moving one does not run them again.
    let key = (
        file_of(
            &objects
                .iter()
                .filter(|o| o.kind != "objection")
                .cloned()
                .collect::<Vec<_>>(),
        ),
        plan.filter(|p| (1..=crate::MAX_POINTS).contains(p)),
        today,
    );
    let engines = ENGINES
        .get_or_run(key, || {
            let scenario = scenario.clone();
            async move {
                let result = tokio::task::spawn_blocking(move || run_engines(&scenario, plan))
                    .await
                    .unwrap_or_else(|_| Err("the engine stopped unexpectedly".to_owned()));
                Arc::new(result)
            }
        })
        .await;
    let engines = match engines.as_ref() {
        Ok(engines) => engines,
        Err(problem) => {
            view.problem = Some(problem.clone());
            return page(&view);
        }
    };
    let currency = scenario.currency.as_deref().unwrap_or("");
    let planned = &engines.planned;
    view.selected = engines.selected + 1;
    view.plans = planned
        .frontier
        .iter()
        .enumerate()
        .map(|(idx, plan)| {
            let conceded = tension_report::concessions_of(planned, plan);
            let lost = |items: &[String]| {
                if items.is_empty() {
                    String::new()
                } else {
                    format!(", loses {}", items.join(", "))
                }
            };
            PlanView {
                number: idx + 1,
                item_ids: plan.items.join(","),
                value: money(plan.value, currency),
                health: format!("{:+}", plan.health),
                effort: number(plan.effort),
                fit: percent(plan.p_fit),
                items: plan.items.join(", "),
                business_gives_up: format!(
                    "{} of value{}",
                    money(conceded.business_gives_up_value, currency),
                    lost(&conceded.business_loses)
                ),
                technical_gives_up: format!(
                    "{} health points{}",
                    number(conceded.technical_gives_up_health),
                    lost(&conceded.technical_loses)
                ),
            }
        })
        .collect();
    let points: Vec<FrontierPoint> = planned
        .frontier
        .iter()
        .map(|p| FrontierPoint {
            value: p.value,
            health: p.health,
            items: p.items.join(", "),
        })
        .collect();
    view.frontier_svg = svg::frontier(
        &points,
        engines.selected,
        planned.recommended,
        currency,
        &format!("/w/{}/meeting?plan=", workspace.slug),
    );
    let forecast = &engines.forecast;
    view.forecast_svg = svg::finish_dates(
        &forecast.finish_by_trial,
        &forecast.calendar,
        scenario.deadline,
        forecast.plan.confidence,
    );
    let date =
        |d: Option<Date>| d.map_or_else(|| "past the calendar".to_owned(), |d| d.to_string());
    view.forecast_line = format!(
        "Plan {}: P50 {}, P85 {}{}.",
        engines.selected + 1,
        date(forecast.plan.p50),
        date(forecast.plan.p85),
        forecast
            .plan
            .p_by_deadline
            .map_or_else(String::new, |p| format!(
                ", {} chance by the deadline",
                percent(p)
            ))
    );
    match &engines.explained {
        Err(error) => view.explain_error = format!("Nothing to weigh: {error}."),
        Ok(explained) => {
            view.evpi_line = format!(
                "Knowing every input exactly would be worth {} (EVPI).",
                money(explained.evpi, currency)
            );
            view.verify_first = explained
                .verify_first()
                .iter()
                .map(|input| {
                    format!(
                        "{}: worth {} to know ({}{})",
                        input.name,
                        money(input.evppi, currency),
                        input.evidence.quality.map_or("no quality", |q| q.name()),
                        input
                            .evidence
                            .source
                            .as_deref()
                            .map_or_else(String::new, |s| format!(", {s}"))
                    )
                })
                .collect();
            view.disagreements = explained
                .disagreements
                .iter()
                .map(|d| {
                    format!(
                        "{}: {} says {}, the other side {}{}",
                        d.field,
                        d.owner.name(),
                        d.owner_text,
                        d.other_text,
                        if d.changes_plan {
                            " (the other side's number changes the plan)"
                        } else {
                            ""
                        }
                    )
                })
                .collect();
        }
    }
    view.reviews = scenario
        .reviews
        .iter()
        .map(|r| {
            review_row(
                r,
                &scenario,
                &forecast.calendar,
                role,
                version_of("review", &r.id),
            )
        })
        .collect();
    page(&view)
}

pub(crate) async fn meeting(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Query(query): Query<MeetingQuery>,
) -> Response {
    let Some((caller, csrf)) = session(&state, &headers).await else {
        return to_login();
    };
    meeting_page(&state, caller, csrf, &slug, query.plan, None).await
}

fn field(form: &HashMap<String, String>, name: &str) -> String {
    form.get(name)
        .map(|v| v.trim().to_owned())
        .unwrap_or_default()
}

/// The meeting page after a form: the outcome on top, with the status the API would answer
/// (a refusal is a 4xx here too, with its reason on the page).
async fn answer(
    state: &AppState,
    caller: Caller,
    csrf: String,
    slug: &str,
    plan: Option<usize>,
    result: Result<String, ApiError>,
) -> Response {
    let (message, status) = match result {
        Ok(done) => (("ok".to_owned(), done), StatusCode::OK),
        Err(error) => (("error".to_owned(), error_text(&error)), error.status),
    };
    let mut response = meeting_page(state, caller, csrf, slug, plan, Some(message)).await;
    if response.status() == StatusCode::OK {
        *response.status_mut() = status;
    }
    response
}

/// A comma-separated form field as a list, without empty entries.
fn list(form: &HashMap<String, String>, name: &str) -> Vec<String> {
    field(form, name)
        .split(',')
        .map(|part| part.trim().to_owned())
        .filter(|part| !part.is_empty())
        .collect()
}

fn selected_plan(form: &HashMap<String, String>) -> Option<usize> {
    form.get("selected").and_then(|p| p.parse().ok())
}

/// Raises an objection from the board's form.
pub(crate) async fn raise_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let (caller, csrf) = match form_session(&state, &headers, &form).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let side = match membership(&state, &caller, &slug).await {
        Ok((_, role)) => role.side(),
        Err(error) => return error_page(error),
    };
    let mut fields = serde_json::Map::new();
    for key in ["id", "on", "tension", "text"] {
        fields.insert(key.to_owned(), Value::String(field(&form, key)));
    }
    fields.insert(
        "by".to_owned(),
        Value::String(side.map_or_else(|| field(&form, "by"), |s| s.name().to_owned())),
    );
    fields.insert(
        "blocking".to_owned(),
        Value::Bool(form.contains_key("blocking")),
    );
    let id = field(&form, "id");
    let result = crate::api::raise(&state, &caller, &slug, fields)
        .await
        .map(|_| format!("objection `{id}` raised"));
    answer(&state, caller, csrf, &slug, selected_plan(&form), result).await
}

/// Moves an objection from its card's form.
pub(crate) async fn move_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let (caller, csrf) = match form_session(&state, &headers, &form).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let optional = |name: &str| Some(field(&form, name)).filter(|v| !v.is_empty());
    let request = Move {
        to: field(&form, "to"),
        note: optional("note"),
        risk_owner: optional("risk_owner"),
        review_by: optional("review_by"),
        changes: list(&form, "changes"),
        version: form.get("version").and_then(|v| v.parse().ok()),
    };
    let to = request.to.clone();
    let result = pushback::move_objection(&state, &caller, &slug, &id, request)
        .await
        .map(|_| format!("objection `{id}` is {to}"));
    answer(&state, caller, csrf, &slug, selected_plan(&form), result).await
}

/// Moves a review from its row's form.
pub(crate) async fn review_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let (caller, csrf) = match form_session(&state, &headers, &form).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let request = ReviewMove {
        to: field(&form, "to"),
        conditions: list(&form, "conditions"),
        version: form.get("version").and_then(|v| v.parse().ok()),
    };
    let to = request.to.clone();
    let result = pushback::move_review(&state, &caller, &slug, &id, request)
        .await
        .map(|_| format!("review `{id}` is {to}"));
    answer(&state, caller, csrf, &slug, selected_plan(&form), result).await
}

/// Proposes a decision on the selected plan.
pub(crate) async fn propose_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let (caller, csrf) = match form_session(&state, &headers, &form).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let Some(plan) = form.get("plan").and_then(|p| p.parse().ok()) else {
        let refused = ApiError::bad_request(
            "the form names no plan: pick a point on the frontier, then propose",
        );
        return answer(&state, caller, csrf, &slug, None, Err(refused)).await;
    };
    let supersedes = match field(&form, "supersedes").as_str() {
        "" => None,
        text => match text.parse() {
            Ok(number) => Some(number),
            Err(_) => {
                let refused = ApiError::unprocessable(format!(
                    "`supersedes` is `{text}`: name an accepted decision by its number"
                ));
                return answer(&state, caller, csrf, &slug, Some(plan), Err(refused)).await;
            }
        },
    };
    let items = Some(list(&form, "items")).filter(|items| !items.is_empty());
    let proposal = Proposal {
        plan,
        rationale: field(&form, "rationale"),
        supersedes,
        items,
    };
    let result = pushback::propose(&state, &caller, &slug, proposal)
        .await
        .map(|d| {
            format!(
                "decision {} proposed: it needs a business and a technical sign-off",
                d["number"]
            )
        });
    answer(&state, caller, csrf, &slug, Some(plan), result).await
}

/// Signs a decision for the caller's side.
pub(crate) async fn sign_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((slug, number)): Path<(String, i64)>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let (caller, csrf) = match form_session(&state, &headers, &form).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let result = pushback::sign(&state, &caller, &slug, number)
        .await
        .map(|d| match d["status"].as_str() {
            Some("accepted") => format!("decision {number} signed: it is accepted"),
            _ => format!(
                "decision {number} signed: it still needs the {} side",
                d["missing_sides"]
                    .as_array()
                    .and_then(|a| a.first())
                    .and_then(Value::as_str)
                    .unwrap_or("other")
            ),
        });
    answer(&state, caller, csrf, &slug, selected_plan(&form), result).await
}

#[derive(Template)]
#[template(path = "record.html")]
struct RecordPage {
    user: String,
    csrf: String,
    slug: String,
    number: i64,
    file_name: String,
    record: String,
}

/// The Markdown record of a decision on a page, with its download, for a signed-in member.
pub(crate) async fn record(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((slug, number)): Path<(String, i64)>,
) -> Response {
    let Some((caller, csrf)) = session(&state, &headers).await else {
        return to_login();
    };
    let found = match membership(&state, &caller, &slug).await {
        Ok((workspace, _)) => pushback::with_record(&state, &workspace, number).await,
        Err(error) => Err(error),
    };
    let decision = match found {
        Ok((_, decision)) => decision,
        Err(error) => return error_page(error),
    };
    let text = |key: &str| decision[key].as_str().unwrap_or_default().to_owned();
    page(&RecordPage {
        user: caller.name,
        csrf,
        slug,
        number,
        file_name: text("file_name"),
        record: text("record"),
    })
}
