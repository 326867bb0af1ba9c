//! Numbers, dates and bars for the terminal.

use std::io::{self, Write};

use jiff::civil::Date;

/// A number with at most four significant digits, and thousands separators from 1,000 up:
/// `7.071`, `24.49`, `1,234`, `48,210`, `-0.005`.
pub(crate) fn number(value: f64) -> String {
    if !value.is_finite() {
        return format!("{value}");
    }
    let magnitude = value.abs();
    if magnitude >= 1000.0 {
        return group_thousands(value.round());
    }
    if magnitude == 0.0 {
        return "0".to_owned();
    }
    let digits_before = magnitude.log10().floor() as i32 + 1;
    let decimals = (4 - digits_before).clamp(0, 12) as usize;
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    };
    if text == "-0" { "0".to_owned() } else { text }
}

fn group_thousands(value: f64) -> String {
    let digits = format!("{:.0}", value.abs());
    let mut grouped = String::new();
    for (idx, digit) in digits.chars().enumerate() {
        if idx > 0 && (digits.len() - idx) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if value < 0.0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// A bar of `width` cells for `count` out of `max`, in eighths of a cell.
pub(crate) fn bar(count: usize, max: usize, width: usize) -> String {
    if max == 0 {
        return String::new();
    }
    const EIGHTHS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    let eighths = (count as f64 / max as f64 * (width * 8) as f64).round() as usize;
    let mut bar = "█".repeat(eighths / 8);
    bar.push_str(EIGHTHS[eighths % 8]);
    if bar.is_empty() && count > 0 {
        bar.push('▏');
    }
    bar
}

/// An amount with its currency, when the scenario names one: `48,210 USD`.
pub(crate) fn money(value: f64, currency: &str) -> String {
    if currency.is_empty() {
        number(value)
    } else {
        format!("{} {currency}", number(value))
    }
}

/// A share as a whole percentage: `85%`.
pub(crate) fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// A date, or `never` when past the calendar.
pub(crate) fn date_cell(date: Option<Date>) -> String {
    date.map_or_else(|| "never".to_owned(), |date| date.to_string())
}

/// The share of trials done by the end of each week, as bars: `rows` are (first day of the week,
/// share, whether the week's end reaches the deadline). The deadline is marked on the first week
/// that reaches it, or named after the rows when none does.
pub(crate) fn weekly_cdf(
    out: &mut impl Write,
    rows: impl IntoIterator<Item = (Date, f64, bool)>,
    deadline: Option<Date>,
) -> io::Result<()> {
    writeln!(
        out,
        "\nfinished by the end of the week of (share of trials)"
    )?;
    let mut marked = false;
    for (week_start, share, reaches_deadline) in rows {
        let mark = match deadline {
            Some(deadline) if !marked && reaches_deadline => {
                marked = true;
                format!("  ◀ deadline {deadline}")
            }
            _ => String::new(),
        };
        writeln!(
            out,
            "  {week_start}  {:<40} {:>4}{mark}",
            bar((share * 1000.0) as usize, 1000, 40),
            percent(share)
        )?;
    }
    if let (Some(deadline), false) = (deadline, marked) {
        writeln!(out, "  deadline {deadline}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_four_significant_digits() {
        let cases = [
            (7.071_067, "7.071"),
            (24.494_89, "24.49"),
            (1234.4, "1,234"),
            (48_210.3, "48,210"),
            (-1_234_567.0, "-1,234,567"),
            (0.004_567_8, "0.004568"),
            (10.0, "10"),
            (0.0, "0"),
            (-0.000_01, "-0.00001"),
        ];
        for (value, expected) in cases {
            assert_eq!(number(value), expected, "{value}");
        }
    }

    #[test]
    fn bars_scale_to_the_largest_count() {
        assert_eq!(bar(10, 10, 4), "████");
        assert_eq!(bar(5, 10, 4), "██");
        assert_eq!(bar(1, 1000, 4), "▏");
        assert_eq!(bar(0, 10, 4), "");
    }
}
