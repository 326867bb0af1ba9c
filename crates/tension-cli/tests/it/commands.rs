//! The commands, run as a user runs them.

use crate::{repo_root, stderr, stdout, tension};

#[test]
fn check_passes_the_examples_with_a_summary() {
    let root = repo_root();
    let output = tension(&root, &["check", "examples/checkout.toml"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(
        out.starts_with("examples/checkout.toml: ok, 0 warnings"),
        "{out}"
    );
    for line in [
        "items       9:",
        "objections  3:",
        "quantities  9:",
        "both sides  1 field",
    ] {
        assert!(out.contains(line), "missing `{line}` in\n{out}");
    }
}

#[test]
fn check_fails_with_diagnostics_on_stderr_and_exit_code_1() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.toml"),
        "[scenario]\nname = \"x\"\nstart = 2027-01-04\n\n[team]\npeople = 2\n\n[[item]]\nid = \"a\"\nefort = \"5..10\"\nneeds = [\"b\"]\n",
    )
    .unwrap();
    let output = tension(dir.path(), &["check", "bad.toml"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("bad.toml:10:1"), "{err}");
    assert!(err.contains("did you mean `effort`?"), "{err}");
    assert!(err.contains("unknown item `b` in `needs`"), "{err}");
    assert!(err.contains("bad.toml: 2 errors and 0 warnings"), "{err}");
    assert!(stdout(&output).is_empty());
}

#[test]
fn check_of_several_files_fails_when_any_fails() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.toml"), "not toml at all [").unwrap();
    let good = repo_root().join("examples/checkout.toml");
    let output = tension(dir.path(), &["check", good.to_str().unwrap(), "bad.toml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("ok, 0 warnings"));
    assert!(stderr(&output).contains("TOML syntax"));
}

#[test]
fn check_of_a_missing_file_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let output = tension(dir.path(), &["check", "nowhere.toml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("cannot read scenario file nowhere.toml"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn check_of_a_binary_file_says_it_is_not_utf8() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("blob.toml"), [0x5b, 0xff, 0xfe, 0x00, 0x80]).unwrap();
    let output = tension(dir.path(), &["check", "blob.toml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("not UTF-8"), "{}", stderr(&output));
}

#[test]
fn init_writes_a_starter_that_passes_check_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let output = tension(dir.path(), &["init", "plan"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let path = dir.path().join("plan/scenario.toml");
    assert!(path.exists());
    let check = tension(dir.path(), &["check", "plan/scenario.toml"]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(
        stderr(&check).is_empty(),
        "the starter has warnings:\n{}",
        stderr(&check)
    );

    std::fs::write(&path, "# my edits").unwrap();
    let again = tension(dir.path(), &["init", "plan"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("already exists; pass --force"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "# my edits",
        "init must not lose data"
    );
    let forced = tension(dir.path(), &["init", "plan", "--force"]);
    assert!(forced.status.success());
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("[scenario]")
    );
}

#[test]
fn estimate_json_has_the_contract_keys_and_is_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let run = || {
        tension(
            dir.path(),
            &[
                "estimate", "5..10", "--format", "json", "--trials", "50000", "--seed", "3",
            ],
        )
    };
    let output = run();
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    for key in [
        "mean", "sd", "p5", "p10", "p25", "p50", "p75", "p85", "p90", "p95",
    ] {
        assert!(json[key].is_f64(), "missing {key} in {json}");
    }
    // The 90% interval 5..10: p5 and p95 at its ends, median sqrt(50). With 50,000 trials the
    // standard error of these quantiles is below 0.03; 0.12 is four of them.
    assert!((json["p5"].as_f64().unwrap() - 5.0).abs() < 0.12, "{json}");
    assert!(
        (json["p95"].as_f64().unwrap() - 10.0).abs() < 0.12,
        "{json}"
    );
    assert!(
        (json["p50"].as_f64().unwrap() - 7.0711).abs() < 0.12,
        "{json}"
    );
    assert_eq!(
        run().stdout,
        output.stdout,
        "the same seed gives the same output"
    );
    let other = tension(
        dir.path(),
        &[
            "estimate", "5..10", "--format", "json", "--trials", "50000", "--seed", "4",
        ],
    );
    assert_ne!(other.stdout, output.stdout);
}

#[test]
fn estimate_of_a_scenario_field_and_of_an_expression_over_its_quantities() {
    let root = repo_root();
    let field = tension(
        &root,
        &[
            "estimate",
            "--file",
            "examples/checkout.toml",
            "one-click.value",
        ],
    );
    assert!(field.status.success(), "{}", stderr(&field));
    assert!(
        stdout(&field).starts_with("one-click.value  (USD/month)"),
        "{}",
        stdout(&field)
    );
    let zero = tension(
        &root,
        &[
            "estimate",
            "--file",
            "examples/checkout.toml",
            "avg_order - avg_order",
            "--format",
            "json",
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&zero.stdout).unwrap();
    assert_eq!(json["sd"].as_f64(), Some(0.0));
    assert_eq!(json["p95"].as_f64(), Some(0.0));
}

#[test]
fn estimate_errors_point_at_the_mistake() {
    let dir = tempfile::tempdir().unwrap();
    let output = tension(dir.path(), &["estimate", "40..15 days"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("the low end 40 is above the high end 15"),
        "{err}"
    );
    assert!(err.contains("`15..40`"), "{err}");
    let unknown = tension(
        &repo_root(),
        &[
            "estimate",
            "--file",
            "examples/checkout.toml",
            "avg_ordr * 2",
        ],
    );
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        stderr(&unknown).contains("did you mean `avg_order`?"),
        "{}",
        stderr(&unknown)
    );
    let no_field = tension(
        &repo_root(),
        &[
            "estimate",
            "--file",
            "examples/checkout.toml",
            "one-click.valu",
        ],
    );
    assert_eq!(no_field.status.code(), Some(1));
    assert!(
        stderr(&no_field).contains("one-click.value"),
        "{}",
        stderr(&no_field)
    );
}

#[test]
fn estimate_reports_values_that_are_not_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let output = tension(
        dir.path(),
        &[
            "estimate",
            "1 / (normal(0, 1) - normal(0, 1)) * 1e308 * 1e308",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("not a finite number"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn estimate_accepts_negative_ranges_as_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let output = tension(dir.path(), &["estimate", "-5..5", "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn bad_arguments_get_usage_and_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let output = tension(dir.path(), &["estimate", "5..10", "--trials", "0"]);
    assert_eq!(output.status.code(), Some(2));
    let output = tension(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn forecast_prints_a_table_and_the_cdf_with_the_deadline() {
    let output = tension(&repo_root(), &["forecast", "examples/checkout.toml"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    for part in [
        "P50",
        "P85",
        "P95",
        "on time",
        "one-click",
        "plan",
        "confidence the plan is done by",
        "◀ deadline 2027-03-31",
    ] {
        assert!(out.contains(part), "missing `{part}` in\n{out}");
    }
}

#[test]
fn forecast_json_has_the_contract_and_the_same_seed_gives_identical_json() {
    let run = |seed: &str| {
        tension(
            &repo_root(),
            &[
                "forecast",
                "examples/checkout.toml",
                "--format",
                "json",
                "--trials",
                "3000",
                "--seed",
                seed,
            ],
        )
    };
    let output = run("5");
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["trials"], 3000);
    assert_eq!(json["seed"], 5);
    for key in ["p50", "p85", "p95", "at_confidence"] {
        let date = json["plan"][key]
            .as_str()
            .unwrap_or_else(|| panic!("plan.{key} in {json}"));
        assert!(
            jiff::civil::Date::strptime("%Y-%m-%d", date).is_ok(),
            "{date}"
        );
    }
    assert!(
        json["plan"]["p_by_deadline"]
            .as_f64()
            .is_some_and(|p| (0.0..=1.0).contains(&p))
    );
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), 9);
    let one_click = items.iter().find(|item| item["id"] == "one-click").unwrap();
    assert!(one_click["p_on_time"].is_f64());
    assert!(one_click["expected_value"].as_f64().unwrap() > 0.0);
    let no_target = items.iter().find(|item| item["id"] == "flaky-e2e").unwrap();
    assert!(no_target["p_on_time"].is_null());
    assert_eq!(
        run("5").stdout,
        output.stdout,
        "the same seed gives identical JSON"
    );
    assert_ne!(run("6").stdout, output.stdout);
}

#[test]
fn forecast_what_if_prints_both_side_by_side() {
    let output = tension(
        &repo_root(),
        &[
            "forecast",
            "examples/checkout.toml",
            "--without",
            "load-test",
            "--with-people",
            "5",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(
        out.contains("what if without load-test and with 5 people instead of 4?"),
        "{out}"
    );
    assert!(
        out.contains("as planned") && out.contains("health"),
        "{out}"
    );
    let refused = tension(
        &repo_root(),
        &[
            "forecast",
            "examples/checkout.toml",
            "--without",
            "payments-refactor",
        ],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("needs `payments-refactor`"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn forecast_writes_an_svg_chart() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("finish.svg");
    let file = repo_root().join("examples/checkout.toml");
    let output = tension(
        dir.path(),
        &[
            "forecast",
            file.to_str().unwrap(),
            "--svg",
            svg.to_str().unwrap(),
            "--trials",
            "2000",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg"), "{}", &text[..text.len().min(100)]);
    for label in ["P50", "P85", "P95", "deadline 2027-03-31"] {
        assert!(text.contains(label), "the chart has no `{label}`");
    }
}

#[test]
fn forecast_of_a_team_with_no_people_says_so() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("empty.toml"),
        "[scenario]\nname = \"nobody\"\nstart = 2027-01-04\ndeadline = 2027-03-31\n\n[team]\npeople = 0\n\n[[item]]\nid = \"a\"\neffort = \"5..10 days\"\n",
    )
    .unwrap();
    let output = tension(dir.path(), &["forecast", "empty.toml"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("the plan can never finish: the team has no people"),
        "{}",
        stdout(&output)
    );
    let json = tension(dir.path(), &["forecast", "empty.toml", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(json["plan"]["p50"].is_null());
    assert_eq!(json["plan"]["p_by_deadline"], 0.0);
}

#[test]
fn forecast_with_extreme_ranges_finishes_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("wild.toml"),
        "[scenario]\nname = \"wild\"\nstart = 2027-01-04\n\n[team]\npeople = 2\n\n[[item]]\nid = \"a\"\neffort = \"1..1e9 days\"\n",
    )
    .unwrap();
    let output = tension(dir.path(), &["forecast", "wild.toml"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("of trials do not finish by"),
        "{}",
        stderr(&output)
    );
    assert!(stdout(&output).contains("never"), "{}", stdout(&output));
}

#[test]
fn forecast_order_must_name_items() {
    let output = tension(
        &repo_root(),
        &["forecast", "examples/checkout.toml", "--order", "one-clik"],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("did you mean `one-click`?"),
        "{}",
        stderr(&output)
    );
}

/// A long forecast on a terminal shows a progress bar and finishes: the bar is drawn from the
/// worker threads, so the command must not hold stderr's lock while they run (it once did,
/// and hung). `script` from util-linux gives the command a pseudo-terminal.
#[test]
fn forecast_on_a_terminal_shows_progress_and_finishes() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!(
            "skipped: `script` (util-linux) is not installed, so there is no pseudo-terminal to test on"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut scenario =
        String::from("[scenario]\nname = \"long\"\nstart = 2027-01-04\n\n[team]\npeople = 5\n\n");
    for item in 0..300 {
        scenario.push_str(&format!(
            "[[item]]\nid = \"i{item}\"\neffort = \"1..5 days\"\n\n"
        ));
    }
    std::fs::write(dir.path().join("long.toml"), scenario).unwrap();
    let command = format!(
        "{} forecast long.toml --trials 400000 > out.txt",
        env!("CARGO_BIN_EXE_tension")
    );
    let mut child = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir.path())
        .env("TENSION_TODAY", crate::TODAY)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success());
            break;
        }
        if started.elapsed() > std::time::Duration::from_secs(300) {
            child.kill().unwrap();
            panic!(
                "the forecast did not finish in 5 minutes: is stderr locked while workers draw?"
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let mut terminal = String::new();
    std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut terminal).unwrap();
    assert!(
        terminal.contains("trials"),
        "no progress bar on the terminal:\n{terminal}"
    );
    let out = std::fs::read_to_string(dir.path().join("out.txt")).unwrap();
    assert!(out.starts_with("long: 400000 trials"), "{out}");
}
