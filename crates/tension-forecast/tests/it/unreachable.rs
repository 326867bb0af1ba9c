//! Plans that cannot finish are results with a reason, never a panic or an endless loop.

use tension_forecast::{Config, ForecastError, Unreachable, Warning, forecast};

use crate::{plan, run};

#[test]
fn no_people_is_an_unreachable_plan() {
    let forecast = run(
        &plan("people = 0", "[[item]]\nid = \"a\"\neffort = 5"),
        1000,
        1,
    );
    assert_eq!(forecast.unreachable, Some(Unreachable::NoPeople));
    assert_eq!(forecast.plan.p50, None);
    assert_eq!(forecast.plan.p_by_deadline, Some(0.0));
    assert!(
        forecast
            .unreachable
            .unwrap()
            .message()
            .contains("no people")
    );
}

#[test]
fn no_focus_is_an_unreachable_plan() {
    let forecast = run(
        &plan("people = 2\nfocus = 0", "[[item]]\nid = \"a\"\neffort = 5"),
        1000,
        1,
    );
    assert_eq!(forecast.unreachable, Some(Unreachable::NoFocus));
}

#[test]
fn extreme_ranges_finish_with_a_warning() {
    let forecast = run(
        &plan(
            "people = 3",
            "[[item]]\nid = \"a\"\neffort = \"1..1e9 days\"",
        ),
        10_000,
        1,
    );
    assert!(forecast.unreachable.is_none());
    let Some(Warning::BeyondCalendar { share, .. }) = forecast.warnings.first() else {
        panic!("expected a warning, got {:?}", forecast.warnings);
    };
    // ln(5220) sits at z = (ln 5220 - ln(31623)) / (ln(1e9) / 3.29) = -0.286: 61% are beyond.
    assert!((*share - 0.61).abs() < 0.03, "{share}");
    assert_eq!(forecast.plan.p85, None);
}

#[test]
fn an_unknown_item_in_the_order_is_an_error_with_a_hint() {
    let scenario = plan("people = 1", "[[item]]\nid = \"one-click\"\neffort = 5");
    let config = Config {
        trials: 10,
        seed: 1,
        order: vec!["one-clik".into()],
        keep_trials: false,
    };
    let error = forecast(&scenario, &config, &|_| {}).unwrap_err();
    assert_eq!(
        error,
        ForecastError::UnknownItemInOrder {
            id: "one-clik".into(),
            suggestion: Some("one-click".into())
        }
    );
    assert!(error.to_string().contains("did you mean `one-click`?"));
}

#[test]
fn zero_trials_is_an_error() {
    let scenario = plan("people = 1", "[[item]]\nid = \"a\"\neffort = 5");
    let config = Config {
        trials: 0,
        ..Config::default()
    };
    assert_eq!(
        forecast(&scenario, &config, &|_| {}),
        Err(ForecastError::NoTrials)
    );
}

#[test]
fn alternatives_in_one_forecast_are_flagged() {
    let items = "[[item]]\nid = \"buy\"\neffort = 2\nalternatives = \"crm\"\n\n[[item]]\nid = \"build\"\neffort = 20\nalternatives = \"crm\"\n\n[[item]]\nid = \"other\"\neffort = 1";
    let forecast = run(&plan("people = 1", items), 10, 1);
    assert_eq!(
        forecast.warnings,
        [Warning::Alternatives {
            group: "crm".into(),
            items: vec!["buy".into(), "build".into()]
        }]
    );
    assert!(forecast.warnings[0].message().contains("--without"));
}
