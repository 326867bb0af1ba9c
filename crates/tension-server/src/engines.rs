//! The engines on a workspace: forecast, plan and explain, answering with the same JSON as the
//! command line's `--format json`. They run on the blocking pool, off the async workers.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::Value;
use tension_model::Scenario;
use tension_plan::Outcome;
use utoipa::IntoParams;

use crate::AppState;
use crate::auth::Caller;
use crate::document::{FILE_NAME, check, file_of};
use crate::error::ApiError;

/// At most this many trials per request: a server answers many people.
pub const MAX_TRIALS: usize = 1_000_000;
/// At most this many plans on a frontier per request.
pub const MAX_POINTS: usize = 100;

/// The query of an engine request.
#[derive(Debug, Clone, Copy, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct EngineQuery {
    /// Monte Carlo trials.
    trials: Option<usize>,
    /// Seed of the random numbers [default 1].
    seed: Option<u64>,
    /// At most this many plans on the frontier (plan, explain).
    points: Option<usize>,
    /// Plans below this health are not options (explain).
    min_health: Option<f64>,
}

impl EngineQuery {
    fn trials(&self, default: usize) -> Result<usize, ApiError> {
        let trials = self.trials.unwrap_or(default);
        if !(2..=MAX_TRIALS).contains(&trials) {
            return Err(ApiError::unprocessable(format!(
                "`trials` must be from 2 to {MAX_TRIALS}"
            )));
        }
        Ok(trials)
    }

    fn points(&self) -> Result<Option<usize>, ApiError> {
        match self.points {
            Some(points) if !(2..=MAX_POINTS).contains(&points) => Err(ApiError::unprocessable(
                format!("`points` must be from 2 to {MAX_POINTS}"),
            )),
            points => Ok(points),
        }
    }
}

/// The workspace's scenario, for a member.
async fn scenario(state: &AppState, caller: &Caller, slug: &str) -> Result<Scenario, ApiError> {
    let (workspace, _) = crate::api::membership(state, caller, slug).await?;
    let objects = state.store.objects(workspace.id).await?;
    if objects.is_empty() {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "this workspace has no scenario yet; import one with PUT .../scenario",
        ));
    }
    check(FILE_NAME, &file_of(&objects)).map_err(|invalid| ApiError {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        body: invalid.to_json(),
    })
}

/// Runs CPU-bound work on the blocking pool.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work).await.map_err(|_| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the engine stopped unexpectedly",
        )
    })?
}

fn to_json(value: impl serde::Serialize) -> Result<Json<Value>, ApiError> {
    serde_json::to_value(value)
        .map(Json)
        .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "cannot write the report"))
}

/// `GET /api/v1/workspaces/{ws}/forecast?trials=&seed=`.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/forecast", tag = "engines", params(("ws" = String, Path, description = "workspace slug"), EngineQuery),
    responses((status = 200, description = "the forecast, as `tension forecast --format json`"), (status = 404, description = "no such workspace, not a member, or no scenario yet"), (status = 422, description = "a request or scenario the engine cannot answer, with the reason")))]
pub(crate) async fn forecast(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
    Query(query): Query<EngineQuery>,
) -> Result<Json<Value>, ApiError> {
    let scenario = scenario(&state, &caller, &slug).await?;
    let config = tension_forecast::Config {
        trials: query.trials(10_000)?,
        seed: query.seed.unwrap_or(1),
        order: Vec::new(),
        keep_trials: false,
    };
    let forecast = blocking(move || {
        tension_forecast::forecast(&scenario, &config, &|_| {})
            .map_err(|error| ApiError::unprocessable(error.to_string()))
    })
    .await?;
    to_json(tension_report::forecast(&forecast))
}

fn plan_config(query: &EngineQuery) -> Result<tension_plan::Config, ApiError> {
    Ok(tension_plan::Config {
        trials: query.trials(2_000)?,
        seed: query.seed.unwrap_or(1),
        points: query.points()?,
        ..tension_plan::Config::default()
    })
}

/// `GET /api/v1/workspaces/{ws}/plan?trials=&seed=&points=`.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/plan", tag = "engines", params(("ws" = String, Path, description = "workspace slug"), EngineQuery),
    responses((status = 200, description = "the frontier, as `tension plan --format json` (an empty frontier and the reason when no plan exists)"), (status = 404, description = "no such workspace, not a member, or no scenario yet"), (status = 422, description = "a request or scenario the engine cannot answer, with the reason")))]
pub(crate) async fn plan(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
    Query(query): Query<EngineQuery>,
) -> Result<Json<Value>, ApiError> {
    let scenario = scenario(&state, &caller, &slug).await?;
    let config = plan_config(&query)?;
    let outcome = blocking(move || {
        tension_plan::plan(&scenario, &config)
            .map_err(|error| ApiError::unprocessable(error.to_string()))
    })
    .await?;
    match outcome {
        Outcome::Planned(planned) => to_json(tension_report::plan(&planned)),
        Outcome::Infeasible(reason) => to_json(tension_report::infeasible(&reason)),
    }
}

/// `GET /api/v1/workspaces/{ws}/explain?trials=&seed=&points=&min_health=`.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/explain", tag = "engines", params(("ws" = String, Path, description = "workspace slug"), EngineQuery),
    responses((status = 200, description = "the value of information, as `tension explain --format json`"), (status = 404, description = "no such workspace, not a member, or no scenario yet"), (status = 422, description = "a request or scenario the engine cannot answer, with the reason")))]
pub(crate) async fn explain(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
    Query(query): Query<EngineQuery>,
) -> Result<Json<Value>, ApiError> {
    let scenario = scenario(&state, &caller, &slug).await?;
    let plan = plan_config(&EngineQuery {
        trials: None,
        ..query
    })?;
    let config = tension_explain::Config {
        trials: query.trials(10_000)?,
        seed: query.seed.unwrap_or(1),
        min_health: query.min_health.filter(|h| h.is_finite()),
        today: Some(crate::pushback::today()),
        plan,
    };
    let explained = blocking(move || {
        let planned = match tension_plan::plan(&scenario, &config.plan)
            .map_err(|error| ApiError::unprocessable(error.to_string()))?
        {
            Outcome::Planned(planned) => planned,
            Outcome::Infeasible(reason) => {
                return Err(ApiError::unprocessable(format!(
                    "nothing to explain: {}",
                    reason.message()
                )));
            }
        };
        tension_explain::explain(&scenario, &planned, &config)
            .map_err(|error| ApiError::unprocessable(format!("nothing to explain: {error}")))
    })
    .await?;
    to_json(tension_report::explain(&explained))
}
