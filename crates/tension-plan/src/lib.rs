//! The frontier of plans (Vision vs Feasibility, Outcomes vs Health): which items to take,
//! from the business side's ideal (most value) to the technical side's (most health), each
//! plan Pareto-optimal and verified by the forecast to fit the deadline at the scenario's
//! confidence.
//!
//! [`plan`] is pure: the scenario and the configuration in, the frontier out.
//!
//! 1. Each item's value, health, effort and risk are their expected values, sampled from the
//!    scenario's estimates (value: expected monthly value × months from the deadline to the
//!    horizon, plus the expected one-off value, as `SCENARIO.md` defines it).
//! 2. The deterministic problem: choose items closed under `needs`, with every `must`, at
//!    most one of each `alternatives` group, the health floor on expected effort, the error
//!    budget's rules, and expected effort within a capacity: people × working days to the
//!    deadline × mean focus at first. It is solved exactly by `tension-solve`.
//!    Items whose chain of needs alone misses the deadline at the confidence are left out.
//! 3. Every plan found is forecast (Monte Carlo, with its items only). When a plan does not
//!    reach the confidence, the capacity is calibrated down (steps, then halving) to the
//!    largest capacity, within 1%, whose plan fits; that plan is then proven optimal. The
//!    capacity only tightens, so the frontier ends up verified point by point.
//! 4. With `points`, the points after the first are solved to proof at once at the current
//!    capacity (calibrated below it only when that plan does not fit), in parallel, and taken
//!    in order; a point that lowers the capacity sends the rest back to be
//!    searched from it, so the frontier does not depend on the number of threads.

mod facts;
mod knee;
mod reach;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use jiff::civil::Date;
use rayon::prelude::*;
use tension_forecast::{Config as ForecastConfig, ForecastError, forecast};
use tension_model::{Calendar, ErrorBudget, ItemKind, Scenario};
use tension_solve::{Limits, Problem, SolveError, lexicographic, solve, spread};

pub use facts::{ItemFacts, value_months};
pub use knee::{concessions, knee};

/// How to plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Monte Carlo trials for the expected values and for each verification.
    pub trials: usize,
    pub seed: u64,
    /// At most this many well-spread plans, the two ideals included; `None`: every
    /// non-dominated plan.
    pub points: Option<usize>,
    /// Stop each search after this long and report what was found.
    pub time_limit: Option<Duration>,
    /// With an exhausted error budget, items whose expected risk is above this are left out.
    pub max_risk: f64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            trials: 2_000,
            seed: 1,
            points: None,
            time_limit: None,
            max_risk: 0.10,
        }
    }
}

/// One plan of the frontier.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Item ids, in file order.
    pub items: Vec<String>,
    pub chosen: Vec<bool>,
    /// Business value (currency) and health (points), from the items' expected values.
    pub value: f64,
    pub health: f64,
    /// Expected effort, person-days.
    pub effort: f64,
    /// The forecast's probability that all of it is done by the deadline.
    pub p_fit: f64,
}

/// Something the plans are held by, and whether it binds the recommended plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Constraint {
    pub name: &'static str,
    pub detail: String,
    pub binds: bool,
}

/// The frontier and its reading.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub facts: Vec<ItemFacts>,
    /// From the value ideal (first) to the health ideal (last).
    pub frontier: Vec<Plan>,
    pub recommended: usize,
    pub value_ideal: usize,
    pub health_ideal: usize,
    pub deadline: Date,
    pub confidence: f64,
    /// Person-days of expected effort the first search allowed, and the last.
    pub initial_capacity: f64,
    pub capacity: f64,
    /// Plans found that did not verify: each sent the capacity down, and its point was
    /// solved again.
    pub rejected: usize,
    /// Whether every search finished (no --time-limit stop).
    pub proven: bool,
    pub constraints: Vec<Constraint>,
    pub elapsed: Duration,
}

/// Why no plan exists: a result, named for the people who must change something.
#[derive(Debug, Clone, PartialEq)]
pub enum Infeasible {
    /// Two `must` items are alternatives to each other.
    MustAlternatives { group: String, items: Vec<String> },
    /// A `must` item is too risky for an exhausted error budget, or needs one that is.
    MustTooRisky {
        item: String,
        risky: String,
        risk: f64,
        limit: f64,
    },
    /// The must items (with the budget's restoring items) cannot meet the health floor.
    HealthFloor { floor: f64 },
    /// The must items alone do not fit the deadline at the confidence.
    MustDoNotFit {
        items: Vec<String>,
        effort: f64,
        capacity: f64,
        p_fit: f64,
        confidence: f64,
    },
    /// Some other combination of the rules rules out every plan.
    Other,
}

impl Infeasible {
    pub fn message(&self) -> String {
        match self {
            Infeasible::MustAlternatives { group, items } => format!(
                "no plan is possible: {} are all `must`, but they are alternatives (`{group}`) and a plan takes at most one; make only one of them `must`",
                items.join(" and ")
            ),
            Infeasible::MustTooRisky { item, risky, risk, limit } if item == risky => format!(
                "no plan is possible: `{item}` is `must`, but the error budget is exhausted and its expected risk ({:.0}%) is above the {:.0}% allowed; lower its risk, wait for the budget, or drop `must`",
                risk * 100.0,
                limit * 100.0
            ),
            Infeasible::MustTooRisky { item, risky, risk, limit } => format!(
                "no plan is possible: `{item}` is `must` and needs `{risky}`, whose expected risk ({:.0}%) is above the {:.0}% an exhausted error budget allows",
                risk * 100.0,
                limit * 100.0
            ),
            Infeasible::HealthFloor { floor } => format!(
                "no plan is possible: the must items cannot be balanced to the health floor ({:.0}% of planned effort on health work) with the items there are; add health work or lower `policy.health_floor`",
                floor * 100.0
            ),
            Infeasible::MustDoNotFit { items, effort, capacity, p_fit, confidence } => format!(
                "no plan fits: the must items alone ({}) need {effort:.0} person-days of expected effort and have a {:.0}% chance of being done by the deadline, below the {:.0}% promised (the team has about {capacity:.0} person-days); move the deadline, add people, or drop `must`",
                items.join(", "),
                p_fit * 100.0,
                confidence * 100.0
            ),
            Infeasible::Other => "no plan satisfies every rule at once: the must items, the alternatives, the health floor and the error budget together rule out every plan".to_owned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Planned(Planned),
    Infeasible(Infeasible),
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    #[error(
        "the scenario has no deadline: a plan is chosen to fit one; add `deadline` under [scenario]"
    )]
    NoDeadline,
    #[error("the deadline {deadline} is before the start {start}")]
    DeadlineBeforeStart { deadline: Date, start: Date },
    #[error("at least one trial is needed")]
    NoTrials,
    #[error(transparent)]
    Forecast(#[from] ForecastError),
    #[error(transparent)]
    Solve(#[from] SolveError),
}

/// Integer resolutions of the solver's objectives and rows, relative to their totals.
const VALUE_STEPS: f64 = 100_000.0;
const HEALTH_STEPS: f64 = 10_000.0;
const EFFORT_STEPS: f64 = 10_000.0;
/// The health floor's resolution: a tenth of a percent.
const FLOOR_STEPS: i64 = 1000;
/// While the capacity is being calibrated, each search stops within this share of its
/// bound; only the plan kept is proven optimal.
const CALIBRATION_GAP: f64 = 0.01;
/// The capacity is calibrated to within this share of the smallest capacity whose plan did
/// not fit.
const CAPACITY_TOLERANCE: f64 = 0.01;
/// The first step down after a plan does not fit, as a share of its effort; each further
/// step before a plan fits is twice as long, up to half.
const FIRST_STEP_DOWN: f64 = 0.05;

/// Where the search for verified plans stands.
struct Search {
    /// The expected effort the next search allows, in the solver's units: only lowered.
    capacity: i64,
    proven: bool,
    rejected: usize,
}

/// What a point of the frontier maximises.
#[derive(Debug, Clone, Copy)]
enum Goal {
    /// Value with health at least `floor`, then health.
    Value { floor: Option<i64> },
    /// Health, then value: the health ideal, without a floor row that only one health
    /// total meets, which is hard to search.
    Health,
}

/// One verified non-dominated plan for the goal: the best plan within the
/// largest capacity (to [`CAPACITY_TOLERANCE`]) whose best plan fits. From the current
/// capacity, a plan that does not fit sends the search down, in growing steps until a plan
/// fits, then by halves between the two; the plan kept is then solved again to proof.
/// `None` when no plan remains at some capacity on the way down.
fn calibrated(
    model: &Model,
    verifier: &mut Verifier<'_>,
    config: &Config,
    goal: Goal,
    search: &mut Search,
    calibrated_already: bool,
) -> Result<Option<(Vec<bool>, f64)>, PlanError> {
    let confidence = verifier.scenario.confidence;
    // The largest capacity whose plan fitted, found by a search stopped at the gap: the plan
    // kept is found there again, to proof.
    let mut fits: Option<i64> = None;
    // The least effort of a plan that did not fit: every capacity from it up to where that
    // plan was found gives the same plan.
    let mut fails: Option<i64> = None;
    let mut steps_down = 0;
    // At a capacity an earlier point was calibrated to, the plan kept is searched to proof at
    // once: when it fits, the searches stopped at the gap would only have found it again.
    let mut exact = calibrated_already;
    let mut first = calibrated_already;
    loop {
        let limits = Limits {
            time: config.time_limit,
            nodes: None,
            gap: (!exact).then_some(CALIBRATION_GAP),
        };
        let problem = model.with_capacity(search.capacity);
        let found = match goal {
            Goal::Value { floor } => {
                lexicographic(&problem, &model.value, &model.health, floor, &limits)?
            }
            Goal::Health => lexicographic(&problem, &model.health, &model.value, None, &limits)?,
        };
        if exact {
            search.proven &= found.proven;
        }
        let Some(mut point) = found.point else {
            return Ok(None);
        };
        model.prune(&problem, &mut point.chosen);
        let p_fit = verifier.p_fit(&point.chosen)?;
        if p_fit >= confidence {
            if exact || found.proven {
                return Ok(Some((point.chosen, p_fit)));
            }
            fits = Some(search.capacity);
        } else {
            search.rejected += 1;
            let effort = model.effort_of(&point.chosen);
            fails = Some(fails.map_or(effort, |fails| fails.min(effort)));
            if std::mem::take(&mut first) {
                // The proven plan does not fit at the capacity the last point left: calibrate
                // below it as for any point.
                exact = false;
            } else if exact {
                // The proven plan does not fit where the calibrated one did: calibrate again
                // below it, proving every search.
                fits = None;
            }
        }
        search.capacity = match (fits, fails) {
            (None, Some(fails)) => {
                let step = (FIRST_STEP_DOWN * f64::from(1 << steps_down.min(3))).min(0.5);
                steps_down += 1;
                ((fails as f64 * (1.0 - step)).floor() as i64).min(fails - 1)
            }
            (Some(capacity), Some(fails))
                if (fails - capacity) as f64 > CAPACITY_TOLERANCE * fails as f64 =>
            {
                capacity + (fails - capacity) / 2
            }
            (Some(capacity), _) => {
                // Calibrated: the plan kept, proven.
                exact = true;
                capacity
            }
            (None, None) => unreachable!("a search either fits or fails"),
        };
        if search.capacity < 0 {
            return Ok(None);
        }
    }
}

/// Plans the scenario: the frontier, the recommended plan and what binds it.
pub fn plan(scenario: &Scenario, config: &Config) -> Result<Outcome, PlanError> {
    let started = Instant::now();
    if config.trials == 0 {
        return Err(PlanError::NoTrials);
    }
    let deadline = scenario.deadline.ok_or(PlanError::NoDeadline)?;
    if deadline < scenario.start {
        return Err(PlanError::DeadlineBeforeStart {
            deadline,
            start: scenario.start,
        });
    }
    let (facts, focus) = facts::expected(scenario, deadline, config)?;
    let mut model = Model::new(scenario, &facts, config);
    let mut verifier = Verifier {
        scenario,
        config,
        cache: HashMap::new(),
    };

    // Capacity: the person-days the team has to the deadline at its mean focus.
    let calendar = Calendar::new(
        scenario.start,
        scenario.team.workdays,
        &scenario.team.holidays,
        tension_forecast::CALENDAR_YEARS,
    );
    let days = f64::from(calendar.day_of(deadline));
    let initial_capacity = f64::from(scenario.team.people) * days * focus;
    let capacity = model.effort_units(initial_capacity);

    if let Some(reason) = model.policy_conflict(scenario, &facts, config)? {
        return Ok(Outcome::Infeasible(reason));
    }
    // Items whose chain of needs cannot be done by the deadline at the confidence, even with a
    // person free for every item, are in no plan that fits.
    let chain = reach::chain_fit(scenario, deadline, config)?;
    let late: Vec<bool> = chain.iter().map(|&p| p < scenario.confidence).collect();
    if late
        .iter()
        .zip(&model.required)
        .any(|(late, required)| *late && *required)
    {
        let reason = model.capacity_conflict(&mut verifier, initial_capacity)?;
        if let Infeasible::MustDoNotFit { p_fit, .. } = &reason
            && *p_fit < scenario.confidence
        {
            return Ok(Outcome::Infeasible(reason));
        }
    } else {
        model.late = late;
    }
    let mut search = Search {
        capacity,
        proven: true,
        rejected: 0,
    };
    // The capacity each plan was found within: it only tightens, so a plan found early may
    // be above the last one.
    let mut found_within: HashMap<Vec<bool>, i64> = HashMap::new();
    let mut point =
        |goal: Goal, search: &mut Search| -> Result<Option<(Vec<bool>, f64)>, PlanError> {
            let plan = calibrated(&model, &mut verifier, config, goal, search, false)?;
            if let Some((chosen, _)) = &plan {
                found_within.insert(chosen.clone(), search.capacity);
            }
            Ok(plan)
        };
    let mut found: Vec<(Vec<bool>, f64)> = Vec::new();
    match point(Goal::Value { floor: None }, &mut search)? {
        None => {
            let reason = model.capacity_conflict(&mut verifier, initial_capacity)?;
            return Ok(Outcome::Infeasible(reason));
        }
        Some(first) => found.push(first),
    }
    let health_of = |chosen: &[bool]| dot(&model.health, chosen);
    match config.points {
        None => loop {
            let floor = health_of(&found[found.len() - 1].0) + 1;
            match point(Goal::Value { floor: Some(floor) }, &mut search)? {
                Some(next) => found.push(next),
                None => break,
            }
        },
        Some(k) => {
            // The health ideal first, then floors spread between the two ideals.
            let mut top = model.with_capacity(search.capacity);
            top.set_objective_all(model.health.clone());
            let limits = Limits {
                time: config.time_limit,
                ..Limits::default()
            };
            let best = solve(&top, &limits)?;
            search.proven &= best.proven;
            let low = health_of(&found[0].0);
            let high = best.best.map_or(low, |best| best.value);
            let floors: Vec<i64> = spread(low, high, k).collect();
            // The points one after another, each from the capacity the last one left, skipping
            // a floor the last plan already reaches. Their searches run on both cores at once
            // from the current capacity, and are taken in order as long as none lowers it:
            // the same searches, the same plans. After one that lowers it, the rest run again.
            let mut next = 0;
            while next < floors.len() {
                let capacity = search.capacity;
                let speculated: Vec<_> = floors[next..]
                    .par_iter()
                    .map(|&floor| {
                        let goal = if floor >= high {
                            Goal::Health
                        } else {
                            Goal::Value { floor: Some(floor) }
                        };
                        let mut own = Search {
                            capacity,
                            proven: true,
                            rejected: 0,
                        };
                        let mut verifier = Verifier {
                            scenario,
                            config,
                            cache: HashMap::new(),
                        };
                        calibrated(&model, &mut verifier, config, goal, &mut own, true)
                            .map(|plan| (plan, own))
                    })
                    .collect();
                let first = next;
                next = floors.len();
                for (offset, result) in speculated.into_iter().enumerate() {
                    let floor = floors[first + offset];
                    if found
                        .last()
                        .is_some_and(|(chosen, _)| health_of(chosen) >= floor)
                    {
                        continue;
                    }
                    let (plan, own) = result?;
                    search.rejected += own.rejected;
                    search.proven &= own.proven;
                    search.capacity = own.capacity;
                    if let Some(plan) = plan {
                        found_within.insert(plan.0.clone(), own.capacity);
                        found.push(plan);
                    }
                    if own.capacity != capacity {
                        next = first + offset + 1;
                        break;
                    }
                }
            }
        }
    }

    // Plans found before a capacity cut stay valid (they were verified), but one found later
    // may now dominate them: keep the non-dominated ones.
    let plans: Vec<Plan> = found
        .into_iter()
        .map(|(chosen, p_fit)| facts::plan_of(&facts, chosen, p_fit))
        .collect();
    let frontier = non_dominated(plans);
    let value_ideal = 0;
    let health_ideal = frontier.len() - 1;
    let recommended = knee(&frontier);
    let constraints = model.constraints(
        scenario,
        &facts,
        &frontier[recommended],
        model.effort_float(
            found_within
                .get(&frontier[recommended].chosen)
                .copied()
                .unwrap_or(search.capacity),
        ),
    );
    Ok(Outcome::Planned(Planned {
        facts,
        frontier,
        recommended,
        value_ideal,
        health_ideal,
        deadline,
        confidence: scenario.confidence,
        initial_capacity,
        capacity: model.effort_float(search.capacity),
        rejected: search.rejected,
        proven: search.proven,
        constraints,
        elapsed: started.elapsed(),
    }))
}

/// The plans no other plan beats on both value and health, from most value to most health.
fn non_dominated(mut plans: Vec<Plan>) -> Vec<Plan> {
    plans.sort_by(|a, b| {
        b.value
            .total_cmp(&a.value)
            .then(b.health.total_cmp(&a.health))
    });
    let mut kept: Vec<Plan> = Vec::new();
    for plan in plans {
        if kept.last().is_none_or(|last| plan.health > last.health) {
            kept.push(plan);
        }
    }
    kept
}

fn dot(coefficients: &[i64], chosen: &[bool]) -> i64 {
    coefficients
        .iter()
        .zip(chosen)
        .filter(|(_, c)| **c)
        .map(|(a, _)| a)
        .sum()
}

/// Forecasts plans, remembering each one's answer.
struct Verifier<'s> {
    scenario: &'s Scenario,
    config: &'s Config,
    cache: HashMap<Vec<bool>, f64>,
}

impl Verifier<'_> {
    fn p_fit(&mut self, chosen: &[bool]) -> Result<f64, PlanError> {
        if let Some(&p) = self.cache.get(chosen) {
            return Ok(p);
        }
        let dropped: Vec<String> = self
            .scenario
            .items
            .iter()
            .zip(chosen)
            .filter(|(_, c)| !**c)
            .map(|(item, _)| item.id.clone())
            .collect();
        let kept = self
            .scenario
            .without(&dropped)
            .expect("a plan is closed under needs");
        let config = ForecastConfig {
            trials: self.config.trials,
            seed: self.config.seed,
            order: Vec::new(),
            keep_trials: false,
        };
        let forecast = forecast(&kept, &config, &|_| {})?;
        let p = if forecast.unreachable.is_some() {
            0.0
        } else {
            forecast.plan.p_by_deadline.unwrap_or(0.0)
        };
        self.cache.insert(chosen.to_vec(), p);
        Ok(p)
    }
}

/// The scenario as the solver's integers.
struct Model {
    base: Problem,
    value: Vec<i64>,
    health: Vec<i64>,
    effort: Vec<i64>,
    effort_scale: f64,
    /// What the must rules fix in (musts, and restoring items when the budget is exhausted).
    required: Vec<bool>,
    kinds: Vec<ItemKind>,
    floor: f64,
    /// Items whose chain of needs alone does not fit: left out of every search.
    late: Vec<bool>,
}

impl Model {
    fn new(scenario: &Scenario, facts: &[ItemFacts], config: &Config) -> Model {
        let n = facts.len();
        // A power of ten near `steps / total`, so that numbers written with few decimals,
        // such as whole person-days, stay exact.
        let scale = |values: &[f64], steps: f64| {
            let total: f64 = values.iter().map(|v| v.abs()).sum();
            let scale = if total > 0.0 {
                10f64.powi((steps / total).log10().floor() as i32)
            } else {
                1.0
            };
            let ints = values.iter().map(|v| (v * scale).round() as i64).collect();
            (ints, scale)
        };
        let (value, _) = scale(
            &facts.iter().map(|f| f.value).collect::<Vec<_>>(),
            VALUE_STEPS,
        );
        let (health, _) = scale(
            &facts.iter().map(|f| f.health).collect::<Vec<_>>(),
            HEALTH_STEPS,
        );
        let (effort, effort_scale) = scale(
            &facts.iter().map(|f| f.effort).collect::<Vec<_>>(),
            EFFORT_STEPS,
        );
        let mut base = Problem::new(n);
        let index: HashMap<&str, usize> = scenario
            .items
            .iter()
            .enumerate()
            .map(|(idx, item)| (item.id.as_str(), idx))
            .collect();
        for (idx, item) in scenario.items.iter().enumerate() {
            for need in &item.needs {
                if let Some(&needed) = index.get(need.as_str()) {
                    base.require(idx, needed);
                }
            }
        }
        let exhausted = scenario.policy.error_budget == ErrorBudget::Exhausted;
        let mut required = vec![false; n];
        for (idx, item) in scenario.items.iter().enumerate() {
            if item.must || (exhausted && item.restores_budget) {
                base.fix(idx, true);
                required[idx] = true;
            }
            if exhausted && facts[idx].risk.is_some_and(|risk| risk > config.max_risk) {
                base.fix(idx, false);
            }
        }
        let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
        for (idx, item) in scenario.items.iter().enumerate() {
            if let Some(group) = &item.alternatives {
                match groups.iter_mut().find(|(name, _)| *name == group.as_str()) {
                    Some((_, members)) => members.push(idx),
                    None => groups.push((group.as_str(), vec![idx])),
                }
            }
        }
        for (_, members) in groups.iter().filter(|(_, members)| members.len() > 1) {
            base.add_row((0..n).map(|v| i64::from(members.contains(&v))).collect(), 1);
        }
        let floor = scenario.policy.health_floor;
        if floor > 0.0 {
            // Health-kind effort ≥ floor × all effort, as f·e − [health]·e ≤ 0 in thousandths.
            let f = (floor * FLOOR_STEPS as f64).round() as i64;
            let row = scenario
                .items
                .iter()
                .zip(&effort)
                .map(|(item, &e)| {
                    f * e
                        - if item.kind == ItemKind::Health {
                            FLOOR_STEPS * e
                        } else {
                            0
                        }
                })
                .collect();
            base.add_row(row, 0);
        }
        Model {
            base,
            value,
            health,
            effort,
            effort_scale,
            required,
            kinds: scenario.items.iter().map(|item| item.kind).collect(),
            floor,
            late: vec![false; n],
        }
    }

    fn effort_units(&self, person_days: f64) -> i64 {
        (person_days * self.effort_scale).floor() as i64
    }

    fn effort_float(&self, units: i64) -> f64 {
        units as f64 / self.effort_scale
    }

    fn effort_of(&self, chosen: &[bool]) -> i64 {
        dot(&self.effort, chosen)
    }

    /// Drops chosen items that add neither value nor health and that nothing chosen needs,
    /// while every rule still holds: among plans worth the same, the one with less work.
    fn prune(&self, problem: &Problem, chosen: &mut [bool]) {
        let requirements = problem.requirements();
        loop {
            let needed = |v: usize, chosen: &[bool]| {
                requirements.iter().any(|&(by, need)| {
                    need as usize == v && by as usize != v && chosen[by as usize]
                })
            };
            let idle = (0..chosen.len()).find(|&v| {
                chosen[v]
                    && self.value[v] == 0
                    && self.health[v] == 0
                    && problem.fixed()[v].is_none()
                    && !needed(v, chosen)
                    && {
                        let mut without = chosen.to_vec();
                        without[v] = false;
                        problem.check(&without).is_ok()
                    }
            });
            match idle {
                Some(v) => chosen[v] = false,
                None => return,
            }
        }
    }

    fn with_capacity(&self, capacity: i64) -> Problem {
        let mut problem = self.base.clone();
        for (var, _) in self.late.iter().enumerate().filter(|(_, late)| **late) {
            problem.fix(var, false);
        }
        problem.add_row(self.effort.clone(), capacity.max(-1));
        problem
    }

    /// Why no plan satisfies the rules other than capacity, if none does.
    fn policy_conflict(
        &self,
        scenario: &Scenario,
        facts: &[ItemFacts],
        config: &Config,
    ) -> Result<Option<Infeasible>, PlanError> {
        if solve(&self.base, &Limits::default())?.best.is_some() {
            return Ok(None);
        }
        // What the rules force in: the required items and, transitively, what they need.
        let index: HashMap<&str, usize> = scenario
            .items
            .iter()
            .enumerate()
            .map(|(idx, item)| (item.id.as_str(), idx))
            .collect();
        let mut forced_by: Vec<Option<usize>> = vec![None; facts.len()];
        let mut stack: Vec<(usize, usize)> = (0..facts.len())
            .filter(|&idx| self.required[idx])
            .map(|idx| (idx, idx))
            .collect();
        while let Some((idx, by)) = stack.pop() {
            if forced_by[idx].is_some() {
                continue;
            }
            forced_by[idx] = Some(by);
            for need in &scenario.items[idx].needs {
                if let Some(&needed) = index.get(need.as_str()) {
                    stack.push((needed, by));
                }
            }
        }
        let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
        for (idx, item) in scenario.items.iter().enumerate() {
            if let (Some(group), Some(_)) = (&item.alternatives, forced_by[idx]) {
                match groups.iter_mut().find(|(name, _)| *name == group.as_str()) {
                    Some((_, members)) => members.push(item.id.clone()),
                    None => groups.push((group.as_str(), vec![item.id.clone()])),
                }
            }
        }
        if let Some((group, items)) = groups.into_iter().find(|(_, items)| items.len() > 1) {
            return Ok(Some(Infeasible::MustAlternatives {
                group: group.to_owned(),
                items,
            }));
        }
        if scenario.policy.error_budget == ErrorBudget::Exhausted {
            for (idx, fact) in facts.iter().enumerate() {
                let (Some(by), Some(risk)) = (forced_by[idx], fact.risk) else {
                    continue;
                };
                if risk > config.max_risk {
                    return Ok(Some(Infeasible::MustTooRisky {
                        item: facts[by].id.clone(),
                        risky: fact.id.clone(),
                        risk,
                        limit: config.max_risk,
                    }));
                }
            }
        }
        if self.floor > 0.0 {
            // Without the floor's row (the last one added), is there a plan?
            let mut without_floor = Problem::new(facts.len());
            for &(var, needed) in self.base.requirements() {
                without_floor.require(var as usize, needed as usize);
            }
            let rows = self.base.rows();
            for row in &rows[..rows.len() - 1] {
                without_floor.add_row(row.coefficients.clone(), row.bound);
            }
            for (var, fixed) in self.base.fixed().iter().enumerate() {
                if let Some(value) = fixed {
                    without_floor.fix(var, *value);
                }
            }
            if solve(&without_floor, &Limits::default())?.best.is_some() {
                return Ok(Some(Infeasible::HealthFloor { floor: self.floor }));
            }
        }
        Ok(Some(Infeasible::Other))
    }

    /// Why no plan fits the deadline: the must items alone, forecast.
    fn capacity_conflict(
        &self,
        verifier: &mut Verifier<'_>,
        capacity: f64,
    ) -> Result<Infeasible, PlanError> {
        // The smallest plan: the required items and what they need, nothing else.
        let mut minimal = self.base.clone();
        minimal.set_objective_all(self.effort.iter().map(|e| -e).collect());
        let smallest = solve(&minimal, &Limits::default())?;
        let Some(smallest) = smallest.best else {
            return Ok(Infeasible::Other);
        };
        let p_fit = verifier.p_fit(&smallest.chosen)?;
        let items = verifier
            .scenario
            .items
            .iter()
            .zip(&smallest.chosen)
            .filter(|(_, c)| **c)
            .map(|(item, _)| item.id.clone())
            .collect();
        Ok(Infeasible::MustDoNotFit {
            items,
            effort: self.effort_float(self.effort_of(&smallest.chosen)),
            capacity,
            p_fit,
            confidence: verifier.scenario.confidence,
        })
    }

    /// The rules as they stand for a plan.
    fn constraints(
        &self,
        scenario: &Scenario,
        facts: &[ItemFacts],
        plan: &Plan,
        capacity: f64,
    ) -> Vec<Constraint> {
        let mut constraints = Vec::new();
        // Capacity binds when no left-out item (with what it needs) would still fit.
        let smallest_addition = (0..facts.len())
            .filter(|&idx| !plan.chosen[idx])
            .map(|idx| facts[idx].effort)
            .reduce(f64::min);
        constraints.push(Constraint {
            name: "capacity",
            detail: format!(
                "{:.0} of {:.0} person-days of expected effort",
                plan.effort, capacity
            ),
            binds: smallest_addition.is_some_and(|effort| plan.effort + effort > capacity),
        });
        constraints.push(Constraint {
            name: "fit",
            detail: format!(
                "{:.0}% chance of being done by the deadline, {:.0}% promised",
                plan.p_fit * 100.0,
                scenario.confidence * 100.0
            ),
            binds: plan.p_fit < scenario.confidence + 0.05,
        });
        if self.floor > 0.0 {
            let health_effort: f64 = facts
                .iter()
                .zip(&self.kinds)
                .zip(&plan.chosen)
                .filter(|((_, kind), c)| **c && **kind == ItemKind::Health)
                .map(|((f, _), _)| f.effort)
                .sum();
            let share = if plan.effort > 0.0 {
                health_effort / plan.effort
            } else {
                0.0
            };
            constraints.push(Constraint {
                name: "health floor",
                detail: format!(
                    "{:.0}% of the plan's effort is health work, at least {:.0}% required",
                    share * 100.0,
                    self.floor * 100.0
                ),
                binds: share < self.floor + 0.02,
            });
        }
        let musts: Vec<&str> = scenario
            .items
            .iter()
            .zip(&self.required)
            .filter(|(_, r)| **r)
            .map(|(item, _)| item.id.as_str())
            .collect();
        if !musts.is_empty() {
            constraints.push(Constraint {
                name: "must",
                detail: format!("includes {}", musts.join(", ")),
                binds: true,
            });
        }
        let mut seen: Vec<&str> = Vec::new();
        for item in &scenario.items {
            let Some(group) = item.alternatives.as_deref() else {
                continue;
            };
            if seen.contains(&group) {
                continue;
            }
            seen.push(group);
            let members: Vec<&str> = scenario
                .items
                .iter()
                .filter(|other| other.alternatives.as_deref() == Some(group))
                .map(|other| other.id.as_str())
                .collect();
            let taken: Vec<&str> = members
                .iter()
                .filter(|id| plan.items.iter().any(|chosen| chosen == *id))
                .copied()
                .collect();
            constraints.push(Constraint {
                name: "alternatives",
                detail: format!(
                    "`{group}`: {} of {}",
                    if taken.is_empty() {
                        "none".to_owned()
                    } else {
                        taken.join(", ")
                    },
                    members.join(", ")
                ),
                binds: !taken.is_empty() && members.len() > 1,
            });
        }
        if scenario.policy.error_budget == ErrorBudget::Exhausted {
            let left_out: Vec<&str> = facts
                .iter()
                .filter(|f| f.risk.is_some_and(|risk| risk > 0.0))
                .filter(|f| !plan.items.contains(&f.id))
                .map(|f| f.id.as_str())
                .collect();
            constraints.push(Constraint {
                name: "error budget",
                detail: format!(
                    "exhausted: restoring items included, risky items left out{}",
                    if left_out.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", left_out.join(", "))
                    }
                ),
                binds: true,
            });
        }
        constraints
    }
}
