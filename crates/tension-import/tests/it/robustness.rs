//! Bad input gives a clear error naming the file; nothing panics.

use proptest::prelude::*;
use tension_import::{ImportError, Options, import};

use crate::fixture;

fn error(name: &str, text: &str) -> ImportError {
    import(name, text.as_bytes(), &Options::default()).expect_err("this input must be refused")
}

#[test]
fn an_empty_export_says_so() {
    assert!(matches!(error("empty.csv", ""), ImportError::Empty { .. }));
    assert!(matches!(
        error("blank.csv", "\n  \n"),
        ImportError::Empty { .. }
    ));
    assert!(matches!(
        error("header-only.csv", "Issue key,Created,Resolved\n"),
        ImportError::Empty { .. }
    ));
    assert!(
        error("empty.csv", "")
            .to_string()
            .starts_with("empty.csv: ")
    );
}

#[test]
fn a_csv_with_no_date_column_names_the_columns() {
    let error = error("nodate.csv", "Issue key,Summary\nA-1,x\n");
    assert!(
        matches!(
            error,
            ImportError::MissingColumn {
                what: "done-date",
                ..
            }
        ),
        "{error}"
    );
    assert!(error.to_string().contains("Issue key, Summary"), "{error}");
}

#[test]
fn an_unknown_format_is_an_error() {
    assert!(matches!(
        error("notes.txt", "just some notes"),
        ImportError::UnknownFormat { .. }
    ));
    assert!(matches!(
        error("project.json", "{\"name\": \"x\"}"),
        ImportError::UnknownFormat { .. }
    ));
    assert!(matches!(
        error("number.json", "42"),
        ImportError::Malformed { .. } | ImportError::UnknownFormat { .. }
    ));
}

#[test]
fn unreadable_dates_name_an_example() {
    let error = error(
        "odd.csv",
        "Issue key,Resolved\nA-1,someday\nA-2,2024-01-01\n",
    );
    assert!(
        matches!(&error, ImportError::DateFormat { example, .. } if example == "someday"),
        "{error}"
    );
    assert!(error.help().contains("--date-format"));
}

#[test]
fn broken_json_names_the_line() {
    let error = error(
        "issues.jsonl",
        "{\"number\": 1, \"created_at\": \"2024-01-01T00:00:00Z\"}\n{\"number\": 2,\n",
    );
    assert!(error.to_string().contains("line 2"), "{error}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn mutated_exports_never_panic(
        file in prop::sample::select(vec!["jira-export.csv", "jira-export-us.csv", "linear.csv", "generic.csv", "jira-issues.json", "gh-reopened.json"]),
        position in any::<prop::sample::Index>(),
        cut in 0usize..20,
        insert in prop::collection::vec(any::<u8>(), 0..8),
    ) {
        let mut bytes = std::fs::read(fixture(file)).unwrap();
        let at = position.index(bytes.len() + 1);
        let end = (at + cut).min(bytes.len());
        bytes.splice(at..end, insert);
        if let Err(error) = import(file, &bytes, &Options::default()) {
            prop_assert!(error.to_string().starts_with(file), "{error}");
        }
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..500)) {
        let _ = import("random.bin", &bytes, &Options::default());
    }
}
