//! Working days: which dates the team works, and the date of the n-th working day.

use jiff::civil::Date;

use crate::{Weekday, Workdays};

/// The working days from a start date, numbered from 1, over a bounded span of years.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    /// `days[n - 1]` is the date of working day `n`.
    days: Vec<Date>,
}

impl Calendar {
    /// The working days from `start` (day 1 is the first working day on or after it) over
    /// `years` years; weekends (days not in `workdays`) and `holidays` are skipped.
    pub fn new(start: Date, workdays: Workdays, holidays: &[Date], years: i16) -> Calendar {
        let mut holidays = holidays.to_vec();
        holidays.sort_unstable();
        let end = start
            .checked_add(jiff::Span::new().years(years))
            .unwrap_or(Date::MAX);
        let mut days = Vec::new();
        if workdays.is_empty() {
            return Calendar { days };
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
        Calendar { days }
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
    fn no_workdays_make_an_empty_calendar() {
        let calendar = Calendar::new(date(2027, 1, 4), Workdays::new([]), &[], 1);
        assert!(calendar.is_empty());
        assert_eq!(calendar.date(1), None);
    }
}
