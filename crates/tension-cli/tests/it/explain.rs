//! `tension explain` on the projection example (where a guess carries the choice), its JSON
//! contract and chart, and the scenarios it refuses plainly.

use serde_json::Value;

use crate::{repo_root, stderr, stdout, tension};

fn json(output: &std::process::Output) -> Value {
    assert!(output.status.success(), "{}", stderr(output));
    serde_json::from_str(&stdout(output)).expect("the output is JSON")
}

#[test]
fn the_guess_carries_the_projection_and_the_measurements_do_not() {
    let value = json(&tension(
        &repo_root(),
        &["explain", "examples/projection.toml", "--format", "json"],
    ));
    let evpi = value["evpi"].as_f64().expect("evpi");
    assert!(evpi > 0.0);
    let inputs = value["inputs"].as_array().expect("inputs");
    let input = |name: &str| {
        inputs
            .iter()
            .find(|i| i["name"] == name)
            .unwrap_or_else(|| panic!("no input {name}"))
    };
    for input in inputs {
        for key in ["name", "quality", "source"] {
            assert!(input.get(key).is_some(), "{key} missing in {input}");
        }
        for key in ["evppi", "swing_value", "p_change"] {
            assert!(input[key].is_f64(), "{key} in {input}");
        }
        assert!(input["swing_p85_days"].is_i64(), "{input}");
        let evppi = input["evppi"].as_f64().expect("evppi");
        assert!((0.0..=evpi + 1e-9).contains(&evppi), "{input}");
    }
    // The guessed upgrade share is the most valuable input, most of the EVPI, and first to verify.
    let guess = &inputs[0];
    assert_eq!(guess["name"], "team_upgrade_share");
    assert_eq!(guess["quality"], "guess");
    assert!(
        guess["evppi"].as_f64().expect("evppi") > 0.4 * evpi,
        "{guess}"
    );
    assert!(
        guess["p_change"].as_f64().expect("p_change") > 0.05,
        "{guess}"
    );
    assert_eq!(value["verify_first"][0], "team_upgrade_share");
    // The measured inputs hardly matter to the choice, though they move the value.
    for name in ["pro_accounts", "old_price", "new_price"] {
        let measured = inputs.iter().find(|i| i["name"] == name);
        if let Some(measured) = measured {
            assert_eq!(measured["quality"], "measured");
            assert!(
                measured["evppi"].as_f64().expect("evppi") < 0.05 * evpi,
                "{measured}"
            );
        }
    }
    assert!(
        input("pro_accounts")["swing_value"]
            .as_f64()
            .expect("swing")
            > 0.0
    );
    // Efforts move the date, not the value.
    let effort = input("team-plan.effort");
    assert_eq!(effort["evppi"], 0.0);
    assert!(effort["swing_p85_days"].as_i64().expect("days") > 0);
    // Both sides estimated the Team plan's effort; the business side's would change the plan.
    let disagreements = value["disagreements"].as_array().expect("disagreements");
    assert_eq!(disagreements.len(), 1);
    assert_eq!(disagreements[0]["field"], "team-plan.effort");
    assert!(disagreements[0]["changes_plan"].is_boolean());
    assert!(disagreements[0]["p85_shift_days"].is_i64());
}

#[test]
fn explain_prints_the_headline_the_inputs_and_the_disagreements() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let svg = dir.path().join("tornado.svg");
    let svg_arg = svg.to_str().expect("a UTF-8 path");
    let output = tension(
        &repo_root(),
        &["explain", "examples/projection.toml", "--svg", svg_arg],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    for part in [
        "2027 revenue projection: which unknown matters for the choice among 2 plans",
        "Without more information, plan 1 (recommended) is best on average",
        "(EVPI)",
        "Verify first: information worth at least 5% of the EVPI, on weak evidence",
        "team_upgrade_share",
        "a guess",
        "Where the two sides disagree",
        "team-plan.effort  technical 25..50 days",
        "wrote ",
    ] {
        assert!(out.contains(part), "missing {part:?} in\n{out}");
    }
    let chart = std::fs::read_to_string(&svg).expect("the chart was written");
    assert!(chart.starts_with("<svg"));
    assert!(chart.contains("team_upgrade_share") && chart.contains("pro_accounts"));
}

#[test]
fn scenarios_with_nothing_to_explain_say_so() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let header = "[scenario]\nname = \"t\"\nstart = 2027-01-04\ndeadline = 2027-06-30\nhorizon = 2027-12-31\n\n[team]\npeople = 1\n";
    let one = dir.path().join("one.toml");
    std::fs::write(
        &one,
        format!("{header}\n[[item]]\nid = \"only\"\nvalue = \"1k..2k\"\neffort = 5\nmust = true\n"),
    )
    .expect("written");
    let output = tension(dir.path(), &["explain", "one.toml"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("one.toml: nothing to explain: the frontier has a single plan (only)"),
        "{err}"
    );

    let fixed = dir.path().join("fixed.toml");
    let items = "[[item]]\nid = \"a\"\nvalue = 100\neffort = 5\nhealth = 2\nalternatives = \"x\"\n\n[[item]]\nid = \"b\"\nvalue = 120\neffort = 5\nhealth = 1\nalternatives = \"x\"\n";
    std::fs::write(&fixed, format!("{header}\n{items}")).expect("written");
    let output = tension(dir.path(), &["explain", "fixed.toml", "--min-health", "0"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("fixed.toml: nothing to explain: every number the plans depend on is fixed"),
        "{err}"
    );

    // Too high a floor for health leaves no choice.
    let output = tension(
        &repo_root(),
        &[
            "explain",
            "examples/projection.toml",
            "--min-health",
            "1000",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("give a lower --min-health"),
        "{}",
        stderr(&output)
    );
    let output = tension(
        &repo_root(),
        &["explain", "examples/projection.toml", "--trials", "1"],
    );
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn objections_list_the_pending_and_blocking_first_with_their_age() {
    let output = tension(
        &repo_root(),
        &[
            "objections",
            "examples/projection.toml",
            "--format",
            "json",
            "--today",
            "2027-01-20",
        ],
    );
    let value = json(&output);
    let list = value["objections"].as_array().expect("a list");
    assert_eq!(list.len(), 4);
    assert_eq!(list[0]["id"], "upgrade-share-is-a-guess");
    assert_eq!(list[0]["blocking"], true);
    assert_eq!(list[0]["status"], "open");
    assert_eq!(list[0]["age_days"], 14);
    let statuses: Vec<&str> = list.iter().filter_map(|o| o["status"].as_str()).collect();
    assert_eq!(statuses, ["open", "open", "resolved", "accepted-risk"]);
    assert_eq!(list[3]["risk_owner"], "Jonas");
    // Raised after today: no age.
    let early = json(&tension(
        &repo_root(),
        &[
            "objections",
            "examples/projection.toml",
            "--format",
            "json",
            "--today",
            "2026-11-25",
        ],
    ));
    assert!(early["objections"][0]["age_days"].is_null());
}
