//! `tension backtest`: how well throughput forecasts have held on the team's own past.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, anyhow};
use jiff::civil::Date;
use serde::Serialize;
use tension_forecast::backtest::{Backtest, BacktestConfig, Calibration, backtest};
use tension_forecast::throughput::Trials;

use crate::Format;
use crate::check::plural;
use crate::format::{number, percent};
use crate::history::{self, ImportArgs};

#[derive(Debug)]
pub(crate) struct Request {
    pub history: PathBuf,
    pub import: ImportArgs,
    pub window: u32,
    pub horizon: u32,
    pub trials: usize,
    pub seed: u64,
    pub format: Format,
}

#[derive(Debug, Serialize)]
struct Json {
    file: String,
    window_weeks: u32,
    horizon_weeks: u32,
    trials: usize,
    seed: u64,
    dates: usize,
    skipped_empty_window: usize,
    how_many: JsonCalibration,
    when: JsonCalibration,
    points: Vec<JsonPoint>,
}

#[derive(Debug, Serialize)]
struct JsonCalibration {
    n: usize,
    inside_50: Option<f64>,
    inside_85: Option<f64>,
    held_p50: Option<f64>,
    held_p85: Option<f64>,
    held_p95: Option<f64>,
}

#[derive(Debug, Serialize)]
struct JsonPoint {
    date: String,
    actual_items: u64,
    p50_items: u64,
    p85_items: u64,
    p95_items: u64,
    actual_date: Option<String>,
    p50_date: Option<String>,
    p85_date: Option<String>,
    p95_date: Option<String>,
}

impl From<&Calibration> for JsonCalibration {
    fn from(c: &Calibration) -> JsonCalibration {
        JsonCalibration {
            n: c.n,
            inside_50: c.share(c.inside50),
            inside_85: c.share(c.inside85),
            held_p50: c.share(c.held50),
            held_p85: c.share(c.held85),
            held_p95: c.share(c.held95),
        }
    }
}

pub(crate) fn run(request: &Request, today: Date, out: &mut impl Write) -> Result<bool> {
    if request.window == 0 || request.horizon == 0 {
        return Err(anyhow!("--window and --horizon must be at least 1 week"));
    }
    let loaded = history::load(&request.history, &request.import, today)?;
    let config = BacktestConfig {
        window_weeks: request.window,
        horizon_weeks: request.horizon,
        step_days: 7,
        trials: Trials {
            trials: request.trials,
            seed: request.seed,
        },
        calendar: request.import.working_days(),
    };
    let result = backtest(&loaded.done, &config).map_err(|error| {
        anyhow!(
            "{}: {error}\n  help: a shorter --window or --horizon needs less history",
            loaded.name
        )
    })?;
    if result.points.is_empty() {
        return Err(anyhow!(
            "{}: every backtest date had an empty window: no item was finished in the {} before any of them\n  help: widen the window (--window {})",
            loaded.name,
            plural(request.window as usize, "week"),
            request.window * 2
        ));
    }
    match request.format {
        Format::Json => {
            let date = |d: Option<Date>| d.map(|d| d.to_string());
            let json = Json {
                file: loaded.name.clone(),
                window_weeks: request.window,
                horizon_weeks: request.horizon,
                trials: request.trials,
                seed: request.seed,
                dates: result.points.len(),
                skipped_empty_window: result.skipped_empty,
                how_many: (&result.how_many).into(),
                when: (&result.when).into(),
                points: result
                    .points
                    .iter()
                    .map(|point| JsonPoint {
                        date: point.date.to_string(),
                        actual_items: point.how_many.actual,
                        p50_items: point.how_many.p50,
                        p85_items: point.how_many.p85,
                        p95_items: point.how_many.p95,
                        actual_date: point.when.map(|w| w.actual.to_string()),
                        p50_date: point.when.and_then(|w| date(w.p50)),
                        p85_date: point.when.and_then(|w| date(w.p85)),
                        p95_date: point.when.and_then(|w| date(w.p95)),
                    })
                    .collect(),
            };
            writeln!(out, "{}", serde_json::to_string(&json)?)?;
        }
        Format::Text => {
            history::describe(&loaded, out)?;
            report(&result, request, out)?;
        }
    }
    Ok(true)
}

fn report(result: &Backtest, request: &Request, out: &mut impl Write) -> Result<()> {
    let (Some(first), Some(last)) = (result.points.first(), result.points.last()) else {
        return Ok(());
    };
    writeln!(
        out,
        "backtest: {}, a week apart, from {} to {}; each forecast draws from the {} before its date ({} trials, seed {})",
        plural(result.points.len(), "date"),
        first.date,
        last.date,
        plural(request.window as usize, "week"),
        number(request.trials as f64),
        request.seed,
    )?;
    if result.skipped_empty > 0 {
        writeln!(
            out,
            "  {} left out: nothing was finished in the window before {}",
            plural(result.skipped_empty, "date"),
            if result.skipped_empty == 1 {
                "it"
            } else {
                "them"
            }
        )?;
    }
    let horizon = plural(request.horizon as usize, "week");
    writeln!(out)?;
    writeln!(
        out,
        "  {:<34}  {:>18}  {:>18}  {:>8}",
        "share of outcomes",
        format!("how many in {horizon}"),
        "when they are done",
        "promised"
    )?;
    let cell =
        |c: &Calibration, count: usize| c.share(count).map_or_else(|| "-".to_owned(), percent);
    let (h, w) = (&result.how_many, &result.when);
    let rows = [
        (
            "inside the central 50% range",
            h.inside50,
            w.inside50,
            "50%",
        ),
        (
            "inside the central 85% range",
            h.inside85,
            w.inside85,
            "85%",
        ),
        ("as good as the P50 or better", h.held50, w.held50, "≥ 50%"),
        ("as good as the P85 or better", h.held85, w.held85, "≥ 85%"),
        ("as good as the P95 or better", h.held95, w.held95, "≥ 95%"),
    ];
    for (name, how_many, when, promised) in rows {
        writeln!(
            out,
            "  {name:<34}  {:>18}  {:>18}  {promised:>8}",
            cell(h, how_many),
            cell(w, when)
        )?;
    }
    writeln!(
        out,
        "  {:<34}  {:>18}  {:>18}",
        "forecasts compared", h.n, w.n
    )?;
    writeln!(
        out,
        "\n\"As good\" is at least the forecast count, or done by the forecast date. The P85 held in {} of the how-many forecasts and {} of the when forecasts, where it promises 85%.",
        cell(h, h.held85),
        cell(w, w.held85)
    )?;
    Ok(())
}
