//! Working days: which dates the team works, and the date of the n-th working day.

use jiff::civil::Date;

use crate::{Weekday, Workdays};

/// The working days from a start date, numbered from 1, over a bounded span of years; and, for
/// any two dates, before the start or after the span too, how many working days lie between.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    /// `days[n - 1]` is the date of working day `n`.
    days: Vec<Date>,
    workdays: Workdays,
    /// Sorted, without repeats.
    holidays: Vec<Date>,
}

impl Calendar {
    /// The working days from `start` (day 1 is the first working day on or after it) over
    /// `years` years; weekends (days not in `workdays`) and `holidays` are skipped.
    pub fn new(start: Date, workdays: Workdays, holidays: &[Date], years: i16) -> Calendar {
        let mut holidays = holidays.to_vec();
        holidays.sort_unstable();
        holidays.dedup();
        let end = start
            .checked_add(jiff::Span::new().years(years))
            .unwrap_or(Date::MAX);
        let mut days = Vec::new();
        if workdays.is_empty() {
            return Calendar {
                days,
                workdays,
                holidays,
            };
        }
        let mut date = start;
        while date <= end {
            if workdays.contains(Weekday::of(date)) && holidays.binary_search(&date).is_err() {
                days.push(date);
            }
            match date.tomorrow() {
                Ok(next) => date = next,
                Err(_) => break,
            }
        }
        Calendar {
            days,
            workdays,
            holidays,
        }
    }

    /// The date of working day `day` (1-based), or `None` when it is past the calendar's end.
    pub fn date(&self, day: u32) -> Option<Date> {
        let idx = usize::try_from(day).ok()?.checked_sub(1)?;
        self.days.get(idx).copied()
    }

    /// How many working days there are from the start up to and including `date`: the number
    /// of the last working day on or before it, or 0 when it is before the first.
    pub fn day_of(&self, date: Date) -> u32 {
        self.days.partition_point(|day| *day <= date) as u32
    }

    /// The number of working days the calendar covers.
    pub fn len(&self) -> u32 {
        self.days.len() as u32
    }

    pub fn is_empty(&self) -> bool {
        self.days.is_empty()
    }

    /// The last date the calendar covers.
    pub fn last(&self) -> Option<Date> {
        self.days.last().copied()
    }

    /// Whether the team works on `date`: a day in `workdays` that is not a holiday.
    pub fn is_working_day(&self, date: Date) -> bool {
        self.workdays.contains(Weekday::of(date)) && self.holidays.binary_search(&date).is_err()
    }

    /// The working days after `from` up to and including `to`; when `to` is before `from`, the
    /// working days after `to` up to and including `from`, negated. Any two dates may be given,
    /// inside the calendar's span or not.
    pub fn working_days_between(&self, from: Date, to: Date) -> i64 {
        if to < from {
            return -self.working_days_between(to, from);
        }
        let n_days = i64::from((to - from).get_days());
        let n_workdays = self.workdays.iter().count() as i64;
        // Any seven days in a row hold each weekday once; the days left over are the last ones.
        let mut count = n_days / 7 * n_workdays;
        let last = Weekday::of(to) as i64;
        for back in 0..n_days % 7 {
            if self
                .workdays
                .contains(Weekday::ALL[(last - back).rem_euclid(7) as usize])
            {
                count += 1;
            }
        }
        let after_from = self.holidays.partition_point(|holiday| *holiday <= from);
        let through_to = self.holidays.partition_point(|holiday| *holiday <= to);
        let n_holidays_worked = self.holidays[after_from..through_to]
            .iter()
            .filter(|holiday| self.workdays.contains(Weekday::of(**holiday)))
            .count() as i64;
        count - n_holidays_worked
    }

    /// The date of the `n`-th working day after `from` (`from` itself when `n` is 0), or `None`
    /// when the team has no working days or the date would be past the last one there is.
    pub fn add_working_days(&self, from: Date, n: u32) -> Option<Date> {
        if n == 0 {
            return Some(from);
        }
        if self.workdays.is_empty() {
            return None;
        }
        let after = |n_days: i64| from.checked_add(jiff::Span::new().days(n_days)).ok();
        // Every week has a working day, and every holiday takes at most one away: the answer is
        // within this many days, and the count of working days grows with the date.
        let n_holidays = self.holidays.len() as i64;
        let to_the_end = i64::from((Date::MAX - from).get_days());
        let mut high = (7 * (i64::from(n) + n_holidays + 1)).min(to_the_end);
        let last = after(high)?;
        if self.working_days_between(from, last) < i64::from(n) {
            return None;
        }
        let mut low = 0;
        while high - low > 1 {
            let mid = low + (high - low) / 2;
            let date = after(mid)?;
            if self.working_days_between(from, date) >= i64::from(n) {
                high = mid;
            } else {
                low = mid;
            }
        }
        after(high)
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn weekdays() -> Workdays {
        Workdays::default()
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        // 2027-01-04 is a Monday; 2027-01-06 a holiday.
        let calendar = Calendar::new(date(2027, 1, 4), weekdays(), &[date(2027, 1, 6)], 1);
        assert_eq!(calendar.date(1), Some(date(2027, 1, 4)));
        assert_eq!(calendar.date(2), Some(date(2027, 1, 5)));
        assert_eq!(calendar.date(3), Some(date(2027, 1, 7)));
        assert_eq!(calendar.date(5), Some(date(2027, 1, 11)));
        assert_eq!(calendar.date(0), None);
    }

    #[test]
    fn a_start_on_a_weekend_begins_on_monday() {
        let calendar = Calendar::new(date(2027, 1, 2), weekdays(), &[], 1);
        assert_eq!(calendar.date(1), Some(date(2027, 1, 4)));
        assert_eq!(calendar.day_of(date(2027, 1, 3)), 0);
    }

    #[test]
    fn day_of_counts_the_working_days_up_to_a_date() {
        let calendar = Calendar::new(date(2027, 1, 4), weekdays(), &[], 1);
        assert_eq!(calendar.day_of(date(2027, 1, 4)), 1);
        assert_eq!(calendar.day_of(date(2027, 1, 8)), 5);
        assert_eq!(calendar.day_of(date(2027, 1, 10)), 5);
        assert_eq!(calendar.day_of(date(2027, 1, 11)), 6);
        assert_eq!(calendar.day_of(date(2026, 12, 31)), 0);
    }

    #[test]
    fn a_year_of_weekdays_has_about_261_working_days() {
        let calendar = Calendar::new(date(2027, 1, 4), weekdays(), &[], 1);
        assert!((260..=262).contains(&calendar.len()), "{}", calendar.len());
    }

    #[test]
    fn working_days_between_two_dates_skip_weekends_and_holidays() {
        // The calendar starts on 2027-01-04 but counts before and after its span too.
        let calendar = Calendar::new(date(2027, 1, 4), weekdays(), &[date(2027, 1, 6)], 1);
        let between = |from, to| calendar.working_days_between(from, to);
        // Friday 2027-01-08 to Monday 2027-01-11: only the Monday counts.
        assert_eq!(between(date(2027, 1, 8), date(2027, 1, 11)), 1);
        assert_eq!(between(date(2027, 1, 8), date(2027, 1, 10)), 0);
        assert_eq!(between(date(2027, 1, 8), date(2027, 1, 8)), 0);
        // Monday to Monday, with the Wednesday off: 4 days.
        assert_eq!(between(date(2027, 1, 4), date(2027, 1, 11)), 4);
        assert_eq!(between(date(2027, 1, 11), date(2027, 1, 4)), -4);
        // Before the calendar's start: Monday 2026-12-28 to Monday 2027-01-04 is 5 days.
        assert_eq!(between(date(2026, 12, 28), date(2027, 1, 4)), 5);
        // Across years, each answer agrees with counting day by day.
        let from = date(2026, 6, 3);
        let mut day = from;
        let mut counted = 0;
        for _ in 0..800 {
            day = day.tomorrow().expect("a date in range");
            if calendar.is_working_day(day) {
                counted += 1;
            }
            assert_eq!(between(from, day), counted, "{day}");
        }
    }

    #[test]
    fn adding_working_days_lands_on_the_nth_working_day() {
        let calendar = Calendar::new(date(2027, 1, 4), weekdays(), &[date(2027, 1, 6)], 1);
        // From Friday 2027-01-08: Monday is the first working day after it, Tuesday the second.
        assert_eq!(
            calendar.add_working_days(date(2027, 1, 8), 1),
            Some(date(2027, 1, 11))
        );
        assert_eq!(
            calendar.add_working_days(date(2027, 1, 8), 2),
            Some(date(2027, 1, 12))
        );
        // From Saturday: the same days as from the Friday before.
        assert_eq!(
            calendar.add_working_days(date(2027, 1, 9), 2),
            Some(date(2027, 1, 12))
        );
        // From Tuesday 2027-01-05 over the holiday on Wednesday: Thursday, then Friday.
        assert_eq!(
            calendar.add_working_days(date(2027, 1, 5), 2),
            Some(date(2027, 1, 8))
        );
        assert_eq!(
            calendar.add_working_days(date(2027, 1, 8), 0),
            Some(date(2027, 1, 8))
        );
        for n in 1..300 {
            let due = calendar
                .add_working_days(date(2026, 12, 30), n)
                .expect("in range");
            assert!(calendar.is_working_day(due), "{due}");
            assert_eq!(
                calendar.working_days_between(date(2026, 12, 30), due),
                i64::from(n)
            );
        }
        let none = Calendar::new(date(2027, 1, 4), Workdays::new([]), &[], 1);
        assert_eq!(none.add_working_days(date(2027, 1, 4), 3), None);
        assert_eq!(calendar.add_working_days(Date::MAX, 1), None);
        assert_eq!(calendar.add_working_days(date(2027, 1, 4), u32::MAX), None);
        let far = calendar
            .add_working_days(date(2027, 1, 4), 1_000_000)
            .expect("about 3800 years on");
        assert_eq!(
            calendar.working_days_between(date(2027, 1, 4), far),
            1_000_000
        );
    }

    #[test]
    fn no_workdays_make_an_empty_calendar() {
        let calendar = Calendar::new(date(2027, 1, 4), Workdays::new([]), &[], 1);
        assert!(calendar.is_empty());
        assert_eq!(calendar.date(1), None);
    }
}
