//! What the planner knows of each item: expected value, health, effort and risk, sampled from
//! the scenario's estimates.

use std::collections::HashMap;

use jiff::civil::Date;
use tension_model::{FieldRef, ItemKind, Scenario, Side, compile};

use crate::{Config, Plan, PlanError};

/// Average days in a month, as the forecast counts value per month.
const DAYS_PER_MONTH: f64 = 365.2425 / 12.0;

/// One item as the planner sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemFacts {
    pub id: String,
    pub title: String,
    pub kind: ItemKind,
    pub proposed_by: Option<Side>,
    /// Expected business value by the horizon, if everything ships on the deadline.
    pub value: f64,
    /// Expected health points.
    pub health: f64,
    /// Expected effort, person-days.
    pub effort: f64,
    /// Expected risk, when the item has one.
    pub risk: Option<f64>,
}

/// Expected values of every item's fields, and the team's mean focus (1 when the scenario
/// gives none), by sampling the scenario's model once.
pub(crate) fn expected(
    scenario: &Scenario,
    deadline: Date,
    config: &Config,
) -> Result<(Vec<ItemFacts>, f64), PlanError> {
    let compiled = compile(scenario).map_err(tension_forecast::ForecastError::Compile)?;
    let months = value_months(scenario, deadline);
    let fields = ["value", "value_once", "health", "effort", "risk"];
    let mut nodes = Vec::new();
    let mut slot: HashMap<(usize, &str), usize> = HashMap::new();
    for (idx, item) in scenario.items.iter().enumerate() {
        for field in fields {
            let key = FieldRef::Item {
                item: item.id.clone(),
                field,
            };
            if let Some(&node) = compiled.fields.get(&key) {
                slot.insert((idx, field), nodes.len());
                nodes.push(node);
            }
        }
    }
    let focus_slot = compiled.fields.get(&FieldRef::Focus).map(|&node| {
        nodes.push(node);
        nodes.len() - 1
    });
    let mut sums = vec![0.0f64; nodes.len()];
    compiled
        .model
        .for_each_chunk(&nodes, config.trials, config.seed, |_, columns| {
            for (sum, column) in sums.iter_mut().zip(columns) {
                *sum += column.iter().sum::<f64>();
            }
        });
    let trials = config.trials as f64;
    let mean = |idx: usize, field: &str| slot.get(&(idx, field)).map(|&s| sums[s] / trials);
    let focus = focus_slot.map_or(1.0, |s| (sums[s] / trials).clamp(0.0, 1.0));
    let facts = scenario
        .items
        .iter()
        .enumerate()
        .map(|(idx, item)| ItemFacts {
            id: item.id.clone(),
            title: item.title.clone(),
            kind: item.kind,
            proposed_by: item.proposed_by,
            value: mean(idx, "value").unwrap_or(0.0) * months
                + mean(idx, "value_once").unwrap_or(0.0),
            health: mean(idx, "health").unwrap_or(0.0),
            effort: mean(idx, "effort").unwrap_or(0.0).max(0.0),
            risk: mean(idx, "risk"),
        })
        .collect();
    Ok((facts, focus))
}

/// The months of value a plan's items count when choosing a plan: from the deadline to the
/// horizon (none without a horizon), as `SCENARIO.md` defines a plan's business value.
pub fn value_months(scenario: &Scenario, deadline: Date) -> f64 {
    scenario.horizon.map_or(0.0, |horizon| {
        ((horizon - deadline).get_days().max(0) as f64) / DAYS_PER_MONTH
    })
}

pub(crate) fn plan_of(facts: &[ItemFacts], chosen: Vec<bool>, p_fit: f64) -> Plan {
    let total = |get: fn(&ItemFacts) -> f64| -> f64 {
        facts
            .iter()
            .zip(&chosen)
            .filter(|(_, c)| **c)
            .map(|(f, _)| get(f))
            .sum()
    };
    Plan {
        items: facts
            .iter()
            .zip(&chosen)
            .filter(|(_, c)| **c)
            .map(|(f, _)| f.id.clone())
            .collect(),
        value: total(|f| f.value),
        health: total(|f| f.health),
        effort: total(|f| f.effort),
        p_fit,
        chosen,
    }
}
