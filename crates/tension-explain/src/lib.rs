//! Which unknown matters: for every uncertain input of a scenario, what knowing it exactly
//! would be worth to the choice of a plan, how far it moves the recommended plan's value and
//! finish date, how good its evidence is, and where the two sides' estimates disagree.
//!
//! [`explain`] is pure: the scenario, its frontier (from `tension-plan`) and the configuration
//! in, the explanation out.
//!
//! 1. **The decision** is the choice among the frontier's plans whose health is at least
//!    [`Config::min_health`] (by default the recommended plan's). A plan's value in a trial is
//!    its business value as `SCENARIO.md` defines it for choosing plans: for each item, the
//!    trial's monthly value times the months from the deadline to the horizon, plus its one-off
//!    value. Every plan is valued on the same trials.
//! 2. **Inputs** are the estimates written in the scenario (`40k..60k`, `normal(20, 4)`) that the
//!    plans' values or the recommended plan's schedule depend on. A named quantity is one input
//!    wherever it is used; an estimate written inline is an input named after its field
//!    (`one-click.effort`), with `#2`, `#3` for a second and third in the same expression.
//! 3. **Value of information** ([`voi`]): the EVPI of the decision, and each input's EVPPI by
//!    sorting the trials on it, cross-fitted so that noise does not pass for information.
//! 4. **Sensitivity**: the recommended plan's value with the input at its 10th and 90th
//!    percentiles and every other input at its median (the tornado); and its P85 finish date
//!    among the fifth of trials where the input was lowest (whose median is the input's 10th
//!    percentile) and the fifth where it was highest. The date needs the other inputs to vary,
//!    which is why it is read from the trials rather than from medians.
//! 5. **Evidence** of each input (source, quality, age) and the [`Weakness`]es that make it worth
//!    verifying; **disagreements** ([`disagree`]) where both sides estimated the same field.

pub mod disagree;
pub mod voi;

use std::collections::HashMap;

use jiff::civil::Date;
use rayon::prelude::*;
use tension_estimate::{NodeId, quantile_rank, quantile_sorted};
use tension_forecast::{Config as ForecastConfig, ForecastError, forecast};
use tension_model::{Estimate, Evidence, FieldRef, Quality, Scenario, compile};
use tension_plan::{Plan, PlanError, Planned, value_months};

pub use disagree::Disagreement;
pub use voi::{Decision, DecisionError, Partial};

/// What to explain, beyond the scenario and its frontier.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Monte Carlo trials, shared by every input and every plan.
    pub trials: usize,
    pub seed: u64,
    /// Plans below this health are not options; `None`: the recommended plan's health.
    pub min_health: Option<f64>,
    /// The date that counts as today, for the age of evidence; `None`: ages are unknown.
    pub today: Option<Date>,
    /// How to plan again when the disagreement map swaps one side's estimate for the other's.
    pub plan: tension_plan::Config,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            trials: 10_000,
            seed: 1,
            min_health: None,
            today: None,
            plan: tension_plan::Config::default(),
        }
    }
}

/// Why a scenario cannot be explained.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExplainError {
    #[error(
        "the frontier has a single plan ({}), so no number can change the choice and information has nothing to be worth; `tension plan` shows what pins it (must items, the health floor, the capacity)",
        describe(items)
    )]
    OnePlan { items: Vec<String> },
    #[error(
        "only one plan of the frontier has health of at least {min_health:+} (the healthiest has {best:+}), so there is nothing to choose between; give a lower --min-health"
    )]
    OneOption { min_health: f64, best: f64 },
    #[error(
        "every number the plans depend on is fixed, so there is no uncertainty to value; write ranges (`15..40 days`, `40k..60k`) where people are unsure"
    )]
    NoUncertainty,
    #[error(
        "the value of `{item}` is not a finite number in some trials (a division by zero?); look at it with `tension estimate --file FILE {item}.value`"
    )]
    NotFinite { item: String },
    #[error("at least two trials are needed")]
    TooFewTrials,
    #[error(transparent)]
    Forecast(#[from] ForecastError),
    #[error(transparent)]
    Plan(#[from] PlanError),
}

fn describe(items: &[String]) -> String {
    if items.is_empty() {
        "no items".to_owned()
    } else {
        items.join(", ")
    }
}

/// Why an input's evidence is weak, and verifying it comes first when its information is
/// worth something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weakness {
    /// `quality = "guess"`.
    Guess,
    /// No `source`.
    NoSource,
    /// Checked more than [`Evidence::STALE_DAYS`] days ago.
    Stale { days: i32 },
}

impl Weakness {
    pub fn describe(self) -> String {
        match self {
            Weakness::Guess => "a guess".to_owned(),
            Weakness::NoSource => "no source".to_owned(),
            Weakness::Stale { days } => format!("{days} days old"),
        }
    }
}

/// One uncertain input and what it does to the decision.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    /// `team_upgrade_share`, `one-click.effort`, `one-click.value#2`.
    pub name: String,
    /// The quantity or field the estimate is written in.
    pub field: String,
    pub evppi: f64,
    pub p_change: f64,
    /// The estimate's 10th, 50th and 90th percentiles, from the trials.
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
    pub unit: Option<String>,
    /// The recommended plan's value with this input at its 10th and 90th percentiles and every
    /// other input at its median.
    pub value_at_p10: f64,
    pub value_at_p90: f64,
    /// The recommended plan's P85 finish among the fifth of trials where this input was lowest,
    /// and the fifth where it was highest (`None`: past the calendar).
    pub p85_at_low: Option<Date>,
    pub p85_at_high: Option<Date>,
    /// Whether any plan's value, and the recommended plan's schedule, depend on it.
    pub in_value: bool,
    pub in_schedule: bool,
    pub evidence: Evidence,
    pub age_days: Option<i32>,
    pub weaknesses: Vec<Weakness>,
}

impl Input {
    /// The tornado's bar: the value at the 90th percentile minus the value at the 10th.
    pub fn swing_value(&self) -> f64 {
        self.value_at_p90 - self.value_at_p10
    }

    /// Calendar days from the P85 finish of the low fifth to that of the high fifth; 0 for an
    /// input the schedule does not depend on, `None` when either is past the calendar.
    pub fn swing_p85_days(&self) -> Option<i32> {
        if !self.in_schedule {
            return Some(0);
        }
        Some((self.p85_at_high? - self.p85_at_low?).get_days())
    }

    /// Weak evidence: a guess, no source, or stale.
    pub fn is_weak(&self) -> bool {
        !self.weaknesses.is_empty()
    }
}

/// The explanation of a scenario's decision.
#[derive(Debug, Clone, PartialEq)]
pub struct Explained {
    pub frontier: Vec<Plan>,
    pub recommended: usize,
    /// Plans of the frontier that are options: health at least `min_health`.
    pub options: Vec<usize>,
    pub min_health: f64,
    /// The option best on average over the trials: the choice without more information.
    pub baseline: usize,
    /// Each frontier plan's mean value over the trials.
    pub mean_value: Vec<f64>,
    pub evpi: f64,
    /// By EVPPI, then by the size of the value swing.
    pub inputs: Vec<Input>,
    /// The recommended plan's value with every input at its median.
    pub value_at_medians: f64,
    /// The recommended plan's P85 finish over all trials.
    pub p85: Option<Date>,
    pub disagreements: Vec<Disagreement>,
    pub currency: Option<String>,
    pub trials: usize,
    pub seed: u64,
    /// Runs of sorted trials per input.
    pub bins: usize,
}

/// An input is worth verifying first when its information is worth at least this share of the
/// EVPI and its evidence is weak.
pub const MATERIAL_SHARE: f64 = 0.05;

impl Explained {
    /// The inputs to verify first: weak evidence, and information worth at least
    /// [`MATERIAL_SHARE`] of the EVPI; by EVPPI.
    pub fn verify_first(&self) -> Vec<&Input> {
        self.inputs
            .iter()
            .filter(|input| {
                input.is_weak() && input.evppi > 0.0 && input.evppi >= MATERIAL_SHARE * self.evpi
            })
            .collect()
    }
}

/// The decision's value of information, the sensitivity of the recommended plan, the evidence
/// behind each input and the disagreement map.
pub fn explain(
    scenario: &Scenario,
    planned: &Planned,
    config: &Config,
) -> Result<Explained, ExplainError> {
    if config.trials < 2 {
        return Err(ExplainError::TooFewTrials);
    }
    let frontier = &planned.frontier;
    let recommended = planned.recommended;
    let rec = &frontier[recommended];
    if frontier.len() < 2 {
        return Err(ExplainError::OnePlan {
            items: rec.items.clone(),
        });
    }
    let min_health = config.min_health.unwrap_or(rec.health);
    // Health is a sum of expected points: a small tolerance keeps the recommended plan itself.
    let options: Vec<usize> = (0..frontier.len())
        .filter(|&p| frontier[p].health >= min_health - 1e-9 * min_health.abs().max(1.0))
        .collect();
    if options.len() < 2 {
        return Err(ExplainError::OneOption {
            min_health,
            best: frontier
                .iter()
                .map(|p| p.health)
                .fold(f64::NEG_INFINITY, f64::max),
        });
    }

    let compiled = compile(scenario).map_err(ForecastError::Compile)?;
    let model = &compiled.model;
    let months = value_months(scenario, planned.deadline);
    let field = |item: &str, name: &'static str| {
        compiled
            .fields
            .get(&FieldRef::Item {
                item: item.to_owned(),
                field: name,
            })
            .copied()
    };

    // The items of any plan, each with the slots of its value and one-off value.
    let n_items = scenario.items.len();
    let in_any: Vec<bool> = (0..n_items)
        .map(|i| frontier.iter().any(|plan| plan.chosen[i]))
        .collect();
    let mut value_nodes: Vec<NodeId> = Vec::new();
    let mut slots: Vec<(Option<usize>, Option<usize>)> = vec![(None, None); n_items];
    for (i, item) in scenario.items.iter().enumerate() {
        if !in_any[i] {
            continue;
        }
        let mut slot = |node: Option<NodeId>| {
            node.map(|node| {
                value_nodes.push(node);
                value_nodes.len() - 1
            })
        };
        slots[i] = (
            slot(field(&item.id, "value")),
            slot(field(&item.id, "value_once")),
        );
    }
    // What the recommended plan's schedule draws: its efforts, the focus, its reviews' lead
    // times.
    let mut schedule_nodes: Vec<NodeId> = Vec::new();
    for (i, item) in scenario.items.iter().enumerate() {
        if !rec.chosen[i] {
            continue;
        }
        schedule_nodes.extend(field(&item.id, "effort"));
        for review in &item.reviews {
            schedule_nodes.extend(
                compiled
                    .fields
                    .get(&FieldRef::ReviewLeadTime(review.clone()))
                    .copied(),
            );
        }
    }
    schedule_nodes.extend(compiled.fields.get(&FieldRef::Focus).copied());
    let under_value = model.randoms_under(&value_nodes);
    let under_schedule = model.randoms_under(&schedule_nodes);
    let estimates = estimates_by_key(scenario);
    let mut count_by_key: HashMap<&str, u64> = HashMap::new();
    for random in model.randoms() {
        *count_by_key.entry(random.key).or_default() += 1;
    }
    let mut inputs: Vec<(NodeId, InputHead)> = Vec::new();
    for random in model.randoms() {
        let (in_value, in_schedule) = (
            under_value.contains(&random.node),
            under_schedule.contains(&random.node),
        );
        if !in_value && !in_schedule {
            continue;
        }
        let name = if count_by_key.get(random.key).copied().unwrap_or(1) > 1 {
            format!("{}#{}", random.key, random.ordinal)
        } else {
            random.key.to_owned()
        };
        let estimate = estimates.get(random.key).copied();
        inputs.push((
            random.node,
            InputHead {
                name,
                field: random.key.to_owned(),
                in_value,
                in_schedule,
                unit: estimate.and_then(Estimate::display_unit),
                evidence: estimate.map(|e| e.evidence.clone()).unwrap_or_default(),
            },
        ));
    }
    if inputs.is_empty() {
        return Err(ExplainError::NoUncertainty);
    }

    // One pass over the trials: every plan's value, every input's draws.
    let trials = config.trials;
    let mut outputs = value_nodes.clone();
    outputs.extend(inputs.iter().map(|(node, _)| *node));
    let mut plan_values = vec![vec![0.0; trials]; frontier.len()];
    let mut draws: Vec<Vec<f64>> = vec![Vec::with_capacity(trials); inputs.len()];
    let members: Vec<Vec<usize>> = frontier
        .iter()
        .map(|plan| (0..n_items).filter(|&i| plan.chosen[i]).collect())
        .collect();
    let mut item_values = vec![Vec::new(); n_items];
    let mut not_finite: Option<usize> = None;
    model.for_each_chunk(&outputs, trials, config.seed, |offset, columns| {
        let len = columns.first().map_or(0, |c| c.len());
        for (i, &(value, once)) in slots.iter().enumerate() {
            if !in_any[i] {
                continue;
            }
            let column = &mut item_values[i];
            column.clear();
            column.resize(len, 0.0);
            if let Some(slot) = value {
                for (out, v) in column.iter_mut().zip(columns[slot]) {
                    *out += v * months;
                }
            }
            if let Some(slot) = once {
                for (out, v) in column.iter_mut().zip(columns[slot]) {
                    *out += v;
                }
            }
            if not_finite.is_none() && column.iter().any(|v| !v.is_finite()) {
                not_finite = Some(i);
            }
        }
        for (plan_values, members) in plan_values.iter_mut().zip(&members) {
            let out = &mut plan_values[offset..offset + len];
            for &i in members {
                for (out, v) in out.iter_mut().zip(&item_values[i]) {
                    *out += v;
                }
            }
        }
        for (draws, column) in draws.iter_mut().zip(&columns[value_nodes.len()..]) {
            draws.extend_from_slice(column);
        }
    });
    if let Some(i) = not_finite {
        return Err(ExplainError::NotFinite {
            item: scenario.items[i].id.clone(),
        });
    }
    let mean_value: Vec<f64> = plan_values
        .iter()
        .map(|values| values.iter().sum::<f64>() / trials as f64)
        .collect();

    let option_values: Vec<Vec<f64>> = options.iter().map(|&p| plan_values[p].clone()).collect();
    // The values are finite and there are two trials or more: checked above.
    let decision = Decision::new(&option_values).map_err(|_| ExplainError::TooFewTrials)?;
    let evpi = decision.evpi();
    let baseline = options[decision.baseline()];
    // An input no plan's value depends on cannot change the choice: 0 by construction,
    // rather than an estimate of 0.
    let partials: Vec<Partial> = draws
        .par_iter()
        .zip(&inputs)
        .map(|(draws, (_, head))| {
            if head.in_value {
                decision.partial(draws)
            } else {
                Partial {
                    evppi: 0.0,
                    p_change: 0.0,
                }
            }
        })
        .collect();

    // The tornado: case 0 has every input at its median; cases 2k+1 and 2k+2 move input k to
    // its 10th and 90th percentiles.
    let percentiles: Vec<[f64; 3]> = draws
        .par_iter()
        .map(|draws| {
            let mut sorted = draws.clone();
            sorted.sort_unstable_by(f64::total_cmp);
            [0.10, 0.50, 0.90].map(|p| quantile_sorted(&sorted, p))
        })
        .collect();
    let index_of: HashMap<NodeId, usize> = inputs
        .iter()
        .enumerate()
        .map(|(k, (node, _))| (*node, k))
        .collect();
    let rec_nodes: Vec<(usize, usize)> = (0..n_items)
        .filter(|&i| rec.chosen[i])
        .flat_map(|i| {
            [slots[i].0, slots[i].1]
                .into_iter()
                .flatten()
                .map(move |s| (i, s))
        })
        .collect();
    let rec_outputs: Vec<NodeId> = rec_nodes.iter().map(|&(_, s)| value_nodes[s]).collect();
    let cases = 1 + 2 * inputs.len();
    let evaluated = model.evaluate(&rec_outputs, cases, |node, out| {
        match index_of.get(&node) {
            Some(&k) => {
                out.fill(percentiles[k][1]);
                out[1 + 2 * k] = percentiles[k][0];
                out[2 + 2 * k] = percentiles[k][2];
            }
            // Every estimate under a plan's value is an input.
            None => out.fill(f64::NAN),
        }
    });
    let rec_value = |case: usize| -> f64 {
        rec_nodes
            .iter()
            .zip(&evaluated)
            .map(|(&(i, s), column)| {
                let factor = if slots[i].0 == Some(s) { months } else { 1.0 };
                column[case] * factor
            })
            .sum()
    };

    // The recommended plan's finish, trial by trial, on the same draws.
    let schedule = forecast_plan(scenario, &rec.items, trials, config.seed, true)?;
    let finish = &schedule.finish_by_trial;
    let p85_of = |trials_subset: &[usize]| -> Option<Date> {
        let mut days: Vec<u32> = trials_subset
            .iter()
            .map(|&t| finish[t].unwrap_or(u32::MAX))
            .collect();
        days.sort_unstable();
        let day = days[quantile_rank(0.85, days.len()) - 1];
        (day != u32::MAX)
            .then(|| schedule.calendar.date(day))
            .flatten()
    };
    let p85 = schedule.plan.p85;

    let mut explained_inputs: Vec<Input> = inputs
        .into_iter()
        .enumerate()
        .map(|(k, (_, head))| {
            let (p85_at_low, p85_at_high) = if head.in_schedule && finish.len() == trials {
                let mut order: Vec<usize> = (0..trials).collect();
                order.sort_by(|&a, &b| draws[k][a].total_cmp(&draws[k][b]));
                let fifth = (trials / 5).max(1);
                (p85_of(&order[..fifth]), p85_of(&order[trials - fifth..]))
            } else {
                (p85, p85)
            };
            let age_days = config.today.and_then(|today| head.evidence.age_days(today));
            let mut weaknesses = Vec::new();
            if head.evidence.quality == Some(Quality::Guess) {
                weaknesses.push(Weakness::Guess);
            }
            if head.evidence.source.is_none() {
                weaknesses.push(Weakness::NoSource);
            }
            if let Some(days) = age_days.filter(|&days| days > Evidence::STALE_DAYS) {
                weaknesses.push(Weakness::Stale { days });
            }
            Input {
                name: head.name,
                field: head.field,
                evppi: partials[k].evppi,
                p_change: partials[k].p_change,
                p10: percentiles[k][0],
                p50: percentiles[k][1],
                p90: percentiles[k][2],
                unit: head.unit,
                value_at_p10: rec_value(1 + 2 * k),
                value_at_p90: rec_value(2 + 2 * k),
                p85_at_low,
                p85_at_high,
                in_value: head.in_value,
                in_schedule: head.in_schedule,
                evidence: head.evidence,
                age_days,
                weaknesses,
            }
        })
        .collect();
    explained_inputs.sort_by(|a, b| {
        b.evppi
            .total_cmp(&a.evppi)
            .then(b.swing_value().abs().total_cmp(&a.swing_value().abs()))
            .then(
                b.swing_p85_days()
                    .unwrap_or(i32::MAX)
                    .abs()
                    .cmp(&a.swing_p85_days().unwrap_or(i32::MAX).abs()),
            )
    });

    let disagreements = disagree::map(scenario, planned, p85, config)?;
    Ok(Explained {
        frontier: frontier.clone(),
        recommended,
        options,
        min_health,
        baseline,
        mean_value,
        evpi,
        inputs: explained_inputs,
        value_at_medians: rec_value(0),
        p85,
        disagreements,
        currency: scenario.currency.clone(),
        trials,
        seed: config.seed,
        bins: voi::bins(trials),
    })
}

/// The forecast of a plan of the frontier alone: its items, nothing else.
pub fn forecast_plan(
    scenario: &Scenario,
    items: &[String],
    trials: usize,
    seed: u64,
    keep_trials: bool,
) -> Result<tension_forecast::Forecast, ExplainError> {
    let dropped: Vec<String> = scenario
        .items
        .iter()
        .filter(|item| !items.contains(&item.id))
        .map(|item| item.id.clone())
        .collect();
    let kept = scenario
        .without(&dropped)
        .expect("a plan of the frontier is closed under needs");
    let config = ForecastConfig {
        trials,
        seed,
        order: Vec::new(),
        keep_trials,
    };
    Ok(forecast(&kept, &config, &|_| {})?)
}

/// What is known of an input before the trials.
struct InputHead {
    name: String,
    field: String,
    in_value: bool,
    in_schedule: bool,
    unit: Option<String>,
    evidence: Evidence,
}

/// Every estimate the engines compute with, by the name the model compiled it under.
fn estimates_by_key(scenario: &Scenario) -> HashMap<String, &Estimate> {
    let mut estimates = HashMap::new();
    for quantity in &scenario.quantities {
        estimates.insert(quantity.name.clone(), &quantity.estimate);
    }
    if let Some(focus) = &scenario.team.focus {
        estimates.insert(FieldRef::Focus.key(), focus);
    }
    for item in &scenario.items {
        for (name, estimated) in item.estimated_fields() {
            let key = FieldRef::Item {
                item: item.id.clone(),
                field: name,
            }
            .key();
            estimates.insert(key, estimated.used());
        }
    }
    for review in &scenario.reviews {
        if let Some(lead_time) = &review.lead_time {
            estimates.insert(
                FieldRef::ReviewLeadTime(review.id.clone()).key(),
                lead_time.used(),
            );
        }
    }
    estimates
}
