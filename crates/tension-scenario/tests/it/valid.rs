//! The shipped examples are valid, and what they hold is read correctly.

use tension_model::{ItemKind, ObjectionStatus, Side, Target, Weekday, compile};
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
