//! Summaries of sampled values: moments, percentiles and a histogram.
//!
//! Percentiles use one method everywhere in `tension`: the p-quantile of n sorted samples is the
//! smallest sample with at least p·n samples at or below it (the inverse of the empirical
//! distribution function; Hyndman and Fan's type 1). It is always a value that occurred, which
//! matters for dates and counts, and "the 85% figure" reads as "reached in at least 85% of trials".

/// The p-quantile of sorted samples by the inverse empirical distribution function.
/// `p` is clamped to 0..=1; an empty slice gives NaN.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[quantile_rank(p, sorted.len()) - 1]
}

/// The 1-based rank of the p-quantile among `n` sorted values (`n` ≥ 1): the smallest rank
/// with at least p·n values at or below it. Counts-based summaries (dates, items) use it too.
pub fn quantile_rank(p: f64, n: usize) -> usize {
    // The small tolerance keeps 0.85 · 10_000 = 8500.000000000001 from rounding up to 8501.
    let rank = (p.clamp(0.0, 1.0) * n as f64 - 1e-9).ceil() as usize;
    rank.clamp(1, n.max(1))
}

/// The summary `tension estimate` prints.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub trials: usize,
    pub mean: f64,
    /// The sample standard deviation (n − 1 in the denominator).
    pub sd: f64,
    pub min: f64,
    pub max: f64,
    /// Percentiles at [`Summary::LEVELS`], in that order.
    pub percentiles: [f64; 8],
}

impl Summary {
    pub const LEVELS: [f64; 8] = [0.05, 0.10, 0.25, 0.50, 0.75, 0.85, 0.90, 0.95];

    /// Summarises finite samples, sorting them in place. `None` when there are none.
    pub fn new(samples: &mut [f64]) -> Option<Summary> {
        if samples.is_empty() {
            return None;
        }
        samples.sort_unstable_by(f64::total_cmp);
        // Welford's running mean and variance: exact for a constant, stable for large values.
        let (mut mean, mut m2) = (0.0, 0.0);
        for (idx, &value) in samples.iter().enumerate() {
            let delta = value - mean;
            mean += delta / (idx + 1) as f64;
            m2 += delta * (value - mean);
        }
        let var = if samples.len() > 1 {
            m2 / (samples.len() - 1) as f64
        } else {
            0.0
        };
        let mut percentiles = [0.0; 8];
        for (slot, level) in percentiles.iter_mut().zip(Summary::LEVELS) {
            *slot = quantile_sorted(samples, level);
        }
        Some(Summary {
            trials: samples.len(),
            mean,
            sd: var.sqrt(),
            min: samples[0],
            max: samples[samples.len() - 1],
            percentiles,
        })
    }

    /// The percentile at `level`, one of [`Summary::LEVELS`].
    pub fn percentile(&self, level: f64) -> Option<f64> {
        Summary::LEVELS
            .iter()
            .position(|&l| (l - level).abs() < 1e-12)
            .map(|idx| self.percentiles[idx])
    }
}

/// Counts of samples in equal-width bins.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    pub low: f64,
    pub width: f64,
    pub counts: Vec<usize>,
}

impl Histogram {
    /// Bins sorted samples between their 0.5% and 99.5% quantiles, so that a long tail does not
    /// squash the body into one bar; samples outside go to the first and last bins.
    pub fn new(sorted: &[f64], n_bins: usize) -> Histogram {
        let low = quantile_sorted(sorted, 0.005);
        let high = quantile_sorted(sorted, 0.995);
        let n_bins = n_bins.max(1);
        let width = (high - low) / n_bins as f64;
        let mut counts = vec![0; n_bins];
        if sorted.is_empty() {
            return Histogram { low, width, counts };
        }
        for &value in sorted {
            let bin = if width > 0.0 {
                (((value - low) / width).floor().max(0.0) as usize).min(n_bins - 1)
            } else {
                0
            };
            counts[bin] += 1;
        }
        Histogram { low, width, counts }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_samples_that_occurred() {
        let sorted: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(quantile_sorted(&sorted, 0.5), 5.0);
        assert_eq!(quantile_sorted(&sorted, 0.85), 9.0);
        assert_eq!(quantile_sorted(&sorted, 0.0), 1.0);
        assert_eq!(quantile_sorted(&sorted, 1.0), 10.0);
        assert_eq!(quantile_sorted(&sorted, 0.51), 6.0);
    }

    #[test]
    fn rounding_error_does_not_move_a_quantile() {
        let sorted: Vec<f64> = (1..=10_000).map(f64::from).collect();
        assert_eq!(quantile_sorted(&sorted, 0.85), 8500.0);
    }

    #[test]
    fn summary_of_a_constant() {
        let mut samples = vec![3.0; 5];
        let summary = Summary::new(&mut samples).unwrap();
        assert_eq!(summary.mean, 3.0);
        assert_eq!(summary.sd, 0.0);
        assert_eq!(summary.percentile(0.5), Some(3.0));
    }

    #[test]
    fn summary_of_a_huge_constant_has_no_spread() {
        let mut samples = vec![1e20; 10_000];
        let summary = Summary::new(&mut samples).unwrap();
        assert_eq!(summary.mean, 1e20);
        assert_eq!(summary.sd, 0.0);
    }

    #[test]
    fn summary_matches_the_textbook_formulas() {
        let mut samples = vec![2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        let summary = Summary::new(&mut samples).unwrap();
        assert!((summary.mean - 5.0).abs() < 1e-12);
        assert!((summary.sd - (32.0f64 / 7.0).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn histogram_counts_every_sample() {
        let sorted: Vec<f64> = (0..1000).map(f64::from).collect();
        let histogram = Histogram::new(&sorted, 10);
        assert_eq!(histogram.counts.iter().sum::<usize>(), 1000);
    }
}
