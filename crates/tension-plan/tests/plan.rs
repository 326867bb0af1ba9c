//! The planner on scenarios whose answer is known: small ones against brute-force enumeration,
//! plans that the capacity allows but the schedule does not, and every kind of infeasibility.

use std::collections::BTreeSet;

use proptest::prelude::*;
use tension_model::Scenario;
use tension_plan::{Config, Infeasible, Outcome, Planned, plan};
use tension_scenario::{Options, parse_str};

fn scenario(text: &str) -> Scenario {
    let checked = parse_str("test.toml", text, &Options::default());
    match checked.scenario {
        Some(scenario) => scenario,
        None => panic!("{}", checked.render(tension_scenario::Style::default())),
    }
}

fn planned(outcome: Outcome) -> Planned {
    match outcome {
        Outcome::Planned(planned) => planned,
        Outcome::Infeasible(reason) => panic!("infeasible: {}", reason.message()),
    }
}

/// 20 working days from Monday 2027-01-04 to Friday 2027-01-29; value counted for the months
/// from the deadline to the horizon.
const HEADER: &str = r#"
[scenario]
name = "t"
start = 2027-01-04
deadline = 2027-01-29
horizon = 2027-12-31
confidence = 0.85
"#;

/// (effort in days, value per month, health, is health work, must, group, needs)
type ItemSpec = (u32, u32, i32, bool, bool, Option<u8>, Option<usize>);

#[derive(Debug, Clone)]
struct Spec {
    items: Vec<ItemSpec>,
    floor: u32,
}

impl Spec {
    fn text(&self) -> String {
        let mut text = format!(
            "{HEADER}\n[team]\npeople = 1\n\n[policy]\nhealth_floor = {}\n",
            f64::from(self.floor) / 100.0
        );
        for (idx, (effort, value, health, is_health, must, group, need)) in
            self.items.iter().enumerate()
        {
            text.push_str(&format!(
                "\n[[item]]\nid = \"i{idx}\"\nkind = \"{}\"\neffort = \"{effort} days\"\nvalue = {value}\nhealth = {health}\nmust = {must}\n",
                if *is_health { "health" } else { "feature" }
            ));
            if let Some(group) = group {
                text.push_str(&format!("alternatives = \"g{group}\"\n"));
            }
            if let Some(need) = need {
                text.push_str(&format!("needs = [\"i{need}\"]\n"));
            }
        }
        text
    }

    /// The non-dominated (value per month, health) pairs of the plans that keep every rule
    /// and fit: one person at full focus finishes in the sum of the efforts.
    fn brute_force(&self) -> BTreeSet<(u64, i64)> {
        let n = self.items.len();
        let pairs: BTreeSet<(u64, i64)> = (0u32..1 << n)
            .filter(|&mask| {
                let chosen = |i: usize| mask & (1 << i) != 0;
                let items = &self.items;
                let closed = (0..n).all(|i| !chosen(i) || items[i].6.is_none_or(chosen));
                let musts = (0..n).all(|i| !items[i].4 || chosen(i));
                let groups = (0..4u8).all(|g| {
                    (0..n)
                        .filter(|&i| chosen(i) && items[i].5 == Some(g))
                        .count()
                        <= 1
                });
                let effort: u32 = (0..n).filter(|&i| chosen(i)).map(|i| items[i].0).sum();
                let health_effort: u32 = (0..n)
                    .filter(|&i| chosen(i) && items[i].3)
                    .map(|i| items[i].0)
                    .sum();
                let floor = health_effort * 100 >= self.floor * effort;
                closed && musts && groups && floor && effort <= 20
            })
            .map(|mask| {
                let chosen = |i: usize| mask & (1 << i) != 0;
                let value = (0..n)
                    .filter(|&i| chosen(i))
                    .map(|i| u64::from(self.items[i].1))
                    .sum();
                let health = (0..n)
                    .filter(|&i| chosen(i))
                    .map(|i| i64::from(self.items[i].2))
                    .sum();
                (value, health)
            })
            .collect();
        pairs
            .iter()
            .filter(|&&(v, h)| {
                !pairs
                    .iter()
                    .any(|&(w, g)| w >= v && g >= h && (w, g) != (v, h))
            })
            .copied()
            .collect()
    }
}

fn spec() -> impl Strategy<Value = Spec> {
    let item = (
        1u32..9,
        0u32..50,
        -10i32..20,
        any::<bool>(),
        prop::bool::weighted(0.1),
        prop::option::weighted(0.3, 0u8..2),
        prop::option::weighted(0.3, 0usize..8),
    );
    (
        prop::collection::vec(item, 1..=8),
        prop_oneof![Just(0u32), 0u32..40],
    )
        .prop_map(|(mut items, floor)| {
            // Needs point to earlier items only, so the file has no cycle.
            for (idx, item) in items.iter_mut().enumerate() {
                item.6 = item.6.filter(|&need| need < idx);
            }
            Spec { items, floor }
        })
}

fn months() -> f64 {
    let deadline: jiff::civil::Date = "2027-01-29".parse().expect("a date");
    let horizon: jiff::civil::Date = "2027-12-31".parse().expect("a date");
    (horizon - deadline).get_days() as f64 / (365.2425 / 12.0)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn the_frontier_is_the_brute_force_frontier_when_fit_is_the_sum_of_efforts(spec in spec()) {
        let scenario = scenario(&spec.text());
        let config = Config { trials: 64, ..Config::default() };
        let expected = spec.brute_force();
        match plan(&scenario, &config).expect("plans") {
            Outcome::Infeasible(reason) => {
                prop_assert!(expected.is_empty(), "{}: {expected:?}", reason.message());
            }
            Outcome::Planned(planned) => {
                let got: BTreeSet<(u64, i64)> = planned
                    .frontier
                    .iter()
                    .map(|p| ((p.value / months()).round() as u64, p.health.round() as i64))
                    .collect();
                prop_assert_eq!(&got, &expected);
                for p in &planned.frontier {
                    prop_assert_eq!(p.p_fit, 1.0);
                }
                prop_assert!(planned.recommended < planned.frontier.len());
            }
        }
    }
}

#[test]
fn an_item_whose_chain_of_needs_cannot_be_done_by_the_deadline_is_in_no_plan() {
    // Two people, 40 person-days by the deadline. The chain a → b → c takes 24 working days
    // whoever works on it, so c is in no plan, although the three items' effort fits.
    let mut text = format!("{HEADER}\n[team]\npeople = 2\n");
    for (id, need, value) in [
        ("a", None, 30),
        ("b", Some("a"), 30),
        ("c", Some("b"), 30),
        ("d", None, 1),
        ("e", None, 1),
    ] {
        text.push_str(&format!(
            "\n[[item]]\nid = \"{id}\"\neffort = \"8 days\"\nvalue = {value}\nhealth = 1\n"
        ));
        if let Some(need) = need {
            text.push_str(&format!("needs = [\"{need}\"]\n"));
        }
    }
    let planned = planned(plan(&scenario(&text), &Config::default()).expect("plans"));
    for p in &planned.frontier {
        assert!(p.p_fit >= 0.85, "{p:?}");
        assert!(!p.items.iter().any(|i| i == "c"), "{p:?}");
    }
    // The best that fits: a, b and both small items (value 62 a month).
    let best = &planned.frontier[planned.value_ideal];
    assert_eq!(best.items, ["a", "b", "d", "e"]);
}

#[test]
fn a_plan_the_capacity_allows_but_the_schedule_does_not_is_solved_again_with_less() {
    // Two people, 40 person-days by the deadline, five independent items of 8 days: their
    // effort is exactly the capacity, but two people finish them in three rounds, 24 working
    // days. The plan of all five is rejected, and the best that fits has four.
    let mut text = format!("{HEADER}\n[team]\npeople = 2\n");
    for (id, value) in [("a", 5), ("b", 4), ("c", 3), ("d", 2), ("e", 1)] {
        text.push_str(&format!(
            "\n[[item]]\nid = \"{id}\"\neffort = \"8 days\"\nvalue = {value}\nhealth = 1\n"
        ));
    }
    let planned = planned(plan(&scenario(&text), &Config::default()).expect("plans"));
    assert!(planned.rejected >= 1, "the five-item plan is rejected");
    assert!(planned.capacity < planned.initial_capacity);
    for p in &planned.frontier {
        assert!(p.p_fit >= 0.85, "{p:?}");
        assert!(p.items.len() <= 4, "{p:?}");
    }
    let best = &planned.frontier[planned.value_ideal];
    assert_eq!(best.items, ["a", "b", "c", "d"]);
}

fn infeasible(text: &str) -> Infeasible {
    match plan(&scenario(text), &Config::default()).expect("plans") {
        Outcome::Infeasible(reason) => reason,
        Outcome::Planned(planned) => panic!("planned: {:?}", planned.frontier),
    }
}

#[test]
fn must_items_that_do_not_fit_are_named_with_their_chance() {
    let text = format!(
        "{HEADER}\n[team]\npeople = 1\n\n[[item]]\nid = \"big\"\neffort = \"30 days\"\nmust = true\n\n[[item]]\nid = \"small\"\neffort = \"2 days\"\nvalue = 5\n"
    );
    match infeasible(&text) {
        Infeasible::MustDoNotFit { items, p_fit, .. } => {
            assert_eq!(items, ["big"]);
            assert_eq!(p_fit, 0.0);
        }
        other => panic!("{other:?}"),
    }
    let message = infeasible(&text).message();
    assert!(
        message.contains("the must items alone (big) need 30 person-days"),
        "{message}"
    );
}

#[test]
fn must_alternatives_risky_musts_and_the_health_floor_are_named() {
    let alternatives = format!(
        "{HEADER}\n[team]\npeople = 1\n\n[[item]]\nid = \"build\"\neffort = \"2 days\"\nmust = true\nalternatives = \"vendor\"\n\n[[item]]\nid = \"buy\"\neffort = \"1 day\"\nmust = true\nalternatives = \"vendor\"\n"
    );
    assert!(matches!(
        infeasible(&alternatives),
        Infeasible::MustAlternatives { group, .. } if group == "vendor"
    ));
    let risky = format!(
        "{HEADER}\n[team]\npeople = 1\n\n[policy]\nerror_budget = \"exhausted\"\n\n[[item]]\nid = \"base\"\neffort = \"2 days\"\nrisk = 0.3\n\n[[item]]\nid = \"launch\"\neffort = \"1 day\"\nmust = true\nneeds = [\"base\"]\n"
    );
    assert!(matches!(
        infeasible(&risky),
        Infeasible::MustTooRisky { item, risky, .. } if item == "launch" && risky == "base"
    ));
    let floor = format!(
        "{HEADER}\n[team]\npeople = 1\n\n[policy]\nhealth_floor = 0.5\n\n[[item]]\nid = \"feature\"\neffort = \"4 days\"\nmust = true\n\n[[item]]\nid = \"fix\"\nkind = \"health\"\neffort = \"1 day\"\n"
    );
    assert!(matches!(infeasible(&floor), Infeasible::HealthFloor { .. }));
}

#[test]
fn an_exhausted_error_budget_takes_the_restoring_items_and_leaves_the_risky_ones() {
    let text = format!(
        "{HEADER}\n[team]\npeople = 1\n\n[policy]\nerror_budget = \"exhausted\"\n\n[[item]]\nid = \"slo-fix\"\nkind = \"health\"\neffort = \"3 days\"\nrestores_budget = true\nhealth = 10\n\n[[item]]\nid = \"risky\"\neffort = \"2 days\"\nvalue = 100\nrisk = \"20%..40%\"\n\n[[item]]\nid = \"safe\"\neffort = \"2 days\"\nvalue = 10\nrisk = 0.02\n"
    );
    let planned = planned(plan(&scenario(&text), &Config::default()).expect("plans"));
    for p in &planned.frontier {
        assert!(p.items.contains(&"slo-fix".to_owned()));
        assert!(!p.items.contains(&"risky".to_owned()));
    }
    assert_eq!(
        planned.frontier[planned.value_ideal].items,
        ["slo-fix", "safe"]
    );
}

#[test]
fn a_selection_of_points_keeps_both_ideals() {
    let spec = Spec {
        items: (0..8)
            .map(|i| {
                (
                    2 + i % 3,
                    10 + 7 * i,
                    12 - 3 * i as i32,
                    i % 2 == 0,
                    false,
                    None,
                    None,
                )
            })
            .collect(),
        floor: 0,
    };
    let text = spec.text();
    let all = planned(plan(&scenario(&text), &Config::default()).expect("plans"));
    let config = Config {
        points: Some(3),
        ..Config::default()
    };
    let some = planned(plan(&scenario(&text), &config).expect("plans"));
    assert!(some.frontier.len() <= 3 && some.frontier.len() >= 2);
    let pair = |p: &tension_plan::Plan| (p.value.round() as i64, p.health.round() as i64);
    let exact: Vec<(i64, i64)> = all.frontier.iter().map(pair).collect();
    for p in &some.frontier {
        assert!(exact.contains(&pair(p)), "{:?} not in {exact:?}", pair(p));
    }
    assert_eq!(pair(&some.frontier[0]), exact[0]);
    assert_eq!(
        pair(some.frontier.last().expect("points")),
        exact[exact.len() - 1]
    );
}

#[test]
fn a_later_point_that_lowers_the_capacity_gives_the_same_frontier_on_one_thread_or_two() {
    // Two people, 40 person-days. The value ideal (the three features and three health items,
    // 36 person-days) fits; the health ideal at that capacity is all five health items, 40
    // person-days of 8-day items that two people finish in 24 working days: that later point
    // is rejected and lowers the capacity, while the points are searched two at a time.
    let mut text = format!("{HEADER}\n[team]\npeople = 2\n");
    for (id, value) in [("f1", 9), ("f2", 8), ("f3", 7)] {
        text.push_str(&format!(
            "\n[[item]]\nid = \"{id}\"\neffort = \"4 days\"\nvalue = {value}\nhealth = 0\n"
        ));
    }
    for (id, health) in [("h1", 5), ("h2", 4), ("h3", 3), ("h4", 2), ("h5", 1)] {
        text.push_str(&format!(
            "\n[[item]]\nid = \"{id}\"\nkind = \"health\"\neffort = \"8 days\"\nhealth = {health}\n"
        ));
    }
    let scenario = scenario(&text);
    let config = Config {
        points: Some(6),
        ..Config::default()
    };
    let on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a thread pool");
        planned(pool.install(|| plan(&scenario, &config)).expect("plans"))
    };
    let (one, two) = (on(1), on(2));
    assert!(two.rejected >= 1, "the five health items are rejected");
    assert!(two.capacity < two.initial_capacity);
    assert_eq!(
        two.frontier[two.value_ideal].items,
        ["f1", "f2", "f3", "h1", "h2", "h3"]
    );
    // A plan found before the capacity came down: the rejection came from a later point.
    assert!(
        two.frontier.iter().any(|p| p.effort > two.capacity),
        "{:?} within {}",
        two.frontier,
        two.capacity
    );
    for p in &two.frontier {
        assert!(p.p_fit >= 0.85, "{p:?}");
    }
    assert_eq!(one.frontier, two.frontier);
    assert_eq!(
        (one.rejected, one.capacity, one.recommended, one.proven),
        (two.rejected, two.capacity, two.recommended, two.proven)
    );
}
