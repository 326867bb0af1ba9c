//! Throughput forecasts against closed forms.

use jiff::civil::{Date, date};
use proptest::prelude::*;
use tension_estimate::parse;
use tension_forecast::throughput::{HowMany, Pools, Trials, When, WorkingDays, how_many, when};

/// A Monday.
const START: Date = date(2027, 3, 1);

fn no_progress() -> impl Fn(usize) + Sync {
    |_| {}
}

fn remaining(n: u32) -> When {
    When {
        remaining: parse(&n.to_string()).expect("a number"),
        split: None,
        focus: None,
        start: START,
        deadline: None,
    }
}

/// The number of working days (Monday to Friday) from START to `end`, both included.
fn working_days_to(end: Date) -> u32 {
    let calendar = WorkingDays::weekdays();
    let mut n = 0;
    let mut day = START;
    while day <= end {
        n += u32::from(calendar.is_working(day));
        day = day.tomorrow().expect("a date");
    }
    n
}

fn constant_two() -> Pools {
    Pools {
        working: vec![2; 60],
        resting: vec![0; 24],
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// Any history and any scope: a forecast with ordered percentiles, or a clear refusal when
    /// the history finished nothing; never a panic.
    #[test]
    fn any_history_gives_ordered_percentiles_or_says_it_finished_nothing(
        working in prop::collection::vec(0u32..6, 0..30),
        resting in prop::collection::vec(0u32..3, 0..10),
        low in 0u32..50,
        width in 0u32..50,
        by_days in 0i64..120,
    ) {
        let pools = Pools { working, resting };
        let mut question = remaining(0);
        question.remaining = parse(&format!("uniform({low}, {})", low + width + 1)).expect("a range");
        let trials = Trials { trials: 300, seed: 9 };
        let calendar = WorkingDays::weekdays();
        match when(&pools, &calendar, &question, trials, &no_progress()) {
            Ok(forecast) => {
                let day = |p: f64| forecast.days.quantile(p);
                prop_assert!(day(0.50) <= day(0.85) && day(0.85) <= day(0.95));
                prop_assert_eq!(forecast.days.total(), 300);
            }
            Err(error) => {
                prop_assert_eq!(error, tension_forecast::throughput::ThroughputError::NoThroughput);
                prop_assert_eq!(pools.total(), 0);
            }
        }
        let by = START.checked_add(jiff::Span::new().days(by_days)).expect("a date");
        let question = HowMany { focus: None, start: START, by };
        if let Ok(forecast) = how_many(&pools, &calendar, &question, trials, &no_progress()) {
            prop_assert!(forecast.p50 >= forecast.p85 && forecast.p85 >= forecast.p95);
        }
    }

    /// Two items every working day and none on weekends: N items take exactly ceil(N / 2)
    /// working days, in every trial, so every percentile is that day.
    #[test]
    fn a_constant_history_needs_exactly_half_the_items_in_working_days(n in 1u32..400) {
        let forecast = when(
            &constant_two(),
            &WorkingDays::weekdays(),
            &remaining(n),
            Trials { trials: 2_000, seed: 7 },
            &no_progress(),
        ).expect("a forecast");
        for date in [forecast.p50, forecast.p85, forecast.p95] {
            let date = date.expect("within the calendar");
            prop_assert!(WorkingDays::weekdays().is_working(date), "{date} is a weekend");
            prop_assert_eq!(working_days_to(date), n.div_ceil(2));
        }
        prop_assert_eq!(forecast.days.beyond(), 0);
    }

    /// By a date d working days after the start, a constant history gives exactly 2·d items.
    #[test]
    fn a_constant_history_gives_twice_the_working_days(extra_days in 0i64..200) {
        let by = START.checked_add(jiff::Span::new().days(extra_days)).expect("a date");
        let question = HowMany { focus: None, start: START, by };
        let forecast = how_many(
            &constant_two(),
            &WorkingDays::weekdays(),
            &question,
            Trials { trials: 1_000, seed: 3 },
            &no_progress(),
        ).expect("a forecast");
        let expected = 2 * u64::from(working_days_to(by));
        prop_assert_eq!((forecast.p50, forecast.p85, forecast.p95), (expected, expected, expected));
    }
}

/// The exact p-quantile, in working days, of the number of days needed for `k` successes
/// when each day succeeds with probability `p`: the smallest w with P(W ≤ w) ≥ level, where
/// P(W = w) = C(w − 1, k − 1) pᵏ (1 − p)^(w − k) (the negative binomial, counted in days).
fn negative_binomial_days(k: u32, p: f64, level: f64) -> u32 {
    let mut pmf = p.powi(k as i32);
    let mut cdf = pmf;
    let mut w = k;
    while cdf < level {
        // P(W = w + 1) / P(W = w) = w / (w − k + 1) · (1 − p)
        pmf *= f64::from(w) / f64::from(w - k + 1) * (1.0 - p);
        w += 1;
        cdf += pmf;
    }
    w
}

/// Days of 0 items with probability 2/3 and 2 items with 1/3: N items need ceil(N/2) days of
/// two, so the working days needed are negative-binomial. At 100,000 trials the standard
/// error of a sample quantile here is below 0.1 working day (for N = 100: the density at P85
/// is about 0.013 per day, √(0.85 · 0.15 / 100,000) / 0.013 ≈ 0.09), so one day of tolerance
/// is over ten standard errors plus the unit of rounding.
#[test]
fn a_two_or_nothing_history_gives_negative_binomial_percentiles() {
    let pools = Pools {
        working: [vec![2; 20], vec![0; 40]].concat(),
        resting: vec![0; 24],
    };
    for n in [1, 10, 25, 100] {
        let forecast = when(
            &pools,
            &WorkingDays::weekdays(),
            &remaining(n),
            Trials {
                trials: 100_000,
                seed: 11,
            },
            &no_progress(),
        )
        .expect("a forecast");
        for (level, date) in [
            (0.50, forecast.p50),
            (0.85, forecast.p85),
            (0.95, forecast.p95),
        ] {
            let got = working_days_to(date.expect("within the calendar"));
            let exact = negative_binomial_days(n.div_ceil(2), 1.0 / 3.0, level);
            assert!(
                got.abs_diff(exact) <= 1,
                "N = {n}, P{}: {got} working days, exactly {exact}",
                level * 100.0
            );
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_forecast_on_any_number_of_threads() {
    let pools = Pools {
        working: vec![0, 1, 3, 0, 5, 2, 1],
        resting: vec![0, 1],
    };
    let question = When {
        remaining: parse("40..60").expect("a range"),
        split: Some(parse("1..1.3").expect("a range")),
        focus: Some(parse("0.5..0.9").expect("a range")),
        start: START,
        deadline: Some(date(2027, 5, 1)),
    };
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a pool")
            .install(|| {
                when(
                    &pools,
                    &WorkingDays::weekdays(),
                    &question,
                    Trials {
                        trials: 5_000,
                        seed: 5,
                    },
                    &no_progress(),
                )
            })
            .expect("a forecast")
    };
    let one = run(1);
    assert_eq!(one, run(3));
    assert_ne!(
        one.days,
        when(
            &pools,
            &WorkingDays::weekdays(),
            &question,
            Trials {
                trials: 5_000,
                seed: 6
            },
            &no_progress()
        )
        .expect("a forecast")
        .days,
        "another seed draws other numbers"
    );
}

/// Focus 0.5 halves throughput: the constant history then gives one item per working day.
#[test]
fn focus_scales_throughput() {
    let mut question = remaining(30);
    question.focus = Some(parse("0.5").expect("a number"));
    let forecast = when(
        &constant_two(),
        &WorkingDays::weekdays(),
        &question,
        Trials::default(),
        &no_progress(),
    )
    .expect("a forecast");
    assert_eq!(working_days_to(forecast.p95.expect("a date")), 30);
    assert_eq!(working_days_to(forecast.p50.expect("a date")), 30);
}

/// A split rate of 1.5 turns 20 items into 30.
#[test]
fn the_split_rate_grows_the_scope() {
    let mut question = remaining(20);
    question.split = Some(parse("1.5").expect("a number"));
    let forecast = when(
        &constant_two(),
        &WorkingDays::weekdays(),
        &question,
        Trials::default(),
        &no_progress(),
    )
    .expect("a forecast");
    assert_eq!(working_days_to(forecast.p50.expect("a date")), 15);
}

/// A uniform scope of 20..=40 items at 2 a day: the P50 is near 15 working days and the spread
/// follows the scope. With 10,000 trials the P50 scope is within ±1 item of 30 (the standard
/// error of the median of a uniform over 20 items is 20 · 0.5 / √10,000 = 0.1 item).
#[test]
fn a_scope_range_spreads_the_dates() {
    let mut question = remaining(0);
    question.remaining = parse("uniform(20, 40)").expect("a range");
    question.deadline = Some(date(2027, 3, 19));
    let forecast = when(
        &constant_two(),
        &WorkingDays::weekdays(),
        &question,
        Trials::default(),
        &no_progress(),
    )
    .expect("a forecast");
    let p50 = working_days_to(forecast.p50.expect("a date"));
    assert!((15..=16).contains(&p50), "P50 after {p50} working days");
    assert_eq!(working_days_to(forecast.p95.expect("a date")), 20);
    // By 2027-03-19, 15 working days: 30 items, which is P(scope rounds to ≤ 30) = 10.5 / 20.
    // The tolerance, 0.02, is four standard errors of a share at 10,000 trials (0.005).
    let share = forecast.p_by_deadline.expect("a deadline");
    assert!((share - 0.525).abs() < 0.02, "P(by deadline) = {share}");
}

/// Throughput from weekend days counts on weekends.
#[test]
fn weekend_work_is_drawn_from_weekend_days() {
    let pools = Pools {
        working: vec![0; 10],
        resting: vec![1; 4],
    };
    let forecast = how_many(
        &pools,
        &WorkingDays::weekdays(),
        &HowMany {
            focus: None,
            start: START,
            by: date(2027, 3, 14),
        },
        Trials::default(),
        &no_progress(),
    )
    .expect("a forecast");
    assert_eq!(forecast.p50, 4, "two weekends of one item a day");
}

/// A history of exactly two items every working day: every forecast is exact, so every
/// outcome is inside every range, and the backtest dates are a week apart from the end of the
/// first window to the last date with a whole horizon of data after it.
#[test]
fn a_constant_history_backtests_perfectly() {
    use tension_forecast::backtest::{BacktestConfig, backtest};
    let calendar = WorkingDays::weekdays();
    let mut done = Vec::new();
    let mut day = START;
    while day < date(2027, 12, 31) {
        if calendar.is_working(day) {
            done.extend([day, day]);
        }
        day = day.tomorrow().expect("a date");
    }
    let config = BacktestConfig {
        window_weeks: 12,
        horizon_weeks: 4,
        step_days: 7,
        trials: Trials {
            trials: 500,
            seed: 1,
        },
        calendar,
    };
    let result = backtest(&done, &config).expect("a backtest");
    // Mondays from 2027-05-24 (12 weeks after the start) to the last one whose four weeks end
    // by the day after the last item (2027-12-30, a Thursday): 2027-11-29.
    assert_eq!(
        result.points.first().map(|p| p.date),
        Some(date(2027, 5, 24))
    );
    assert_eq!(
        result.points.last().map(|p| p.date),
        Some(date(2027, 11, 29))
    );
    assert_eq!(result.points.len(), 28);
    for calibration in [result.how_many, result.when] {
        assert_eq!(calibration.n, 28);
        assert_eq!(
            [
                calibration.inside50,
                calibration.inside85,
                calibration.held50,
                calibration.held85,
                calibration.held95
            ],
            [28; 5]
        );
    }
    let point = result.points[0];
    assert_eq!(point.how_many.actual, 40, "four weeks of 2 a day");
    assert_eq!(point.how_many.p85, 40);
    let when = point.when.expect("items were done");
    assert_eq!(
        (when.p50, when.actual),
        (Some(date(2027, 6, 18)), date(2027, 6, 18))
    );
}

#[test]
fn a_history_shorter_than_window_and_horizon_cannot_be_backtested() {
    use tension_forecast::backtest::{BacktestConfig, BacktestError, backtest};
    let config = BacktestConfig {
        window_weeks: 12,
        horizon_weeks: 4,
        step_days: 7,
        trials: Trials::default(),
        calendar: WorkingDays::weekdays(),
    };
    let done = [START, date(2027, 5, 1)];
    let error = backtest(&done, &config).expect_err("too short");
    assert!(
        matches!(error, BacktestError::TooShort { needed: 112, .. }),
        "{error:?}"
    );
    assert_eq!(backtest(&[], &config), Err(BacktestError::Empty));
}
