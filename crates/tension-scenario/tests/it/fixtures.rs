//! Bad-input fixtures: every file under `tests/data/err` has at least one error, every file
//! under `tests/data/warn` is valid with at least one warning, and the rendered diagnostics of
//! each are pinned by a snapshot.

use tension_scenario::Style;

use crate::check_file;

#[test]
fn every_error_fixture_is_rejected_with_its_diagnostics() {
    let mut count = 0;
    insta::glob!("../data/err", "*.toml", |path| {
        count += 1;
        let checked = check_file(path);
        assert!(
            checked.has_errors(),
            "{} should have an error",
            path.display()
        );
        assert!(
            checked.scenario.is_none(),
            "{} should not yield a scenario",
            path.display()
        );
        insta::assert_snapshot!(checked.render(Style::default()));
    });
    assert!(count >= 30, "only {count} error fixtures");
}

#[test]
fn every_warning_fixture_is_valid_with_its_warnings() {
    let mut count = 0;
    insta::glob!("../data/warn", "*.toml", |path| {
        count += 1;
        let checked = check_file(path);
        assert!(
            !checked.has_errors(),
            "{}:\n{}",
            path.display(),
            checked.render(Style::default())
        );
        assert!(checked.scenario.is_some());
        assert!(
            checked.warnings().count() >= 1,
            "{} should warn",
            path.display()
        );
        insta::assert_snapshot!(checked.render(Style::default()));
    });
    assert!(count >= 5, "only {count} warning fixtures");
}

#[test]
fn diagnostics_name_the_file_line_and_column() {
    let source = "[scenario]\nname = \"x\"\nstart = 2027-01-04\n\n[team]\npeople = 2\n\n[[item]]\nid = \"a\"\nefort = \"5..10 days\"\n";
    let checked = tension_scenario::parse_str("plan.toml", source, &crate::options());
    let rendered = checked.render(Style::default());
    assert!(rendered.contains("plan.toml:10:1"), "{rendered}");
    assert!(
        rendered.contains("unknown field `efort` in [[item]]"),
        "{rendered}"
    );
    assert!(rendered.contains("did you mean `effort`?"), "{rendered}");
}

#[test]
fn every_problem_is_reported_at_once() {
    let source = r#"
[scenario]
name = "many"
start = 2027-01-04
deadline = 2026-12-01

[team]
people = 2
focus = "1.2"

[[item]]
id = "a"
effort = "40..15 days"
needs = ["b", "zz"]

[[item]]
id = "b"
effort = "5 days"
needs = ["a"]
kind = "feat"
"#;
    let checked = tension_scenario::parse_str("many.toml", source, &crate::options());
    let codes: Vec<&str> = checked.errors().map(|d| d.code).collect();
    for code in [
        "deadline-before-start",
        "not-a-probability",
        "bad-estimate",
        "unknown-item",
        "dependency-cycle",
        "unknown-value",
    ] {
        assert!(codes.contains(&code), "missing {code} in {codes:?}");
    }
}
