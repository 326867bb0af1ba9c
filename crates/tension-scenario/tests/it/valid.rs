//! The shipped examples are valid, and what they hold is read correctly.

use tension_model::{ItemKind, ObjectionStatus, ReviewStatus, Side, Target, Weekday, compile};
use tension_scenario::Style;

use crate::{check_file, repo_root};

#[test]
fn every_example_passes_without_errors() {
    let mut count = 0;
    for entry in std::fs::read_dir(repo_root().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "toml") {
            count += 1;
            let checked = check_file(&path);
            assert!(
                !checked.has_errors(),
                "{}:\n{}",
                path.display(),
                checked.render(Style::default())
            );
            let scenario = checked.scenario.as_ref().unwrap();
            assert!(compile(scenario).is_ok(), "{}", path.display());
        }
    }
    assert!(count >= 3, "expected the three examples, found {count}");
}

#[test]
fn the_checkout_example_is_read_field_by_field() {
    let checked = check_file(&repo_root().join("examples/checkout.toml"));
    let scenario = checked.scenario.unwrap();
    assert_eq!(scenario.start, jiff::civil::date(2027, 1, 4));
    assert_eq!(scenario.deadline, Some(jiff::civil::date(2027, 3, 31)));
    assert_eq!(scenario.confidence, 0.85);
    assert_eq!(scenario.team.people, 4);
    assert!(scenario.team.workdays.contains(Weekday::Fri));
    assert!(!scenario.team.workdays.contains(Weekday::Sat));
    let one_click = scenario.item("one-click").unwrap();
    assert_eq!(one_click.kind, ItemKind::Feature);
    assert_eq!(one_click.proposed_by, Some(Side::Business));
    assert!(one_click.technical.effort.is_some());
    let contested = scenario
        .items
        .iter()
        .flat_map(|item| item.estimated_fields())
        .find(|(_, field)| field.by_other.is_some())
        .expect("the example has a field estimated by both sides");
    assert_eq!(contested.1.owner, Side::Technical);
    assert!(contested.1.by(Side::Business).is_some());
    assert!(
        scenario
            .objections
            .iter()
            .any(|o| o.status == ObjectionStatus::AcceptedRisk && o.risk_owner.is_some())
    );
    assert!(
        scenario
            .objections
            .iter()
            .all(|o| !matches!(&o.on, Target::Item(id) if scenario.item(id).is_none()))
    );
}

#[test]
fn per_side_estimates_keep_both_and_use_the_owners() {
    let source = r#"
[scenario]
name = "sides"
start = 2027-01-04
[team]
people = 1
[[item]]
id = "a"
effort = { technical = { value = "15..40 days", source = "spike", quality = "expert" }, business = "5..10 days" }
value = { business = "1k..2k USD", technical = "100..500 USD" }
"#;
    let checked = tension_scenario::parse_str("sides.toml", source, &crate::options());
    assert!(
        !checked.has_errors(),
        "{}",
        checked.render(Style::default())
    );
    let scenario = checked.scenario.unwrap();
    let item = scenario.item("a").unwrap();
    let effort = item.technical.effort.as_ref().unwrap();
    assert_eq!(effort.used().text, "15..40 days");
    assert_eq!(effort.used().evidence.source.as_deref(), Some("spike"));
    assert_eq!(effort.by(Side::Business).unwrap().text, "5..10 days");
    let value = item.business.value.as_ref().unwrap();
    assert_eq!(value.owner, Side::Business);
    assert_eq!(value.used().text, "1k..2k USD");
}

#[test]
fn objection_targets_are_resolved() {
    let source = r#"
[scenario]
name = "targets"
start = 2027-01-04
[team]
people = 1
[quantities]
lift = "1%..3%"
[[item]]
id = "a"
effort = "1 day"
reviews = ["sec"]
[[review]]
id = "sec"
lead_time = "2..5 days"
[[objection]]
id = "o1"
on = "a.effort"
by = "business"
tension = "speed-durability"
text = "too slow"
[[objection]]
id = "o2"
on = "lift"
by = "technical"
tension = "vision-feasibility"
text = "unproven"
[[objection]]
id = "o3"
on = "sec"
by = "business"
tension = "speed-durability"
text = "the review takes too long"
"#;
    let checked = tension_scenario::parse_str("targets.toml", source, &crate::options());
    assert!(
        !checked.has_errors(),
        "{}",
        checked.render(Style::default())
    );
    let targets: Vec<Target> = checked
        .scenario
        .unwrap()
        .objections
        .into_iter()
        .map(|o| o.on)
        .collect();
    assert_eq!(
        targets,
        [
            Target::ItemField {
                item: "a".into(),
                field: "effort".into()
            },
            Target::Quantity("lift".into()),
            Target::Review("sec".into()),
        ]
    );
}

#[test]
fn objection_history_and_review_workflow_are_read_field_by_field() {
    let checked = check_file(&repo_root().join(
        "crates/tension-scenario/tests/data/warn/10-review-conditions-without-approval.toml",
    ));
    let scenario = checked.scenario.expect("valid, with a warning");
    let security = scenario.review("security").unwrap();
    assert_eq!(security.status, Some(ReviewStatus::InReview));
    assert_eq!(security.requested, Some(jiff::civil::date(2027, 1, 4)));
    assert_eq!(security.sla, Some(10));
    assert_eq!(security.conditions, ["rotate the API keys before launch"]);
    let pci = scenario.review("pci").unwrap();
    assert!(pci.is_approved());
    assert_eq!(pci.conditions.len(), 2);
    let objection = &scenario.objections[0];
    assert_eq!(objection.review_by, Some(jiff::civil::date(2027, 4, 15)));
    let steps: Vec<(ObjectionStatus, ObjectionStatus, &str, Side)> = objection
        .history
        .iter()
        .map(|step| (step.from, step.to, step.who.as_str(), step.side))
        .collect();
    use ObjectionStatus::*;
    assert_eq!(
        steps,
        [
            (Open, Answered, "Marcus", Side::Business),
            (Answered, Open, "Dana", Side::Technical),
            (Open, AcceptedRisk, "Marcus", Side::Business),
        ]
    );
    let last = &objection.history[2];
    assert_eq!(last.on, jiff::civil::date(2027, 1, 12));
    assert_eq!(last.details.risk_owner.as_deref(), Some("Marcus"));
    assert_eq!(last.details.review_by, Some(jiff::civil::date(2027, 4, 15)));
    assert_eq!(
        last.details.changes,
        [
            "migration added as its own item",
            "one-click.effort revised"
        ]
    );
    assert_eq!(objection.history[0].details.review_by, None);
}

/// The codes of the errors and warnings of a small scenario with `reviews` and `objections` added.
fn codes(reviews_and_objections: &str) -> Vec<&'static str> {
    let source = format!(
        "[scenario]\nname = \"x\"\nstart = 2027-01-04\n[team]\npeople = 1\n[[item]]\nid = \"a\"\neffort = 1\nreviews = [\"sec\"]\n{reviews_and_objections}"
    );
    let checked = tension_scenario::parse_str("codes.toml", &source, &crate::options());
    checked.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn review_workflow_fields_are_checked_together() {
    let review = |fields: &str| codes(&format!("[[review]]\nid = \"sec\"\n{fields}\n"));
    assert_eq!(review(""), Vec::<&str>::new());
    assert_eq!(
        review("status = \"requested\"\nrequested = 2027-01-04\nsla = 5"),
        Vec::<&str>::new()
    );
    assert_eq!(review("status = \"approved\""), ["missing-requested"]);
    assert_eq!(
        review("requested = 2027-01-04"),
        ["requested-without-status"]
    );
    assert_eq!(
        review("status = \"approved\"\nrequested = 2027-01-04\nconditions = [\"x\"]"),
        ["conditions-without-approval"]
    );
    assert_eq!(
        review("conditions = [\"x\"]"),
        ["conditions-without-approval"]
    );
    assert_eq!(
        review("status = \"approved-with-conditions\"\nrequested = 2027-01-04"),
        ["no-conditions"]
    );
    assert_eq!(review("sla = 0"), ["zero-sla"]);
    assert_eq!(review("sla = -3"), ["out-of-range"]);
    assert_eq!(review("sla = 10001"), ["out-of-range"]);
    assert_eq!(review("sla = 10000"), Vec::<&str>::new());
    // An unknown status is one error; it does not also count as a status without conditions.
    assert_eq!(
        review("status = \"approvd\"\nrequested = 2027-01-04\nconditions = [\"x\"]"),
        ["unknown-value"]
    );
    assert_eq!(review("statu = \"approved\""), ["unknown-field"]);
}

#[test]
fn an_approved_reviews_lead_time_is_still_checked() {
    let found = codes(
        "[[review]]\nid = \"sec\"\nlead_time = \"5..nope days\"\nstatus = \"approved\"\nrequested = 2027-01-04\n",
    );
    assert_eq!(found, ["bad-estimate"]);
    let found = codes(
        "[[review]]\nid = \"sec\"\nlead_time = \"days_of_review * 2\"\nstatus = \"approved\"\nrequested = 2027-01-04\n",
    );
    assert_eq!(found, ["unknown-quantity"]);
}

/// An objection with `status` and the history entries given as (from, to).
fn history(status: &str, steps: &[(&str, &str)]) -> Vec<&'static str> {
    let mut text = format!(
        "[[review]]\nid = \"sec\"\n[[objection]]\nid = \"o\"\non = \"a\"\nby = \"technical\"\ntension = \"speed-durability\"\ntext = \"t\"\nstatus = \"{status}\"\nresolution = \"r\"\nrisk_owner = \"Ana\"\n"
    );
    for (from, to) in steps {
        text.push_str(&format!(
            "[[objection.history]]\nfrom = \"{from}\"\nto = \"{to}\"\nwho = \"Ana\"\nside = \"business\"\non = 2027-01-08\n"
        ));
    }
    codes(&text)
}

#[test]
fn an_objection_history_is_a_chain_of_allowed_moves_to_its_status() {
    let none = Vec::<&str>::new();
    assert_eq!(history("open", &[]), none);
    assert_eq!(history("answered", &[("open", "answered")]), none);
    assert_eq!(
        history(
            "resolved",
            &[
                ("open", "answered"),
                ("answered", "open"),
                ("open", "answered"),
                ("answered", "resolved")
            ]
        ),
        none
    );
    assert_eq!(history("accepted-risk", &[("open", "accepted-risk")]), none);
    // Every forbidden move, each time as the only step after the ones that lead to its start.
    let lead_in: &[(&str, &[(&str, &str)])] = &[
        ("open", &[]),
        ("answered", &[("open", "answered")]),
        (
            "resolved",
            &[("open", "answered"), ("answered", "resolved")],
        ),
        ("accepted-risk", &[("open", "accepted-risk")]),
    ];
    let allowed = [
        ("open", "answered"),
        ("open", "accepted-risk"),
        ("answered", "open"),
        ("answered", "resolved"),
        ("answered", "accepted-risk"),
    ];
    for (from, steps) in lead_in {
        for to in ["open", "answered", "resolved", "accepted-risk"] {
            let mut all = steps.to_vec();
            all.push((from, to));
            let expected: &[&str] = if allowed.contains(&(from, to)) {
                &[]
            } else {
                &["forbidden-move"]
            };
            assert_eq!(history(to, &all), expected, "{from} → {to}");
        }
    }
    assert_eq!(
        history("resolved", &[("answered", "resolved")]),
        ["broken-history"]
    );
    assert_eq!(
        history("answered", &[("open", "answered"), ("open", "answered")]),
        ["broken-history"]
    );
    assert_eq!(
        history("open", &[("open", "answered")]),
        ["history-mismatch"]
    );
    // A step that is not a table is one error, and the chain around it is not judged.
    let not_a_table = codes(
        "[[review]]\nid = \"sec\"\n[[objection]]\nid = \"o\"\non = \"a\"\nby = \"technical\"\ntension = \"speed-durability\"\ntext = \"t\"\nstatus = \"open\"\nhistory = [{ from = \"open\", to = \"answered\", who = \"Ana\", side = \"business\", on = 2027-01-08 }, \"reopened\", { from = \"answered\", to = \"open\", who = \"Dan\", side = \"technical\", on = 2027-01-09 }]\n",
    );
    assert_eq!(not_a_table, ["wrong-type"]);
    // Everything wrong at once: each problem is reported.
    let mut all = history("open", &[("answered", "answered"), ("resolved", "open")]);
    all.sort_unstable();
    assert_eq!(
        all,
        [
            "broken-history",
            "broken-history",
            "forbidden-move",
            "forbidden-move",
        ]
    );
}
