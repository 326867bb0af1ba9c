//! The distributions an estimate can be, built from what people write and sampled in bulk.

use rand::Rng;
use rand::distr::{Distribution, StandardUniform};
use rand_distr::{Pert, StandardNormal, Triangular};

/// The standard normal quantile at 0.95: a 90% interval spans `mean ± Z90 · sd`.
pub const Z90: f64 = 1.644_853_626_951_472_2;

/// A probability distribution with validated parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Dist {
    Normal {
        mean: f64,
        sd: f64,
    },
    /// The logarithm is normal with this `mu` and `sigma`.
    LogNormal {
        mu: f64,
        sigma: f64,
    },
    Uniform {
        low: f64,
        high: f64,
    },
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
    },
    /// PERT with lambda 4: a scaled beta distribution.
    Pert {
        min: f64,
        mode: f64,
        max: f64,
    },
}

/// Why a distribution's parameters cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DistError {
    #[error("the low end {low} is above the high end {high}")]
    LowAboveHigh { low: f64, high: f64 },
    #[error("the most likely value {mode} is outside {min}..{max}")]
    ModeOutside { min: f64, mode: f64, max: f64 },
    #[error("the minimum {min} is not below the maximum {max}")]
    EmptyRange { min: f64, max: f64 },
    #[error("the standard deviation {sd} is negative")]
    NegativeSd { sd: f64 },
    #[error("a lognormal needs a positive mean, not {mean}")]
    NonPositiveMean { mean: f64 },
    #[error("the parameters must be finite numbers")]
    NotFinite,
}

impl Dist {
    /// A 90% interval `low..high`: lognormal when `low > 0`, normal otherwise.
    /// Returns `None` for a degenerate interval (`low == high`), which is a fixed value.
    pub fn interval(low: f64, high: f64) -> Result<Option<Dist>, DistError> {
        check_finite(&[low, high])?;
        if low > high {
            return Err(DistError::LowAboveHigh { low, high });
        }
        if low == high {
            return Ok(None);
        }
        Ok(Some(if low > 0.0 {
            let (log_low, log_high) = (low.ln(), high.ln());
            Dist::LogNormal {
                mu: (log_low + log_high) / 2.0,
                sigma: (log_high - log_low) / (2.0 * Z90),
            }
        } else {
            Dist::Normal {
                mean: (low + high) / 2.0,
                sd: (high - low) / (2.0 * Z90),
            }
        }))
    }

    pub fn normal(mean: f64, sd: f64) -> Result<Dist, DistError> {
        check_finite(&[mean, sd])?;
        if sd < 0.0 {
            return Err(DistError::NegativeSd { sd });
        }
        Ok(Dist::Normal { mean, sd })
    }

    /// A lognormal given the mean and standard deviation of the variable itself.
    pub fn lognormal(mean: f64, sd: f64) -> Result<Dist, DistError> {
        check_finite(&[mean, sd])?;
        if sd < 0.0 {
            return Err(DistError::NegativeSd { sd });
        }
        if mean <= 0.0 {
            return Err(DistError::NonPositiveMean { mean });
        }
        let sigma2 = (sd / mean).powi(2).ln_1p();
        Ok(Dist::LogNormal {
            mu: mean.ln() - sigma2 / 2.0,
            sigma: sigma2.sqrt(),
        })
    }

    pub fn uniform(low: f64, high: f64) -> Result<Dist, DistError> {
        check_finite(&[low, high])?;
        if low >= high {
            return Err(DistError::EmptyRange {
                min: low,
                max: high,
            });
        }
        Ok(Dist::Uniform { low, high })
    }

    pub fn triangular(min: f64, mode: f64, max: f64) -> Result<Dist, DistError> {
        check_three(min, mode, max)?;
        Ok(Dist::Triangular { min, mode, max })
    }

    pub fn pert(min: f64, mode: f64, max: f64) -> Result<Dist, DistError> {
        check_three(min, mode, max)?;
        Ok(Dist::Pert { min, mode, max })
    }

    /// The same distribution with every value multiplied by `factor` (> 0): units and suffixes.
    pub fn scaled(self, factor: f64) -> Dist {
        match self {
            Dist::Normal { mean, sd } => Dist::Normal {
                mean: mean * factor,
                sd: sd * factor,
            },
            Dist::LogNormal { mu, sigma } => Dist::LogNormal {
                mu: mu + factor.ln(),
                sigma,
            },
            Dist::Uniform { low, high } => Dist::Uniform {
                low: low * factor,
                high: high * factor,
            },
            Dist::Triangular { min, mode, max } => Dist::Triangular {
                min: min * factor,
                mode: mode * factor,
                max: max * factor,
            },
            Dist::Pert { min, mode, max } => Dist::Pert {
                min: min * factor,
                mode: mode * factor,
                max: max * factor,
            },
        }
    }

    /// The mean, in closed form.
    pub fn mean(&self) -> f64 {
        match *self {
            Dist::Normal { mean, .. } => mean,
            Dist::LogNormal { mu, sigma } => (mu + sigma * sigma / 2.0).exp(),
            Dist::Uniform { low, high } => (low + high) / 2.0,
            Dist::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            Dist::Pert { min, mode, max } => (min + 4.0 * mode + max) / 6.0,
        }
    }

    /// The 5% and 95% quantiles in closed form; the ends themselves for the bounded forms
    /// (triangular, PERT, uniform), whose tails are short.
    pub fn ninety_percent(&self) -> (f64, f64) {
        match *self {
            Dist::Normal { mean, sd } => (mean - Z90 * sd, mean + Z90 * sd),
            Dist::LogNormal { mu, sigma } => ((mu - Z90 * sigma).exp(), (mu + Z90 * sigma).exp()),
            Dist::Uniform { low, high } => (low, high),
            Dist::Triangular { min, max, .. } | Dist::Pert { min, max, .. } => (min, max),
        }
    }

    /// The smallest and largest values it can take (infinite for the normal's tails).
    pub fn support(&self) -> (f64, f64) {
        match *self {
            Dist::Normal { sd: 0.0, mean } => (mean, mean),
            Dist::Normal { .. } => (f64::NEG_INFINITY, f64::INFINITY),
            Dist::LogNormal { .. } => (0.0, f64::INFINITY),
            Dist::Uniform { low, high } => (low, high),
            Dist::Triangular { min, max, .. } | Dist::Pert { min, max, .. } => (min, max),
        }
    }

    /// Fills `out` with independent draws.
    pub fn fill<R: Rng + ?Sized>(&self, rng: &mut R, out: &mut [f64]) {
        match *self {
            Dist::Normal { mean, sd } => {
                fill_standard_normal(rng, out);
                for value in out.iter_mut() {
                    *value = mean + sd * *value;
                }
            }
            Dist::LogNormal { mu, sigma } => {
                fill_standard_normal(rng, out);
                for value in out.iter_mut() {
                    *value = mu + sigma * *value;
                }
                crate::exp::exp_in_place(out);
            }
            Dist::Uniform { low, high } => {
                let width = high - low;
                for value in out.iter_mut() {
                    let unit: f64 = StandardUniform.sample(rng);
                    *value = low + width * unit;
                }
            }
            Dist::Triangular { min, mode, max } => {
                // Validated at construction; a degenerate case cannot reach here.
                if let Ok(triangular) = Triangular::new(min, max, mode) {
                    out.iter_mut()
                        .for_each(|value| *value = triangular.sample(rng));
                }
            }
            Dist::Pert { min, mode, max } => {
                if let Ok(pert) = Pert::new(min, max).with_mode(mode) {
                    out.iter_mut().for_each(|value| *value = pert.sample(rng));
                }
            }
        }
    }
}

fn fill_standard_normal<R: Rng + ?Sized>(rng: &mut R, out: &mut [f64]) {
    for value in out.iter_mut() {
        *value = StandardNormal.sample(rng);
    }
}

fn check_finite(values: &[f64]) -> Result<(), DistError> {
    if values.iter().all(|value| value.is_finite()) {
        Ok(())
    } else {
        Err(DistError::NotFinite)
    }
}

fn check_three(min: f64, mode: f64, max: f64) -> Result<(), DistError> {
    check_finite(&[min, mode, max])?;
    if min >= max {
        return Err(DistError::EmptyRange { min, max });
    }
    if !(min..=max).contains(&mode) {
        return Err(DistError::ModeOutside { min, mode, max });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_5_10_has_the_closed_form_median_and_mean() {
        let dist = Dist::interval(5.0, 10.0).unwrap().unwrap();
        let Dist::LogNormal { mu, .. } = dist else {
            panic!("a positive interval is lognormal, got {dist:?}")
        };
        assert!((mu.exp() - 7.0711).abs() < 1e-4);
        assert!((dist.mean() - 7.23).abs() < 5e-3, "{}", dist.mean());
    }

    #[test]
    fn interval_with_non_positive_low_end_is_normal() {
        assert_eq!(
            Dist::interval(-2.0, 2.0).unwrap(),
            Some(Dist::Normal {
                mean: 0.0,
                sd: 2.0 / Z90
            })
        );
        assert!(matches!(
            Dist::interval(0.0, 2.0).unwrap(),
            Some(Dist::Normal { .. })
        ));
    }

    #[test]
    fn degenerate_interval_is_fixed_and_reversed_is_an_error() {
        assert_eq!(Dist::interval(3.0, 3.0), Ok(None));
        assert_eq!(
            Dist::interval(40.0, 15.0),
            Err(DistError::LowAboveHigh {
                low: 40.0,
                high: 15.0
            })
        );
    }

    #[test]
    fn lognormal_from_mean_and_sd_keeps_the_mean() {
        let dist = Dist::lognormal(20.0, 4.0).unwrap();
        assert!((dist.mean() - 20.0).abs() < 1e-9);
    }

    #[test]
    fn scaling_a_lognormal_scales_its_median() {
        let dist = Dist::interval(5.0, 10.0).unwrap().unwrap().scaled(5.0);
        assert!((dist.mean() - 5.0 * 7.2299).abs() < 0.01);
    }

    #[test]
    fn bad_parameters_are_errors() {
        assert!(Dist::pert(5.0, 40.0, 30.0).is_err());
        assert!(Dist::triangular(5.0, 5.0, 5.0).is_err());
        assert!(Dist::uniform(2.0, 1.0).is_err());
        assert!(Dist::normal(1.0, -1.0).is_err());
        assert!(Dist::lognormal(0.0, 1.0).is_err());
        assert!(Dist::interval(f64::NAN, 1.0).is_err());
    }
}
