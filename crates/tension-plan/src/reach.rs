//! Which items can be done by the deadline at all: an item ships only after everything it
//! needs, so even a team with a free person for every item finishes it no sooner than its
//! chain of needs allows. An item whose chain does not reach the deadline at the confidence
//! cannot be in any plan that fits, whatever else the plan holds.

use jiff::civil::Date;
use tension_forecast::{Config as ForecastConfig, forecast};
use tension_model::Scenario;

use crate::{Config, PlanError};

/// For each item, the forecast's probability that it ships by `deadline` when nothing but its
/// needs holds it back: one forecast of every item, with as many people as all the items can
/// use at once, and every item's target at the deadline.
pub(crate) fn chain_fit(
    scenario: &Scenario,
    deadline: Date,
    config: &Config,
) -> Result<Vec<f64>, PlanError> {
    let mut unlimited = scenario.clone();
    let people: u64 = scenario
        .items
        .iter()
        .map(|item| u64::from(item.technical.max_people.max(1)))
        .sum();
    unlimited.team.people = u32::try_from(people.max(1)).unwrap_or(u32::MAX);
    for item in &mut unlimited.items {
        item.business.target = Some(deadline);
    }
    let config = ForecastConfig {
        trials: config.trials,
        seed: config.seed,
        order: Vec::new(),
        keep_trials: false,
    };
    let forecast = forecast(&unlimited, &config, &|_| {})?;
    if forecast.unreachable.is_some() {
        return Ok(vec![0.0; scenario.items.len()]);
    }
    Ok(forecast
        .items
        .iter()
        .map(|item| item.p_on_time.unwrap_or(0.0))
        .collect())
}
