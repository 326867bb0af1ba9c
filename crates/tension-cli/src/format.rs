//! Numbers, dates and bars for the terminal.

use std::io::{self, Write};

use jiff::civil::Date;

pub(crate) use tension_report::text::{money, number, percent};

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
    fn bars_scale_to_the_largest_count() {
        assert_eq!(bar(10, 10, 4), "████");
        assert_eq!(bar(5, 10, 4), "██");
        assert_eq!(bar(1, 1000, 4), "▏");
        assert_eq!(bar(0, 10, 4), "");
    }
}
