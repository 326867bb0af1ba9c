//! Integration tests of the forecast engine: closed-form schedules, properties over random
//! plans, and inputs that cannot finish.

mod closed_form;
mod properties;
mod unreachable;

use tension_forecast::{Config, Forecast, forecast};
use tension_model::Scenario;
use tension_scenario::{Options, Style, parse_str};

/// A scenario from the text of a file, which must be valid.
pub(crate) fn scenario(text: &str) -> Scenario {
    let checked = parse_str("test.toml", text, &Options::default());
    match checked.scenario {
        Some(scenario) => scenario,
        None => panic!(
            "invalid test scenario:\n{}",
            checked.render(Style::default())
        ),
    }
}

/// A scenario starting on Monday 2027-01-04 with `team` and `items` as TOML.
pub(crate) fn plan(team: &str, items: &str) -> Scenario {
    scenario(&format!(
        "[scenario]\nname = \"test\"\nstart = 2027-01-04\ndeadline = 2027-06-30\n\n[team]\n{team}\n\n{items}"
    ))
}

pub(crate) fn run(scenario: &Scenario, trials: usize, seed: u64) -> Forecast {
    let config = Config {
        trials,
        seed,
        order: Vec::new(),
        keep_trials: false,
    };
    forecast(scenario, &config, &|_| {}).expect("the forecast runs")
}

/// The working-day number of a date in the forecast's calendar.
pub(crate) fn day(forecast: &Forecast, date: Option<jiff::civil::Date>) -> u32 {
    forecast
        .calendar
        .day_of(date.expect("a date within the calendar"))
}
