//! `tension history`, `tension forecast --history` and `tension backtest`, run as a user runs
//! them, on the shipped example export, on hand-made bad exports and on the public histories.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::{repo_root, stderr, stdout, tension};

const EXPORT: &str = "examples/exports/checkout-team-jira.csv";

fn json(output: &std::process::Output) -> Value {
    assert!(output.status.success(), "{}", stderr(output));
    serde_json::from_str(&stdout(output)).expect("the output is JSON")
}

/// The public histories beside the repository; `None` (the test says it is skipped) without.
#[allow(clippy::print_stderr)]
fn histories() -> Option<PathBuf> {
    let path = repo_root().join("../shared/data/histories");
    if path.is_dir() {
        Some(path)
    } else {
        eprintln!("skipped: ../shared/data/histories is not beside this checkout");
        None
    }
}

#[test]
fn history_shows_the_window_weekly_throughput_cycle_times_and_stability() {
    let output = tension(&repo_root(), &["history", EXPORT]);
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    for line in [
        "examples/exports/checkout-team-jira.csv: Jira CSV, 112 records, 98 completed items",
        "skipped: 14 not done (open, or no done date)",
        "window: 12 weeks, 2026-08-27 to 2026-11-18",
        "71 items in 12 weeks: 5.9 a week, 1.18 a working day",
        "cycle time, created to done, of the 71 items finished in the window: P50 7 days",
        "stable: 1.23 items per working day in the first half",
    ] {
        assert!(out.contains(line), "missing `{line}` in\n{out}");
    }
    let weekly_rows = out
        .lines()
        .filter(|line| line.starts_with("  2026-"))
        .count();
    assert_eq!(weekly_rows, 12, "{out}");
}

#[test]
fn history_json_adds_up_and_a_window_can_end_earlier() {
    let value = json(&tension(
        &repo_root(),
        &[
            "history",
            EXPORT,
            "--window",
            "4",
            "--until",
            "2026-10-31",
            "--format",
            "json",
        ],
    ));
    assert_eq!(value["window"]["first"], "2026-10-04");
    assert_eq!(value["window"]["last"], "2026-10-31");
    let daily = value["daily"].as_array().expect("daily counts");
    assert_eq!(daily.len(), 28);
    let total: u64 = daily.iter().map(|day| day["count"].as_u64().unwrap()).sum();
    let weekly: u64 = value["weekly"]
        .as_array()
        .unwrap()
        .iter()
        .map(|week| week["count"].as_u64().unwrap())
        .sum();
    assert_eq!(total, weekly);
    assert!(total > 0);
    let working = daily.iter().filter(|day| day["working"] == true).count();
    assert_eq!(working, 20, "four weeks of Monday to Friday");
    let per_day = value["per_working_day"].as_f64().unwrap();
    assert!((per_day - total as f64 / 20.0).abs() < 1e-12);
}

#[test]
fn history_writes_a_weekly_chart() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("weekly.svg");
    let output = tension(
        &repo_root(),
        &["history", EXPORT, "--svg", svg.to_str().unwrap()],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg"), "{}", &text[..80.min(text.len())]);
    assert!(text.contains("throughput per week"));
    // One bar per week.
    assert_eq!(
        text.matches("<rect").count() - 1,
        12,
        "a background and 12 bars"
    );
}

#[test]
fn forecast_from_history_has_the_json_contract_and_is_reproducible() {
    let args = [
        "forecast",
        "--history",
        EXPORT,
        "--remaining",
        "20..25",
        "--split",
        "1..1.2",
        "--start",
        "2026-11-23",
        "--deadline",
        "2027-01-15",
        "--format",
        "json",
    ];
    let first = tension(&repo_root(), &args);
    let value = json(&first);
    for key in ["p50", "p85", "p95"] {
        let date: jiff::civil::Date = value[key].as_str().unwrap().parse().unwrap();
        assert!(date >= jiff::civil::date(2026, 11, 23), "{key} {date}");
    }
    assert!(value["p50"].as_str() <= value["p85"].as_str());
    assert!(value["p85"].as_str() <= value["p95"].as_str());
    let p = value["p_by_deadline"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&p));
    assert_eq!(
        stdout(&first),
        stdout(&tension(&repo_root(), &args)),
        "the same seed gives the same forecast"
    );
    let no_deadline = json(&tension(
        &repo_root(),
        &[
            "forecast",
            "--history",
            EXPORT,
            "--remaining",
            "20",
            "--start",
            "2026-11-23",
            "--format",
            "json",
        ],
    ));
    assert!(no_deadline["p_by_deadline"].is_null());
}

#[test]
fn forecast_how_many_by_a_date_counts_down_the_levels() {
    let value = json(&tension(
        &repo_root(),
        &[
            "forecast",
            "--history",
            EXPORT,
            "--by",
            "2026-12-31",
            "--start",
            "2026-11-23",
            "--format",
            "json",
        ],
    ));
    let level = |key: &str| value[key].as_u64().expect("a count");
    assert!(level("p50") >= level("p85") && level("p85") >= level("p95"));
    // About 1.2 items a working day over 29 working days: the median is near 34.
    assert!((25..=45).contains(&level("p50")), "{value}");
}

#[test]
fn forecast_text_from_history_shows_dates_and_the_weekly_cdf() {
    let output = tension(
        &repo_root(),
        &[
            "forecast",
            "--history",
            EXPORT,
            "--remaining",
            "30",
            "--start",
            "2026-11-23",
            "--deadline",
            "2027-01-08",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    for line in [
        "window: 12 weeks, 2026-08-27 to 2026-11-18: 71 items finished, 1.18 a working day",
        "when will 30 items be done, starting 2026-11-23? 10,000 trials (seed 1)",
        "  P85  ",
        "done by the deadline, 2027-01-08:",
        "◀ deadline 2027-01-08",
    ] {
        assert!(out.contains(line), "missing `{line}` in\n{out}");
    }
    assert!(stderr(&output).is_empty(), "{}", stderr(&output));
}

#[test]
fn a_scenario_forecasts_its_items_from_its_team_history() {
    let value = json(&tension(
        &repo_root(),
        &[
            "forecast",
            "examples/checkout.toml",
            "--mode",
            "throughput",
            "--format",
            "json",
        ],
    ));
    assert_eq!(value["remaining"], "9 items");
    assert_eq!(value["start"], "2027-01-04");
    assert_eq!(value["deadline"], "2027-03-31");
    assert_eq!(
        value["history"]["file"],
        "examples/exports/checkout-team-jira.csv"
    );
    // Each scenario item may be several tickets of the history: --split says how many.
    let split = json(&tension(
        &repo_root(),
        &[
            "forecast",
            "examples/checkout.toml",
            "--mode",
            "throughput",
            "--split",
            "5..8",
            "--format",
            "json",
        ],
    ));
    assert!(split["p50"].as_str() > value["p50"].as_str());
}

#[test]
fn a_scenario_without_history_says_how_to_add_one() {
    let output = tension(
        &repo_root(),
        &[
            "forecast",
            "examples/projection.toml",
            "--mode",
            "throughput",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("examples/projection.toml: no `history` under [team]"),
        "{err}"
    );
    assert!(err.contains("--history FILE"), "{err}");
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("a temporary file");
    path.display().to_string()
}

/// Runs `tension history FILE` and returns its stderr, asserting it failed with exit code 1.
fn history_error(dir: &Path, file: &str, extra: &[&str]) -> String {
    let mut args = vec!["history", file];
    args.extend_from_slice(extra);
    let output = tension(dir, &args);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    stderr(&output)
}

#[test]
fn bad_exports_get_a_message_naming_the_file_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let no_date = write(
        dir.path(),
        "no-date.csv",
        "Issue key,Summary,Status\nA-1,x,Done\n",
    );
    let err = history_error(dir.path(), &no_date, &[]);
    assert!(
        err.contains("no-date.csv: no done-date column among: Issue key, Summary, Status")
            || err.contains("no-date.csv"),
        "{err}"
    );
    assert!(err.contains("--done-column"), "{err}");

    let empty = write(dir.path(), "empty.csv", "");
    let err = history_error(dir.path(), &empty, &[]);
    assert!(err.contains("empty.csv: the file is empty"), "{err}");
    assert!(err.contains("export again"), "{err}");

    let unknown = write(dir.path(), "unknown.json", "{\"hello\": \"world\"}");
    let err = history_error(dir.path(), &unknown, &[]);
    assert!(
        err.contains("unknown.json: not an export this tool knows"),
        "{err}"
    );
    assert!(err.contains("help:"), "{err}");

    let missing = dir.path().join("missing.csv").display().to_string();
    let err = history_error(dir.path(), &missing, &[]);
    assert!(err.contains("cannot read history file"), "{err}");
    assert!(err.contains("missing.csv"), "{err}");
}

#[test]
fn dates_in_the_future_are_refused_with_the_likely_cause() {
    let dir = tempfile::tempdir().unwrap();
    // Day and month swapped would put these in December 2026, after today (2026-11-25).
    let file = write(
        dir.path(),
        "future.csv",
        "Issue key,Created,Resolved\nA-1,2026-11-01,2026-11-20\nA-2,2026-11-02,2026-12-11\n",
    );
    let err = history_error(dir.path(), &file, &[]);
    assert!(
        err.contains("future.csv: 1 item is done after today (2026-11-25); the first is `A-2`, done 2026-12-11"),
        "{err}"
    );
    assert!(err.contains("--date-format"), "{err}");
}

#[test]
fn an_empty_window_says_how_to_widen_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "old.csv",
        "Issue key,Created,Resolved\nA-1,2025-01-02,2025-01-06\nA-2,2025-01-03,2025-01-07\nA-3,2025-05-01,2025-06-02\n",
    );
    // The history starts on 2025-01-06: nothing before 2025-01-02; then a gap to June.
    let output = tension(
        dir.path(),
        &[
            "forecast",
            "--history",
            &file,
            "--remaining",
            "5",
            "--start",
            "2025-01-02",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("old.csv: no item was finished before 2025-01-02"),
        "{err}"
    );
    assert!(err.contains("--start"), "{err}");
    let err = history_error(dir.path(), &file, &["--until", "2024-12-01"]);
    assert!(
        err.contains("move --until after the history begins"),
        "{err}"
    );
    let err = history_error(
        dir.path(),
        &file,
        &["--until", "2025-03-01", "--window", "2"],
    );
    assert!(
        err.contains("old.csv: no item was finished in the window, 2025-02-16 to 2025-03-01"),
        "{err}"
    );
    assert!(err.contains("--window 4"), "{err}");
}

#[test]
fn bad_ranges_name_the_flag() {
    let cases: [(&[&str], &str); 4] = [
        (&["--remaining", "20.."], "--remaining `20..`"),
        (
            &["--remaining", "-5..10"],
            "--remaining `-5..10` reaches -5..10: it must be at least 0",
        ),
        (&["--remaining", "10 days"], "a count of items has no unit"),
        (
            &["--remaining", "10", "--focus", "0.5..1.5"],
            "--focus `0.5..1.5` reaches 0.5..1.5: it must be between 0 and 1",
        ),
    ];
    for (flags, message) in cases {
        let mut args = vec!["forecast", "--history", EXPORT, "--start", "2026-11-23"];
        args.extend_from_slice(flags);
        let output = tension(&repo_root(), &args);
        assert_eq!(output.status.code(), Some(1), "{flags:?}");
        assert!(
            stderr(&output).contains(message),
            "{flags:?}: {}",
            stderr(&output)
        );
    }
    let both = tension(
        &repo_root(),
        &[
            "forecast",
            "--history",
            EXPORT,
            "--remaining",
            "5",
            "--by",
            "2027-01-01",
        ],
    );
    assert_eq!(
        both.status.code(),
        Some(2),
        "--remaining and --by are two questions"
    );
    let neither = tension(&repo_root(), &["forecast", "--history", EXPORT]);
    assert_eq!(neither.status.code(), Some(1));
    assert!(
        stderr(&neither).contains("--remaining ITEMS"),
        "{}",
        stderr(&neither)
    );
}

#[test]
fn localised_exports_are_read_with_named_columns() {
    let fixture = repo_root().join("crates/tension-import/tests/data/jira-export-es.csv");
    let fixture = fixture.display().to_string();
    let output = tension(&repo_root(), &["history", &fixture]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("--created-column"),
        "{}",
        stderr(&output)
    );
    let header = std::fs::read_to_string(&fixture).unwrap();
    let header = header.lines().next().unwrap();
    assert!(header.contains("Resuelta"), "{header}");
    let output = tension(
        &repo_root(),
        &[
            "history",
            &fixture,
            "--id-column",
            "Clave de incidencia",
            "--created-column",
            "Creada",
            "--done-column",
            "Resuelta",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn backtest_prints_a_calibration_table() {
    let output = tension(
        &repo_root(),
        &[
            "backtest",
            "--history",
            EXPORT,
            "--window",
            "4",
            "--horizon",
            "2",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    for line in [
        "inside the central 85% range",
        "as good as the P85 or better",
        "forecasts compared",
        "how many in 2 weeks",
    ] {
        assert!(out.contains(line), "missing `{line}` in\n{out}");
    }
    let short = tension(
        &repo_root(),
        &["backtest", "--history", EXPORT, "--window", "52"],
    );
    assert_eq!(short.status.code(), Some(1));
    assert!(
        stderr(&short).contains("a backtest needs more than the window and the horizon"),
        "{}",
        stderr(&short)
    );
}

/// Every public history: read, summarised and backtested.
#[test]
fn every_public_history_reads_and_backtests() {
    let Some(base) = histories() else {
        return;
    };
    let files = [
        ("apache-avro-jira/avro-issues.csv", 1134),
        (
            "apache-kafka-bugfix-vieira2019/kafka-jira-bug-fix-dataset.csv",
            2402 - 20,
        ),
        ("rueedlinger-jira-anonymized/jira.csv", 4123),
        ("appcelerator-aloy-jira-json/data/ALOY", 1283 - 70),
        (
            "github-vscode-mssql-gh/microsoft-vscode-mssql-all-issues.json",
            2875,
        ),
        (
            "github-vscode-mssql-gh/microsoft-vscode-mssql-issues.csv",
            2875,
        ),
        ("github-hf-datasets-rest/datasets-issues.jsonl", 317 - 9),
    ];
    for (file, completed) in files {
        let path = base.join(file).display().to_string();
        let history = json(&tension(
            &repo_root(),
            &["history", &path, "--format", "json"],
        ));
        assert_eq!(
            history["items"], completed,
            "{file}: bulk closes are left out"
        );
        let output = tension(
            &repo_root(),
            &[
                "backtest",
                "--history",
                &path,
                "--trials",
                "500",
                "--format",
                "json",
            ],
        );
        let backtest = json(&output);
        let n = backtest["how_many"]["n"].as_u64().unwrap();
        assert!(n >= 20, "{file}: {n} backtest dates");
        for question in ["how_many", "when"] {
            let share = backtest[question]["inside_85"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&share), "{file} {question}");
        }
    }
}

#[test]
fn resolutions_and_types_can_be_excluded() {
    let all = json(&tension(
        &repo_root(),
        &["history", EXPORT, "--format", "json"],
    ));
    let some = json(&tension(
        &repo_root(),
        &[
            "history",
            EXPORT,
            "--format",
            "json",
            "--exclude-resolution",
            "duplicate,Won't Do",
            "--exclude-type",
            "Task",
        ],
    ));
    let skipped = |value: &Value, reason: &str| {
        value["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .find(|skip| skip["reason"] == reason)
            .map_or(0, |skip| skip["count"].as_u64().unwrap())
    };
    let (resolutions, types) = (
        skipped(&some, "excluded_resolution"),
        skipped(&some, "excluded_type"),
    );
    assert!(resolutions > 0 && types > 0, "{some}");
    assert_eq!(
        some["items"].as_u64().unwrap() + resolutions + types,
        all["items"].as_u64().unwrap()
    );
}

#[test]
fn a_by_date_before_the_start_is_refused() {
    let output = tension(
        &repo_root(),
        &[
            "forecast",
            "--history",
            EXPORT,
            "--by",
            "2026-11-01",
            "--start",
            "2026-11-23",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("--by 2026-11-01 is before the start, 2026-11-23"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn schedule_flags_are_refused_for_history_forecasts() {
    let output = tension(
        &repo_root(),
        &[
            "forecast",
            "--history",
            EXPORT,
            "--remaining",
            "5",
            "--without",
            "a",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("--without is for forecasts from a scenario's effort ranges"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn windows_and_horizons_are_bounded() {
    for args in [
        &["history", EXPORT, "--window", "0"][..],
        &["history", EXPORT, "--window", "4000000000"],
        &["backtest", "--history", EXPORT, "--horizon", "521"],
        &[
            "forecast",
            "--history",
            EXPORT,
            "--by",
            "2027-01-01",
            "--window",
            "600",
        ],
    ] {
        let output = tension(&repo_root(), args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(stderr(&output).contains("1..=520"), "{}", stderr(&output));
    }
}

#[test]
fn forecasts_from_history_draw_their_distribution() {
    let dir = tempfile::tempdir().unwrap();
    let when = dir.path().join("when.svg");
    let output = tension(
        &repo_root(),
        &[
            "forecast",
            "--history",
            EXPORT,
            "--remaining",
            "30",
            "--start",
            "2026-11-23",
            "--deadline",
            "2027-01-08",
            "--svg",
            when.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("chart written to"));
    let text = std::fs::read_to_string(&when).unwrap();
    for label in [
        "when the work is done",
        "P50 2026-12-28",
        "P85 2027-01-04",
        "deadline 2027-01-08",
    ] {
        assert!(text.contains(label), "the chart has no `{label}`");
    }
    let by = dir.path().join("by.svg");
    let output = tension(
        &repo_root(),
        &[
            "forecast",
            "--history",
            EXPORT,
            "--by",
            "2026-12-31",
            "--start",
            "2026-11-23",
            "--svg",
            by.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let text = std::fs::read_to_string(&by).unwrap();
    for label in ["items done by 2026-12-31", "P85: at least"] {
        assert!(text.contains(label), "the chart has no `{label}`");
    }
}
