//! Writing a scenario back to a file: what is read from the written text is the same scenario,
//! for every shipped example, the starter file and every fixture that reads with warnings only.

use std::path::PathBuf;

use tension_scenario::{Options, parse_str, to_toml};

use crate::repo_root;

fn files() -> Vec<PathBuf> {
    let root = repo_root();
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in [
        root.join("examples"),
        root.join("crates/tension-scenario/tests/data/warn"),
    ] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
            .map(|entry| entry.expect("a directory entry").path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
            .collect();
        found.sort();
        files.extend(found);
    }
    files.push(root.join("crates/tension-cli/src/starter.toml"));
    files
}

#[test]
fn written_scenarios_read_back_the_same() {
    let mut checked_files = 0;
    for path in files() {
        let text = std::fs::read_to_string(&path).expect("readable");
        let first = parse_str("first.toml", &text, &Options::default());
        let Some(scenario) = first.scenario else {
            continue;
        };
        let written = to_toml(&scenario);
        let second = parse_str("written.toml", &written, &Options::default());
        assert!(
            !second.has_errors(),
            "{}: the written file has errors:\n{}\n{written}",
            path.display(),
            second.render(tension_scenario::Style::default())
        );
        let again = second.scenario.expect("no errors, so a scenario");
        assert_eq!(again, scenario, "{}:\n{written}", path.display());
        // Writing is stable: the written file writes itself.
        assert_eq!(to_toml(&again), written, "{}", path.display());
        checked_files += 1;
    }
    assert!(checked_files >= 5, "only {checked_files} files read");
}

#[test]
fn every_field_of_the_format_survives() {
    let text = r#"
[scenario]
name = "All fields \"quoted\""
description = "Line one\nline two"
start = 2027-01-04
deadline = 2027-03-31
horizon = 2027-12-31
currency = "EUR"
confidence = 0.9

[team]
people = 3
focus = { value = "0.6..0.8", source = "time tracking", quality = "measured", as_of = 2026-10-01, owner = "Ana", note = "Q3" }
workdays = ["mon", "tue", "wed", "thu"]
holidays = [2027-01-18]
history = "exports/jira.csv"

[policy]
health_floor = 0.25
error_budget = "exhausted"

[quantities]
users = { value = "40k..60k", unit = "users/month", source = "analytics", quality = "measured" }
weeks_q = { value = "2..4", unit = "weeks", quality = "expert" }
plain = 12
negative = -3
float = 0.5
underscored = 1_000

[[item]]
id = "a"
title = "A"
description = "The first"
kind = "health"
proposed_by = "technical"
reviews = ["sec"]
value = { business = "users * 2", technical = { value = "users", source = "eng", quality = "guess" } }
value_once = "1k..2k EUR"
target = 2027-02-01
effort = { technical = "15..40 days", business = "5..10 days" }
max_people = 2
health = -5
risk = "10%..30%"
must = true
alternatives = "g"
restores_budget = true

[[item]]
id = "b"
needs = ["a"]
effort = "pert(1, 2, 5) * weeks_q"
alternatives = "h"

[[review]]
id = "sec"
title = "Security"
description = "Threat model"
lead_time = { technical = "5..15 days", business = "2..3 days" }
checklist = ["threat model", "SSO"]
status = "approved-with-conditions"
requested = 2026-12-14
sla = 10
conditions = ["rotate the keys", "add SSO"]

[[objection]]
id = "o1"
on = "a.value"
by = "technical"
tension = "vision-feasibility"
text = "Seasonal"
status = "accepted-risk"
blocking = true
resolution = "Keep it"
risk_owner = "Ana"
raised = 2027-01-05
review_by = 2027-04-01

[[objection.history]]
from = "open"
to = "answered"
who = "Ana"
side = "business"
on = 2027-01-06
note = "It held in spring too"

[[objection.history]]
from = "answered"
to = "accepted-risk"
who = "Ana"
side = "business"
on = 2027-01-08
note = "Keep it"
risk_owner = "Ana"
review_by = 2027-04-01
changes = ["a.value revised", "b added"]

[[objection]]
id = "o2"
on = "sec"
by = "business"
tension = "speed-durability"
text = "Too slow"
"#;
    let first = parse_str("all.toml", text, &Options::default());
    assert!(
        !first.has_errors(),
        "{}",
        first.render(tension_scenario::Style::default())
    );
    let scenario = first.scenario.expect("valid");
    let written = to_toml(&scenario);
    let again = parse_str("written.toml", &written, &Options::default())
        .scenario
        .unwrap_or_else(|| panic!("the written file reads:\n{written}"));
    assert_eq!(again, scenario, "\n{written}");
    for part in [
        "weeks_q = { value = \"2..4\", unit = \"weeks\", quality = \"expert\" }",
        "plain = 12",
        "negative = -3",
        "float = 0.5",
        "underscored = 1_000",
        "effort = { technical = \"15..40 days\", business = \"5..10 days\" }",
        "name = 'All fields \"quoted\"'",
        "status = \"approved-with-conditions\"\nrequested = 2026-12-14\nsla = 10\nconditions = [\"rotate the keys\", \"add SSO\"]",
        "review_by = 2027-04-01\n\n[[objection.history]]\nfrom = \"open\"\nto = \"answered\"",
        "changes = [\"a.value revised\", \"b added\"]",
    ] {
        assert!(written.contains(part), "missing {part:?} in\n{written}");
    }
}

#[test]
fn a_file_without_the_workflow_fields_is_written_without_them() {
    let text = "[scenario]\nname = \"x\"\nstart = 2027-01-04\n[team]\npeople = 1\n[[item]]\nid = \"a\"\neffort = 1\nreviews = [\"sec\"]\n[[review]]\nid = \"sec\"\n[[objection]]\nid = \"o\"\non = \"a\"\nby = \"business\"\ntension = \"speed-durability\"\ntext = \"slow\"\n";
    let scenario = parse_str("plain.toml", text, &Options::default())
        .scenario
        .expect("valid");
    let written = to_toml(&scenario);
    for key in [
        "requested",
        "sla",
        "conditions",
        "review_by",
        "history",
        "in-review",
    ] {
        assert!(!written.contains(key), "{key} in\n{written}");
    }
    // The only `status` is the objection's, which was always written.
    assert_eq!(written.matches("status").count(), 1, "{written}");
}
