//! `tension plan` on the example and on infeasible scenarios, and `tension nrp` on the shipped
//! tiny instance, on a public instance, and on malformed files.

use serde_json::Value;

use crate::{repo_root, stderr, stdout, tension};

fn json(output: &std::process::Output) -> Value {
    assert!(output.status.success(), "{}", stderr(output));
    serde_json::from_str(&stdout(output)).expect("the output is JSON")
}

#[test]
fn plan_prints_the_frontier_the_recommended_plan_concessions_and_constraints() {
    let output = tension(&repo_root(), &["plan", "examples/checkout.toml"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    for part in [
        "One-click checkout launch: 4 plans from most value to most health, each verified to fit 2027-03-31 at 85%",
        "* recommended: where the side that concedes more, against its own ideal, concedes least",
        "What each side concedes in plan 1",
        "value ideal (#1)",
        "health ideal (#4)",
        "technical side gives up 7 health points (11%) against its ideal; it loses no item and takes on one-click, wallets, which erode health",
        "Constraints on plan 1",
        "fit            binds  85% chance of being done by the deadline, 85% promised",
    ] {
        assert!(out.contains(part), "missing {part:?} in\n{out}");
    }
}

#[test]
fn plan_json_keeps_the_contract_and_every_plan_fits() {
    let value = json(&tension(
        &repo_root(),
        &["plan", "examples/checkout.toml", "--format", "json"],
    ));
    let frontier = value["frontier"].as_array().expect("a frontier");
    assert!(frontier.len() >= 2);
    for plan in frontier {
        assert!(plan["value"].is_f64() && plan["health"].is_f64());
        assert!(
            plan["items"]
                .as_array()
                .is_some_and(|items| !items.is_empty())
        );
        assert!(plan["p_fit"].as_f64().expect("p_fit") >= 0.85);
    }
    let n = frontier.len() as u64;
    for key in ["recommended", "value_ideal", "health_ideal"] {
        assert!(value[key].as_u64().expect(key) < n);
    }
    assert_eq!(value["value_ideal"], 0);
    assert_eq!(value["health_ideal"].as_u64(), Some(n - 1));
    // From most value to most health: value falls and health rises along the frontier.
    for pair in frontier.windows(2) {
        assert!(pair[0]["value"].as_f64() > pair[1]["value"].as_f64());
        assert!(pair[0]["health"].as_f64() < pair[1]["health"].as_f64());
    }
    // The same seed gives the same plans.
    let again = json(&tension(
        &repo_root(),
        &["plan", "examples/checkout.toml", "--format", "json"],
    ));
    assert_eq!(value["frontier"], again["frontier"]);
}

#[test]
fn plan_draws_the_frontier_and_honours_points() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let svg = dir.path().join("frontier.svg");
    let svg_arg = svg.to_str().expect("a UTF-8 path");
    let output = tension(
        &repo_root(),
        &[
            "plan",
            "examples/checkout.toml",
            "--points",
            "2",
            "--svg",
            svg_arg,
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("2 plans from most value to most health"));
    let drawn = std::fs::read_to_string(&svg).expect("the chart is written");
    assert!(drawn.starts_with("<svg"));
    for label in [
        "system health (points)",
        "business value (USD)",
        "recommended (#",
    ] {
        assert!(drawn.contains(label), "missing {label}");
    }
}

#[test]
fn a_scenario_whose_must_items_do_not_fit_gets_the_cause_not_a_trace() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("tight.toml");
    std::fs::write(
        &file,
        r#"[scenario]
name = "Too much"
start = 2027-01-04
deadline = 2027-01-15

[team]
people = 1

[[item]]
id = "migration"
effort = "20..30 days"
must = true
"#,
    )
    .expect("written");
    let output = tension(dir.path(), &["plan", "tight.toml"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(
        out.contains("no plan fits: the must items alone (migration) need 25 person-days"),
        "{out}"
    );
    assert!(
        out.contains("move the deadline, add people, or drop `must`"),
        "{out}"
    );
    let value = json(&tension(
        dir.path(),
        &["plan", "tight.toml", "--format", "json"],
    ));
    assert_eq!(value["frontier"], Value::Array(Vec::new()));
    assert!(
        value["infeasible"]
            .as_str()
            .is_some_and(|m| m.contains("must items"))
    );
}

#[test]
fn plan_refuses_a_scenario_without_a_deadline_and_bad_flags() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(
        dir.path().join("open.toml"),
        "[scenario]\nname = \"Open\"\nstart = 2027-01-04\n\n[team]\npeople = 1\n\n[[item]]\nid = \"a\"\neffort = 3\n",
    )
    .expect("written");
    let output = tension(dir.path(), &["plan", "open.toml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("add `deadline` under [scenario]"),
        "{}",
        stderr(&output)
    );
    let output = tension(
        &repo_root(),
        &["plan", "examples/checkout.toml", "--max-risk", "2"],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("--max-risk 2 is not a share"));
}

#[test]
fn nrp_solves_the_tiny_instance_and_its_front() {
    let value = json(&tension(
        &repo_root(),
        &[
            "nrp",
            "examples/nrp/tiny.txt",
            "--ratio",
            "0.5",
            "--format",
            "json",
        ],
    ));
    assert_eq!(value["budget"], 7);
    assert_eq!(value["value"], 11);
    assert_eq!(value["cost"], 6);
    assert_eq!(value["optimal"], true);
    assert_eq!(value["bound"], 11);
    assert!(value["seconds"].is_f64() && value["nodes"].is_u64());
    let front = json(&tension(
        &repo_root(),
        &[
            "nrp",
            "examples/nrp/tiny.txt",
            "--front",
            "--format",
            "json",
        ],
    ));
    let points: Vec<(u64, u64)> = front["front"]
        .as_array()
        .expect("points")
        .iter()
        .map(|p| {
            (
                p["cost"].as_u64().expect("cost"),
                p["value"].as_u64().expect("value"),
            )
        })
        .collect();
    assert_eq!(
        points,
        [(0, 0), (3, 5), (5, 6), (6, 11), (9, 16), (10, 21), (15, 25)]
    );
    assert_eq!(front["optimal"], true);
}

#[test]
#[allow(clippy::print_stderr)]
fn nrp_solves_a_public_instance_to_optimality() {
    let path = repo_root().join("../shared/data/nrp/classic/nrp1.txt");
    if !path.is_file() {
        eprintln!("skipped: {} is not beside this checkout", path.display());
        return;
    }
    let path = path.to_str().expect("a UTF-8 path");
    let value = json(&tension(
        &repo_root(),
        &["nrp", path, "--ratio", "0.3", "--format", "json"],
    ));
    assert_eq!(
        (value["budget"].as_u64(), value["value"].as_u64()),
        (Some(257), Some(1204))
    );
    assert_eq!(value["optimal"], true);
}

#[test]
fn nrp_reports_malformed_files_and_bad_ratios_with_the_fix() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("bad.txt"), "2\n3 3 2 x\n").expect("written");
    let output = tension(dir.path(), &["nrp", "bad.txt", "--ratio", "0.3"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains(
            "bad.txt:2:7: expected the cost of requirement 3, a whole number, but found `x`"
        ),
        "{err}"
    );
    assert!(err.contains("help: an NRP instance is whitespace-separated whole numbers"));
    let output = tension(
        &repo_root(),
        &["nrp", "examples/nrp/tiny.txt", "--ratio", "30%"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("write a decimal number such as 0.3"));
    let output = tension(&repo_root(), &["nrp", "examples/nrp/tiny.txt"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--ratio"));
}
