//! `tension move`: objections through their lifecycle and reviews through their workflow, edited
//! in the file in place; refusals that leave the file byte for byte as it was; and the sessions
//! of `docs/moves.md`, run in order on a fresh copy.

use std::path::{Path, PathBuf};

use tension_model::{ObjectionStatus, ReviewStatus, Side};

use crate::{TODAY, repo_root, stderr, stdout, tension};

/// The line of the checkout example after which the docs' copy has an SLA.
const LEAD_TIME: &str = "lead_time = \"5..15 days\"            # working days from request to verdict; uses no team capacity\n";

fn checkout() -> String {
    std::fs::read_to_string(repo_root().join("examples/checkout.toml")).expect("the example")
}

/// A temporary folder holding `text` as `checkout.toml`.
fn copy(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("checkout.toml");
    std::fs::write(&path, text).expect("written");
    (dir, path)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("the scenario")
}

fn scenario(path: &Path) -> tension_model::Scenario {
    let checked = tension_scenario::parse_str(
        "checkout.toml",
        &read(path),
        &tension_scenario::Options::default(),
    );
    assert!(
        !checked.has_errors(),
        "{}",
        checked.render(Default::default())
    );
    checked.scenario.expect("a valid scenario")
}

fn run_ok(dir: &Path, args: &[&str]) -> String {
    let output = tension(dir, args);
    assert!(
        output.status.success(),
        "{args:?}: {}{}",
        stdout(&output),
        stderr(&output)
    );
    stdout(&output)
}

fn date(text: &str) -> jiff::civil::Date {
    text.parse().expect("a date")
}

#[test]
fn every_refusal_leaves_the_file_byte_for_byte_unchanged() {
    // An answered objection without a history, an objection and a review sharing an id, a
    // comment on the moved line, and no trailing newline: the refusals must not touch any of it.
    let text = checkout()
        .replace(
            "status = \"open\"\nblocking = true",
            "status = \"open\"   # since the kick-off\nblocking = true",
        )
        .trim_end()
        .to_owned()
        + "\n\n[[objection]]\nid = \"security\"\non = \"security\"\nby = \"business\"\ntension = \"speed-durability\"\ntext = \"A week of notice is too long.\"\nstatus = \"answered\"\nraised = 2027-01-06";
    let (dir, path) = copy(&text);
    let refusals: &[(&[&str], &str)] = &[
        (
            &["--to", "answered", "--by", "technical:Dana", "--note", "x"],
            "only the business side answers it",
        ),
        (
            &["--to", "resolved", "--by", "technical:Dana", "--note", "x"],
            "is open: it cannot become resolved",
        ),
        (
            &["--to", "answered", "--by", "business:Marcus"],
            "needs a note: the answer",
        ),
        (
            &[
                "--to",
                "accepted-risk",
                "--by",
                "business:Marcus",
                "--note",
                "x",
            ],
            "needs a risk owner",
        ),
        (
            &["--to", "answerd", "--by", "business:Marcus", "--note", "x"],
            "did you mean `answered`?",
        ),
        (
            &["--to", "answered", "--by", "Marcus", "--note", "x"],
            "--by `Marcus` needs a side and a name",
        ),
        (
            &["--to", "answered", "--by", "product:Marcus", "--note", "x"],
            "`product` is not a side",
        ),
        (
            &["--to", "answered", "--by", "business: ", "--note", "x"],
            "names nobody",
        ),
        (
            &["--to", "answered", "--note", "x"],
            "moving an objection needs --by",
        ),
        (
            &[
                "--to",
                "accepted-risk",
                "--by",
                "business:Marcus",
                "--note",
                "x",
                "--risk-owner",
                "Marcus",
                "--review-by",
                "2027-02-30",
            ],
            "--review-by `2027-02-30` is not a date",
        ),
        (
            &[
                "--to",
                "accepted-risk",
                "--by",
                "business:Marcus",
                "--note",
                "x",
                "--risk-owner",
                "Marcus",
                "--review-by",
                "2027-01-01",
            ],
            "is before the move",
        ),
        (
            &[
                "--to",
                "answered",
                "--by",
                "business:Marcus",
                "--note",
                "x",
                "--risk-owner",
                "Marcus",
            ],
            "are for accepting a risk",
        ),
        (
            &[
                "--to",
                "answered",
                "--by",
                "business:Marcus",
                "--note",
                "x",
                "--conditions",
                "c",
            ],
            "--conditions is for reviews",
        ),
        (
            &[
                "--to",
                "answered",
                "--by",
                "business:Marcus",
                "--note",
                "x",
                "--today",
                "2027-01-04",
            ],
            "was raised on 2027-01-05",
        ),
    ];
    for (args, expected) in refusals {
        let mut full = vec!["move", "checkout.toml", "date-needs-refactor"];
        full.extend_from_slice(args);
        if !args.contains(&"--today") {
            full.extend_from_slice(&["--today", "2027-01-08"]);
        }
        let output = tension(dir.path(), &full);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{full:?}: {err}");
        assert!(
            err.contains(expected),
            "{full:?}: missing {expected:?} in {err}"
        );
        assert!(err.contains("checkout.toml"), "{err}");
        assert!(
            err.contains("objection `date-needs-refactor`") || err.contains("--by"),
            "{err}"
        );
        assert!(err.contains("help: "), "{err}");
        assert!(stdout(&output).is_empty());
        assert_eq!(read(&path), text, "{full:?} changed the file");
    }
    let others: &[(&[&str], &str)] = &[
        (
            &[
                "lift-from-case-studies",
                "--to",
                "open",
                "--by",
                "technical:D",
            ],
            "it is closed",
        ),
        (
            &[
                "launch-before-load-test",
                "--to",
                "answered",
                "--by",
                "business:M",
                "--note",
                "x",
            ],
            "it cannot become answered",
        ),
        (
            &[
                "date-needs-refacter",
                "--to",
                "answered",
                "--by",
                "business:M",
                "--note",
                "x",
            ],
            "did you mean `date-needs-refactor`?",
        ),
        (
            &["nothing-like-it", "--to", "open"],
            "there is no objection or review",
        ),
        (
            &["security", "--to", "requested"],
            "is both an objection and a review",
        ),
        (
            &[
                "objection:security",
                "--to",
                "resolved",
                "--by",
                "business:A",
                "--note",
                "x",
            ],
            "has no history",
        ),
        (
            &["review:security", "--to", "in-review"],
            "has not been requested",
        ),
        (
            &["review:security", "--to", "requested", "--note", "x"],
            "--note is for objections",
        ),
        (
            &["review:security", "--to", "requested", "--conditions", "x"],
            "only an approval with conditions has conditions",
        ),
        (
            &["review:security", "--to", "requested", "--by", "tech:T"],
            "is not a side",
        ),
        (
            &["review:card-vault", "--to", "requested"],
            "there is no review `card-vault`",
        ),
        (
            &["review:date-needs-refactor", "--to", "requested"],
            "is an objection",
        ),
    ];
    for (args, expected) in others {
        let mut full = vec!["move", "checkout.toml"];
        full.extend_from_slice(args);
        full.extend_from_slice(&["--today", "2027-01-08"]);
        let output = tension(dir.path(), &full);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{full:?}: {err}");
        assert!(
            err.contains(expected),
            "{full:?}: missing {expected:?} in {err}"
        );
        assert!(err.contains("checkout.toml is unchanged"), "{err}");
        assert_eq!(read(&path), text, "{full:?} changed the file");
    }
    // No temporary file is left behind.
    let entries: Vec<_> = std::fs::read_dir(dir.path())
        .expect("the folder")
        .map(|e| e.expect("an entry").file_name())
        .collect();
    assert_eq!(entries, ["checkout.toml"]);
}

#[test]
fn a_review_move_out_of_its_workflow_leaves_the_file_unchanged() {
    let (dir, path) = copy(&checkout());
    let text = read(&path);
    run_ok(
        dir.path(),
        &[
            "move",
            "checkout.toml",
            "security",
            "--to",
            "requested",
            "--today",
            "2027-01-08",
        ],
    );
    let requested = read(&path);
    assert_ne!(requested, text);
    for (args, expected) in [
        (&["--to", "approved"][..], "it cannot become approved"),
        (
            &["--to", "in-review", "--by", "business:Marcus"],
            "recorded by the technical side",
        ),
        (
            &["--to", "in-review", "--today", "2027-01-07"],
            "was requested on 2027-01-08",
        ),
    ] {
        let mut full = vec!["move", "checkout.toml", "security"];
        full.extend_from_slice(args);
        if !args.contains(&"--today") {
            full.extend_from_slice(&["--today", "2027-01-11"]);
        }
        let output = tension(dir.path(), &full);
        assert_eq!(output.status.code(), Some(1), "{full:?}");
        assert!(stderr(&output).contains(expected), "{}", stderr(&output));
        assert_eq!(read(&path), requested);
    }
}

#[test]
fn a_file_with_errors_is_not_moved() {
    let text = checkout().replace("people = 4", "people = \"four\"");
    let (dir, path) = copy(&text);
    let output = tension(
        dir.path(),
        &[
            "move",
            "checkout.toml",
            "date-needs-refactor",
            "--to",
            "answered",
            "--by",
            "business:Marcus",
            "--note",
            "x",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("fix these errors first"),
        "{}",
        stderr(&output)
    );
    assert_eq!(read(&path), text);
}

#[test]
fn a_move_changes_only_its_lines_and_keeps_the_comments() {
    let text = checkout().replace(
        "status = \"open\"\nblocking = true\nraised = 2027-01-05\n",
        "status = \"open\"   # since the kick-off\nblocking = true\n# Dana raised it in the planning meeting.\nraised = 2027-01-05\n",
    );
    let (dir, path) = copy(&text);
    let printed = run_ok(
        dir.path(),
        &[
            "move",
            "checkout.toml",
            "date-needs-refactor",
            "--to",
            "answered",
            "--by",
            "business:Dana",
            "--note",
            "Agreed: the refactor goes first.",
            "--today",
            "2027-01-08",
        ],
    );
    assert_eq!(
        printed,
        "checkout.toml: objection `date-needs-refactor` open → answered by Dana (business), 2027-01-08\n"
    );
    let expected = text.replace(
        "status = \"open\"   # since the kick-off\nblocking = true\n# Dana raised it in the planning meeting.\nraised = 2027-01-05\n",
        "status = \"answered\"   # since the kick-off\nblocking = true\n# Dana raised it in the planning meeting.\nraised = 2027-01-05\n\n[[objection.history]]\nfrom = \"open\"\nto = \"answered\"\nwho = \"Dana\"\nside = \"business\"\non = 2027-01-08\nnote = \"Agreed: the refactor goes first.\"\n",
    );
    assert_ne!(expected, text);
    assert_eq!(read(&path), expected);

    // A file with Windows line ends keeps them on every line, the new ones included.
    let crlf = |text: &str| text.replace('\n', "\r\n");
    std::fs::write(&path, crlf(&text)).expect("written");
    run_ok(
        dir.path(),
        &[
            "move",
            "checkout.toml",
            "date-needs-refactor",
            "--to",
            "answered",
            "--by",
            "business:Dana",
            "--note",
            "Agreed: the refactor goes first.",
            "--today",
            "2027-01-08",
        ],
    );
    assert_eq!(read(&path), crlf(&expected));
}

/// Answered, reopened and answered again: the first moves of the lifecycle below.
const THREE_MOVES: [&[&str]; 3] = [
    &[
        "--to",
        "answered",
        "--by",
        "business:Marcus",
        "--note",
        "March 1 is what the sale needs.",
        "--today",
        "2027-01-06",
    ],
    &[
        "--to",
        "open",
        "--by",
        "technical:Dana",
        "--today",
        "2027-01-07",
    ],
    &[
        "--to",
        "answered",
        "--by",
        "business:Anna",
        "--note",
        "April 15, then.",
        "--today",
        "2027-01-08",
    ],
];

#[test]
fn a_full_lifecycle_reads_back_with_its_history() {
    let (dir, path) = copy(&checkout());
    let mut moves: Vec<&[&str]> = THREE_MOVES.to_vec();
    moves.push(&[
        "--to",
        "accepted-risk",
        "--by",
        "technical:Dana",
        "--note",
        "We start on the refactor now.",
        "--risk-owner",
        "Marcus",
        "--review-by",
        "2027-02-15",
        "--change",
        "one-click.target revised",
        "--change",
        "load-test moved up",
        "--today",
        "2027-01-12",
    ]);
    for args in &moves {
        let mut full = vec!["move", "checkout.toml", "date-needs-refactor"];
        full.extend_from_slice(args);
        run_ok(dir.path(), &full);
    }
    let scenario = scenario(&path);
    let objection = scenario
        .objections
        .iter()
        .find(|o| o.id == "date-needs-refactor")
        .expect("the objection");
    assert_eq!(objection.status, ObjectionStatus::AcceptedRisk);
    assert_eq!(objection.risk_owner.as_deref(), Some("Marcus"));
    assert_eq!(
        objection.resolution.as_deref(),
        Some("We start on the refactor now.")
    );
    assert_eq!(objection.review_by, Some(date("2027-02-15")));
    let steps: Vec<_> = objection
        .history
        .iter()
        .map(|t| (t.from, t.to, t.who.as_str(), t.side, t.on))
        .collect();
    use ObjectionStatus::*;
    assert_eq!(
        steps,
        [
            (Open, Answered, "Marcus", Side::Business, date("2027-01-06")),
            (Answered, Open, "Dana", Side::Technical, date("2027-01-07")),
            (Open, Answered, "Anna", Side::Business, date("2027-01-08")),
            (
                Answered,
                AcceptedRisk,
                "Dana",
                Side::Technical,
                date("2027-01-12")
            ),
        ]
    );
    let last = &objection.history[3].details;
    assert_eq!(
        last.changes,
        ["one-click.target revised", "load-test moved up"]
    );
    assert_eq!(last.risk_owner.as_deref(), Some("Marcus"));
    assert_eq!(objection.history[1].details.note, None);
    // Accepted risk is final; a step dated before the last one is refused too.
    let output = tension(
        dir.path(),
        &[
            "move",
            "checkout.toml",
            "date-needs-refactor",
            "--to",
            "open",
            "--by",
            "technical:Dana",
            "--today",
            "2027-01-13",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    // `tension check` agrees, and the other objections are as they were.
    let check = run_ok(dir.path(), &["check", "checkout.toml"]);
    assert!(check.contains("ok, 0 warnings"), "{check}");
    let original = scenario_of(&checkout());
    for id in ["lift-from-case-studies", "launch-before-load-test"] {
        let find = |s: &tension_model::Scenario| s.objections.iter().find(|o| o.id == id).cloned();
        assert_eq!(find(&scenario), find(&original));
    }
}

#[test]
fn a_step_dated_before_the_last_one_is_refused() {
    let (dir, path) = copy(&checkout());
    run_ok(
        dir.path(),
        &[
            "move",
            "checkout.toml",
            "date-needs-refactor",
            "--to",
            "answered",
            "--by",
            "business:M",
            "--note",
            "x",
            "--today",
            "2027-01-10",
        ],
    );
    let before = read(&path);
    let output = tension(
        dir.path(),
        &[
            "move",
            "checkout.toml",
            "date-needs-refactor",
            "--to",
            "open",
            "--by",
            "technical:D",
            "--today",
            "2027-01-09",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("last moved on 2027-01-10"),
        "{}",
        stderr(&output)
    );
    assert_eq!(read(&path), before);
}

fn scenario_of(text: &str) -> tension_model::Scenario {
    tension_scenario::parse_str("x.toml", text, &tension_scenario::Options::default())
        .scenario
        .expect("a valid scenario")
}

#[test]
fn a_review_goes_from_requested_to_approved_with_conditions() {
    let (dir, path) = copy(&checkout());
    let steps: &[(&[&str], &str)] = &[
        (
            &[
                "--to",
                "requested",
                "--by",
                "business:Marcus",
                "--today",
                "2027-01-08",
            ],
            "review `security` not requested → requested by Marcus (business), 2027-01-08",
        ),
        (
            &["--to", "in-review", "--today", "2027-01-11"],
            "review `security` requested → in-review, 2027-01-11",
        ),
        (
            &[
                "--to",
                "changes-requested",
                "--by",
                "technical:Tomas",
                "--today",
                "2027-01-12",
            ],
            "in-review → changes-requested by Tomas (technical), 2027-01-12",
        ),
        (
            &[
                "--to",
                "in-review",
                "--by",
                "technical:Tomas",
                "--today",
                "2027-01-14",
            ],
            "changes-requested → in-review",
        ),
        (
            &[
                "--to",
                "approved-with-conditions",
                "--by",
                "technical:Tomas",
                "--conditions",
                "rotate the Stripe keys",
                "--conditions",
                "pen test before May",
                "--today",
                "2027-01-19",
            ],
            "in-review → approved-with-conditions by Tomas (technical), 2027-01-19",
        ),
    ];
    for (args, expected) in steps {
        let mut full = vec!["move", "checkout.toml", "security"];
        full.extend_from_slice(args);
        let printed = run_ok(dir.path(), &full);
        assert!(
            printed.starts_with("checkout.toml: review `security` "),
            "{printed}"
        );
        assert!(printed.contains(expected), "{printed}");
    }
    let review = scenario(&path)
        .review("security")
        .cloned()
        .expect("the review");
    assert_eq!(review.status, Some(ReviewStatus::ApprovedWithConditions));
    assert_eq!(review.requested, Some(date("2027-01-08")));
    assert_eq!(
        review.conditions,
        ["rotate the Stripe keys", "pen test before May"]
    );
    // Only the review's end changed: the lines before it are the example's.
    let text = read(&path);
    assert!(text.contains(
        "  \"rate limits and idempotency keys on the charge endpoint\",\n]\nstatus = \"approved-with-conditions\"\nrequested = 2027-01-08\nconditions = [\"rotate the Stripe keys\", \"pen test before May\"]\n\n# Objections are pushback"
    ), "{text}");
    assert_eq!(
        text.replace("status = \"approved-with-conditions\"\nrequested = 2027-01-08\nconditions = [\"rotate the Stripe keys\", \"pen test before May\"]\n", ""),
        checkout()
    );
    // Approved is final.
    let output = tension(
        dir.path(),
        &[
            "move",
            "checkout.toml",
            "security",
            "--to",
            "in-review",
            "--today",
            "2027-01-20",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("which is final"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_rejected_review_is_requested_again_with_a_new_date() {
    let text = checkout().replace(
        LEAD_TIME,
        &format!("{LEAD_TIME}status = \"rejected\"  # see the findings\nrequested = 2027-01-04\n"),
    );
    let (dir, path) = copy(&text);
    run_ok(
        dir.path(),
        &[
            "move",
            "checkout.toml",
            "security",
            "--to",
            "requested",
            "--by",
            "technical:Dana",
            "--today",
            "2027-01-15",
        ],
    );
    assert_eq!(
        read(&path),
        text.replace(
            "status = \"rejected\"  # see the findings\nrequested = 2027-01-04\n",
            "status = \"requested\"  # see the findings\nrequested = 2027-01-15\n"
        )
    );
}

/// Every session of `docs/moves.md` (its `console,ignore` blocks) runs in order, with trycmd, on
/// a fresh copy of the checkout example with `sla = 5` on its security review, and every
/// ```toml block of the page is in the file at the end. The page's plain `console` blocks run
/// from the repository root with the other docs.
#[test]
fn the_sessions_of_the_moves_page_run_as_shown() {
    let doc = std::fs::read_to_string(repo_root().join("docs/moves.md")).expect("docs/moves.md");
    let dir = tempfile::tempdir().expect("a temporary folder");
    // Swap which blocks run: the sessions here, the examples on examples/ at the root.
    let swapped = doc
        .replace("```console\n", "```console,skip-here\n")
        .replace("```console,ignore\n", "```console\n")
        .replace("```console,skip-here\n", "```console,ignore\n");
    let page = dir.path().join("moves.md");
    std::fs::write(&page, swapped).expect("written");
    let sandbox = dir.path().join("moves.in");
    std::fs::create_dir(&sandbox).expect("created");
    let text = checkout().replace(LEAD_TIME, &format!("{LEAD_TIME}sla = 5\n"));
    assert_ne!(
        text,
        checkout(),
        "the example's security review has this lead time"
    );
    std::fs::write(sandbox.join("checkout.toml"), &text).expect("written");
    {
        let cases = trycmd::TestCases::new();
        cases
            .register_bin("tension", trycmd::cargo::cargo_bin!("tension"))
            .env("TENSION_TODAY", TODAY)
            .env("NO_COLOR", "1");
        cases.case(&page);
        // The cases run when `cases` goes out of scope.
    }
    let edited = std::fs::read_to_string(sandbox.join("checkout.toml")).expect("the copy");
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in doc.lines() {
        match &mut current {
            None if line == "```toml" => current = Some(String::new()),
            Some(block) if line == "```" => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    assert!(blocks.len() >= 3, "{blocks:?}");
    for block in blocks {
        assert!(edited.contains(&block), "missing\n{block}\nin\n{edited}");
    }
}

/// The checkout example with its objections written as one inline array before the first
/// header, where TOML puts top-level keys, and a comment after the first record.
fn checkout_with_inline_objections() -> String {
    let text = checkout();
    let objections = text
        .find("[[objection]]")
        .expect("the example has objections");
    "objection = [\n  { id = \"date-needs-refactor\", on = \"one-click.target\", by = \"technical\", tension = \"speed-durability\", text = \"March 1 assumes the current payments module.\", status = \"open\", blocking = true, raised = 2027-01-05 },  # raised at the kick-off\n  { id = \"lift-from-case-studies\", on = \"one_click_lift\", by = \"technical\", tension = \"vision-feasibility\", text = \"The lift came from vendor case studies.\", status = \"resolved\", resolution = \"Widened the benchmark.\", raised = 2027-01-05 },\n]\n\n".to_owned()
        + &text[..objections]
}

#[test]
fn objections_written_as_inline_tables_move_in_place() {
    let (dir, path) = copy(&checkout_with_inline_objections());
    let before = scenario(&path);
    for args in THREE_MOVES {
        let mut full = vec!["move", "checkout.toml", "date-needs-refactor"];
        full.extend_from_slice(args);
        run_ok(dir.path(), &full);
    }
    let text = read(&path);
    // Still one inline record with an inline history; nothing became a table.
    assert!(!text.contains("[[objection"), "{text}");
    let record = text.lines().nth(1).expect("the first record's line");
    assert!(
        record.starts_with("  { id = \"date-needs-refactor\"")
            && record.ends_with("}] },  # raised at the kick-off"),
        "{record}"
    );
    assert!(record.contains("status = \"answered\", blocking = true, raised = 2027-01-05, history = [{ from = \"open\", to = \"answered\", who = \"Marcus\", side = \"business\", on = 2027-01-06, note = \"March 1 is what the sale needs.\" }, { from = \"answered\""), "{record}");
    let after = scenario(&path);
    let objection = after
        .objections
        .iter()
        .find(|o| o.id == "date-needs-refactor")
        .expect("the objection");
    assert_eq!(objection.status, ObjectionStatus::Answered);
    let steps: Vec<_> = objection
        .history
        .iter()
        .map(|t| {
            (
                t.from,
                t.to,
                t.who.as_str(),
                t.on,
                t.details.note.as_deref(),
            )
        })
        .collect();
    use ObjectionStatus::*;
    assert_eq!(
        steps,
        [
            (
                Open,
                Answered,
                "Marcus",
                date("2027-01-06"),
                Some("March 1 is what the sale needs.")
            ),
            (Answered, Open, "Dana", date("2027-01-07"), None),
            (
                Open,
                Answered,
                "Anna",
                date("2027-01-08"),
                Some("April 15, then.")
            ),
        ]
    );
    let other = |s: &tension_model::Scenario| {
        s.objections
            .iter()
            .find(|o| o.id == "lift-from-case-studies")
            .cloned()
    };
    assert_eq!(other(&after), other(&before));
    let check = run_ok(dir.path(), &["check", "checkout.toml"]);
    assert!(check.contains("ok, 0 warnings"), "{check}");
}

#[test]
fn a_history_written_as_inline_tables_grows_one_line_a_step() {
    let text = checkout().replacen(
        "status = \"open\"\nblocking = true\nraised = 2027-01-05\n",
        "status = \"answered\"\nblocking = true\nraised = 2027-01-05\nhistory = [\n  { from = \"open\", to = \"answered\", who = \"Marcus\", side = \"business\", on = 2027-01-06, note = \"March 1 is what the sale needs.\" },\n]\n",
        1,
    );
    assert_ne!(text, checkout(), "the example's first objection is open");
    let (dir, path) = copy(&text);
    // Reopened by Dana, the second of the three moves.
    let mut reopen = vec!["move", "checkout.toml", "date-needs-refactor"];
    reopen.extend_from_slice(THREE_MOVES[1]);
    run_ok(dir.path(), &reopen);
    let edited = read(&path);
    assert!(!edited.contains("[[objection.history]]"), "{edited}");
    assert!(
        edited.contains("history = [\n  { from = \"open\", to = \"answered\", who = \"Marcus\", side = \"business\", on = 2027-01-06, note = \"March 1 is what the sale needs.\" },\n  { from = \"answered\", to = \"open\", who = \"Dana\", side = \"technical\", on = 2027-01-07 },\n]\n"),
        "{edited}"
    );
    let objection = scenario(&path)
        .objections
        .into_iter()
        .find(|o| o.id == "date-needs-refactor")
        .expect("the objection");
    assert_eq!(objection.status, ObjectionStatus::Open);
    assert_eq!(objection.history.len(), 2);
}

#[test]
fn a_review_written_as_an_inline_table_moves_in_place() {
    let text = checkout();
    let start = text.find("[[review]]").expect("the example has a review");
    let end = start
        + text[start..]
            .find("\n\n")
            .expect("a blank line after the review");
    let text = "review = [{ id = \"security\", title = \"Security review of stored payment methods\", lead_time = \"5..15 days\", checklist = [\"threat model\"] }]\n\n".to_owned()
        + &text[..start]
        + &text[end + 2..];
    let (dir, path) = copy(&text);
    let said = run_ok(
        dir.path(),
        &[
            "move",
            "checkout.toml",
            "security",
            "--to",
            "requested",
            "--by",
            "business:Marcus",
            "--today",
            "2027-01-08",
        ],
    );
    assert!(said.contains("not requested → requested"), "{said}");
    let edited = read(&path);
    assert!(!edited.contains("[[review]]"), "{edited}");
    assert!(
        edited.starts_with("review = [{ id = \"security\", title = \"Security review of stored payment methods\", lead_time = \"5..15 days\", checklist = [\"threat model\"], status = \"requested\", requested = 2027-01-08 }]\n"),
        "{edited}"
    );
    let review = scenario(&path)
        .reviews
        .into_iter()
        .find(|r| r.id == "security")
        .expect("the review");
    assert_eq!(review.status, Some(ReviewStatus::Requested));
    assert_eq!(review.requested, Some(date("2027-01-08")));
}
