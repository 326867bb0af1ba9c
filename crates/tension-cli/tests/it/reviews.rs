//! `tension reviews`: SLA states on fixed days across a weekend and a holiday, the order (late
//! first), findings, and the JSON keys.

use std::path::Path;

use crate::{stderr, stdout, tension};

/// Two people, Monday to Friday, a holiday on Monday 2027-01-18, and four reviews: one not
/// requested, one approved, and two in progress with an SLA.
const SCENARIO: &str = r#"
[scenario]
name = "Reviews"
start = 2027-01-04

[team]
people = 2
holidays = [2027-01-18]

[[item]]
id = "crm"
effort = "5..10 days"
reviews = ["legal", "security", "privacy", "identity"]

[[review]]
id = "legal"
title = "Legal review"
checklist = ["DPA"]

[[review]]
id = "security"
title = "Security review"
checklist = ["threat model", "pen test", "SSO"]
status = "in-review"   # Tomas started on Monday
requested = 2027-01-08
sla = 3

[[review]]
id = "privacy"
status = "approved-with-conditions"
requested = 2027-01-04
sla = 5
conditions = ["EU data residency"]

[[review]]
id = "identity"
status = "requested"
requested = 2027-01-14
sla = 2

[[objection]]
id = "pen-test-scope"
on = "security"
by = "technical"
tension = "speed-durability"
text = "The pen test leaves out the webhook endpoints."
blocking = true
"#;

fn reviews(dir: &Path, today: &str, json: bool) -> String {
    let mut args = vec!["reviews", "scenario.toml", "--today", today];
    if json {
        args.extend(["--format", "json"]);
    }
    let output = tension(dir, &args);
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}

fn states(dir: &Path, today: &str) -> Vec<(String, String, Option<i64>, Option<String>)> {
    let json: serde_json::Value = serde_json::from_str(&reviews(dir, today, true)).expect("JSON");
    assert_eq!(json["today"], today);
    json["reviews"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|r| {
            (
                r["id"].as_str().expect("an id").to_owned(),
                r["state"].as_str().unwrap_or("-").to_owned(),
                r["working_days_left"].as_i64(),
                r["due"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("scenario.toml"), SCENARIO).expect("written");
    dir
}

#[test]
fn sla_states_count_working_days_across_a_weekend_and_a_holiday() {
    let dir = setup();
    let row = |id: &str, state: &str, left: i64, due: &str| {
        (
            id.to_owned(),
            state.to_owned(),
            Some(left),
            Some(due.to_owned()),
        )
    };
    // Security: requested Friday 2027-01-08 with sla = 3, so due Wednesday 2027-01-13 (the
    // weekend does not count). Identity: requested Thursday 2027-01-14 with sla = 2, so due
    // Tuesday 2027-01-19 (the weekend and the holiday on Monday do not count).
    let cases = [
        (
            "2027-01-08",
            vec![
                row("security", "on-track", 3, "2027-01-13"),
                row("identity", "on-track", 6, "2027-01-19"),
            ],
        ),
        (
            // Saturday: no working day has passed since Friday.
            "2027-01-09",
            vec![
                row("security", "on-track", 3, "2027-01-13"),
                row("identity", "on-track", 6, "2027-01-19"),
            ],
        ),
        (
            "2027-01-11",
            vec![
                row("security", "due-soon", 2, "2027-01-13"),
                row("identity", "on-track", 5, "2027-01-19"),
            ],
        ),
        (
            "2027-01-13",
            vec![
                row("security", "due-soon", 0, "2027-01-13"),
                row("identity", "on-track", 3, "2027-01-19"),
            ],
        ),
        (
            "2027-01-15",
            vec![
                row("security", "overdue", -2, "2027-01-13"),
                row("identity", "due-soon", 1, "2027-01-19"),
            ],
        ),
        (
            // The holiday: identity still has its due day, Tuesday, ahead.
            "2027-01-18",
            vec![
                row("security", "overdue", -2, "2027-01-13"),
                row("identity", "due-soon", 1, "2027-01-19"),
            ],
        ),
        (
            "2027-01-20",
            vec![
                row("security", "overdue", -4, "2027-01-13"),
                row("identity", "overdue", -1, "2027-01-19"),
            ],
        ),
    ];
    for (today, in_progress) in cases {
        let found = states(dir.path(), today);
        let mut expected = in_progress;
        // Not requested, then done, always last.
        expected.push(("legal".to_owned(), "-".to_owned(), None, None));
        expected.push(row(
            "privacy",
            "done",
            found[3].2.unwrap_or(0),
            "2027-01-11",
        ));
        assert_eq!(found, expected, "on {today}");
    }
}

#[test]
fn the_text_lists_late_reviews_first_with_their_findings_and_conditions() {
    let dir = setup();
    let text = reviews(dir.path(), "2027-01-19", false);
    let expected = "\
Reviews: 4 reviews on 2027-01-19, 1 overdue, 1 due soon, 1 not requested, 1 done

overdue        security  Security review
    status      in-review, requested 2027-01-08
    sla         3 working days, due 2027-01-13: 3 working days overdue
    checklist   3 points
    findings    pen-test-scope (open, blocking)
    items       crm

due soon       identity
    status      requested 2027-01-14
    sla         2 working days, due 2027-01-19: due today
    checklist   0 points
    findings    none
    items       crm

not requested  legal  Legal review
    status      not requested
    sla         none
    checklist   1 point
    findings    none
    items       crm

done           privacy
    status      approved-with-conditions, requested 2027-01-04
    sla         5 working days, due 2027-01-11: verdict in
    checklist   0 points
    conditions  EU data residency
    findings    none
    items       crm
";
    assert_eq!(text, expected);
}

#[test]
fn the_json_keys_are_stable() {
    let dir = setup();
    let json: serde_json::Value =
        serde_json::from_str(&reviews(dir.path(), "2027-01-12", true)).expect("JSON");
    let security = &json["reviews"][0];
    assert_eq!(
        security,
        &serde_json::json!({
            "id": "security",
            "title": "Security review",
            "status": "in-review",
            "requested": "2027-01-08",
            "sla": 3,
            "due": "2027-01-13",
            "working_days_left": 1,
            "state": "due-soon",
            "checklist": ["threat model", "pen test", "SSO"],
            "conditions": [],
            "findings": [{"id": "pen-test-scope", "status": "open", "blocking": true}],
            "items": ["crm"],
        })
    );
    let legal = json["reviews"]
        .as_array()
        .expect("a list")
        .iter()
        .find(|r| r["id"] == "legal")
        .expect("legal");
    for key in [
        "status",
        "requested",
        "sla",
        "due",
        "working_days_left",
        "state",
    ] {
        assert!(legal[key].is_null(), "{key}: {legal}");
    }
}

#[test]
fn a_review_moved_by_the_cli_shows_its_new_state() {
    let dir = setup();
    let output = tension(
        dir.path(),
        &[
            "move",
            "scenario.toml",
            "security",
            "--to",
            "approved",
            "--by",
            "technical:Tomas",
            "--today",
            "2027-01-12",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    // The comment after the status is kept.
    let text = std::fs::read_to_string(dir.path().join("scenario.toml")).expect("the file");
    assert!(
        text.contains("status = \"approved\"   # Tomas started on Monday\n"),
        "{text}"
    );
    let found = states(dir.path(), "2027-01-20");
    assert_eq!(found[0].0, "identity");
    let security = found.iter().find(|r| r.0 == "security").expect("security");
    assert_eq!(security.1, "done");
}
