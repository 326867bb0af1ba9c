//! `tension forecast`: when will it be done, and how likely is the deadline.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use jiff::civil::Date;
use tension_forecast::{Config, Forecast, ItemForecast, forecast};
use tension_model::Scenario;
use tension_scenario::{Options, Style};

use crate::Format;
use crate::chart;
use crate::format::{date_cell, number, percent, weekly_cdf};
use crate::load_scenario;
use crate::progress::Progress;

#[derive(Debug)]
pub(crate) struct Request {
    pub file: PathBuf,
    pub trials: usize,
    pub seed: u64,
    pub order: Vec<String>,
    pub format: Format,
    pub svg: Option<PathBuf>,
    pub without: Vec<String>,
    pub with_people: Option<u32>,
}

pub(crate) fn run(
    request: &Request,
    options: &Options,
    style: Style,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<bool> {
    let Some(scenario) = load_scenario(&request.file, options, style, err)? else {
        return Ok(false);
    };
    let config = Config {
        trials: request.trials,
        seed: request.seed,
        order: request.order.clone(),
        keep_trials: false,
    };
    let show_progress = request.format == Format::Text && std::io::stderr().is_terminal();
    let what_if = !request.without.is_empty() || request.with_people.is_some();
    let variant = if what_if {
        Some(variant(&scenario, request)?)
    } else {
        None
    };
    let n_runs = if what_if { 2 } else { 1 };
    let baseline = run_forecast(&scenario, &config, show_progress, n_runs, 0)?;
    let changed = match &variant {
        Some(variant) => Some(run_forecast(variant, &config, show_progress, n_runs, 1)?),
        None => None,
    };

    if let Some(path) = &request.svg {
        let shown = changed.as_ref().unwrap_or(&baseline);
        chart::finish_dates(path, &scenario, shown)
            .with_context(|| format!("cannot write the chart to {}", path.display()))?;
    }
    match request.format {
        Format::Json => {
            let json = tension_report::forecast(changed.as_ref().unwrap_or(&baseline));
            writeln!(out, "{}", serde_json::to_string(&json)?)?;
        }
        Format::Text => {
            match (&variant, &changed) {
                (Some(variant), Some(changed)) => {
                    what_if_report(&scenario, &baseline, variant, changed, request, out)?
                }
                _ => report(&scenario, &baseline, out)?,
            }
            if let Some(path) = &request.svg {
                writeln!(out, "\nchart written to {}", path.display())?;
            }
        }
    }
    for warning in baseline
        .warnings
        .iter()
        .chain(changed.iter().flat_map(|c| &c.warnings))
    {
        writeln!(err, "warning: {}", warning.message())?;
    }
    Ok(true)
}

/// The scenario of a what-if: items dropped, people changed.
fn variant(scenario: &Scenario, request: &Request) -> Result<Scenario> {
    let mut variant = scenario
        .without(&request.without)
        .with_context(|| format!("cannot drop {}", request.without.join(", ")))?;
    if let Some(people) = request.with_people {
        variant.team.people = people;
    }
    Ok(variant)
}

/// Runs one forecast, with a progress bar on a terminal once it takes more than half a second.
fn run_forecast(
    scenario: &Scenario,
    config: &Config,
    show_progress: bool,
    n_runs: usize,
    run_idx: usize,
) -> Result<Forecast> {
    let meter = Progress::new(config.trials * n_runs, show_progress);
    let offset = config.trials * run_idx;
    let progress = |done: usize| meter.set(offset, done);
    let result = forecast(scenario, config, &progress);
    meter.finish();
    match result {
        Ok(forecast) => Ok(forecast),
        Err(error) => bail!("{error}"),
    }
}

fn report(scenario: &Scenario, forecast: &Forecast, out: &mut impl Write) -> Result<()> {
    writeln!(
        out,
        "{}: {} trials (seed {})",
        scenario.name, forecast.trials, forecast.seed
    )?;
    let focus = scenario
        .team
        .focus
        .as_ref()
        .map_or("1", |focus| focus.text.as_str());
    writeln!(
        out,
        "team of {}, focus {focus}, starting {}",
        plural_people(forecast.people),
        scenario.start
    )?;
    if let Some(why) = forecast.unreachable {
        writeln!(out, "\n{}", why.message())?;
        return Ok(());
    }
    writeln!(out)?;
    let currency = scenario.currency.as_deref().unwrap_or("");
    let id_width = forecast
        .items
        .iter()
        .map(|item| item.id.len())
        .max()
        .unwrap_or(4)
        .max(4);
    writeln!(
        out,
        "  {:<id_width$}  {:<10}  {:<10}  {:<10}  {:<10}  {:>7}  {:>16}",
        "item", "P50", "P85", "P95", "target", "on time", "value by horizon"
    )?;
    for item in &forecast.items {
        writeln!(out, "  {}", item_row(item, id_width, currency))?;
    }
    let plan = &forecast.plan;
    writeln!(
        out,
        "  {:<id_width$}  {:<10}  {:<10}  {:<10}  {:<10}  {:>7}",
        "plan",
        date_cell(plan.p50),
        date_cell(plan.p85),
        date_cell(plan.p95),
        scenario
            .deadline
            .map_or_else(String::new, |d| d.to_string()),
        plan.p_by_deadline.map_or_else(String::new, percent),
    )?;
    writeln!(out)?;
    let confidence = percent(plan.confidence);
    match (plan.at_confidence, scenario.deadline, plan.p_by_deadline) {
        (Some(date), Some(deadline), Some(p)) => writeln!(
            out,
            "At {confidence} confidence the plan is done by {date}; the chance of meeting the deadline {deadline} is {}.",
            percent(p)
        )?,
        (Some(date), _, _) => writeln!(
            out,
            "At {confidence} confidence the plan is done by {date}."
        )?,
        (None, _, _) => writeln!(
            out,
            "At {confidence} confidence the plan does not finish within the calendar."
        )?,
    }
    cdf(forecast, scenario.deadline, out)
}

fn item_row(item: &ItemForecast, id_width: usize, currency: &str) -> String {
    let value = if item.expected_value == 0.0 {
        String::new()
    } else {
        format!("{} {currency}", number(item.expected_value))
            .trim_end()
            .to_owned()
    };
    format!(
        "{:<id_width$}  {:<10}  {:<10}  {:<10}  {:<10}  {:>7}  {:>16}",
        item.id,
        date_cell(item.p50),
        date_cell(item.p85),
        date_cell(item.p95),
        item.target.map_or_else(String::new, |d| d.to_string()),
        item.p_on_time.map_or_else(String::new, percent),
        value,
    )
    .trim_end()
    .to_owned()
}

/// The cumulative share of trials finished by the end of each week, with the deadline marked.
fn cdf(forecast: &Forecast, deadline: Option<Date>, out: &mut impl Write) -> Result<()> {
    let days = &forecast.plan.days;
    let (Some(first), Some(last)) = (days.quantile(0.01), days.quantile(0.99)) else {
        return Ok(());
    };
    let calendar = &forecast.calendar;
    // One row per calendar week from the 1st to the 99th percentile, ending on its last working day.
    let mut rows: Vec<(Date, u32)> = Vec::new();
    for day in first..=last {
        let Some(date) = calendar.date(day) else {
            break;
        };
        let week_start = date
            .checked_sub(jiff::Span::new().days(i64::from(date.weekday().to_monday_zero_offset())))
            .unwrap_or(date);
        match rows.last_mut() {
            Some((start, end)) if *start == week_start => *end = day,
            _ => rows.push((week_start, day)),
        }
    }
    let deadline_day = deadline.map(|deadline| calendar.day_of(deadline));
    let rows = rows.into_iter().map(|(week_start, last_day)| {
        let reaches = deadline_day.is_some_and(|deadline_day| last_day >= deadline_day);
        (week_start, days.share_by(last_day), reaches)
    });
    weekly_cdf(out, rows, deadline)?;
    Ok(())
}

fn plural_people(people: u32) -> String {
    if people == 1 {
        "1 person".to_owned()
    } else {
        format!("{people} people")
    }
}

fn what_if_report(
    scenario: &Scenario,
    baseline: &Forecast,
    variant: &Scenario,
    changed: &Forecast,
    request: &Request,
    out: &mut impl Write,
) -> Result<()> {
    let mut changes = Vec::new();
    if !request.without.is_empty() {
        changes.push(format!("without {}", request.without.join(", ")));
    }
    if let Some(people) = request.with_people {
        changes.push(format!(
            "with {} instead of {}",
            plural_people(people),
            baseline.people
        ));
    }
    writeln!(
        out,
        "{}: what if {}? {} trials (seed {})",
        scenario.name,
        changes.join(" and "),
        baseline.trials,
        baseline.seed
    )?;
    writeln!(out)?;
    writeln!(out, "  {:<22}  {:<10}  what if", "", "as planned")?;
    let rows = [
        ("P50", baseline.plan.p50, changed.plan.p50),
        ("P85", baseline.plan.p85, changed.plan.p85),
        ("P95", baseline.plan.p95, changed.plan.p95),
    ];
    for (name, before, after) in rows {
        writeln!(
            out,
            "  {name:<22}  {:<10}  {:<10}  {}",
            date_cell(before),
            date_cell(after),
            shift(&baseline.calendar, before, after)
        )?;
    }
    if let (Some(deadline), Some(before), Some(after)) = (
        scenario.deadline,
        baseline.plan.p_by_deadline,
        changed.plan.p_by_deadline,
    ) {
        writeln!(
            out,
            "  {:<22}  {:<10}  {:<10}  {:+.0} points",
            format!("done by {deadline}"),
            percent(before),
            percent(after),
            (after - before) * 100.0
        )?;
    }
    let health = |s: &Scenario| expected_health(s, baseline.seed);
    let value = |f: &Forecast| f.items.iter().map(|item| item.expected_value).sum::<f64>();
    let (health_before, health_after) = (health(scenario), health(variant));
    if health_before != health_after {
        writeln!(
            out,
            "  {:<22}  {:<10}  {:<10}  {}",
            "health",
            number(health_before),
            number(health_after),
            signed(health_after - health_before)
        )?;
    }
    let (value_before, value_after) = (value(baseline), value(changed));
    if value_before != 0.0 || value_after != 0.0 {
        writeln!(
            out,
            "  {:<22}  {:<10}  {:<10}  {}",
            "value by horizon",
            number(value_before),
            number(value_after),
            signed(value_after - value_before)
        )?;
    }
    Ok(())
}

/// The plan's expected health: the sum of its items' mean health points.
fn expected_health(scenario: &Scenario, seed: u64) -> f64 {
    let Ok(compiled) = tension_model::compile(scenario) else {
        return 0.0;
    };
    let nodes: Vec<_> = scenario
        .items
        .iter()
        .filter_map(|item| {
            compiled.fields.get(&tension_model::FieldRef::Item {
                item: item.id.clone(),
                field: "health",
            })
        })
        .copied()
        .collect();
    const TRIALS: usize = 10_000;
    compiled
        .model
        .sample(&nodes, TRIALS, seed)
        .iter()
        .map(|column| column.iter().sum::<f64>() / TRIALS as f64)
        .sum()
}

fn signed(value: f64) -> String {
    if value > 0.0 {
        format!("+{}", number(value))
    } else {
        number(value)
    }
}

/// How many working days a date moves, as `3 working days earlier`.
fn shift(calendar: &tension_model::Calendar, before: Option<Date>, after: Option<Date>) -> String {
    let (Some(before), Some(after)) = (before, after) else {
        return String::new();
    };
    let delta = i64::from(calendar.day_of(after)) - i64::from(calendar.day_of(before));
    match delta {
        0 => "no change".to_owned(),
        1 => "1 working day later".to_owned(),
        -1 => "1 working day earlier".to_owned(),
        d if d > 0 => format!("{d} working days later"),
        d => format!("{} working days earlier", -d),
    }
}
