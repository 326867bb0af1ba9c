//! Monte Carlo delivery forecasts (Speed vs Durability): when will each item ship, when will
//! the whole plan be done, and how likely is the deadline.
//!
//! [`forecast`] is a pure function of the scenario and the configuration: the seed is an input,
//! there is no clock and no IO. Each trial draws every effort, the team's focus and every
//! review lead time from one sampling model (so a quantity has one value per trial), runs the
//! schedule of [`schedule`], and counts each ship date into a per-day histogram. Memory grows
//! with the span of dates, never with the number of trials. Trials run in parallel in chunks;
//! the result is the same whatever the number of threads.

pub mod backtest;
mod days;
pub mod flow;
mod schedule;
pub mod throughput;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use jiff::civil::Date;
use rayon::prelude::*;
use tension_estimate::{CHUNK, ModelError, NodeId};
use tension_model::{Calendar, FieldRef, Scenario, compile};

pub use days::Days;

use crate::schedule::{Network, Scratch};

/// How many years of working days the calendar covers; ship dates past it have no date.
pub const CALENDAR_YEARS: i16 = 20;

/// The ship day of a trial that ends past the calendar, or never.
const NEVER: u32 = u32::MAX;

/// Trials drawn and run at a time: a chunk of the sampling is worked through in parts this long,
/// so that the part's draws, efforts and ship days stay in cache however many items there are.
const PART: usize = 64;

/// The stride of the part's ship days, one row per item: a part of trials and one cache line
/// more, so that a trial's stores, one per row, fall in different cache sets (a stride of a
/// whole number of pages maps them all to the same few).
const SHIP_ROW: usize = PART + 16;

/// Average days in a month, for value per month.
const DAYS_PER_MONTH: f64 = 365.2425 / 12.0;

/// What to forecast, beyond the scenario itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub trials: usize,
    pub seed: u64,
    /// Item ids to put first in the plan, in this order; the others follow in file order.
    pub order: Vec<String>,
    /// Keep the finish day of every trial ([`Forecast::finish_by_trial`]), for callers that
    /// relate the finish to the inputs drawn in the same trial.
    pub keep_trials: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            trials: 10_000,
            seed: 1,
            order: Vec::new(),
            keep_trials: false,
        }
    }
}

/// A configuration the scenario cannot be forecast with.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ForecastError {
    #[error("--order names `{id}`, which is not an item{}", suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    UnknownItemInOrder {
        id: String,
        suggestion: Option<String>,
    },
    #[error("--order names `{id}` twice")]
    DuplicateInOrder { id: String },
    #[error("the scenario's estimates do not compile: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Compile(Vec<ModelError>),
    #[error("at least one trial is needed")]
    NoTrials,
}

/// Why no trial can finish: a result, not an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreachable {
    NoPeople,
    NoFocus,
    NoWorkdays,
}

impl Unreachable {
    pub fn message(self) -> &'static str {
        match self {
            Unreachable::NoPeople => {
                "the plan can never finish: the team has no people (`people = 0`)"
            }
            Unreachable::NoFocus => {
                "the plan can never finish: the team spends no time on planned work (`focus = 0`)"
            }
            Unreachable::NoWorkdays => "the plan can never finish: the team has no working days",
        }
    }
}

/// The forecast of one item.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemForecast {
    pub id: String,
    pub title: String,
    /// Ship dates at 50%, 85% and 95%; `None` when past the calendar or never.
    pub p50: Option<Date>,
    pub p85: Option<Date>,
    pub p95: Option<Date>,
    pub target: Option<Date>,
    /// The probability of shipping on or before `target`, when it has one.
    pub p_on_time: Option<f64>,
    /// Expected value delivered by the horizon: value per month for the months from the ship
    /// date to the horizon, plus the one-off value when it ships by the horizon.
    pub expected_value: f64,
    pub days: Days,
}

/// The forecast of the whole plan: the day its last item ships.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanForecast {
    pub p50: Option<Date>,
    pub p85: Option<Date>,
    pub p95: Option<Date>,
    /// The probability of finishing on or before the deadline, when there is one.
    pub p_by_deadline: Option<f64>,
    /// The date promised at the scenario's confidence.
    pub at_confidence: Option<Date>,
    pub confidence: f64,
    pub days: Days,
}

/// Something the reader of a forecast should know.
#[derive(Debug, Clone, PartialEq)]
pub enum Warning {
    /// Some trials end past the calendar (or never): their dates are unknown.
    BeyondCalendar { share: f64, end: Date },
    /// The forecast runs every item, so it builds each of these alternatives, where a plan
    /// would take at most one.
    Alternatives { group: String, items: Vec<String> },
}

impl Warning {
    pub fn message(&self) -> String {
        match self {
            Warning::BeyondCalendar { share, end } => format!(
                "{:.1}% of trials do not finish by {end}, {CALENDAR_YEARS} years after the start: check the effort ranges and the team",
                share * 100.0
            ),
            Warning::Alternatives { group, items } => format!(
                "the forecast includes every item, so both alternatives of `{group}` ({}); drop all but one with --without",
                items.join(", ")
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    pub trials: usize,
    pub seed: u64,
    pub people: u32,
    pub plan: PlanForecast,
    /// Items in plan order.
    pub items: Vec<ItemForecast>,
    pub unreachable: Option<Unreachable>,
    pub warnings: Vec<Warning>,
    pub calendar: Calendar,
    /// The working day on which the whole plan finished, trial by trial (`None`: past the
    /// calendar, or never); empty unless [`Config::keep_trials`]. Trial `t` drew its inputs
    /// from the scenario's model at trial `t` of the same seed.
    pub finish_by_trial: Vec<Option<u32>>,
}

/// Forecasts the scenario. `progress` is called from any thread with the number of trials done.
pub fn forecast(
    scenario: &Scenario,
    config: &Config,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Forecast, ForecastError> {
    if config.trials == 0 {
        return Err(ForecastError::NoTrials);
    }
    let order = plan_order(scenario, &config.order)?;
    let compiled = compile(scenario).map_err(ForecastError::Compile)?;
    let calendar = Calendar::new(
        scenario.start,
        scenario.team.workdays,
        &scenario.team.holidays,
        CALENDAR_YEARS,
    );

    let items: Vec<&tension_model::Item> = order.iter().map(|&idx| &scenario.items[idx]).collect();
    let position: HashMap<&str, usize> = items
        .iter()
        .enumerate()
        .map(|(pos, item)| (item.id.as_str(), pos))
        .collect();
    let review_index: HashMap<&str, usize> = scenario
        .reviews
        .iter()
        .enumerate()
        .map(|(idx, r)| (r.id.as_str(), idx))
        .collect();
    let network = network(scenario, &items, &position, &review_index);

    // The sampled inputs: one node per effort, value, one-off value, lead time, and the focus.
    let field = |item: &str, name: &'static str| {
        compiled.fields.get(&FieldRef::Item {
            item: item.to_owned(),
            field: name,
        })
    };
    let effort: Vec<Option<NodeId>> = items
        .iter()
        .map(|item| field(&item.id, "effort").copied())
        .collect();
    let value: Vec<Option<NodeId>> = items
        .iter()
        .map(|item| field(&item.id, "value").copied())
        .collect();
    let value_once: Vec<Option<NodeId>> = items
        .iter()
        .map(|item| field(&item.id, "value_once").copied())
        .collect();
    let lead: Vec<Option<NodeId>> = scenario
        .reviews
        .iter()
        .map(|review| {
            compiled
                .fields
                .get(&FieldRef::ReviewLeadTime(review.id.clone()))
                .copied()
        })
        .collect();
    let focus = compiled.fields.get(&FieldRef::Focus).copied();
    let outputs: Vec<NodeId> = effort
        .iter()
        .chain(&value)
        .chain(&value_once)
        .chain(&lead)
        .flatten()
        .copied()
        .chain(focus)
        .collect();

    let unreachable = if scenario.team.people == 0 {
        Some(Unreachable::NoPeople)
    } else if calendar.is_empty() {
        Some(Unreachable::NoWorkdays)
    } else if scenario
        .team
        .focus
        .as_ref()
        .is_some_and(|f| f.expr.bounds().is_some_and(|(_, high)| high <= 0.0))
    {
        Some(Unreachable::NoFocus)
    } else {
        None
    };

    let horizon_day = scenario.horizon.map(|horizon| calendar.day_of(horizon));
    // Months of value from each ship day to the horizon.
    let months_left: Vec<f64> = (0..=calendar.len())
        .map(|day| match (scenario.horizon, calendar.date(day.max(1))) {
            (Some(horizon), Some(date)) => {
                ((horizon - date).get_days().max(0) as f64) / DAYS_PER_MONTH
            }
            _ => 0.0,
        })
        .collect();
    let target_day: Vec<Option<u32>> = items
        .iter()
        .map(|item| item.business.target.map(|t| calendar.day_of(t)))
        .collect();
    let deadline_day = scenario.deadline.map(|deadline| calendar.day_of(deadline));
    let last_day = calendar.len();
    let to_day = |time: f64| -> Option<u32> {
        // Working day n covers the time (n - 1, n]; the tolerance keeps 10 / 2 from landing
        // a day late through rounding. Past the calendar (or infinite), there is no date.
        let time = time - 1e-9;
        if time >= f64::from(last_day) {
            return None;
        }
        // `ceil` without a call into libm: the time is below `last_day`, so it fits in a u32.
        let whole = time.max(0.0) as u32;
        let day = if f64::from(whole) < time {
            whole + 1
        } else {
            whole
        };
        Some(day.max(1))
    };

    let n_items = items.len();
    let done = AtomicUsize::new(0);
    let n_chunks = config.trials.div_ceil(CHUNK);
    let run_chunk = |worker: &mut Worker<'_>, chunk_idx: usize| {
        let Worker {
            sampler,
            scratch,
            effort_rows,
            ship_days,
            tally,
        } = worker;
        let len = sampler.start_chunk(chunk_idx, config.trials, config.seed);
        let mut chunk_finish = Vec::new();
        // The chunk is drawn and run a part at a time, so that the part's draws, its efforts by
        // trial and its ship days stay in cache between the steps below.
        loop {
            let part = sampler.fill_part(PART);
            if part == 0 {
                break;
            }
            let column = |node: Option<NodeId>| node.map(|node| sampler.column(node, part));
            // Efforts by trial, items side by side: the schedule reads one trial's efforts in a
            // row, where reading them from one column per item would touch a line per item.
            // Copied in blocks of trials, so that both sides of the copy stay in cache.
            // Items without an effort keep the zeros of the first resize.
            effort_rows.resize(PART * n_items, 0.0);
            const BLOCK: usize = 64;
            for block in (0..part).step_by(BLOCK) {
                let block_end = (block + BLOCK).min(part);
                for (item, node) in effort.iter().enumerate() {
                    let Some(column) = column(*node) else {
                        continue;
                    };
                    for trial in block..block_end {
                        effort_rows[trial * n_items + item] = column[trial];
                    }
                }
            }
            let lead: Vec<Option<&[f64]>> = lead.iter().map(|node| column(*node)).collect();
            let focus = column(focus);
            // First every trial, keeping each item's ship day by item; then the counts, item by
            // item, so that each item's histogram stays in cache while it is filled.
            // Every slot of the part's trials is written below before it is read.
            ship_days.resize(n_items * SHIP_ROW, NEVER);
            for trial in 0..part {
                if unreachable.is_none() {
                    network.run(
                        &effort_rows[trial * n_items..(trial + 1) * n_items],
                        focus.map_or(1.0, |focus| focus[trial]),
                        |review| lead[review].map_or(0.0, |lead| lead[trial]),
                        scratch,
                    );
                } else {
                    scratch.ship.clear();
                    scratch.ship.resize(n_items, f64::INFINITY);
                }
                let mut finish = 1u32;
                for (item, &time) in scratch.ship.iter().enumerate() {
                    let day = to_day(time).unwrap_or(NEVER);
                    ship_days[item * SHIP_ROW + trial] = day;
                    finish = finish.max(day);
                }
                tally.plan.add((finish != NEVER).then_some(finish));
                if config.keep_trials {
                    chunk_finish.push((finish != NEVER).then_some(finish));
                }
            }
            for item in 0..n_items {
                let days = &ship_days[item * SHIP_ROW..item * SHIP_ROW + part];
                let histogram = &mut tally.items[item];
                for &day in days {
                    histogram.add((day != NEVER).then_some(day));
                }
                if let Some(target) = target_day[item] {
                    tally.on_time[item] += days.iter().filter(|&&day| day <= target).count() as u64;
                }
                let (value, value_once) = (column(value[item]), column(value_once[item]));
                if value.is_none() && value_once.is_none() {
                    continue;
                }
                for (trial, &day) in days.iter().enumerate() {
                    if day == NEVER {
                        continue;
                    }
                    if let Some(value) = value {
                        tally.value[item] += fixed(value[trial] * months_left[day as usize]);
                    }
                    if let (Some(value_once), Some(horizon)) = (value_once, horizon_day)
                        && day <= horizon
                    {
                        tally.value[item] += fixed(value_once[trial]);
                    }
                }
            }
        }
        if config.keep_trials {
            tally.finish.push((chunk_idx, chunk_finish));
        }
        progress(done.fetch_add(len, Ordering::Relaxed) + len);
    };
    // One worker per thread, each taking every n-th chunk: the working memory (sampling
    // buffers, histograms) exists once per thread, however many chunks there are.
    let n_workers = rayon::current_num_threads().clamp(1, n_chunks);
    let tally = (0..n_workers)
        .into_par_iter()
        .map(|worker_idx| {
            let mut worker = Worker {
                sampler: compiled.model.sampler(&outputs),
                scratch: Scratch::default(),
                effort_rows: Vec::new(),
                ship_days: Vec::new(),
                tally: Tally::new(n_items),
            };
            for chunk_idx in (worker_idx..n_chunks).step_by(n_workers) {
                run_chunk(&mut worker, chunk_idx);
            }
            worker.tally
        })
        .reduce(|| Tally::new(n_items), Tally::merge);

    let date = |day: Option<u32>| day.and_then(|day| calendar.date(day));
    let trials = config.trials as f64;
    let items_forecast = items
        .iter()
        .zip(tally.items)
        .enumerate()
        .map(|(idx, (item, days))| ItemForecast {
            id: item.id.clone(),
            title: item.title.clone(),
            p50: date(days.quantile(0.50)),
            p85: date(days.quantile(0.85)),
            p95: date(days.quantile(0.95)),
            target: item.business.target,
            p_on_time: item
                .business
                .target
                .map(|_| tally.on_time[idx] as f64 / trials),
            expected_value: unfixed(tally.value[idx]) / trials,
            days,
        })
        .collect();
    let plan_days = tally.plan;
    let mut chunks = tally.finish;
    chunks.sort_unstable_by_key(|(chunk_idx, _)| *chunk_idx);
    let finish_by_trial = chunks.into_iter().flat_map(|(_, days)| days).collect();
    let mut warnings = Vec::new();
    if unreachable.is_none() && plan_days.beyond() > 0 {
        warnings.push(Warning::BeyondCalendar {
            share: plan_days.beyond() as f64 / trials,
            end: calendar.last().unwrap_or(scenario.start),
        });
    }
    let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
    for item in &items {
        let Some(group) = item.alternatives.as_deref() else {
            continue;
        };
        match groups.iter_mut().find(|(name, _)| *name == group) {
            Some((_, members)) => members.push(item.id.clone()),
            None => groups.push((group, vec![item.id.clone()])),
        }
    }
    for (group, members) in groups {
        if members.len() > 1 {
            warnings.push(Warning::Alternatives {
                group: group.to_owned(),
                items: members,
            });
        }
    }
    let plan = PlanForecast {
        p50: date(plan_days.quantile(0.50)),
        p85: date(plan_days.quantile(0.85)),
        p95: date(plan_days.quantile(0.95)),
        p_by_deadline: deadline_day.map(|day| plan_days.share_by(day)),
        at_confidence: date(plan_days.quantile(scenario.confidence)),
        confidence: scenario.confidence,
        days: plan_days,
    };
    Ok(Forecast {
        trials: config.trials,
        seed: config.seed,
        people: scenario.team.people,
        plan,
        items: items_forecast,
        unreachable,
        warnings,
        calendar,
        finish_by_trial,
    })
}

/// What one thread works with: buffers reused from chunk to chunk, and its counts.
struct Worker<'m> {
    sampler: tension_estimate::Sampler<'m>,
    scratch: Scratch,
    effort_rows: Vec<f64>,
    ship_days: Vec<u32>,
    tally: Tally,
}

/// Per-thread counts, merged at the end. Value is summed in fixed point, so that the total is
/// exact and independent of how trials were split across threads.
#[derive(Debug)]
struct Tally {
    items: Vec<Days>,
    plan: Days,
    on_time: Vec<u64>,
    value: Vec<i128>,
    /// With `keep_trials`: the finish days of each chunk run, by chunk index.
    finish: Vec<(usize, Vec<Option<u32>>)>,
}

impl Tally {
    fn new(n_items: usize) -> Tally {
        Tally {
            items: vec![Days::default(); n_items],
            plan: Days::default(),
            on_time: vec![0; n_items],
            value: vec![0; n_items],
            finish: Vec::new(),
        }
    }

    fn merge(mut self, other: Tally) -> Tally {
        for (mine, theirs) in self.items.iter_mut().zip(&other.items) {
            mine.merge(theirs);
        }
        self.plan.merge(&other.plan);
        for (mine, theirs) in self.on_time.iter_mut().zip(&other.on_time) {
            *mine += theirs;
        }
        for (mine, theirs) in self.value.iter_mut().zip(&other.value) {
            *mine = mine.saturating_add(*theirs);
        }
        self.finish.extend(other.finish);
        self
    }
}

/// Fixed point with 20 fractional bits: exact sums in any order, to a millionth of a unit.
const FIXED_ONE: f64 = (1u64 << 20) as f64;

fn fixed(value: f64) -> i128 {
    if value.is_finite() {
        (value * FIXED_ONE).round() as i128
    } else {
        0
    }
}

fn unfixed(value: i128) -> f64 {
    value as f64 / FIXED_ONE
}

/// Plan order: the ids of `--order` first, in that order, then the rest in file order.
fn plan_order(scenario: &Scenario, order: &[String]) -> Result<Vec<usize>, ForecastError> {
    let mut positions = Vec::with_capacity(scenario.items.len());
    for id in order {
        let Some(idx) = scenario.items.iter().position(|item| item.id == *id) else {
            let ids = scenario.items.iter().map(|item| item.id.as_str());
            let suggestion = tension_estimate::closest(id, ids).map(str::to_owned);
            return Err(ForecastError::UnknownItemInOrder {
                id: id.clone(),
                suggestion,
            });
        };
        if positions.contains(&idx) {
            return Err(ForecastError::DuplicateInOrder { id: id.clone() });
        }
        positions.push(idx);
    }
    for idx in 0..scenario.items.len() {
        if !positions.contains(&idx) {
            positions.push(idx);
        }
    }
    Ok(positions)
}

fn network(
    scenario: &Scenario,
    items: &[&tension_model::Item],
    position: &HashMap<&str, usize>,
    review_index: &HashMap<&str, usize>,
) -> Network {
    let mut dependents: Vec<Vec<u32>> = vec![Vec::new(); items.len()];
    let mut n_needs = vec![0u32; items.len()];
    for (pos, item) in items.iter().enumerate() {
        for need in &item.needs {
            // A validated scenario names only its own items; an unknown one is ignored.
            if let Some(&need_pos) = position.get(need.as_str()) {
                dependents[need_pos].push(pos as u32);
                n_needs[pos] += 1;
            }
        }
    }
    let reviews = flatten(
        items
            .iter()
            .map(|item| {
                item.reviews
                    .iter()
                    .filter_map(|review| review_index.get(review.as_str()).map(|&idx| idx as u32))
                    .collect()
            })
            .collect(),
    );
    Network::new(
        scenario.team.people,
        items
            .iter()
            .map(|item| item.technical.max_people.max(1))
            .collect(),
        n_needs,
        flatten(dependents),
        reviews,
    )
}

/// Lists of indexes as one flat array with start offsets.
fn flatten(lists: Vec<Vec<u32>>) -> (Vec<u32>, Vec<u32>) {
    let mut start = Vec::with_capacity(lists.len() + 1);
    start.push(0);
    let mut flat = Vec::new();
    for list in lists {
        flat.extend(list);
        start.push(flat.len() as u32);
    }
    (start, flat)
}
