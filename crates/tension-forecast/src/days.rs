//! Counts of trials per working day: the distribution of a ship date, kept in memory that
//! grows with the span of days, not with the number of trials.

use tension_estimate::quantile_rank;

/// How many trials ended on each working day (indexed by the day's number, which starts at 1,
/// so index 0 stays empty), and how many ended past the calendar or never.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Days {
    counts: Vec<u32>,
    beyond: u32,
}

impl Days {
    /// Counts a trial that ended on `day`, or past the calendar (`None`).
    pub(crate) fn add(&mut self, day: Option<u32>) {
        match day {
            Some(day) => {
                let idx = day as usize;
                if idx >= self.counts.len() {
                    self.counts.resize(idx + 1, 0);
                }
                self.counts[idx] += 1;
            }
            None => self.beyond += 1,
        }
    }

    pub(crate) fn merge(&mut self, other: &Days) {
        if other.counts.len() > self.counts.len() {
            self.counts.resize(other.counts.len(), 0);
        }
        for (mine, theirs) in self.counts.iter_mut().zip(&other.counts) {
            *mine += theirs;
        }
        self.beyond += other.beyond;
    }

    /// The number of trials counted.
    pub fn total(&self) -> u64 {
        self.counts.iter().map(|&n| u64::from(n)).sum::<u64>() + u64::from(self.beyond)
    }

    /// Trials that ended past the calendar, or never.
    pub fn beyond(&self) -> u64 {
        u64::from(self.beyond)
    }

    /// The p-quantile day by the one percentile method of `tension` (the smallest day with at
    /// least p of the trials ending on or before it); `None` when that is past the calendar.
    pub fn quantile(&self, p: f64) -> Option<u32> {
        let total = self.total();
        if total == 0 {
            return None;
        }
        let rank = quantile_rank(p, total as usize) as u64;
        let mut seen = 0u64;
        for (day, &count) in self.counts.iter().enumerate() {
            seen += u64::from(count);
            if seen >= rank {
                return Some((day as u32).max(1));
            }
        }
        None
    }

    /// The share of trials that ended on or before `day`.
    pub fn share_by(&self, day: u32) -> f64 {
        let total = self.total();
        if total == 0 {
            return 0.0;
        }
        let upto = (day as usize + 1).min(self.counts.len());
        let within: u64 = self.counts[..upto].iter().map(|&n| u64::from(n)).sum();
        within as f64 / total as f64
    }

    /// `(day, count)` for every day with trials, in order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, count)| **count > 0)
            .map(|(day, count)| ((day as u32).max(1), *count))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(values: &[Option<u32>]) -> Days {
        let mut days = Days::default();
        values.iter().for_each(|day| days.add(*day));
        days
    }

    #[test]
    fn quantiles_match_the_sorted_samples_method() {
        let days = days(&[
            Some(3),
            Some(1),
            Some(2),
            Some(2),
            Some(5),
            Some(4),
            Some(4),
            Some(4),
            Some(9),
            Some(7),
        ]);
        assert_eq!(days.quantile(0.5), Some(4));
        assert_eq!(days.quantile(0.85), Some(7));
        assert_eq!(days.quantile(0.95), Some(9));
        assert_eq!(days.quantile(0.0), Some(1));
    }

    #[test]
    fn trials_past_the_calendar_have_no_date() {
        let days = days(&[Some(3), None, None, None]);
        assert_eq!(days.quantile(0.25), Some(3));
        assert_eq!(days.quantile(0.5), None);
        assert_eq!(days.share_by(3), 0.25);
        assert_eq!(days.beyond(), 3);
    }

    #[test]
    fn merging_adds_counts() {
        let mut a = days(&[Some(1), Some(5)]);
        a.merge(&days(&[Some(5), Some(9), None]));
        assert_eq!(a, days(&[Some(1), Some(5), Some(5), Some(9), None]));
    }
}
