//! The estimators of `voi` against closed forms: a decision between a sure option worth `c`
//! and an option worth X ~ normal(mu, sigma).
//!
//! EVPI = sigma·phi(z) + (mu − c)·Phi(z) − max(mu − c, 0), z = (mu − c) / sigma.

use statrs::distribution::{Continuous, ContinuousCDF, Normal};
use tension_estimate::{Model, parse};
use tension_explain::{Decision, voi};

const TRIALS: usize = 200_000;

fn normal_draws(key: &str, mean: f64, sd: f64, seed: u64) -> Vec<f64> {
    let mut model = Model::new();
    let expr = parse(&format!("normal({mean}, {sd})")).expect("a normal estimate parses");
    let node = model.add(key, &expr).expect("a closed expression compiles");
    model.sample(&[node], TRIALS, seed).remove(0)
}

fn closed_form_evpi(mu: f64, sigma: f64, c: f64) -> f64 {
    let z = (mu - c) / sigma;
    let standard = Normal::new(0.0, 1.0).expect("the standard normal exists");
    sigma * standard.pdf(z) + (mu - c) * standard.cdf(z) - (mu - c).max(0.0)
}

/// The standard error of the EVPI estimate: the per-trial gain over the baseline is what is
/// averaged.
fn standard_error(values: &[Vec<f64>], baseline: usize) -> f64 {
    let gains: Vec<f64> = (0..TRIALS)
        .map(|t| {
            values
                .iter()
                .map(|v| v[t] - values[baseline][t])
                .fold(0.0, f64::max)
        })
        .collect();
    let mean = gains.iter().sum::<f64>() / TRIALS as f64;
    let var = gains.iter().map(|g| (g - mean).powi(2)).sum::<f64>() / (TRIALS - 1) as f64;
    (var / TRIALS as f64).sqrt()
}

#[test]
fn evpi_matches_the_closed_form_within_two_percent() {
    // z = 0, 0.5 and -0.5: the sure option is best on average in the last.
    for (mu, sigma, c) in [
        (100.0, 30.0, 100.0),
        (115.0, 30.0, 100.0),
        (85.0, 30.0, 100.0),
    ] {
        let bet = normal_draws("bet", mu, sigma, 7);
        let values = vec![vec![c; TRIALS], bet];
        let decision = Decision::new(&values).unwrap();
        let exact = closed_form_evpi(mu, sigma, c);
        let estimate = decision.evpi();
        let se = standard_error(&values, decision.baseline());
        // The 2% the issue asks for is more than four standard errors here, so the test
        // checks the estimator and not the luck of the seed.
        assert!(
            4.0 * se < 0.02 * exact,
            "se {se} too large for exact {exact}"
        );
        assert!(
            (estimate - exact).abs() <= 0.02 * exact,
            "mu {mu} sigma {sigma} c {c}: EVPI {estimate}, closed form {exact}"
        );
    }
}

#[test]
fn the_only_input_is_worth_the_whole_evpi() {
    for (mu, sigma, c) in [(100.0, 30.0, 100.0), (115.0, 30.0, 100.0)] {
        let bet = normal_draws("bet", mu, sigma, 11);
        let values = vec![vec![c; TRIALS], bet.clone()];
        let decision = Decision::new(&values).unwrap();
        let evpi = decision.evpi();
        let partial = decision.partial(&bet);
        // Sorting on the input itself, only the run of trials around the crossing at c can
        // choose worse than per trial: about 1/bins of the trials, losing at most the run's
        // width in value (≈ sigma · 0.025 at 100 runs), far below 0.5% of the EVPI.
        assert!(
            (partial.evppi - evpi).abs() <= 0.005 * evpi,
            "EVPPI {} against EVPI {evpi}",
            partial.evppi
        );
        assert!(partial.evppi <= evpi + 1e-9, "EVPPI never exceeds EVPI");
        // Knowing X changes the choice whenever X is on the other side of c.
        let other_side = bet
            .iter()
            .filter(|&&x| (x > c) != (decision.baseline() == 1))
            .count() as f64
            / TRIALS as f64;
        assert!(
            (partial.p_change - other_side).abs() <= 0.03,
            "p_change {} against {other_side}",
            partial.p_change
        );
    }
}

#[test]
fn an_input_no_value_depends_on_is_worth_about_nothing() {
    let (mu, sigma, c) = (100.0, 30.0, 100.0);
    let bet = normal_draws("bet", mu, sigma, 3);
    let unrelated = normal_draws("unrelated", 0.0, 1.0, 3);
    let values = vec![vec![c; TRIALS], bet];
    let decision = Decision::new(&values).unwrap();
    let evpi = decision.evpi();
    let partial = decision.partial(&unrelated);
    // Cross-fitted, the estimate for an unrelated input is a sum of choices made on one half
    // of a run and scored on the other: mean ≤ 0 and standard deviation ≤ sigma / sqrt(N),
    // clamped at 0. Three standard deviations is about 0.5% of this EVPI (0.4 sigma).
    let bound = 3.0 * sigma / (TRIALS as f64).sqrt();
    assert!(
        partial.evppi <= bound,
        "EVPPI {} of an unrelated input, bound {bound} (EVPI {evpi})",
        partial.evppi
    );
    // A change counts only where an option beats the baseline by three standard errors:
    // false alarms are about 0.1% of the runs.
    assert!(partial.p_change <= 0.02, "p_change {}", partial.p_change);
}

#[test]
fn bins_follow_the_documented_rule() {
    assert_eq!(voi::bins(TRIALS), 100);
    assert_eq!(voi::bins(10_000), 50);
    assert_eq!(voi::bins(100), 5);
}
