//! Hand-written exports of each format, with the awkward dates and a localised header.

use jiff::civil::date;
use tension_import::{Columns, Format, ImportError, Options, Skip, import};

use crate::{fixture, read};

#[test]
fn jira_export_csv_with_day_month_name_year_dates() {
    let history = read(&fixture("jira-export.csv"), &Options::default());
    assert_eq!(history.format, Format::JiraCsv);
    let ids: Vec<&str> = history.items.iter().map(|item| item.id.as_str()).collect();
    assert_eq!(ids, ["SHOP-103", "SHOP-101", "SHOP-105", "SHOP-102"]);
    assert_eq!(history.items[1].done, date(2014, 3, 24).at(9, 59, 0, 0));
    assert_eq!(history.items[1].kind.as_deref(), Some("Bug"));
    assert_eq!(history.skipped.get(&Skip::NotDone), Some(&1));
    let no_duplicates = Options {
        exclude_resolutions: vec!["duplicate".into()],
        exclude_types: vec!["Task".into()],
        ..Options::default()
    };
    let history = read(&fixture("jira-export.csv"), &no_duplicates);
    assert_eq!(history.items.len(), 2);
    assert_eq!(history.skipped.get(&Skip::ExcludedResolution), Some(&1));
    assert_eq!(history.skipped.get(&Skip::ExcludedType), Some(&1));
}

#[test]
fn jira_export_csv_with_us_dates_and_am_pm() {
    let history = read(&fixture("jira-export-us.csv"), &Options::default());
    assert_eq!(history.items[0].done, date(2023, 10, 2).at(15, 4, 48, 0));
    assert_eq!(history.items[1].done, date(2023, 10, 13).at(9, 30, 0, 0));
}

#[test]
fn a_localised_jira_export_needs_its_columns_named() {
    let path = fixture("jira-export-es.csv");
    let bytes = std::fs::read(&path).unwrap();
    let error = import("jira-export-es.csv", &bytes, &Options::default()).unwrap_err();
    assert!(
        matches!(error, ImportError::MissingColumn { what: "id", .. }),
        "{error}"
    );
    assert!(error.help().contains("--id-column"));
    let named = Options {
        columns: Columns {
            id: Some("Clave de incidencia".into()),
            created: Some("Creada".into()),
            done: Some("Resuelta".into()),
            kind: Some("Tipo de incidencia".into()),
            resolution: None,
        },
        ..Options::default()
    };
    let history = read(&path, &named);
    assert_eq!(history.items.len(), 2);
    // Day-first: 16/02/2017 only reads that way, so 11/01/2017 is the 11th of January.
    assert_eq!(history.items[0].id, "TIENDA-8");
    assert_eq!(
        history.items[0].created.map(|c| c.date()),
        Some(date(2017, 1, 11))
    );
    assert_eq!(history.items[0].done.date(), date(2017, 2, 16));
}

#[test]
fn a_date_format_can_be_given() {
    let named = Options {
        date_format: Some("%m/%d/%Y %I:%M:%S %p".into()),
        ..Options::default()
    };
    let history = read(&fixture("jira-export-us.csv"), &named);
    assert_eq!(history.items.len(), 2);
}

#[test]
fn linear_csv_skips_canceled_issues() {
    let history = read(&fixture("linear.csv"), &Options::default());
    assert_eq!(history.format, Format::LinearCsv);
    assert_eq!(history.items.len(), 1);
    assert_eq!(history.items[0].id, "ENG-12");
    assert_eq!(history.skipped.get(&Skip::Canceled), Some(&1));
    assert_eq!(history.skipped.get(&Skip::NotDone), Some(&1));
}

#[test]
fn a_generic_csv_with_named_columns() {
    let path = fixture("generic.csv");
    let bytes = std::fs::read(&path).unwrap();
    let error = import("generic.csv", &bytes, &Options::default()).unwrap_err();
    assert!(
        matches!(error, ImportError::MissingColumn { .. }),
        "{error}"
    );
    let named = Options {
        columns: Columns {
            id: Some("ticket".into()),
            created: Some("opened".into()),
            done: Some("shipped".into()),
            ..Columns::default()
        },
        ..Options::default()
    };
    let history = read(&path, &named);
    assert_eq!(history.format, Format::Csv);
    assert_eq!(history.items.len(), 2);
    let wrong = Options {
        columns: Columns {
            id: Some("ticket".into()),
            done: Some("delivered".into()),
            ..Columns::default()
        },
        ..Options::default()
    };
    let error = import("generic.csv", &bytes, &wrong).unwrap_err();
    assert!(
        error.to_string().contains("no column named `delivered`"),
        "{error}"
    );
}

#[test]
fn jira_rest_search_result_json() {
    let history = read(&fixture("jira-issues.json"), &Options::default());
    assert_eq!(history.format, Format::JiraJson);
    assert_eq!(history.items.len(), 2);
    // +0100 offsets are converted to UTC.
    let shop_1 = history
        .items
        .iter()
        .find(|item| item.id == "SHOP-1")
        .unwrap();
    assert_eq!(shop_1.done, date(2024, 1, 5).at(16, 30, 0, 0));
    assert_eq!(shop_1.resolution.as_deref(), Some("Fixed"));
    let fixed = Options {
        exclude_resolutions: vec!["Won't Do".into()],
        ..Options::default()
    };
    assert_eq!(read(&fixture("jira-issues.json"), &fixed).items.len(), 1);
}

#[test]
fn reopened_items_count_once_at_their_last_close() {
    let history = read(&fixture("gh-reopened.json"), &Options::default());
    let ids: Vec<&str> = history.items.iter().map(|item| item.id.as_str()).collect();
    assert_eq!(ids, ["9", "7"]);
    assert_eq!(history.items[1].done.date(), date(2026, 3, 20));
    assert_eq!(history.skipped.get(&Skip::Duplicate), Some(&1));
    assert_eq!(history.skipped.get(&Skip::NotPlanned), Some(&1));
    // Number 9 was closed before it was created: reported, and kept for throughput.
    assert_eq!(history.done_before_created, 1);
}
