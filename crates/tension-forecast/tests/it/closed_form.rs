//! Schedules whose answer is known in closed form.

use tension_estimate::Z90;

use crate::{day, plan, run};

#[test]
fn one_uncertain_item_has_the_lognormal_percentiles() {
    // 10..40 days: median sqrt(10 · 40) = 20, 85th percentile 20 · 4^(z85 / (2 · z95)) = 30.95.
    let scenario = plan(
        "people = 1",
        "[[item]]\nid = \"a\"\neffort = \"10..40 days\"",
    );
    let forecast = run(&scenario, 20_000, 7);
    let z85 = 1.036_433_389_493_789_9;
    let p85 = 20.0 * 4f64.powf(z85 / (2.0 * Z90));
    assert!((p85 - 30.95).abs() < 0.01);
    let item = &forecast.items[0];
    // Sampling moves a quantile of 20,000 draws by well under a day here (its standard error is
    // about 0.15 days at the median and 0.3 at P85), so one working day is a safe tolerance.
    assert!(day(&forecast, item.p50).abs_diff(20) <= 1, "{:?}", item.p50);
    assert!(
        day(&forecast, item.p85).abs_diff(p85.ceil() as u32) <= 1,
        "{:?}",
        item.p85
    );
    assert_eq!(forecast.plan.p50, item.p50);
}

#[test]
fn a_chain_of_two_fixed_items_adds() {
    let scenario = plan(
        "people = 2",
        "[[item]]\nid = \"a\"\neffort = 5\n\n[[item]]\nid = \"b\"\neffort = 7\nneeds = [\"a\"]",
    );
    let forecast = run(&scenario, 100, 1);
    assert_eq!(day(&forecast, forecast.items[0].p95), 5);
    assert_eq!(day(&forecast, forecast.items[1].p50), 12);
    assert_eq!(day(&forecast, forecast.plan.p95), 12);
    // Working day 12 from Monday 2027-01-04 is Tuesday 2027-01-19.
    assert_eq!(forecast.plan.p50, Some(jiff::civil::date(2027, 1, 19)));
}

#[test]
fn two_independent_fixed_items_run_in_parallel_with_two_people() {
    let items = "[[item]]\nid = \"a\"\neffort = 5\n\n[[item]]\nid = \"b\"\neffort = 7";
    let two = run(&plan("people = 2", items), 100, 1);
    assert_eq!(day(&two, two.plan.p50), 7);
    let one = run(&plan("people = 1", items), 100, 1);
    assert_eq!(day(&one, one.plan.p50), 12);
}

#[test]
fn max_people_two_halves_a_fixed_item() {
    let forecast = run(
        &plan(
            "people = 2",
            "[[item]]\nid = \"a\"\neffort = 10\nmax_people = 2",
        ),
        100,
        1,
    );
    assert_eq!(day(&forecast, forecast.plan.p50), 5);
    let alone = run(
        &plan(
            "people = 1",
            "[[item]]\nid = \"a\"\neffort = 10\nmax_people = 2",
        ),
        100,
        1,
    );
    assert_eq!(day(&alone, alone.plan.p50), 10);
}

#[test]
fn focus_stretches_the_work() {
    let forecast = run(
        &plan(
            "people = 1\nfocus = 0.5",
            "[[item]]\nid = \"a\"\neffort = 10",
        ),
        100,
        1,
    );
    assert_eq!(day(&forecast, forecast.plan.p50), 20);
}

#[test]
fn a_holiday_in_the_middle_shifts_the_date_by_one_working_day() {
    let items = "[[item]]\nid = \"a\"\neffort = 10";
    let plain = run(&plan("people = 1", items), 100, 1);
    let holiday = run(&plan("people = 1\nholidays = [2027-01-06]", items), 100, 1);
    // Ten working days from Monday 2027-01-04 end on Friday 2027-01-15; with the Wednesday off,
    // on Monday 2027-01-18.
    assert_eq!(plain.plan.p50, Some(jiff::civil::date(2027, 1, 15)));
    assert_eq!(holiday.plan.p50, Some(jiff::civil::date(2027, 1, 18)));
}

#[test]
fn a_review_longer_than_the_work_decides_the_ship_date() {
    let items = "[[item]]\nid = \"a\"\neffort = 3\nreviews = [\"security\"]\n\n[[review]]\nid = \"security\"\nlead_time = \"8 days\"";
    let forecast = run(&plan("people = 1", items), 100, 1);
    assert_eq!(day(&forecast, forecast.plan.p50), 8);
}

#[test]
fn an_approved_review_no_longer_delays_its_item() {
    // The same 8-day review as above: while it is pending it decides the ship date; once
    // approved, with conditions or not, the 3 days of work do.
    let items = |review: &str| {
        format!(
            "[[item]]\nid = \"a\"\neffort = 3\nreviews = [\"security\"]\n\n[[review]]\nid = \"security\"\nlead_time = \"8 days\"\n{review}"
        )
    };
    let ship_day = |review: &str| {
        let forecast = run(&plan("people = 1", &items(review)), 100, 1);
        day(&forecast, forecast.plan.p95)
    };
    assert_eq!(ship_day(""), 8);
    for pending in ["requested", "in-review", "changes-requested", "rejected"] {
        let review = format!("status = \"{pending}\"\nrequested = 2027-01-04");
        assert_eq!(ship_day(&review), 8, "{pending}");
    }
    assert_eq!(ship_day("status = \"approved\"\nrequested = 2026-12-01"), 3);
    assert_eq!(
        ship_day(
            "status = \"approved-with-conditions\"\nrequested = 2026-12-01\nconditions = [\"rotate the keys\"]"
        ),
        3
    );
}

#[test]
fn the_deadline_and_targets_are_probabilities() {
    // Uniform work between 10 and 20 days: done by working day 15 in about half the trials.
    let scenario = plan(
        "people = 1",
        "[[item]]\nid = \"a\"\neffort = \"uniform(10, 20)\"\ntarget = 2027-01-22",
    );
    let forecast = run(&scenario, 40_000, 3);
    // Working day 15 is Friday 2027-01-22: P(ceil(U) <= 15) = P(U <= 15) = 0.5. With 40,000
    // trials the share has a standard error of 0.0025; four of them is 0.01.
    let p = forecast.items[0].p_on_time.unwrap();
    assert!((p - 0.5).abs() < 0.01, "{p}");
    assert_eq!(forecast.plan.p_by_deadline, Some(1.0));
}

#[test]
fn expected_value_counts_the_months_from_ship_to_horizon() {
    // Ships at the end of working day 5, Friday 2027-01-08; the horizon 2027-07-08 is 181 days on.
    let text = "[scenario]\nname = \"v\"\nstart = 2027-01-04\nhorizon = 2027-07-08\n\n[team]\npeople = 1\n\n[[item]]\nid = \"a\"\neffort = 5\nvalue = 1000\nvalue_once = 500";
    let forecast = run(&crate::scenario(text), 100, 1);
    let months = 181.0 / (365.2425 / 12.0);
    let expected = 1000.0 * months + 500.0;
    assert!(
        (forecast.items[0].expected_value - expected).abs() < 1e-3,
        "{}",
        forecast.items[0].expected_value
    );
}

#[test]
fn plan_order_decides_who_goes_first() {
    let items = "[[item]]\nid = \"a\"\neffort = 5\n\n[[item]]\nid = \"b\"\neffort = 3";
    let scenario = plan("people = 1", items);
    let config = tension_forecast::Config {
        trials: 100,
        seed: 1,
        order: vec!["b".into()],
        keep_trials: false,
    };
    let forecast = tension_forecast::forecast(&scenario, &config, &|_| {}).unwrap();
    assert_eq!(forecast.items[0].id, "b");
    assert_eq!(day(&forecast, forecast.items[0].p50), 3);
    assert_eq!(day(&forecast, forecast.items[1].p50), 8);
}

#[test]
fn the_finish_of_every_trial_can_be_kept() {
    let scenario = plan(
        "people = 2\nfocus = \"0.6..0.9\"",
        "[[item]]\nid = \"a\"\neffort = \"10..40 days\"\n\n[[item]]\nid = \"b\"\neffort = \"5..10 days\"\nneeds = [\"a\"]",
    );
    // Not a multiple of the chunk, so that the last chunk is short.
    let trials = 3_000;
    let config = tension_forecast::Config {
        trials,
        seed: 9,
        order: Vec::new(),
        keep_trials: true,
    };
    let kept = tension_forecast::forecast(&scenario, &config, &|_| {}).unwrap();
    assert_eq!(kept.finish_by_trial.len(), trials);
    // The same trials as without keeping them, in trial order: the plan's P85 is the P85 of
    // the kept days, and trial t's finish follows its own effort draw of `a`.
    let plain = run(&scenario, trials, 9);
    assert_eq!(kept.plan, plain.plan);
    let mut days: Vec<u32> = kept.finish_by_trial.iter().map(|d| d.unwrap()).collect();
    let by_trial = days.clone();
    days.sort_unstable();
    let p85 = days[tension_estimate::quantile_rank(0.85, trials) - 1];
    assert_eq!(Some(p85), kept.plan.p85.map(|d| kept.calendar.day_of(d)));
    let compiled = tension_model::compile(&scenario).unwrap();
    let node = compiled.field("a.effort").unwrap();
    let focus = compiled.field("team.focus").unwrap();
    let drawn = compiled.model.sample(&[node, focus], trials, 9);
    for t in 0..trials {
        // `a` alone takes effort / focus working days; `b` follows it.
        let a_days = (drawn[0][t] / drawn[1][t] - 1e-9).ceil() as u32;
        assert!(
            by_trial[t] > a_days,
            "trial {t}: {} <= {a_days}",
            by_trial[t]
        );
    }
    assert!(plain.finish_by_trial.is_empty());
}
