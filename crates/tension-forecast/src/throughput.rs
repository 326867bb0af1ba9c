//! Forecasts from the team's throughput history: "when will these N items be done?" and "how
//! many will be done by this date?".
//!
//! Each trial walks the calendar day by day from the start, and for each day draws how many
//! items the team finished on a day of the history, picked uniformly at random from the days of
//! the window: a working day from the working days of the window, a weekend or holiday from its
//! non-working days. This is the method of the established flow-metrics tools (Magennis'
//! throughput forecaster, ActionableAgile, jira-agile-metrics), with the two pools keeping
//! weekends from diluting the working days. The remaining scope, a split rate and the share of
//! throughput going to this scope (focus) are ranges sampled once per trial.

use std::sync::atomic::{AtomicUsize, Ordering};

use jiff::civil::Date;
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;
use tension_estimate::{CHUNK, Expr, Model, ModelError, NodeId, quantile_rank, stream_seed};
use tension_model::{Weekday, Workdays};

use crate::Days;

/// How far ahead a trial may run, in calendar days (twenty years); past it, a trial has no date.
pub const MAX_DAYS: u32 = 7305;

/// Which calendar days are working days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingDays {
    workdays: Workdays,
    holidays: Vec<Date>,
}

impl WorkingDays {
    pub fn new(workdays: Workdays, holidays: &[Date]) -> WorkingDays {
        let mut holidays = holidays.to_vec();
        holidays.sort_unstable();
        holidays.dedup();
        WorkingDays { workdays, holidays }
    }

    /// Monday to Friday, no holidays.
    pub fn weekdays() -> WorkingDays {
        WorkingDays::new(
            Workdays::new([
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ]),
            &[],
        )
    }

    pub fn is_working(&self, date: Date) -> bool {
        self.workdays.contains(Weekday::of(date)) && self.holidays.binary_search(&date).is_err()
    }
}

/// Items finished on each calendar day of a window of the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyThroughput {
    /// The first day of the window.
    pub first: Date,
    /// `counts[n]` items were finished on day `first + n`.
    pub counts: Vec<u32>,
}

impl DailyThroughput {
    /// Counts the done dates in `first..end` (the end excluded); the others are ignored.
    pub fn new(done: &[Date], first: Date, end: Date) -> DailyThroughput {
        let n_days = usize::try_from((end - first).get_days().max(0)).unwrap_or(0);
        let mut counts = vec![0u32; n_days];
        for &date in done {
            if date < first || date >= end {
                continue;
            }
            let idx = (date - first).get_days() as usize;
            counts[idx] += 1;
        }
        DailyThroughput { first, counts }
    }

    /// The day after the last day of the window.
    pub fn end(&self) -> Date {
        self.date(self.counts.len())
    }

    /// The date of day `idx` of the window.
    pub fn date(&self, idx: usize) -> Date {
        self.first
            .checked_add(jiff::Span::new().days(idx as i64))
            .unwrap_or(Date::MAX)
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().map(|&n| u64::from(n)).sum()
    }

    /// Items finished per working day of the window (0 when it has no working day).
    pub fn per_working_day(&self, calendar: &WorkingDays) -> f64 {
        let working = self
            .days()
            .filter(|(date, _)| calendar.is_working(*date))
            .count();
        self.total() as f64 / working.max(1) as f64
    }

    /// `(date, count)` for every day of the window.
    pub fn days(&self) -> impl Iterator<Item = (Date, u32)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .map(|(idx, &count)| (self.date(idx), count))
    }
}

/// The days of the window the trials draw from, split into working and non-working days.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pools {
    pub working: Vec<u32>,
    pub resting: Vec<u32>,
}

impl Pools {
    pub fn new(daily: &DailyThroughput, calendar: &WorkingDays) -> Pools {
        let mut pools = Pools::default();
        for (date, count) in daily.days() {
            if calendar.is_working(date) {
                pools.working.push(count);
            } else {
                pools.resting.push(count);
            }
        }
        pools
    }

    /// Items finished over the window, working and non-working days together.
    pub fn total(&self) -> u64 {
        self.working
            .iter()
            .chain(&self.resting)
            .map(|&n| u64::from(n))
            .sum()
    }
}

/// "When will the remaining work be done?"
#[derive(Debug, Clone)]
pub struct When {
    /// Items left, a number or a range (`20..25`).
    pub remaining: Expr,
    /// Items grow by this factor as they are worked on (`1..1.5`), per trial.
    pub split: Option<Expr>,
    /// The share of throughput that goes to this work (`0.5..0.8`), per trial.
    pub focus: Option<Expr>,
    /// The first day of work: it counts from its start.
    pub start: Date,
    pub deadline: Option<Date>,
}

/// "How many items will be done by this date?"
#[derive(Debug, Clone)]
pub struct HowMany {
    pub focus: Option<Expr>,
    pub start: Date,
    /// The last day counted, included.
    pub by: Date,
}

/// Trials and seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trials {
    pub trials: usize,
    pub seed: u64,
}

impl Default for Trials {
    fn default() -> Trials {
        Trials {
            trials: 10_000,
            seed: 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ThroughputError {
    #[error("no trials to run")]
    NoTrials,
    #[error("no item was finished in the window of history")]
    NoThroughput,
    #[error("the date {by} is before the start, {start}")]
    ByBeforeStart { by: Date, start: Date },
    #[error("{what}: {error}")]
    Range {
        what: &'static str,
        error: ModelError,
    },
}

/// When the remaining work is done, over the trials.
#[derive(Debug, Clone, PartialEq)]
pub struct WhenForecast {
    pub trials: usize,
    pub seed: u64,
    pub start: Date,
    /// Trials by the calendar day they finished on: day 1 is the start.
    pub days: Days,
    pub p50: Option<Date>,
    pub p85: Option<Date>,
    pub p95: Option<Date>,
    pub p_by_deadline: Option<f64>,
}

impl WhenForecast {
    /// The date of calendar day `day` (1 is the start).
    pub fn date(&self, day: u32) -> Option<Date> {
        day_date(self.start, day)
    }

    /// The date by which a share `p` of the trials had finished; `None` past twenty years.
    pub fn quantile(&self, p: f64) -> Option<Date> {
        self.days.quantile(p).and_then(|day| self.date(day))
    }

    /// The share of trials finished on or before `date`.
    pub fn share_by(&self, date: Date) -> f64 {
        match day_number(self.start, date) {
            Some(day) => self.days.share_by(day),
            None => 0.0,
        }
    }
}

/// How many items are done by the date, over the trials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HowManyForecast {
    pub trials: usize,
    pub seed: u64,
    pub start: Date,
    pub by: Date,
    /// `counts[n]` trials finished exactly `n` items.
    pub counts: Vec<u32>,
    pub p50: u64,
    pub p85: u64,
    pub p95: u64,
}

impl HowManyForecast {
    /// The largest count reached in at least a share `p` of the trials: the 85% figure is
    /// `reached(0.85)`. It is the (1 − p)-quantile of the counts by the one percentile method.
    pub fn reached(&self, p: f64) -> u64 {
        reached(&self.counts, p)
    }

    /// The share of trials that finished at least `n` items.
    pub fn share_at_least(&self, n: u64) -> f64 {
        let total: u64 = self.counts.iter().map(|&c| u64::from(c)).sum();
        if total == 0 {
            return 0.0;
        }
        let from = usize::try_from(n)
            .unwrap_or(usize::MAX)
            .min(self.counts.len());
        let above: u64 = self.counts[from..].iter().map(|&c| u64::from(c)).sum();
        above as f64 / total as f64
    }
}

fn reached(counts: &[u32], p: f64) -> u64 {
    let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
    if total == 0 {
        return 0;
    }
    let rank = quantile_rank(p, total as usize) as u64;
    let mut seen = 0u64;
    for (n, &count) in counts.iter().enumerate().rev() {
        seen += u64::from(count);
        if seen >= rank {
            return n as u64;
        }
    }
    0
}

fn day_date(start: Date, day: u32) -> Option<Date> {
    start
        .checked_add(jiff::Span::new().days(i64::from(day.max(1)) - 1))
        .ok()
}

/// The calendar day number of `date` counted from `start` (1), or `None` before the start.
fn day_number(start: Date, date: Date) -> Option<u32> {
    let days = (date - start).get_days();
    (days >= 0).then(|| u32::try_from(days + 1).unwrap_or(u32::MAX))
}

/// The sampled ranges of a question: one node each, sampled per trial.
struct Ranges {
    model: Model,
    remaining: Option<NodeId>,
    split: Option<NodeId>,
    focus: Option<NodeId>,
}

impl Ranges {
    fn new(
        remaining: Option<&Expr>,
        split: Option<&Expr>,
        focus: Option<&Expr>,
    ) -> Result<Ranges, ThroughputError> {
        let mut model = Model::new();
        let mut add = |what: &'static str, expr: Option<&Expr>| {
            expr.map(|expr| model.add(what, expr))
                .transpose()
                .map_err(|error| ThroughputError::Range { what, error })
        };
        let remaining = add("remaining", remaining)?;
        let split = add("split", split)?;
        let focus = add("focus", focus)?;
        Ok(Ranges {
            model,
            remaining,
            split,
            focus,
        })
    }

    fn outputs(&self) -> Vec<NodeId> {
        [self.remaining, self.split, self.focus]
            .into_iter()
            .flatten()
            .collect()
    }
}

/// Draws of one trial's days: which pool each day of the calendar draws from.
struct DayDraws<'p> {
    /// Per calendar day from the start: the pool to draw from, or `None` for a day that can
    /// only give zero (its pool is empty or all zeros).
    plan: Vec<Option<&'p [f64]>>,
}

impl<'p> DayDraws<'p> {
    fn new(
        start: Date,
        n_days: u32,
        calendar: &WorkingDays,
        working: &'p [f64],
        resting: &'p [f64],
    ) -> DayDraws<'p> {
        let useful = |pool: &'p [f64]| pool.iter().any(|&n| n > 0.0).then_some(pool);
        let (working, resting) = (useful(working), useful(resting));
        let mut plan = Vec::with_capacity(n_days as usize);
        let mut date = start;
        for _ in 0..n_days {
            plan.push(if calendar.is_working(date) {
                working
            } else {
                resting
            });
            match date.tomorrow() {
                Ok(next) => date = next,
                Err(_) => break,
            }
        }
        DayDraws { plan }
    }
}

fn as_f64(pool: &[u32]) -> Vec<f64> {
    pool.iter().map(|&n| f64::from(n)).collect()
}

/// Runs `trial` for every trial in chunks, one worker per thread, and merges what they count.
/// The random numbers of a chunk depend only on the seed and the chunk, so the result does not
/// depend on the number of threads.
fn run_trials<T: Send>(
    ranges: &Ranges,
    trials: Trials,
    new: impl Fn() -> T + Sync,
    merge: impl Fn(T, T) -> T + Sync + Send,
    trial: impl Fn(&mut T, &mut Xoshiro256PlusPlus, [f64; 3]) + Sync,
    progress: &(dyn Fn(usize) + Sync),
) -> T {
    let outputs = ranges.outputs();
    let n_chunks = trials.trials.div_ceil(CHUNK);
    let n_workers = rayon::current_num_threads().clamp(1, n_chunks.max(1));
    let done = AtomicUsize::new(0);
    (0..n_workers)
        .into_par_iter()
        .map(|worker_idx| {
            let mut tally = new();
            let mut sampler = ranges.model.sampler(&outputs);
            for chunk_idx in (worker_idx..n_chunks).step_by(n_workers) {
                let len = sampler.fill(chunk_idx, trials.trials, trials.seed);
                let column = |node: Option<NodeId>| node.map(|node| sampler.column(node, len));
                let (remaining, split, focus) = (
                    column(ranges.remaining),
                    column(ranges.split),
                    column(ranges.focus),
                );
                let mut rng = Xoshiro256PlusPlus::seed_from_u64(stream_seed(
                    trials.seed,
                    "throughput.days",
                    chunk_idx as u64,
                ));
                for idx in 0..len {
                    let value = |column: Option<&[f64]>, default: f64| {
                        column.map_or(default, |column| column[idx])
                    };
                    let draws = [
                        value(remaining, 0.0),
                        value(split, 1.0),
                        value(focus, 1.0).clamp(0.0, 1.0),
                    ];
                    trial(&mut tally, &mut rng, draws);
                }
                progress(done.fetch_add(len, Ordering::Relaxed) + len);
            }
            tally
        })
        .reduce(&new, &merge)
}

/// Draws one day's throughput from its pool.
#[inline]
fn draw(rng: &mut Xoshiro256PlusPlus, pool: &[f64]) -> f64 {
    pool[rng.random_range(..pool.len())]
}

/// Forecasts when the remaining work is done. `progress` is called with the trials done.
pub fn when(
    pools: &Pools,
    calendar: &WorkingDays,
    question: &When,
    trials: Trials,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<WhenForecast, ThroughputError> {
    if trials.trials == 0 {
        return Err(ThroughputError::NoTrials);
    }
    if pools.total() == 0 {
        return Err(ThroughputError::NoThroughput);
    }
    let ranges = Ranges::new(
        Some(&question.remaining),
        question.split.as_ref(),
        question.focus.as_ref(),
    )?;
    let (working, resting) = (as_f64(&pools.working), as_f64(&pools.resting));
    let draws = DayDraws::new(question.start, MAX_DAYS, calendar, &working, &resting);
    let days = run_trials(
        &ranges,
        trials,
        Days::default,
        |mut a, b| {
            a.merge(&b);
            a
        },
        |days, rng, [remaining, split, focus]| {
            // Whole items: the scope of a trial is its sampled count times its split rate,
            // rounded to the nearest item.
            let need = (remaining.max(0.0) * split.max(0.0)).round();
            if need <= 0.0 {
                days.add(Some(1));
                return;
            }
            // A tolerance for sums of fractional (focused) throughput.
            let need = need - 1e-9;
            let mut total = 0.0;
            let mut finished = None;
            for (idx, pool) in draws.plan.iter().enumerate() {
                if let Some(pool) = pool {
                    total += draw(rng, pool) * focus;
                    if total >= need {
                        finished = Some(idx as u32 + 1);
                        break;
                    }
                }
            }
            days.add(finished);
        },
        progress,
    );
    Ok(WhenForecast {
        trials: trials.trials,
        seed: trials.seed,
        start: question.start,
        p50: days
            .quantile(0.50)
            .and_then(|day| day_date(question.start, day)),
        p85: days
            .quantile(0.85)
            .and_then(|day| day_date(question.start, day)),
        p95: days
            .quantile(0.95)
            .and_then(|day| day_date(question.start, day)),
        p_by_deadline: question.deadline.map(|deadline| {
            match day_number(question.start, deadline) {
                Some(day) => days.share_by(day),
                None => 0.0,
            }
        }),
        days,
    })
}

/// Forecasts how many items are done from the start to `by`, both included.
pub fn how_many(
    pools: &Pools,
    calendar: &WorkingDays,
    question: &HowMany,
    trials: Trials,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<HowManyForecast, ThroughputError> {
    if trials.trials == 0 {
        return Err(ThroughputError::NoTrials);
    }
    if pools.total() == 0 {
        return Err(ThroughputError::NoThroughput);
    }
    let Some(n_days) = day_number(question.start, question.by) else {
        return Err(ThroughputError::ByBeforeStart {
            by: question.by,
            start: question.start,
        });
    };
    let ranges = Ranges::new(None, None, question.focus.as_ref())?;
    let (working, resting) = (as_f64(&pools.working), as_f64(&pools.resting));
    let draws = DayDraws::new(question.start, n_days, calendar, &working, &resting);
    let counts = run_trials(
        &ranges,
        trials,
        Vec::<u32>::new,
        |mut a, b| {
            if b.len() > a.len() {
                a.resize(b.len(), 0);
            }
            a.iter_mut().zip(&b).for_each(|(a, b)| *a += b);
            a
        },
        |counts, rng, [_, _, focus]| {
            let mut total = 0.0;
            for pool in draws.plan.iter().flatten() {
                total += draw(rng, pool);
            }
            // Whole items only: a part of an item is not done.
            let n = (total * focus + 1e-9).floor() as usize;
            if n >= counts.len() {
                counts.resize(n + 1, 0);
            }
            counts[n] += 1;
        },
        progress,
    );
    Ok(HowManyForecast {
        trials: trials.trials,
        seed: trials.seed,
        start: question.start,
        by: question.by,
        p50: reached(&counts, 0.50),
        p85: reached(&counts, 0.85),
        p95: reached(&counts, 0.95),
        counts,
    })
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use tension_estimate::parse;

    use super::*;

    fn expr(text: &str) -> Expr {
        parse(text).expect("a valid range")
    }

    fn no_progress() -> impl Fn(usize) + Sync {
        |_| {}
    }

    #[test]
    fn daily_throughput_counts_the_window_only() {
        let done = [
            date(2026, 1, 4),
            date(2026, 1, 5),
            date(2026, 1, 5),
            date(2026, 1, 7),
            date(2026, 1, 9),
        ];
        let daily = DailyThroughput::new(&done, date(2026, 1, 5), date(2026, 1, 9));
        assert_eq!(daily.counts, vec![2, 0, 1, 0]);
        assert_eq!(daily.end(), date(2026, 1, 9));
        assert_eq!(daily.total(), 3);
    }

    #[test]
    fn pools_split_working_and_other_days() {
        // 2026-01-09 is a Friday, then a weekend.
        let done = [date(2026, 1, 9), date(2026, 1, 10), date(2026, 1, 10)];
        let daily = DailyThroughput::new(&done, date(2026, 1, 9), date(2026, 1, 13));
        let pools = Pools::new(&daily, &WorkingDays::weekdays());
        assert_eq!(pools.working, vec![1, 0]);
        assert_eq!(pools.resting, vec![2, 0]);
    }

    #[test]
    fn how_many_reads_the_count_reached_in_most_trials() {
        // Counts 0..=9, one trial each: 85% of trials reach at least 1.
        let forecast = HowManyForecast {
            trials: 10,
            seed: 1,
            start: date(2026, 1, 1),
            by: date(2026, 1, 2),
            counts: vec![1; 10],
            p50: 0,
            p85: 0,
            p95: 0,
        };
        assert_eq!(forecast.reached(0.85), 1);
        assert_eq!(forecast.reached(0.50), 5);
        assert_eq!(forecast.reached(1.0), 0);
        assert_eq!(forecast.share_at_least(5), 0.5);
    }

    #[test]
    fn nothing_left_is_done_at_the_start() {
        let pools = Pools {
            working: vec![1],
            resting: vec![],
        };
        let question = When {
            remaining: expr("0"),
            split: None,
            focus: None,
            start: date(2026, 3, 2),
            deadline: None,
        };
        let forecast = when(
            &pools,
            &WorkingDays::weekdays(),
            &question,
            Trials::default(),
            &no_progress(),
        )
        .expect("a forecast");
        assert_eq!(forecast.p95, Some(date(2026, 3, 2)));
    }

    #[test]
    fn no_throughput_is_an_error() {
        let pools = Pools {
            working: vec![0, 0],
            resting: vec![0],
        };
        let question = HowMany {
            focus: None,
            start: date(2026, 3, 2),
            by: date(2026, 3, 9),
        };
        let error = how_many(
            &pools,
            &WorkingDays::weekdays(),
            &question,
            Trials::default(),
            &no_progress(),
        )
        .expect_err("nothing was finished");
        assert_eq!(error, ThroughputError::NoThroughput);
    }
}
