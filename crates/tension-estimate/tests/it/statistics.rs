//! Sampled quantiles against the closed form, at a fixed seed.
//!
//! The tolerance is derived from the sampling error of a quantile: the p-quantile of n draws
//! has a standard error of about sqrt(p (1 − p) / n) / f(x_p), where f is the density at the
//! true quantile x_p. Every check allows 4 standard errors (a two-sided chance of 6e-5 for a
//! correct sampler to fall outside), so a wrong parameter or transform fails, and a correct
//! one passes at any seed with overwhelming probability; the seed is fixed all the same.

use statrs::distribution::{
    Beta, Continuous, ContinuousCDF, LogNormal, Normal, Triangular, Uniform,
};
use tension_estimate::{Summary, Z90, quantile_sorted};

use crate::sample;

const N: usize = 200_000;
const SEED: u64 = 20_261_125;
const LEVELS: [f64; 7] = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95];

/// Checks the sampled quantiles of `text` against `quantile` and `density`.
fn check(text: &str, quantile: impl Fn(f64) -> f64, density: impl Fn(f64) -> f64) {
    let mut values = sample(text, N, SEED);
    values.sort_by(f64::total_cmp);
    for p in LEVELS {
        let expected = quantile(p);
        let se = (p * (1.0 - p) / N as f64).sqrt() / density(expected);
        let got = quantile_sorted(&values, p);
        assert!(
            (got - expected).abs() <= 4.0 * se,
            "`{text}` at p = {p}: sampled {got}, closed form {expected}, tolerance {}",
            4.0 * se
        );
    }
}

#[test]
fn interval_with_positive_low_end_is_the_lognormal_through_both_ends() {
    let (low, high) = (5.0f64, 10.0f64);
    let mu = (low.ln() + high.ln()) / 2.0;
    let sigma = (high.ln() - low.ln()) / (2.0 * Z90);
    let exact = LogNormal::new(mu, sigma).unwrap();
    check("5..10", |p| exact.inverse_cdf(p), |x| exact.pdf(x));
    // The 5% and 95% quantiles are the two ends, by definition of the interval.
    assert!((exact.inverse_cdf(0.05) - 5.0).abs() < 1e-9);
    assert!((exact.inverse_cdf(0.95) - 10.0).abs() < 1e-9);
}

#[test]
fn closed_form_figures_of_the_issue() {
    let mut values = sample("5..10", N, SEED);
    let summary = Summary::new(&mut values).unwrap();
    // Median 7.0711 = sqrt(50); mean 7.23 = exp(mu + sigma^2 / 2).
    let density_at_median = LogNormal::new(50f64.sqrt().ln(), 2f64.ln() / (2.0 * Z90))
        .unwrap()
        .pdf(50f64.sqrt());
    let se_median = (0.25 / N as f64).sqrt() / density_at_median;
    assert!(
        (summary.percentiles[3] - 7.0711).abs() < 4.0 * se_median,
        "{}",
        summary.percentiles[3]
    );
    let se_mean = summary.sd / (N as f64).sqrt();
    assert!(
        (summary.mean - 7.2299).abs() < 4.0 * se_mean,
        "{}",
        summary.mean
    );
    // 15..40 has median sqrt(600) = 24.495.
    let mut values = sample("15..40", N, SEED);
    let summary = Summary::new(&mut values).unwrap();
    let exact = LogNormal::new(600f64.sqrt().ln(), (40f64 / 15.0).ln() / (2.0 * Z90)).unwrap();
    let se = (0.25 / N as f64).sqrt() / exact.pdf(24.495);
    assert!(
        (summary.percentiles[3] - 24.495).abs() < 4.0 * se,
        "{}",
        summary.percentiles[3]
    );
    // Its 5% and 95% quantiles are 15 and 40.
    assert!(
        (summary.percentiles[0] - 15.0).abs() < 4.0 * (0.0475 / N as f64).sqrt() / exact.pdf(15.0)
    );
    assert!(
        (summary.percentiles[7] - 40.0).abs() < 4.0 * (0.0475 / N as f64).sqrt() / exact.pdf(40.0)
    );
}

#[test]
fn interval_through_zero_is_the_normal_through_both_ends() {
    let exact = Normal::new(0.0, 5.0 / Z90).unwrap();
    check("-5..5", |p| exact.inverse_cdf(p), |x| exact.pdf(x));
    let exact = Normal::new(5.0, 5.0 / Z90).unwrap();
    check("0..10", |p| exact.inverse_cdf(p), |x| exact.pdf(x));
}

#[test]
fn percent_and_thousands_scale_the_interval() {
    let exact = LogNormal::new((0.02f64 * 0.08).sqrt().ln(), 4f64.ln() / (2.0 * Z90)).unwrap();
    check("2%..8%", |p| exact.inverse_cdf(p), |x| exact.pdf(x));
    let exact = LogNormal::new((40e3f64 * 60e3).sqrt().ln(), 1.5f64.ln() / (2.0 * Z90)).unwrap();
    check("40k..60k", |p| exact.inverse_cdf(p), |x| exact.pdf(x));
}

#[test]
fn pert_is_a_scaled_beta_with_lambda_4() {
    let (min, mode, max) = (5.0, 10.0, 30.0);
    let range = max - min;
    let beta = Beta::new(
        1.0 + 4.0 * (mode - min) / range,
        1.0 + 4.0 * (max - mode) / range,
    )
    .unwrap();
    check(
        "pert(5, 10, 30)",
        |p| min + range * beta.inverse_cdf(p),
        |x| beta.pdf((x - min) / range) / range,
    );
}

#[test]
fn triangular_uniform_normal_and_lognormal() {
    let exact = Triangular::new(5.0, 30.0, 10.0).unwrap();
    check(
        "triangular(5, 10, 30)",
        |p| exact.inverse_cdf(p),
        |x| exact.pdf(x),
    );
    let exact = Uniform::new(20.0, 25.0).unwrap();
    check(
        "uniform(20, 25)",
        |p| exact.inverse_cdf(p),
        |x| exact.pdf(x),
    );
    let exact = Normal::new(20.0, 4.0).unwrap();
    check("normal(20, 4)", |p| exact.inverse_cdf(p), |x| exact.pdf(x));
    let sigma2 = (1.0f64 + (4.0f64 / 20.0).powi(2)).ln();
    let exact = LogNormal::new(20f64.ln() - sigma2 / 2.0, sigma2.sqrt()).unwrap();
    check(
        "lognormal(20, 4)",
        |p| exact.inverse_cdf(p),
        |x| exact.pdf(x),
    );
}

#[test]
fn weeks_are_five_working_days() {
    let exact = LogNormal::new((10.0f64 * 20.0).sqrt().ln(), 2f64.ln() / (2.0 * Z90)).unwrap();
    check("2..4 weeks", |p| exact.inverse_cdf(p), |x| exact.pdf(x));
}
