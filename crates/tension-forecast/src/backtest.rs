//! How well throughput forecasts have held on the team's own past.
//!
//! At dates through the history, a week apart, each question is forecast with only the data
//! before that date, and compared with what happened next:
//! - how many items were finished in the `horizon` weeks after it, against the forecast counts;
//! - when the items actually finished in that horizon were all done, against the forecast dates
//!   for that many items.
//!
//! A calibrated forecast has about half of the outcomes inside its central 50% range, 85% inside
//! its central 85% range, and keeps its one-sided promises ("by the P85 date", "at least the
//! P85 count") at least as often as they say.

use jiff::civil::Date;
use rayon::prelude::*;
use tension_estimate::Expr;

use crate::flow::Window;
use crate::throughput::{
    self, HowMany, Pools, ThroughputError, Trials, When, WhenForecast, WorkingDays,
};

#[derive(Debug, Clone)]
pub struct BacktestConfig {
    /// Weeks of history each forecast draws from.
    pub window_weeks: u32,
    /// Weeks ahead each forecast looks.
    pub horizon_weeks: u32,
    /// Days between two backtest dates.
    pub step_days: u32,
    pub trials: Trials,
    pub calendar: WorkingDays,
}

/// The forecast of "how many by the end of the horizon" at one date, and the outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HowManyPoint {
    pub actual: u64,
    pub p50: u64,
    pub p85: u64,
    pub p95: u64,
    /// The central 50% and 85% of the forecast counts, both ends included.
    pub range50: (u64, u64),
    pub range85: (u64, u64),
}

/// The forecast of "when will the items done in the horizon be done" at one date, and the
/// outcome. Dates past the forecast's calendar are `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WhenPoint {
    pub items: u64,
    pub actual: Date,
    pub p50: Option<Date>,
    pub p85: Option<Date>,
    pub p95: Option<Date>,
    pub range50: (Option<Date>, Option<Date>),
    pub range85: (Option<Date>, Option<Date>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Point {
    pub date: Date,
    pub how_many: HowManyPoint,
    /// `None` when nothing was finished in the horizon, so there is nothing to time.
    pub when: Option<WhenPoint>,
}

/// How often the forecasts held, over the backtest dates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Calibration {
    pub n: usize,
    /// Outcomes inside the central 50% range.
    pub inside50: usize,
    /// Outcomes inside the central 85% range.
    pub inside85: usize,
    /// Outcomes at least as good as the P50, P85 and P95 promises (done by that date, or at
    /// least that many items).
    pub held50: usize,
    pub held85: usize,
    pub held95: usize,
}

impl Calibration {
    fn count(&mut self, inside50: bool, inside85: bool, held: [bool; 3]) {
        self.n += 1;
        self.inside50 += usize::from(inside50);
        self.inside85 += usize::from(inside85);
        self.held50 += usize::from(held[0]);
        self.held85 += usize::from(held[1]);
        self.held95 += usize::from(held[2]);
    }

    /// `count / n`, or `None` with no points.
    pub fn share(&self, count: usize) -> Option<f64> {
        (self.n > 0).then(|| count as f64 / self.n as f64)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Backtest {
    pub points: Vec<Point>,
    /// Backtest dates whose window finished nothing: no forecast can be made there.
    pub skipped_empty: usize,
    pub how_many: Calibration,
    pub when: Calibration,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BacktestError {
    #[error("the history is empty")]
    Empty,
    #[error(
        "the history spans {days} days, from {first} to {last}; a backtest needs more than the window and the horizon together ({needed} days)"
    )]
    TooShort {
        first: Date,
        last: Date,
        days: i32,
        needed: i64,
    },
    #[error(transparent)]
    Forecast(#[from] ThroughputError),
}

fn add_days(date: Date, days: i64) -> Date {
    date.checked_add(jiff::Span::new().days(days))
        .unwrap_or(Date::MAX)
}

/// Backtests both questions over the history, `done` being the done dates in any order.
pub fn backtest(done: &[Date], config: &BacktestConfig) -> Result<Backtest, BacktestError> {
    let mut done = done.to_vec();
    done.sort_unstable();
    let (Some(&first), Some(&last)) = (done.first(), done.last()) else {
        return Err(BacktestError::Empty);
    };
    let data_end = add_days(last, 1);
    let window_days = 7 * i64::from(config.window_weeks);
    let horizon_days = 7 * i64::from(config.horizon_weeks.max(1));
    let mut dates = Vec::new();
    let mut date = add_days(first, window_days);
    while add_days(date, horizon_days) <= data_end {
        dates.push(date);
        date = add_days(date, i64::from(config.step_days.max(1)));
    }
    if dates.is_empty() {
        return Err(BacktestError::TooShort {
            first,
            last,
            days: (last - first).get_days() + 1,
            needed: window_days + horizon_days,
        });
    }
    let no_progress = |_: usize| {};
    let points: Vec<Option<Point>> = dates
        .par_iter()
        .map(|&date| -> Result<Option<Point>, ThroughputError> {
            let window = Window::weeks_before(date, config.window_weeks);
            let pools = Pools::new(&window.daily(&done), &config.calendar);
            if pools.total() == 0 {
                return Ok(None);
            }
            let horizon_end = add_days(date, horizon_days);
            let from = done.partition_point(|&day| day < date);
            let to = done.partition_point(|&day| day < horizon_end);
            let actual = (to - from) as u64;
            let forecast = throughput::how_many(
                &pools,
                &config.calendar,
                &HowMany {
                    focus: None,
                    start: date,
                    by: add_days(horizon_end, -1),
                },
                config.trials,
                &no_progress,
            )?;
            let range = |low: f64, high: f64| (forecast.reached(high), forecast.reached(low));
            let how_many = HowManyPoint {
                actual,
                p50: forecast.p50,
                p85: forecast.p85,
                p95: forecast.p95,
                range50: range(0.25, 0.75),
                range85: range(0.075, 0.925),
            };
            let when = if actual == 0 {
                None
            } else {
                let question = When {
                    remaining: Expr::number(actual as f64),
                    split: None,
                    focus: None,
                    start: date,
                    deadline: None,
                };
                let forecast = throughput::when(
                    &pools,
                    &config.calendar,
                    &question,
                    config.trials,
                    &no_progress,
                )?;
                Some(when_point(&forecast, actual, done[to - 1]))
            };
            Ok(Some(Point {
                date,
                how_many,
                when,
            }))
        })
        .collect::<Result<_, _>>()?;
    let skipped_empty = points.iter().filter(|point| point.is_none()).count();
    let points: Vec<Point> = points.into_iter().flatten().collect();
    let mut how_many = Calibration::default();
    let mut when = Calibration::default();
    for point in &points {
        let h = point.how_many;
        let within = |(low, high): (u64, u64)| low <= h.actual && h.actual <= high;
        how_many.count(
            within(h.range50),
            within(h.range85),
            [h.actual >= h.p50, h.actual >= h.p85, h.actual >= h.p95],
        );
        if let Some(w) = point.when {
            // A date past the calendar is later than any actual date.
            let by = |date: Option<Date>| date.is_none_or(|date| w.actual <= date);
            let within = |(low, high): (Option<Date>, Option<Date>)| {
                low.is_some_and(|low| low <= w.actual) && by(high)
            };
            when.count(
                within(w.range50),
                within(w.range85),
                [by(w.p50), by(w.p85), by(w.p95)],
            );
        }
    }
    Ok(Backtest {
        points,
        skipped_empty,
        how_many,
        when,
    })
}

fn when_point(forecast: &WhenForecast, items: u64, actual: Date) -> WhenPoint {
    let at = |p: f64| forecast.quantile(p);
    WhenPoint {
        items,
        actual,
        p50: forecast.p50,
        p85: forecast.p85,
        p95: forecast.p95,
        range50: (at(0.25), at(0.75)),
        range85: (at(0.075), at(0.925)),
    }
}
