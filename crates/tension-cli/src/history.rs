//! Reading a history export for the commands, and `tension history`: throughput per week,
//! cycle times, the window and its stability.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use clap::Args;
use jiff::civil::Date;
use serde::Serialize;
use tension_forecast::flow::{
    STABILITY_LIMIT, Stability, Window, cycle_days, cycle_percentiles, weekly,
};
use tension_forecast::throughput::WorkingDays;
use tension_import::{History, Skip};
use tension_model::{Weekday, Workdays};

use crate::Format;
use crate::check::plural;
use crate::format::{bar, number};

/// How to read an export: for localised or unusual files, and what not to count.
#[derive(Debug, Clone, Default, Args)]
pub struct ImportArgs {
    /// The column with the item's id (`Issue key`, `Number`, `ID`).
    #[arg(long, value_name = "NAME", help_heading = "Reading the export")]
    pub id_column: Option<String>,
    /// The column with the date the item was created.
    #[arg(long, value_name = "NAME", help_heading = "Reading the export")]
    pub created_column: Option<String>,
    /// The column with the date the item was done (`Resolved`, `closedAt`, `Completed`).
    #[arg(long, value_name = "NAME", help_heading = "Reading the export")]
    pub done_column: Option<String>,
    /// The format of the dates, strftime-style (`%d/%m/%Y %H:%M`), when they are not detected.
    #[arg(long, value_name = "FORMAT", help_heading = "Reading the export")]
    pub date_format: Option<String>,
    /// Resolutions or close reasons that are not finished work (`Duplicate`, `not_planned`).
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "NAME,...",
        help_heading = "Reading the export"
    )]
    pub exclude_resolution: Vec<String>,
    /// Item types that do not count (`Epic`, `Sub-task`).
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "NAME,...",
        help_heading = "Reading the export"
    )]
    pub exclude_type: Vec<String>,
    /// Count GitHub pull requests as items.
    #[arg(long, help_heading = "Reading the export")]
    pub include_pull_requests: bool,
    /// Count bulk closes (ten or more items closed within one minute), which are left out.
    #[arg(long, help_heading = "Reading the export")]
    pub keep_bulk_closes: bool,
    /// Working days of the team, for the working and non-working day pools.
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "DAY,...",
        default_value = "mon,tue,wed,thu,fri",
        value_parser = parse_weekday,
        help_heading = "Reading the export"
    )]
    pub workdays: Vec<Weekday>,
}

/// Items closed within one minute, from this many up, are a bulk close.
pub(crate) const BULK_CLOSE_MIN: usize = 10;

fn parse_weekday(text: &str) -> Result<Weekday, String> {
    Weekday::ALL
        .into_iter()
        .find(|day| day.name().eq_ignore_ascii_case(text.trim()))
        .ok_or_else(|| format!("`{text}` is not a day: use mon, tue, wed, thu, fri, sat or sun"))
}

impl ImportArgs {
    fn options(&self) -> tension_import::Options {
        tension_import::Options {
            columns: tension_import::Columns {
                id: self.id_column.clone(),
                created: self.created_column.clone(),
                done: self.done_column.clone(),
                ..Default::default()
            },
            date_format: self.date_format.clone(),
            exclude_resolutions: self.exclude_resolution.clone(),
            exclude_types: self.exclude_type.clone(),
            include_pull_requests: self.include_pull_requests,
            bulk_close_min: (!self.keep_bulk_closes).then_some(BULK_CLOSE_MIN),
        }
    }

    pub(crate) fn working_days(&self) -> WorkingDays {
        WorkingDays::new(Workdays::new(self.workdays.iter().copied()), &[])
    }
}

/// An export, read and checked.
#[derive(Debug)]
pub(crate) struct Loaded {
    /// The file or folder, as the user named it.
    pub name: String,
    pub history: History,
    /// The done dates, in order.
    pub done: Vec<Date>,
}

impl Loaded {
    /// The day after the last completed item: where the data ends.
    pub(crate) fn data_end(&self) -> Date {
        self.done
            .last()
            .and_then(|last| last.tomorrow().ok())
            .unwrap_or(Date::MAX)
    }

    /// `weeks` weeks of history ending before `end`, or at the end of the data if sooner.
    /// `end_flag` is the flag that moves the end (`--start`, `--until`).
    pub(crate) fn window(&self, end: Date, weeks: u32, end_flag: &str) -> Result<Window> {
        let name = &self.name;
        if weeks == 0 {
            bail!("--window must be at least 1 week");
        }
        let window = Window::weeks_before(end.min(self.data_end()), weeks);
        let in_window = self
            .done
            .iter()
            .filter(|&&done| window.first <= done && done < window.end)
            .count();
        if in_window == 0 {
            let first = self.done.first().copied().unwrap_or(end);
            if first >= end {
                bail!(
                    "{name}: no item was finished before {end}: the history starts on {first}\n  help: move {end_flag} after the history begins"
                );
            }
            bail!(
                "{name}: no item was finished in the window, {} to {}\n  help: widen the window (--window {}), or check the exclusions",
                window.first,
                window.last(),
                weeks * 2
            );
        }
        Ok(window)
    }
}

/// Reads an export file, or every `.csv`, `.json` and `.jsonl` file of a folder (a folder of
/// Jira issue files), as one history; refuses dates after `today`.
pub(crate) fn load(path: &Path, args: &ImportArgs, today: Date) -> Result<Loaded> {
    let name = path.display().to_string();
    let files = if path.is_dir() {
        let files = files_in(path)?;
        if files.is_empty() {
            bail!(
                "{name}: the folder has no .csv, .json or .jsonl file\n  help: name the export file itself"
            );
        }
        files
    } else {
        vec![path.to_path_buf()]
    };
    let mut contents = Vec::with_capacity(files.len());
    for file in &files {
        let bytes = std::fs::read(file)
            .with_context(|| format!("cannot read history file {}", file.display()))?;
        contents.push((file.display().to_string(), bytes));
    }
    let history = tension_import::import_many(
        contents
            .iter()
            .map(|(name, bytes)| (name.as_str(), bytes.as_slice())),
        &args.options(),
    )
    .map_err(|error| anyhow!("{error}\n  help: {}", error.help()))?;
    if history.items.is_empty() {
        bail!(
            "{name}: no completed item among {} ({})\n  help: export closed or resolved items too, or check the exclusions",
            plural(history.n_records, "record"),
            skipped_summary(&history)
        );
    }
    // A day of slack: an export in UTC may be a day ahead of the local date.
    let limit = today.tomorrow().unwrap_or(today);
    if let Some(future) = history.items.iter().find(|item| item.done.date() > limit) {
        let n = history
            .items
            .iter()
            .filter(|item| item.done.date() > limit)
            .count();
        bail!(
            "{name}: {} done after today ({today}); the first is `{}`, done {}\n  help: dates in the future are usually read in the wrong format: give it with --date-format (for example \"%d/%m/%Y\"); or set today with --today",
            if n == 1 {
                "1 item is".to_owned()
            } else {
                format!("{n} items are")
            },
            future.id,
            future.done.date()
        );
    }
    let done = history.items.iter().map(|item| item.done.date()).collect();
    Ok(Loaded {
        name,
        history,
        done,
    })
}

fn files_in(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries =
            std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))?;
        for entry in entries {
            let path = entry
                .with_context(|| format!("cannot read {}", dir.display()))?
                .path();
            if path.is_dir() {
                dirs.push(path);
            } else if path
                .extension()
                .and_then(|ext| ext.to_str())
                .is_some_and(|ext| ["csv", "json", "jsonl"].contains(&ext))
            {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// `3 not done, 2 duplicate records`, or `nothing skipped`.
pub(crate) fn skipped_summary(history: &History) -> String {
    if history.skipped.is_empty() {
        return "nothing skipped".to_owned();
    }
    history
        .skipped
        .iter()
        .map(|(reason, n)| format!("{} {}", number(*n as f64), reason.describe()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One line on what was read: `FILE: Jira CSV, 1,458 records, 1,134 completed items`.
pub(crate) fn describe(loaded: &Loaded, out: &mut impl Write) -> Result<()> {
    let history = &loaded.history;
    writeln!(
        out,
        "{}: {}, {} {}, {} completed {}",
        loaded.name,
        history.format,
        number(history.n_records as f64),
        if history.n_records == 1 {
            "record"
        } else {
            "records"
        },
        number(history.items.len() as f64),
        if history.items.len() == 1 {
            "item"
        } else {
            "items"
        },
    )?;
    if !history.skipped.is_empty() {
        writeln!(out, "  skipped: {}", skipped_summary(history))?;
    }
    for (at, n) in &history.bulk_closes {
        writeln!(
            out,
            "  left out a bulk close: {n} items within the minute of {} (--keep-bulk-closes counts them)",
            at.strftime("%Y-%m-%d %H:%M")
        )?;
    }
    Ok(())
}

/// The window, in words: `12 weeks, 2019-05-13 to 2019-08-04`.
pub(crate) fn window_words(window: &Window, weeks: u32) -> String {
    format!(
        "{}, {} to {}",
        plural(weeks as usize, "week"),
        window.first,
        window.last()
    )
}

#[derive(Debug)]
pub(crate) struct Request {
    pub file: PathBuf,
    pub import: ImportArgs,
    pub window: u32,
    pub until: Option<Date>,
    pub svg: Option<PathBuf>,
    pub format: Format,
}

#[derive(Debug, Serialize)]
struct Json<'a> {
    file: &'a str,
    format: String,
    records: usize,
    items: usize,
    skipped: Vec<JsonSkip>,
    window: JsonWindow,
    weekly: Vec<JsonWeek>,
    /// Items finished on each calendar day of the window, for a spreadsheet or another tool.
    daily: Vec<JsonDay>,
    per_working_day: f64,
    cycle_time: Option<JsonCycle>,
    stability: JsonStability,
}

#[derive(Debug, Serialize)]
struct JsonSkip {
    reason: &'static str,
    count: usize,
}

#[derive(Debug, Serialize)]
struct JsonWindow {
    first: String,
    last: String,
    weeks: u32,
}

#[derive(Debug, Serialize)]
struct JsonWeek {
    first: String,
    count: u32,
}

#[derive(Debug, Serialize)]
struct JsonDay {
    date: String,
    count: u32,
    working: bool,
}

#[derive(Debug, Serialize)]
struct JsonCycle {
    items: usize,
    p50: u32,
    p85: u32,
    p95: u32,
}

#[derive(Debug, Serialize)]
struct JsonStability {
    first_half: f64,
    second_half: f64,
    /// `null` when the first half finished nothing.
    change: Option<f64>,
    stable: bool,
}

pub(crate) fn run(request: &Request, today: Date, out: &mut impl Write) -> Result<bool> {
    let loaded = load(&request.file, &request.import, today)?;
    let end = match request.until {
        Some(until) => until.tomorrow().unwrap_or(until),
        None => loaded.data_end(),
    };
    let window = loaded.window(end, request.window, "--until")?;
    let daily = window.daily(&loaded.done);
    let calendar = request.import.working_days();
    let weeks = weekly(&daily);
    let per_working_day = daily.per_working_day(&calendar);
    let mut cycles: Vec<u32> = loaded
        .history
        .items
        .iter()
        .filter(|item| window.first <= item.done.date() && item.done.date() < window.end)
        .filter_map(|item| {
            item.created
                .and_then(|created| cycle_days(created.date(), item.done.date()))
        })
        .collect();
    let n_cycles = cycles.len();
    let cycle = cycle_percentiles(&mut cycles);
    let stability = Stability::new(&daily, &calendar);

    if let Some(path) = &request.svg {
        crate::chart::weekly_throughput(path, &loaded.name, &weeks)
            .with_context(|| format!("cannot write the chart to {}", path.display()))?;
    }
    if request.format == Format::Json {
        let json = Json {
            file: &loaded.name,
            format: loaded.history.format.to_string(),
            records: loaded.history.n_records,
            items: loaded.history.items.len(),
            skipped: loaded
                .history
                .skipped
                .iter()
                .map(|(reason, &count)| JsonSkip {
                    reason: skip_key(*reason),
                    count,
                })
                .collect(),
            window: JsonWindow {
                first: window.first.to_string(),
                last: window.last().to_string(),
                weeks: request.window,
            },
            weekly: weeks
                .iter()
                .map(|week| JsonWeek {
                    first: week.first.to_string(),
                    count: week.count,
                })
                .collect(),
            daily: daily
                .days()
                .map(|(date, count)| JsonDay {
                    date: date.to_string(),
                    count,
                    working: calendar.is_working(date),
                })
                .collect(),
            per_working_day,
            cycle_time: cycle.map(|[p50, p85, p95]| JsonCycle {
                items: n_cycles,
                p50,
                p85,
                p95,
            }),
            stability: JsonStability {
                first_half: stability.first_half,
                second_half: stability.second_half,
                change: stability.change.is_finite().then_some(stability.change),
                stable: stability.is_stable(),
            },
        };
        writeln!(out, "{}", serde_json::to_string(&json)?)?;
        return Ok(true);
    }

    describe(&loaded, out)?;
    writeln!(out, "window: {}", window_words(&window, request.window))?;
    writeln!(out, "\nthroughput per week (items finished)")?;
    let max = weeks.iter().map(|week| week.count).max().unwrap_or(0) as usize;
    for week in &weeks {
        writeln!(
            out,
            "  {}  {:<40} {:>4}",
            week.first,
            bar(week.count as usize, max, 40),
            week.count
        )?;
    }
    writeln!(
        out,
        "  {} in {}: {:.1} a week, {:.2} a working day",
        plural(daily.total() as usize, "item"),
        plural(weeks.len(), "week"),
        daily.total() as f64 / weeks.len().max(1) as f64,
        per_working_day,
    )?;
    match cycle {
        Some([p50, p85, p95]) => writeln!(
            out,
            "\ncycle time, created to done, of the {} finished in the window: P50 {}, P85 {}, P95 {}",
            plural(n_cycles, "item"),
            plural(p50 as usize, "day"),
            plural(p85 as usize, "day"),
            plural(p95 as usize, "day"),
        )?,
        None => writeln!(
            out,
            "\ncycle time: no item in the window has a creation date on or before its done date"
        )?,
    }
    if loaded.history.done_before_created > 0 {
        let n = loaded.history.done_before_created;
        writeln!(
            out,
            "  {} done before {} created: counted in throughput, left out of cycle times",
            plural(n, "item"),
            if n == 1 { "it was" } else { "they were" }
        )?;
    }
    writeln!(out, "\n{}", stability_words(&stability))?;
    if let Some(path) = &request.svg {
        writeln!(out, "\nchart written to {}", path.display())?;
    }
    Ok(true)
}

/// The stability check in words, with a warning when the halves differ by more than 25%.
pub(crate) fn stability_words(stability: &Stability) -> String {
    let rates = format!(
        "{:.2} items per working day in the first half of the window, {:.2} in the second",
        stability.first_half, stability.second_half
    );
    if stability.is_stable() {
        return format!("stable: {rates} (within {:.0}%)", STABILITY_LIMIT * 100.0);
    }
    let change = if stability.change.is_infinite() {
        "the first half finished nothing".to_owned()
    } else if stability.change > 0.0 {
        format!("{:.0}% more in the second half", stability.change * 100.0)
    } else {
        format!("{:.0}% fewer in the second half", -stability.change * 100.0)
    };
    format!(
        "warning: unstable: {rates}; {change}, more than {:.0}%.\n  A forecast assumes the days ahead look like the whole window: choose a window in which the team worked as it will (--window).",
        STABILITY_LIMIT * 100.0
    )
}

fn skip_key(reason: Skip) -> &'static str {
    match reason {
        Skip::NotDone => "not_done",
        Skip::PullRequest => "pull_request",
        Skip::NotPlanned => "not_planned",
        Skip::Canceled => "canceled",
        Skip::ExcludedResolution => "excluded_resolution",
        Skip::ExcludedType => "excluded_type",
        Skip::Duplicate => "duplicate",
        Skip::NoId => "no_id",
        Skip::BadDate => "bad_date",
        Skip::NotAnIssue => "not_an_issue",
        Skip::BulkClose => "bulk_close",
    }
}
