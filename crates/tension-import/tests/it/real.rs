//! The public histories: each importer reads its file, and the counts of completed items are
//! those stated in `shared/data/histories/SOURCES.md`.

use std::path::{Path, PathBuf};

use tension_import::{Format, Options, Skip, import_many};

use crate::read;

/// The shared data folder, beside the repository; `None` when this checkout has none.
fn histories() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/histories");
    path.is_dir().then_some(path)
}

macro_rules! require_histories {
    () => {
        match histories() {
            Some(path) => path,
            None => {
                eprintln!("skipped: ../shared/data/histories is not beside this checkout");
                return;
            }
        }
    };
}

fn skipped(history: &tension_import::History, reason: Skip) -> usize {
    history.skipped.get(&reason).copied().unwrap_or(0)
}

#[test]
fn apache_avro_jira_rest_csv() {
    let base = require_histories!();
    let history = read(
        &base.join("apache-avro-jira/avro-issues.csv"),
        &Options::default(),
    );
    assert_eq!(history.format, Format::JiraCsv);
    assert_eq!(history.n_records, 1458);
    assert_eq!(history.items.len(), 1134);
    assert_eq!(skipped(&history, Skip::NotDone), 324);
    assert_eq!(history.items[0].done.date(), jiff::civil::date(2009, 4, 10));
    assert_eq!(
        history.items.last().unwrap().done.date(),
        jiff::civil::date(2014, 2, 12)
    );
    // Filtering on resolution keeps the 1,005 Fixed issues.
    let fixed_only = Options {
        exclude_resolutions: [
            "Duplicate",
            "Won't Fix",
            "Invalid",
            "Not A Problem",
            "Incomplete",
            "Cannot Reproduce",
            "Later",
            "Unresolved",
            "Implemented",
            "Done",
            "Workaround",
            "Pending Closed",
        ]
        .map(String::from)
        .to_vec(),
        ..Options::default()
    };
    let history = read(&base.join("apache-avro-jira/avro-issues.csv"), &fixed_only);
    assert_eq!(
        history
            .items
            .iter()
            .filter(|item| item.resolution.as_deref() == Some("Fixed"))
            .count(),
        1005
    );
    assert!(
        history
            .items
            .iter()
            .all(|item| item.resolution.as_deref() == Some("Fixed"))
    );
}

#[test]
fn apache_kafka_semicolon_csv_with_multiline_fields() {
    let base = require_histories!();
    let history = read(
        &base.join("apache-kafka-bugfix-vieira2019/kafka-jira-bug-fix-dataset.csv"),
        &Options::default(),
    );
    assert_eq!(history.format, Format::JiraCsv);
    assert_eq!(history.items.len(), 2402);
    // The bulk import of 2011-07-19 is in the history as it happened.
    let import_day = history
        .items
        .iter()
        .filter(|item| item.done.date() == jiff::civil::date(2011, 7, 19))
        .count();
    assert!(import_day >= 20, "{import_day}");
    assert_eq!(
        history.items.last().unwrap().done.date(),
        jiff::civil::date(2018, 12, 31)
    );
    // SOURCES.md: 20 issues with created = resolved to the second on that day, all within one
    // minute: a bulk close when asked to look for them.
    let options = Options {
        bulk_close_min: Some(10),
        ..Options::default()
    };
    let without_bulk = read(
        &base.join("apache-kafka-bugfix-vieira2019/kafka-jira-bug-fix-dataset.csv"),
        &options,
    );
    assert_eq!(skipped(&without_bulk, Skip::BulkClose), 20);
    assert_eq!(without_bulk.items.len(), 2402 - 20);
}

#[test]
fn rueedlinger_dates_only_and_done_before_created() {
    let base = require_histories!();
    let history = read(
        &base.join("rueedlinger-jira-anonymized/jira.csv"),
        &Options::default(),
    );
    assert_eq!(history.format, Format::Csv);
    assert_eq!(history.items.len(), 4123);
    assert_eq!(history.done_before_created, 1662);
    // Dates only: every item is done "at midnight", which is no bulk close.
    let options = Options {
        bulk_close_min: Some(10),
        ..Options::default()
    };
    let dates_only = read(&base.join("rueedlinger-jira-anonymized/jira.csv"), &options);
    assert_eq!(dates_only.items.len(), 4123);
    assert!(dates_only.bulk_closes.is_empty());
}

#[test]
fn appcelerator_aloy_folder_of_jira_issue_json() {
    let base = require_histories!();
    let mut files = Vec::new();
    let mut dirs = vec![base.join("appcelerator-aloy-jira-json/data/ALOY")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|ext| ext == "json") {
                files.push((path.display().to_string(), std::fs::read(&path).unwrap()));
            }
        }
    }
    assert_eq!(files.len(), 1500, "1,499 issues and project.json");
    let history = import_many(
        files
            .iter()
            .map(|(name, bytes)| (name.as_str(), bytes.as_slice())),
        &Options::default(),
    )
    .unwrap();
    assert_eq!(history.format, Format::JiraJson);
    assert_eq!(history.items.len(), 1283);
    assert_eq!(skipped(&history, Skip::NotAnIssue), 1);
    assert_eq!(skipped(&history, Skip::NotDone), 216);
    // The bulk import of 2012-07-19: 70 issues resolved within one minute, 11:52 UTC.
    let bulk = history
        .items
        .iter()
        .filter(|item| {
            item.done.date() == jiff::civil::date(2012, 7, 19)
                && item.done.hour() == 11
                && item.done.minute() == 52
        })
        .count();
    assert_eq!(bulk, 70);

    // Asked to, the import leaves that bulk close out, and nothing else.
    let options = Options {
        bulk_close_min: Some(10),
        ..Options::default()
    };
    let without_bulk = import_many(
        files
            .iter()
            .map(|(name, bytes)| (name.as_str(), bytes.as_slice())),
        &options,
    )
    .unwrap();
    assert_eq!(without_bulk.items.len(), 1283 - 70);
    assert_eq!(skipped(&without_bulk, Skip::BulkClose), 70);
    assert_eq!(
        without_bulk.bulk_closes,
        vec![(jiff::civil::date(2012, 7, 19).at(11, 52, 0, 0), 70)]
    );
}

#[test]
fn github_gh_json_and_its_csv_twin() {
    let base = require_histories!();
    let json = read(
        &base.join("github-vscode-mssql-gh/microsoft-vscode-mssql-all-issues.json"),
        &Options::default(),
    );
    assert_eq!(json.format, Format::GithubJson);
    assert_eq!(json.n_records, 3062);
    assert_eq!(json.items.len(), 2875);
    let csv = read(
        &base.join("github-vscode-mssql-gh/microsoft-vscode-mssql-issues.csv"),
        &Options::default(),
    );
    assert_eq!(csv.format, Format::GithubCsv);
    assert_eq!(csv.n_records, 3212);
    assert_eq!(
        skipped(&csv, Skip::Duplicate),
        3212 - 3062,
        "one row per Area, deduplicated on Number"
    );
    assert_eq!(csv.items.len(), 2875);
    let json_days: Vec<_> = json
        .items
        .iter()
        .map(|item| (item.id.clone(), item.done))
        .collect();
    let csv_days: Vec<_> = csv
        .items
        .iter()
        .map(|item| (item.id.clone(), item.done))
        .collect();
    assert_eq!(
        json_days, csv_days,
        "the two exports of one repository agree item by item"
    );
    // Bulk closes show up as they happened: 71 on 2021-08-27.
    let bulk = json
        .items
        .iter()
        .filter(|item| item.done.date() == jiff::civil::date(2021, 8, 27))
        .count();
    assert_eq!(bulk, 71);
}

#[test]
fn github_rest_json_lines_with_duplicates_pull_requests_and_not_planned() {
    let base = require_histories!();
    let path = base.join("github-hf-datasets-rest/datasets-issues.jsonl");
    let history = read(&path, &Options::default());
    assert_eq!(history.format, Format::GithubJson);
    assert_eq!(history.n_records, 1000);
    assert_eq!(skipped(&history, Skip::Duplicate), 100);
    assert_eq!(skipped(&history, Skip::PullRequest), 386);
    // 317 closed issues: 308 completed, 9 closed as not planned.
    assert_eq!(history.items.len(), 308);
    assert_eq!(skipped(&history, Skip::NotPlanned), 9);
    let with_prs = read(
        &path,
        &Options {
            include_pull_requests: true,
            ..Options::default()
        },
    );
    assert_eq!(with_prs.items.len(), 308 + 346);
}
