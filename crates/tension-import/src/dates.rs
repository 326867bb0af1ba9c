//! Dates as trackers write them: ISO 8601 with or without an offset, date only, and the
//! formats of Jira's "Export CSV" (`22/Mar/14 07:59`, `10/2/2023 3:04:48 PM`, `16/02/2017 15:26`).

use jiff::civil::DateTime;
use jiff::tz::TimeZone;

/// Formats tried for a column of dates, in this order; the first that reads every value of the
/// column is used, so day-first and month-first orders are told apart by the data. Where
/// both read everything, day-first wins for 24-hour times and month-first for AM/PM times, as
/// Jira writes them.
const FORMATS: &[&str] = &[
    "%d/%b/%y %H:%M",
    "%d/%b/%Y %H:%M",
    "%d/%b/%y %I:%M %p",
    "%d/%b/%Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
];

/// True for the ways exports write "no date".
pub(crate) fn is_missing(text: &str) -> bool {
    matches!(text.trim(), "" | "NA" | "N/A" | "null" | "None" | "-")
}

/// Reads one date in an ISO form: an instant with `Z` or an offset (`+0000` or `+00:00`) is
/// converted to UTC; a date, or a date and time without a zone, is taken as written.
pub(crate) fn parse_iso(text: &str) -> Option<DateTime> {
    let text = text.trim();
    if let Ok(timestamp) = text.parse::<jiff::Timestamp>() {
        return Some(TimeZone::UTC.to_datetime(timestamp));
    }
    if let Ok(datetime) = text.parse::<DateTime>() {
        return Some(datetime);
    }
    text.parse::<jiff::civil::Date>()
        .ok()
        .map(|date| date.to_datetime(jiff::civil::Time::midnight()))
}

/// Reads a date with a `strftime`-style format (`%d/%b/%y %H:%M`), or a date-only format.
pub(crate) fn parse_with(format: &str, text: &str) -> Option<DateTime> {
    let text = text.trim();
    DateTime::strptime(format, text).ok().or_else(|| {
        jiff::civil::Date::strptime(format, text)
            .ok()
            .map(|date| date.to_datetime(jiff::civil::Time::midnight()))
    })
}

/// The way to read a column: ISO, or the first known format that reads every value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DateStyle {
    Iso,
    Format(String),
}

impl DateStyle {
    /// Chooses how to read `values` (missing ones aside); `None` when no one way reads them all.
    pub(crate) fn detect<'a>(values: impl Iterator<Item = &'a str> + Clone) -> Option<DateStyle> {
        let mut present = values.filter(|value| !is_missing(value)).peekable();
        if present.peek().is_none() {
            return Some(DateStyle::Iso);
        }
        if present.clone().all(|value| parse_iso(value).is_some()) {
            return Some(DateStyle::Iso);
        }
        FORMATS
            .iter()
            .find(|format| {
                present
                    .clone()
                    .all(|value| parse_with(format, value).is_some())
            })
            .map(|format| DateStyle::Format((*format).to_owned()))
    }

    pub(crate) fn parse(&self, text: &str) -> Option<DateTime> {
        match self {
            DateStyle::Iso => parse_iso(text),
            DateStyle::Format(format) => parse_with(format, text),
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn at(y: i16, m: i8, d: i8, h: i8, min: i8) -> DateTime {
        date(y, m, d).at(h, min, 0, 0)
    }

    #[test]
    fn iso_forms_are_read_in_utc() {
        assert_eq!(
            parse_iso("2026-08-15T00:22:42Z"),
            Some(date(2026, 8, 15).at(0, 22, 42, 0))
        );
        assert_eq!(
            parse_iso("2013-06-20T18:41:00.000+0200"),
            Some(at(2013, 6, 20, 16, 41))
        );
        assert_eq!(parse_iso("2013-08-31"), Some(at(2013, 8, 31, 0, 0)));
        assert_eq!(parse_iso("31/08/2013"), None);
    }

    #[test]
    fn jira_export_formats_are_detected_from_the_column() {
        let style = DateStyle::detect(["22/Mar/14 07:59", "1/Apr/14 17:03"].into_iter()).unwrap();
        assert_eq!(style.parse("22/Mar/14 07:59"), Some(at(2014, 3, 22, 7, 59)));
        let style =
            DateStyle::detect(["10/2/2023 3:04:48 PM", "9/28/2023 11:00:00 AM"].into_iter())
                .unwrap();
        assert_eq!(
            style.parse("10/2/2023 3:04:48 PM"),
            Some(date(2023, 10, 2).at(15, 4, 48, 0))
        );
        // A day above 12 settles the order: this column is month-first.
        let style =
            DateStyle::detect(["10/24/2012 23:41:49", "03/04/2012 10:00:00"].into_iter()).unwrap();
        assert_eq!(
            style.parse("03/04/2012 10:00:00"),
            Some(at(2012, 3, 4, 10, 0))
        );
        // And this one day-first.
        let style =
            DateStyle::detect(["16/02/2017 15:26", "03/04/2017 10:00"].into_iter()).unwrap();
        assert_eq!(style.parse("03/04/2017 10:00"), Some(at(2017, 4, 3, 10, 0)));
    }

    #[test]
    fn missing_values_are_not_dates() {
        for text in ["", "NA", "null", " "] {
            assert!(is_missing(text), "{text:?}");
        }
        assert_eq!(
            DateStyle::detect(["", "NA"].into_iter()),
            Some(DateStyle::Iso)
        );
        assert_eq!(
            DateStyle::detect(["someday", "2013-01-01"].into_iter()),
            None
        );
    }
}
