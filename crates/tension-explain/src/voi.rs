//! The value of information of a decision between options whose values are Monte Carlo
//! samples: the expected value of perfect information (EVPI), and the partial EVPI (EVPPI) of
//! one input by sorting the trials on it.
//!
//! # The method
//!
//! `values[o][t]` is the value of option `o` in trial `t`; every option is valued on the same
//! trials, which drew every input once.
//!
//! - Without more information, the decision maker takes the option best on average, the
//!   *baseline* `b`: its expected value is `max_o mean_t values[o][t]`.
//! - With perfect information on everything, they would take the best option in each trial:
//!   `EVPI = mean_t max_o values[o][t] − max_o mean_t values[o][t]`.
//! - With perfect information on one input `x`, they would take the option best on average
//!   among the trials with that value of `x`: `EVPPI(x) = E_x[max_o E[values[o] | x]] −
//!   max_o E[values[o]]`. The conditional means are estimated non-parametrically, as in
//!   Strong and Oakley's sorting method (2013): the trials are sorted by `x` and cut into
//!   [`bins`] runs of equal size; within a run, `x` is nearly fixed.
//!
//! Taking the best of noisy means within a run overstates what information is worth (the
//! maximum of noise is positive), most of all for inputs that matter little. The estimate is
//! therefore cross-fitted: each run is split into two halves (alternate trials in sorted
//! order); the option chosen on one half is scored on the other, and the other way round.
//! Choices made from noise are then scored on independent trials and gain nothing on average,
//! so an input that no option depends on has an EVPPI near zero, and the estimate never exceeds
//! the EVPI estimate of the same trials (it is at most the per-trial best, trial by trial).
//! Negative estimates (noise) are reported as zero.
//!
//! The probability that knowing `x` changes the decision is the share of trials in runs where
//! some option beats the baseline by more than [`CHANGE_Z`] standard errors of the difference
//! within the run: a change that is not there is counted rarely even with many options, and
//! a change that is there is counted once the runs are large enough to see it.

/// How many standard errors an option must beat the baseline by, within a run of trials, for
/// knowing the input to count as changing the decision there.
pub const CHANGE_Z: f64 = 3.0;

/// At most this many runs of trials per input.
pub const MAX_BINS: usize = 100;

/// The number of runs the sorted trials are cut into: about √n / 2 (50 runs of 200 trials at
/// 10,000 trials), between 1 and [`MAX_BINS`]. More runs follow the input more finely; larger
/// runs make each run's choice less noisy.
pub fn bins(trials: usize) -> usize {
    (((trials as f64).sqrt() / 2.0).round() as usize).clamp(1, MAX_BINS)
}

/// Why a set of values is no decision.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DecisionError {
    #[error("there are no options to decide between")]
    NoOptions,
    #[error("every option needs at least two trials")]
    TooFewTrials,
    #[error("option {option} has {found} trials, where the first has {expected}")]
    Ragged {
        option: usize,
        found: usize,
        expected: usize,
    },
    #[error("option {option} has a value that is not a finite number in trial {trial}")]
    NotFinite { option: usize, trial: usize },
}

/// A decision between options valued on the same trials.
#[derive(Debug, Clone)]
pub struct Decision<'v> {
    values: &'v [Vec<f64>],
    means: Vec<f64>,
    baseline: usize,
    trials: usize,
}

/// What knowing one input exactly is worth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Partial {
    /// The partial expected value of perfect information, in the values' unit; ≥ 0.
    pub evppi: f64,
    /// The probability that knowing the input changes the decision from the baseline.
    pub p_change: f64,
}

impl<'v> Decision<'v> {
    /// `values[o][t]`: the value of option `o` in trial `t`.
    pub fn new(values: &'v [Vec<f64>]) -> Result<Decision<'v>, DecisionError> {
        let first = values.first().ok_or(DecisionError::NoOptions)?;
        let trials = first.len();
        if trials < 2 {
            return Err(DecisionError::TooFewTrials);
        }
        for (option, column) in values.iter().enumerate() {
            if column.len() != trials {
                return Err(DecisionError::Ragged {
                    option,
                    found: column.len(),
                    expected: trials,
                });
            }
            if let Some(trial) = column.iter().position(|v| !v.is_finite()) {
                return Err(DecisionError::NotFinite { option, trial });
            }
        }
        let means: Vec<f64> = values
            .iter()
            .map(|column| column.iter().sum::<f64>() / trials as f64)
            .collect();
        // The first of equal means: options come in the caller's order of preference.
        let baseline =
            (0..means.len()).fold(0, |best, o| if means[o] > means[best] { o } else { best });
        Ok(Decision {
            values,
            means,
            baseline,
            trials,
        })
    }

    /// The option best on average: the choice without more information.
    pub fn baseline(&self) -> usize {
        self.baseline
    }

    /// Each option's mean value.
    pub fn means(&self) -> &[f64] {
        &self.means
    }

    pub fn trials(&self) -> usize {
        self.trials
    }

    /// The expected value of perfect information: choosing the best option in every trial,
    /// against choosing the baseline once.
    pub fn evpi(&self) -> f64 {
        // Summed as gains over the baseline, so that a decision the baseline always wins is
        // worth exactly 0.
        let base = &self.values[self.baseline];
        let gain: f64 = (0..self.trials)
            .map(|t| {
                self.values
                    .iter()
                    .map(|column| column[t] - base[t])
                    .fold(0.0, f64::max)
            })
            .sum();
        (gain / self.trials as f64).max(0.0)
    }

    /// What knowing the input exactly is worth; `input[t]` is its value in trial `t`.
    /// Non-finite input values sort last.
    ///
    /// # Panics
    ///
    /// Never for an input of the decision's length; a shorter one is a caller's bug and
    /// reads as `NaN`s.
    pub fn partial(&self, input: &[f64]) -> Partial {
        let n = self.trials;
        let mut order: Vec<usize> = (0..n).collect();
        let key = |t: usize| input.get(t).copied().unwrap_or(f64::NAN);
        // Stable, so that equal values keep trial order and the halves stay interleaved.
        order.sort_by(|&a, &b| key(a).total_cmp(&key(b)));
        let n_bins = bins(n);
        let options = self.values.len();
        let base = self.baseline;
        let mut sums = [vec![0.0; options], vec![0.0; options]];
        let mut diff = vec![0.0; options];
        let mut diff_sq = vec![0.0; options];
        let (mut gain, mut changed) = (0.0, 0usize);
        for bin in 0..n_bins {
            let run = &order[bin * n / n_bins..(bin + 1) * n / n_bins];
            for half in &mut sums {
                half.fill(0.0);
            }
            diff.fill(0.0);
            diff_sq.fill(0.0);
            for (o, column) in self.values.iter().enumerate() {
                let (a, b) = sums.split_at_mut(1);
                let (a, b) = (&mut a[0][o], &mut b[0][o]);
                for (pos, &t) in run.iter().enumerate() {
                    let v = column[t];
                    if pos % 2 == 0 {
                        *a += v
                    } else {
                        *b += v
                    }
                    let d = v - self.values[base][t];
                    diff[o] += d;
                    diff_sq[o] += d * d;
                }
            }
            let choose = |half: &[f64]| {
                (0..options).fold(base, |best, o| if half[o] > half[best] { o } else { best })
            };
            let (from_a, from_b) = (choose(&sums[0]), choose(&sums[1]));
            // The gain over the baseline, on the half that did not choose: exactly 0 where
            // the choice is the baseline.
            if from_a != base {
                gain += sums[1][from_a] - sums[1][base];
            }
            if from_b != base {
                gain += sums[0][from_b] - sums[0][base];
            }
            let len = run.len() as f64;
            let beats = (0..options).any(|o| {
                let mean = diff[o] / len;
                let var = ((diff_sq[o] - diff[o] * mean) / (len - 1.0).max(1.0)).max(0.0);
                mean > 0.0 && mean > CHANGE_Z * (var / len).sqrt()
            });
            if beats {
                changed += run.len();
            }
        }
        Partial {
            evppi: (gain / n as f64).max(0.0),
            p_change: changed as f64 / n as f64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_grow_with_the_square_root() {
        assert_eq!(bins(2), 1);
        assert_eq!(bins(10_000), 50);
        assert_eq!(bins(1_000_000), MAX_BINS);
    }

    #[test]
    fn a_sure_decision_is_worth_nothing_to_inform() {
        let values = vec![vec![1.0, 2.0, 3.0, 4.0], vec![0.0, 1.0, 2.0, 3.0]];
        let decision = Decision::new(&values).unwrap();
        assert_eq!(decision.baseline(), 0);
        assert_eq!(decision.evpi(), 0.0);
        let partial = decision.partial(&[4.0, 3.0, 2.0, 1.0]);
        assert_eq!(partial.evppi, 0.0);
        assert_eq!(partial.p_change, 0.0);
    }

    #[test]
    fn bad_values_are_refused() {
        assert_eq!(Decision::new(&[]).unwrap_err(), DecisionError::NoOptions);
        assert_eq!(
            Decision::new(&[vec![1.0]]).unwrap_err(),
            DecisionError::TooFewTrials
        );
        assert_eq!(
            Decision::new(&[vec![1.0, 2.0], vec![1.0]]).unwrap_err(),
            DecisionError::Ragged {
                option: 1,
                found: 1,
                expected: 2
            }
        );
        assert_eq!(
            Decision::new(&[vec![1.0, f64::NAN]]).unwrap_err(),
            DecisionError::NotFinite {
                option: 0,
                trial: 1
            }
        );
    }
}
