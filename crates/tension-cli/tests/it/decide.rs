//! `tension decide`: the sign-off rule, the record with both names and the accepted risk, the
//! snapshot that later edits do not change, and refusals.

use crate::{repo_root, stderr, stdout, tension};

fn records(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(dir.join("decisions"))
        .map(|entries| entries.map(|e| e.expect("an entry").path()).collect())
        .unwrap_or_default();
    found.sort();
    found
}

/// Plan 1 of the checkout example, signed by both sides at once.
const SIGN_PLAN_1: [&str; 10] = [
    "decide",
    "checkout.toml",
    "--plan",
    "1",
    "--rationale",
    "All nine items fit at 85%.",
    "--signed-by",
    "business:Anna",
    "--signed-by",
    "technical:Dana",
];

/// A temporary folder for the checkout example, the path it is to be written to, and its text.
fn example() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let scenario = dir.path().join("checkout.toml");
    let original =
        std::fs::read_to_string(repo_root().join("examples/checkout.toml")).expect("the example");
    (dir, scenario, original)
}

#[test]
fn a_blocking_objection_stops_the_sign_off_until_it_is_accepted_as_a_risk() {
    let (dir, scenario, original) = example();
    std::fs::write(&scenario, &original).expect("written");
    let sign = SIGN_PLAN_1;
    // one-click is in plan 1, and `date-needs-refactor` blocks it, still open.
    let refused = tension(dir.path(), &sign);
    assert_eq!(refused.status.code(), Some(1));
    let err = stderr(&refused);
    assert!(
        err.contains("plan 1 cannot be signed") && err.contains("date-needs-refactor (open"),
        "{err}"
    );
    assert!(err.contains("nothing was written"));
    assert!(records(dir.path()).is_empty());

    // The business side accepts it as a risk, with an owner and a reason.
    let accepted = original.replace(
        "status = \"open\"\nblocking = true",
        "status = \"accepted-risk\"\nblocking = true\nresolution = \"Refactor first; March 1 moves to April 15 if it slips.\"\nrisk_owner = \"Anna\"",
    );
    assert_ne!(
        accepted, original,
        "the example's blocking objection is open"
    );
    std::fs::write(&scenario, &accepted).expect("written");
    let signed = tension(dir.path(), &sign);
    assert!(signed.status.success(), "{}", stderr(&signed));
    assert!(stdout(&signed).contains("(accepted)"));
    let written = records(dir.path());
    assert_eq!(written.len(), 1);
    let record = std::fs::read_to_string(&written[0]).expect("the record");
    for part in [
        "status: accepted",
        "decision-makers: [Anna (business), Dana (technical)]",
        "| 1 (chosen) (recommended) |",
        "All nine items fit at 85%.",
        "**date-needs-refactor** (owner: Anna)",
        "Refactor first; March 1 moves to April 15 if it slips.",
        "| one_click_lift |",
    ] {
        assert!(record.contains(part), "missing {part:?} in\n{record}");
    }

    // The record is a snapshot: changing an input later leaves it as it was, and the next
    // decision gets the next number.
    let changed = accepted.replace("\"6..12 days\"", "\"20..30 days\"");
    assert_ne!(changed, accepted, "an input changes");
    std::fs::write(&scenario, changed).expect("written");
    let again = tension(
        dir.path(),
        &[
            "decide",
            "checkout.toml",
            "--plan",
            "2",
            "--rationale",
            "Later.",
        ],
    );
    assert!(again.status.success(), "{}", stderr(&again));
    let after = records(dir.path());
    assert_eq!(after.len(), 2);
    assert!(after[1].to_string_lossy().contains("0002-"));
    assert_eq!(
        std::fs::read_to_string(&written[0]).expect("the record"),
        record
    );
    let proposed = std::fs::read_to_string(&after[1]).expect("the record");
    assert!(proposed.contains("status: proposed"));
    assert!(stdout(&again).contains("needs the business and the technical side's sign-off"));
}

#[test]
fn decide_refuses_bad_requests_plainly() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let example = repo_root().join("examples/checkout.toml");
    let example = example.to_str().expect("UTF-8");
    for (args, message) in [
        (
            vec!["--plan", "9", "--rationale", "x"],
            "--plan 9 is not a plan of the frontier",
        ),
        (
            vec!["--plan", "1", "--rationale", " "],
            "--rationale is empty",
        ),
        (
            vec!["--plan", "1", "--rationale", "x", "--signed-by", "Anna"],
            "needs a side and a name",
        ),
        (
            vec![
                "--plan",
                "1",
                "--rationale",
                "x",
                "--signed-by",
                "finance:Anna",
            ],
            "is not a side",
        ),
        (
            // Plan 3 takes no item with a pending blocker: only the double signature is wrong.
            vec![
                "--plan",
                "3",
                "--rationale",
                "x",
                "--signed-by",
                "business:Anna",
                "--signed-by",
                "technical:Anna",
            ],
            "names Anna twice",
        ),
    ] {
        let mut full = vec!["decide", example];
        full.extend(args);
        let output = tension(dir.path(), &full);
        assert_eq!(output.status.code(), Some(1), "{full:?}");
        assert!(
            stderr(&output).contains(message),
            "{full:?}: {}",
            stderr(&output)
        );
    }
    assert!(records(dir.path()).is_empty());
}

#[test]
fn a_blocking_finding_of_a_review_the_plan_needs_stops_the_sign_off() {
    let (dir, scenario, original) = example();
    // The item objection is out of the way; the security review, which one-click needs, has
    // an open blocking finding.
    let cleared = original.replace(
        "status = \"open\"\nblocking = true",
        "status = \"accepted-risk\"\nblocking = true\nresolution = \"Refactor first.\"\nrisk_owner = \"Anna\"",
    );
    assert_ne!(
        cleared, original,
        "the example's blocking objection is open"
    );
    let finding = "\n[[objection]]\nid = \"tokens-at-rest\"\non = \"security\"\nby = \"technical\"\ntension = \"speed-durability\"\ntext = \"Saved card tokens are stored unencrypted.\"\nstatus = \"open\"\nblocking = true\n";
    std::fs::write(&scenario, cleared.clone() + finding).expect("written");
    let sign = SIGN_PLAN_1;
    let refused = tension(dir.path(), &sign);
    assert_eq!(refused.status.code(), Some(1), "{}", stdout(&refused));
    let err = stderr(&refused);
    assert!(
        err.contains("plan 1 cannot be signed") && err.contains("tokens-at-rest (open"),
        "{err}"
    );
    assert!(records(dir.path()).is_empty());
    // Resolved, it no longer stands in the way.
    let resolved = finding.replace(
        "status = \"open\"",
        "status = \"resolved\"\nresolution = \"Encrypted with the vault's key.\"",
    );
    std::fs::write(&scenario, cleared + &resolved).expect("written");
    let signed = tension(dir.path(), &sign);
    assert!(signed.status.success(), "{}", stderr(&signed));
    assert_eq!(records(dir.path()).len(), 1);
}

#[test]
fn a_plan_rests_on_the_reviews_its_items_need_and_the_quantities_its_numbers_use() {
    let (_dir, _path, original) = example();
    let checked = tension_scenario::parse_str(
        "checkout.toml",
        &original,
        &tension_scenario::Options::default(),
    );
    let scenario = checked.scenario.expect("the example is valid");
    let reliance = |items: &[&str]| {
        let items: Vec<String> = items.iter().map(|id| (*id).to_owned()).collect();
        scenario.reliance(&items)
    };
    // The refactor's numbers are its own ranges, and it needs no review.
    assert_eq!(reliance(&["payments-refactor"]), Default::default());
    // One-click's value multiplies six quantities, and it needs the security review.
    let one_click = reliance(&["one-click"]);
    assert_eq!(one_click.reviews, ["security"]);
    assert_eq!(
        one_click.quantities,
        [
            "checkout_starts",
            "checkout_completion",
            "avg_order",
            "gross_margin",
            "one_click_lift",
            "returning_share",
        ]
    );

    // So a blocking objection on one of those quantities holds up plan 1, which has one-click.
    let (dir, scenario_path, _) = example();
    let disputed = original.replace(
        "status = \"resolved\"\nresolution = \"Widened the benchmark to 4%..15% and added checkout-events so the real lift is measured by May.\"",
        "status = \"open\"\nblocking = true",
    );
    assert_ne!(
        disputed, original,
        "the example's lift objection is resolved"
    );
    // The refactor objection comes first in the file; the lift objection now reads the same.
    let cleared = disputed.replacen(
        "status = \"open\"\nblocking = true\nraised = 2027-01-05\n",
        "status = \"accepted-risk\"\nblocking = true\nresolution = \"Refactor first.\"\nrisk_owner = \"Anna\"\nraised = 2027-01-05\n",
        1,
    );
    assert_ne!(cleared, disputed, "the refactor objection is open");
    std::fs::write(&scenario_path, &cleared).expect("written");
    let refused = tension(dir.path(), &SIGN_PLAN_1);
    assert_eq!(refused.status.code(), Some(1), "{}", stdout(&refused));
    let err = stderr(&refused);
    assert!(err.contains("lift-from-case-studies (open"), "{err}");
    assert!(
        !err.contains("date-needs-refactor"),
        "the refactor objection is accepted: {err}"
    );
}
