//! `explain` on scenarios whose answer is known: the closed form through the whole pipeline,
//! inputs that cannot matter, the tornado, the P85 swing, the disagreement map, and refusals.

use statrs::distribution::{Continuous, ContinuousCDF, Normal};
use tension_explain::{Config, ExplainError, Explained, Weakness, explain};
use tension_model::Scenario;
use tension_plan::{Outcome, Planned, plan};
use tension_scenario::{Options, parse_str};

fn scenario(text: &str) -> Scenario {
    let checked = parse_str("test.toml", text, &Options::default());
    match checked.scenario {
        Some(scenario) => scenario,
        None => panic!("{}", checked.render(tension_scenario::Style::default())),
    }
}

fn planned(scenario: &Scenario) -> Planned {
    match plan(scenario, &tension_plan::Config::default()).expect("the scenario plans") {
        Outcome::Planned(planned) => planned,
        Outcome::Infeasible(reason) => panic!("infeasible: {}", reason.message()),
    }
}

const HEADER: &str = r#"
[scenario]
name = "t"
start = 2027-01-04
deadline = 2027-06-30
horizon = 2027-12-31
currency = "USD"

[team]
people = 1
"#;

/// A sure option worth `c` once, and a bet worth normal(`mu`, `sigma`) once: alternatives, the
/// sure one a little healthier, so that both are on the frontier and the knee picks the sure
/// one. `extra` is appended (more items, quantities).
fn bet(c: &str, mu: f64, sigma: f64, sure_effort: &str, extra: &str) -> Scenario {
    scenario(&format!(
        r#"{HEADER}
[[item]]
id = "sure"
value_once = {c}
effort = {sure_effort}
health = 10
alternatives = "choice"

[[item]]
id = "bet"
value_once = "normal({mu}, {sigma})"
effort = 5
health = 9
alternatives = "choice"
{extra}"#
    ))
}

fn config(trials: usize, min_health: Option<f64>) -> Config {
    Config {
        trials,
        min_health,
        ..Config::default()
    }
}

fn explained(scenario: &Scenario, config: &Config) -> Explained {
    explain(scenario, &planned(scenario), config).expect("the scenario explains")
}

fn closed_form_evpi(mu: f64, sigma: f64, c: f64) -> f64 {
    let z = (mu - c) / sigma;
    let standard = Normal::new(0.0, 1.0).expect("the standard normal exists");
    sigma * standard.pdf(z) + (mu - c) * standard.cdf(z) - (mu - c).max(0.0)
}

#[test]
fn the_closed_form_holds_through_a_scenario() {
    let (c, mu, sigma) = (100.0, 110.0, 40.0);
    let scenario = bet("100", mu, sigma, "5", "");
    let planned = planned(&scenario);
    assert_eq!(planned.frontier.len(), 2);
    assert_eq!(planned.frontier[planned.recommended].items, ["sure"]);

    // By default only plans as healthy as the recommended one are options: here, one.
    let refused = explain(&scenario, &planned, &config(1_000, None)).unwrap_err();
    assert!(
        matches!(refused, ExplainError::OneOption { .. }),
        "{refused}"
    );
    assert!(refused.to_string().contains("--min-health"), "{refused}");

    let explained = explain(&scenario, &planned, &config(200_000, Some(9.0))).unwrap();
    let exact = closed_form_evpi(mu, sigma, c);
    // The per-trial gain max(X − c, 0) (or max(c − X, 0)) has a standard deviation below
    // sigma, so at 200,000 trials the standard error is below 40 / 447 ≈ 0.09, under 0.7% of
    // this EVPI (13.7): 2% is three standard errors.
    assert!(
        (explained.evpi - exact).abs() <= 0.02 * exact,
        "EVPI {} against {exact}",
        explained.evpi
    );
    // The bet is best on average, and it is the only uncertain input.
    assert_eq!(explained.frontier[explained.baseline].items, ["bet"]);
    assert_eq!(explained.inputs.len(), 1);
    let input = &explained.inputs[0];
    assert_eq!(input.name, "bet.value_once");
    // Sorting on the only input leaves just the run around the crossing to choose worse than
    // per trial: well within 0.5% of the EVPI.
    assert!(
        (input.evppi - explained.evpi).abs() <= 0.005 * explained.evpi,
        "EVPPI {} against EVPI {}",
        input.evppi,
        explained.evpi
    );
    // Knowing X changes the choice from the bet when X < c: Phi((c − mu) / sigma) ≈ 40%.
    let p_below = Normal::new(mu, sigma).unwrap().cdf(c);
    assert!(
        (input.p_change - p_below).abs() <= 0.03,
        "{}",
        input.p_change
    );
}

#[test]
fn inputs_every_plan_shares_or_no_value_uses_are_worth_nothing() {
    let extra = r#"
[quantities]
size = "4..9 days"

[[item]]
id = "base"
must = true
value_once = "normal(50, 10)"
effort = "size"
health = 1
"#;
    let sigma = 40.0;
    let scenario = bet("100", 110.0, sigma, "5", extra);
    let trials = 40_000;
    let explained = explained(&scenario, &config(trials, Some(9.0)));
    let input = |name: &str| {
        explained
            .inputs
            .iter()
            .find(|i| i.name == name)
            .unwrap_or_else(|| panic!("no input {name}"))
    };
    // In every plan: the choice depends on the bet alone. Cross-fitted, the estimate has mean
    // ≤ 0 and a standard deviation below sigma / sqrt(N); three of them is the bound.
    let base = input("base.value_once");
    assert!(base.in_value && !base.in_schedule);
    let bound = 3.0 * sigma / (trials as f64).sqrt();
    assert!(base.evppi <= bound, "{} > {bound}", base.evppi);
    assert!(base.p_change <= 0.02, "{}", base.p_change);
    // Only in the schedule: 0 by construction.
    let size = input("size");
    assert!(!size.in_value && size.in_schedule);
    assert_eq!((size.evppi, size.p_change), (0.0, 0.0));
    assert!(input("bet.value_once").evppi > 10.0 * bound);

    // The tornado: the recommended plan (sure and base) moves with base from its 10th to its
    // 90th percentile, 2 · 1.2816 · 10 ≈ 25.6, up to the sampling error of two percentiles
    // (about 10 · 1.8 / sqrt(N) each at these levels: well below 1).
    assert!(
        (base.swing_value() - 25.63).abs() < 1.0,
        "{}",
        base.swing_value()
    );
    assert!((explained.value_at_medians - 150.0).abs() < 1.0);
    assert_eq!(input("bet.value_once").swing_value(), 0.0);
    // More days of work finish later: the P85 of the fifth of trials with the largest size is
    // later than that of the fifth with the smallest.
    let swing = size.swing_p85_days().unwrap();
    assert!(swing > 0, "{swing}");
    assert!(size.p85_at_low <= explained.p85 && explained.p85 <= size.p85_at_high);
    assert_eq!(base.swing_p85_days(), Some(0));
}

#[test]
fn inputs_come_with_their_evidence_and_weaknesses() {
    let extra = r#"
[quantities]
price = { value = "90..110 USD", source = "pricing page", quality = "measured", as_of = 2026-11-01 }
lift = { value = "0.5..1.5", source = "a hunch", quality = "guess", as_of = 2026-11-01 }
old = { value = "0.9..1.1", source = "2023 survey", quality = "expert", as_of = 2023-01-01 }
"#;
    let scenario = bet("\"price * lift * old\"", 110.0, 40.0, "5", extra);
    let config = Config {
        today: Some(jiff::civil::date(2026, 11, 25)),
        ..config(20_000, Some(9.0))
    };
    let explained = explained(&scenario, &config);
    let input = |name: &str| explained.inputs.iter().find(|i| i.name == name).unwrap();
    assert_eq!(input("price").weaknesses, []);
    assert_eq!(input("price").age_days, Some(24));
    assert_eq!(input("lift").weaknesses, [Weakness::Guess]);
    assert!(matches!(
        input("old").weaknesses[..],
        [Weakness::Stale { days }] if days > 180
    ));
    assert_eq!(input("bet.value_once").weaknesses, [Weakness::NoSource]);
    // The wide guess carries more of the choice than the narrow measurement.
    assert!(input("lift").evppi > input("price").evppi);
    let verify: Vec<&str> = explained
        .verify_first()
        .iter()
        .map(|i| i.name.as_str())
        .collect();
    assert!(
        verify.contains(&"lift") && !verify.contains(&"price"),
        "{verify:?}"
    );
}

#[test]
fn disagreements_are_replanned_and_reforecast() {
    // The technical side thinks the sure option is worth far less; the business side thinks
    // its effort far smaller.
    let scenario = scenario(&format!(
        r#"{HEADER}
[[item]]
id = "sure"
value_once = {{ business = "100", technical = "20" }}
effort = {{ technical = "20..30 days", business = "2..4 days" }}
health = 10
alternatives = "choice"

[[item]]
id = "bet"
value_once = "normal(110, 40)"
effort = 5
health = 9
alternatives = "choice"
"#
    ));
    let explained = explained(&scenario, &config(5_000, Some(9.0)));
    assert_eq!(explained.disagreements.len(), 2);
    let value = &explained.disagreements[0];
    assert_eq!(value.field, "sure.value_once");
    assert!(value.changes_plan);
    assert_eq!(
        value.plan_with_other.as_deref(),
        Some(&["bet".to_owned()][..])
    );
    assert_eq!(value.p85_shift_days, Some(0));
    let effort = &explained.disagreements[1];
    assert_eq!(effort.field, "sure.effort");
    assert!(!effort.changes_plan);
    // 20..30 days against 2..4 days of one person: the P85 moves weeks earlier.
    assert!(
        effort.p85_shift_days.unwrap() < -14,
        "{:?}",
        effort.p85_shift_days
    );
    assert!(effort.matters());
    assert_eq!(effort.overlap, 0.0);
}

#[test]
fn one_plan_or_no_uncertainty_is_said_plainly() {
    let one = scenario(&format!(
        "{HEADER}\n[[item]]\nid = \"only\"\nvalue = \"1k..2k\"\neffort = 5\nmust = true\n"
    ));
    let error = explain(&one, &planned(&one), &Config::default()).unwrap_err();
    assert!(matches!(error, ExplainError::OnePlan { .. }), "{error}");
    assert!(error.to_string().contains("single plan (only)"), "{error}");

    let fixed = scenario(&format!(
        "{HEADER}\n[[item]]\nid = \"sure\"\nvalue_once = 100\neffort = 5\nhealth = 10\nalternatives = \"c\"\n\n[[item]]\nid = \"bet\"\nvalue_once = 110\neffort = 5\nhealth = 9\nalternatives = \"c\"\n"
    ));
    let error = explain(&fixed, &planned(&fixed), &config(1_000, Some(9.0))).unwrap_err();
    assert_eq!(error, ExplainError::NoUncertainty);
    assert!(error.to_string().contains("write ranges"), "{error}");
}

#[test]
fn explanations_are_reproducible() {
    let scenario = bet("100", 110.0, 40.0, "\"3..8\"", "");
    let a = explained(&scenario, &config(3_000, Some(9.0)));
    let b = explained(&scenario, &config(3_000, Some(9.0)));
    assert_eq!(a, b);
}
