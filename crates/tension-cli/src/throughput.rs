//! `tension forecast --history`: when will the remaining items be done, or how many by a date,
//! from the team's own throughput.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use jiff::civil::Date;
use serde::Serialize;
use tension_estimate::Expr;
use tension_forecast::flow::{Stability, Window};
use tension_forecast::throughput::{
    self, HowMany, HowManyForecast, Pools, Trials, When, WhenForecast, WorkingDays,
};
use tension_scenario::{Options, Style};

use crate::Format;
use crate::chart;
use crate::check::plural;
use crate::format::{date_cell, number, percent, weekly_cdf};
use crate::history::{self, ImportArgs, Loaded};
use crate::load_scenario;
use crate::progress::Progress;

/// Days between the end of the history and the start (or today, for a start ahead) past which
/// the forecast warns that the history is stale.
const STALE_DAYS: i32 = 14;

#[derive(Debug)]
pub(crate) struct Request {
    /// A scenario whose items are the remaining work (`--mode throughput`).
    pub scenario: Option<PathBuf>,
    pub history: Option<PathBuf>,
    pub remaining: Option<String>,
    pub by: Option<Date>,
    pub split: Option<String>,
    pub focus: Option<String>,
    pub start: Option<Date>,
    pub deadline: Option<Date>,
    pub window: u32,
    pub import: ImportArgs,
    pub trials: usize,
    pub seed: u64,
    pub format: Format,
    pub svg: Option<PathBuf>,
}

/// What is forecast, once the scenario (if any) has filled in the gaps.
struct Setup {
    title: Option<String>,
    history: PathBuf,
    remaining: Option<(String, Expr)>,
    start: Date,
    deadline: Option<Date>,
    calendar: WorkingDays,
}

/// The JSON contract of a when-question: these keys are kept; others may be added.
#[derive(Debug, Serialize)]
struct WhenJson {
    p50: Option<String>,
    p85: Option<String>,
    p95: Option<String>,
    p_by_deadline: Option<f64>,
    question: &'static str,
    remaining: String,
    start: String,
    deadline: Option<String>,
    trials: usize,
    seed: u64,
    history: HistoryJson,
}

/// The JSON contract of a how-many question.
#[derive(Debug, Serialize)]
struct HowManyJson {
    p50: u64,
    p85: u64,
    p95: u64,
    question: &'static str,
    start: String,
    by: String,
    trials: usize,
    seed: u64,
    history: HistoryJson,
}

#[derive(Debug, Serialize)]
struct HistoryJson {
    file: String,
    window_first: String,
    window_last: String,
    items_in_window: u64,
    stable: bool,
}

pub(crate) fn run(
    request: &Request,
    options: &Options,
    style: Style,
    today: Date,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<bool> {
    let Some(setup) = setup(request, options, style, today, err)? else {
        return Ok(false);
    };
    let loaded = history::load(&setup.history, &request.import, today)?;
    let window = loaded.window(setup.start, request.window, "--start")?;
    let daily = window.daily(&loaded.done);
    let pools = Pools::new(&daily, &setup.calendar);
    let stability = Stability::new(&daily, &setup.calendar);
    let focus = parse_range("--focus", request.focus.as_deref(), Some((0.0, 1.0)))?;
    let trials = Trials {
        trials: request.trials,
        seed: request.seed,
    };
    let show_progress = request.format == Format::Text && std::io::stderr().is_terminal();
    let meter = Progress::new(request.trials, show_progress);
    let progress = |done: usize| meter.set(0, done);
    let history_json = HistoryJson {
        file: loaded.name.clone(),
        window_first: window.first.to_string(),
        window_last: window.last().to_string(),
        items_in_window: daily.total(),
        stable: stability.is_stable(),
    };

    if let Some(by) = request.by {
        if by < setup.start {
            bail!(
                "--by {by} is before the start, {}\n  help: give a later --by, or an earlier --start",
                setup.start
            );
        }
        let question = HowMany {
            focus: focus.map(|(_, expr)| expr),
            start: setup.start,
            by,
        };
        let forecast = throughput::how_many(&pools, &setup.calendar, &question, trials, &progress)
            .map_err(|error| anyhow!("{error}"))?;
        meter.finish();
        if let Some(path) = &request.svg {
            chart::how_many(path, setup.chart_title(&loaded), &forecast)
                .with_context(|| format!("cannot write the chart to {}", path.display()))?;
        }
        match request.format {
            Format::Json => {
                let json = HowManyJson {
                    p50: forecast.p50,
                    p85: forecast.p85,
                    p95: forecast.p95,
                    question: "how many",
                    start: setup.start.to_string(),
                    by: by.to_string(),
                    trials: forecast.trials,
                    seed: forecast.seed,
                    history: history_json,
                };
                writeln!(out, "{}", serde_json::to_string(&json)?)?;
            }
            Format::Text => {
                header(&setup, &loaded, &window, request.window, &daily, out)?;
                how_many_report(&forecast, out)?;
            }
        }
    } else {
        let Some((text, remaining)) = setup.remaining.clone() else {
            bail!(
                "say what to forecast: --remaining ITEMS (when will they be done?) or --by DATE (how many by then?)"
            );
        };
        let split = parse_range("--split", request.split.as_deref(), None)?;
        let question = When {
            remaining,
            split: split.map(|(_, expr)| expr),
            focus: focus.map(|(_, expr)| expr),
            start: setup.start,
            deadline: setup.deadline,
        };
        let forecast = throughput::when(&pools, &setup.calendar, &question, trials, &progress)
            .map_err(|error| anyhow!("{error}"))?;
        meter.finish();
        if let Some(path) = &request.svg {
            chart::when_done(path, setup.chart_title(&loaded), &forecast, setup.deadline)
                .with_context(|| format!("cannot write the chart to {}", path.display()))?;
        }
        match request.format {
            Format::Json => {
                let json = WhenJson {
                    p50: forecast.p50.map(|d| d.to_string()),
                    p85: forecast.p85.map(|d| d.to_string()),
                    p95: forecast.p95.map(|d| d.to_string()),
                    p_by_deadline: forecast.p_by_deadline,
                    question: "when",
                    remaining: text,
                    start: setup.start.to_string(),
                    deadline: setup.deadline.map(|d| d.to_string()),
                    trials: forecast.trials,
                    seed: forecast.seed,
                    history: history_json,
                };
                writeln!(out, "{}", serde_json::to_string(&json)?)?;
            }
            Format::Text => {
                header(&setup, &loaded, &window, request.window, &daily, out)?;
                when_report(&forecast, &text, request, setup.deadline, out)?;
            }
        }
        if forecast.days.beyond() > 0 {
            writeln!(
                err,
                "warning: {} of the trials did not finish within twenty years",
                percent(forecast.days.beyond() as f64 / forecast.trials as f64)
            )?;
        }
    }
    if let (Format::Text, Some(path)) = (request.format, &request.svg) {
        writeln!(out, "\nchart written to {}", path.display())?;
    }
    // Stale data: the history ends well before the start, or before today for a start ahead.
    let reference = setup.start.min(today);
    let gap = (reference - window.end).get_days();
    if gap > STALE_DAYS {
        let what = if reference == today {
            format!("before today ({today})")
        } else {
            format!("before the start ({})", setup.start)
        };
        writeln!(
            err,
            "warning: the history ends on {}, {gap} days {what}: the forecast assumes the team still works as it did then",
            window.last(),
        )?;
    }
    if !stability.is_stable() {
        writeln!(err, "{}", history::stability_words(&stability))?;
    }
    Ok(true)
}

impl Setup {
    fn chart_title<'a>(&'a self, loaded: &'a Loaded) -> &'a str {
        self.title.as_deref().unwrap_or(&loaded.name)
    }
}

/// Fills in what the scenario gives (its items, start, deadline, calendar and history) under
/// what the flags say.
fn setup(
    request: &Request,
    options: &Options,
    style: Style,
    today: Date,
    err: &mut impl Write,
) -> Result<Option<Setup>> {
    let remaining = parse_range(
        "--remaining",
        request.remaining.as_deref(),
        Some((0.0, f64::INFINITY)),
    )?
    .map(|(text, expr)| (format!("{text} items"), expr));
    let Some(path) = &request.scenario else {
        let Some(history) = request.history.clone() else {
            bail!(
                "give the history to forecast from: --history FILE (an export from Jira, GitHub or Linear)"
            );
        };
        return Ok(Some(Setup {
            title: None,
            history,
            remaining,
            start: request.start.unwrap_or(today),
            deadline: request.deadline,
            calendar: request.import.working_days(),
        }));
    };
    let Some(scenario) = load_scenario(path, options, style, err)? else {
        return Ok(None);
    };
    let history = match (&request.history, &scenario.team.history) {
        (Some(history), _) => history.clone(),
        (None, Some(history)) => relative_to(path, history),
        (None, None) => bail!(
            "{}: no `history` under [team] to forecast from\n  help: add `history = \"exports/jira.csv\"` under [team], or give --history FILE",
            path.display()
        ),
    };
    let remaining = match remaining {
        Some(remaining) => Some(remaining),
        None => {
            let n = scenario.items.len();
            Some((plural(n, "item"), Expr::number(n as f64)))
        }
    };
    Ok(Some(Setup {
        title: Some(scenario.name.clone()),
        history,
        remaining,
        start: request.start.unwrap_or(scenario.start),
        deadline: request.deadline.or(scenario.deadline),
        calendar: WorkingDays::new(scenario.team.workdays, &scenario.team.holidays),
    }))
}

/// A path written in a scenario, relative to the scenario's folder.
fn relative_to(scenario: &Path, written: &str) -> PathBuf {
    let written = Path::new(written);
    if written.is_absolute() {
        return written.to_path_buf();
    }
    scenario
        .parent()
        .map_or_else(|| written.to_path_buf(), |dir| dir.join(written))
}

/// Parses a range flag (`20..25`, `uniform(20, 25)`, `0.5..0.8`), checking that its 90% range
/// stays within `limits` when given.
fn parse_range(
    flag: &str,
    text: Option<&str>,
    limits: Option<(f64, f64)>,
) -> Result<Option<(String, Expr)>> {
    let Some(text) = text else {
        return Ok(None);
    };
    let expr = tension_estimate::parse(text).map_err(|error| {
        anyhow!("{flag} `{text}`: {error}\n  help: write a number or a range, as `20..25` or `uniform(20, 25)`")
    })?;
    if let Some((name, _)) = expr.quantities().first() {
        bail!(
            "{flag} `{text}`: `{name}` is not a number\n  help: write a number or a range, as `20..25` or `uniform(20, 25)`"
        );
    }
    if !expr.units().is_empty() {
        bail!(
            "{flag} `{text}`: a count of items has no unit\n  help: write the number alone, as `20..25`"
        );
    }
    if let (Some((low, high)), Some((min, max))) = (expr.bounds(), limits)
        && (low < min || high > max)
    {
        let allowed = if max.is_finite() {
            format!("between {min} and {max}")
        } else {
            format!("at least {min}")
        };
        bail!(
            "{flag} `{text}` reaches {}..{}: it must be {allowed}",
            number(low),
            number(high)
        );
    }
    Ok(Some((text.to_owned(), expr)))
}

fn header(
    setup: &Setup,
    loaded: &Loaded,
    window: &Window,
    weeks: u32,
    daily: &throughput::DailyThroughput,
    out: &mut impl Write,
) -> Result<()> {
    if let Some(title) = &setup.title {
        writeln!(out, "{title}: forecast from the team's throughput")?;
    }
    history::describe(loaded, out)?;
    writeln!(
        out,
        "window: {}: {} finished, {:.2} a working day",
        history::window_words(window, weeks),
        plural(daily.total() as usize, "item"),
        daily.per_working_day(&setup.calendar)
    )?;
    Ok(())
}

fn when_report(
    forecast: &WhenForecast,
    remaining: &str,
    request: &Request,
    deadline: Option<Date>,
    out: &mut impl Write,
) -> Result<()> {
    let mut extras = Vec::new();
    if let Some(split) = &request.split {
        extras.push(format!("split rate {split}"));
    }
    if let Some(focus) = &request.focus {
        extras.push(format!("focus {focus}"));
    }
    let extras = if extras.is_empty() {
        String::new()
    } else {
        format!(", {}", extras.join(", "))
    };
    writeln!(
        out,
        "\nwhen will {remaining} be done, starting {}{extras}? {} trials (seed {})\n",
        forecast.start,
        number(forecast.trials as f64),
        forecast.seed
    )?;
    writeln!(out, "  P50  {}", date_cell(forecast.p50))?;
    writeln!(out, "  P85  {}", date_cell(forecast.p85))?;
    writeln!(out, "  P95  {}", date_cell(forecast.p95))?;
    if let (Some(deadline), Some(share)) = (deadline, forecast.p_by_deadline) {
        writeln!(
            out,
            "  done by the deadline, {deadline}: {}",
            percent(share)
        )?;
    }
    // The cumulative share by the end of each week (Sunday), from the 1st to the 99th percentile.
    let (Some(first), Some(last)) = (forecast.quantile(0.01), forecast.quantile(0.99)) else {
        return Ok(());
    };
    let mut rows = Vec::new();
    let mut monday = first
        .checked_sub(jiff::Span::new().days(i64::from(first.weekday().to_monday_zero_offset())))
        .unwrap_or(first);
    while monday <= last {
        let sunday = monday
            .checked_add(jiff::Span::new().days(6))
            .unwrap_or(Date::MAX);
        let reaches = deadline.is_some_and(|deadline| deadline <= sunday);
        rows.push((monday, forecast.share_by(sunday), reaches));
        monday = sunday.tomorrow().unwrap_or(Date::MAX);
    }
    weekly_cdf(out, rows, deadline)?;
    Ok(())
}

fn how_many_report(forecast: &HowManyForecast, out: &mut impl Write) -> Result<()> {
    writeln!(
        out,
        "\nhow many items will be done from {} to {}? {} trials (seed {})\n",
        forecast.start,
        forecast.by,
        number(forecast.trials as f64),
        forecast.seed
    )?;
    for (level, n) in [
        (0.50, forecast.p50),
        (0.85, forecast.p85),
        (0.95, forecast.p95),
    ] {
        writeln!(
            out,
            "  P{:.0}  at least {}  (in {} of the trials)",
            level * 100.0,
            plural(n as usize, "item"),
            percent(forecast.share_at_least(n))
        )?;
    }
    Ok(())
}
