//! Flow metrics of a history: the window the forecasts draw from, throughput per week, cycle
//! times, and whether the window is stable enough to forecast from.

use jiff::civil::Date;
use tension_estimate::quantile_rank;

use crate::throughput::{DailyThroughput, WorkingDays};

/// The change between the two halves of a window above which it is called unstable.
pub const STABILITY_LIMIT: f64 = 0.25;

/// The days a forecast learns from: `weeks` whole weeks ending the day before `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub first: Date,
    /// The day after the last day of the window.
    pub end: Date,
}

impl Window {
    /// The `weeks` weeks before `end`.
    pub fn weeks_before(end: Date, weeks: u32) -> Window {
        let first = end
            .checked_sub(jiff::Span::new().days(7 * i64::from(weeks)))
            .unwrap_or(Date::MIN);
        Window { first, end }
    }

    /// The last day of the window.
    pub fn last(&self) -> Date {
        self.end.yesterday().unwrap_or(self.end)
    }

    /// Items finished on each day of the window.
    pub fn daily(&self, done: &[Date]) -> DailyThroughput {
        DailyThroughput::new(done, self.first, self.end)
    }
}

/// Items finished in one week of the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Week {
    pub first: Date,
    pub count: u32,
}

/// Throughput per week, in seven-day blocks from the window's first day; a last, partial block
/// (a window of days, not weeks) is its own row.
pub fn weekly(daily: &DailyThroughput) -> Vec<Week> {
    daily
        .counts
        .chunks(7)
        .enumerate()
        .map(|(idx, days)| Week {
            first: daily.date(idx * 7),
            count: days.iter().sum(),
        })
        .collect()
}

/// Throughput per working day in each half of the window, and the change between them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stability {
    pub first_half: f64,
    pub second_half: f64,
    /// `(second − first) / first`: +0.4 is 40% more in the second half. Infinite when the
    /// first half finished nothing and the second did.
    pub change: f64,
}

impl Stability {
    /// Compares the first and second halves of the window (by calendar days; the middle day of
    /// an odd window goes to the second half). Items per working day, so a holiday in one half
    /// does not count as a slowdown. Items finished on non-working days count in their half.
    pub fn new(daily: &DailyThroughput, calendar: &WorkingDays) -> Stability {
        let half = daily.counts.len() / 2;
        let rate = |range: std::ops::Range<usize>| {
            let items: u32 = daily.counts[range.clone()].iter().sum();
            let working = range
                .filter(|&idx| calendar.is_working(daily.date(idx)))
                .count();
            f64::from(items) / working.max(1) as f64
        };
        let first_half = rate(0..half);
        let second_half = rate(half..daily.counts.len());
        let change = if first_half > 0.0 {
            (second_half - first_half) / first_half
        } else if second_half > 0.0 {
            f64::INFINITY
        } else {
            0.0
        };
        Stability {
            first_half,
            second_half,
            change,
        }
    }

    /// Whether the halves differ by at most [`STABILITY_LIMIT`].
    pub fn is_stable(&self) -> bool {
        self.change.abs() <= STABILITY_LIMIT
    }
}

/// Cycle times in calendar days, counted as the tools count them: an item created and done on
/// the same day took one day (done − created + 1).
pub fn cycle_days(created: Date, done: Date) -> Option<u32> {
    let days = (done - created).get_days();
    (days >= 0).then(|| u32::try_from(days + 1).unwrap_or(u32::MAX))
}

/// Percentiles of cycle times at P50, P85 and P95, by the one percentile method.
pub fn cycle_percentiles(cycle_days: &mut [u32]) -> Option<[u32; 3]> {
    if cycle_days.is_empty() {
        return None;
    }
    cycle_days.sort_unstable();
    let at = |p: f64| cycle_days[quantile_rank(p, cycle_days.len()) - 1];
    Some([at(0.50), at(0.85), at(0.95)])
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn a_window_ends_the_day_before_its_end() {
        let window = Window::weeks_before(date(2026, 3, 2), 2);
        assert_eq!(window.first, date(2026, 2, 16));
        assert_eq!(window.last(), date(2026, 3, 1));
        let daily = window.daily(&[date(2026, 2, 15), date(2026, 2, 16), date(2026, 3, 2)]);
        assert_eq!(daily.total(), 1);
        assert_eq!(daily.counts.len(), 14);
    }

    #[test]
    fn weeks_are_seven_day_blocks_from_the_first_day() {
        let window = Window::weeks_before(date(2026, 3, 2), 2);
        let done = [date(2026, 2, 16), date(2026, 2, 22), date(2026, 2, 23)];
        let weeks = weekly(&window.daily(&done));
        assert_eq!(
            weeks,
            vec![
                Week {
                    first: date(2026, 2, 16),
                    count: 2
                },
                Week {
                    first: date(2026, 2, 23),
                    count: 1
                }
            ]
        );
    }

    #[test]
    fn stability_compares_items_per_working_day() {
        // Two weeks from a Monday: 10 working days; 5 items in the first, 7 in the second.
        let window = Window::weeks_before(date(2026, 3, 2), 2);
        let mut done = vec![date(2026, 2, 17); 5];
        done.extend([date(2026, 2, 24); 7]);
        let stability = Stability::new(&window.daily(&done), &WorkingDays::weekdays());
        assert_eq!(stability.first_half, 1.0);
        assert_eq!(stability.second_half, 1.4);
        assert!((stability.change - 0.4).abs() < 1e-12);
        assert!(!stability.is_stable());

        let even = vec![date(2026, 2, 17), date(2026, 2, 24)];
        assert!(Stability::new(&window.daily(&even), &WorkingDays::weekdays()).is_stable());
        let late = vec![date(2026, 2, 24)];
        let change = Stability::new(&window.daily(&late), &WorkingDays::weekdays()).change;
        assert!(change.is_infinite());
    }

    #[test]
    fn cycle_times_count_the_first_day() {
        assert_eq!(cycle_days(date(2026, 1, 5), date(2026, 1, 5)), Some(1));
        assert_eq!(cycle_days(date(2026, 1, 5), date(2026, 1, 9)), Some(5));
        assert_eq!(cycle_days(date(2026, 1, 9), date(2026, 1, 5)), None);
        let mut days = vec![5, 1, 3, 2, 4, 9, 7, 6, 8, 10];
        assert_eq!(cycle_percentiles(&mut days), Some([5, 9, 10]));
        assert_eq!(cycle_percentiles(&mut []), None);
    }
}
