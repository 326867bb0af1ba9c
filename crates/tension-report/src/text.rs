//! Numbers as people read them, in the terminal, the web pages and decision records alike.

/// A number with at most four significant digits, and thousands separators from 1,000 up:
/// `7.071`, `24.49`, `1,234`, `48,210`, `-0.005`.
pub fn number(value: f64) -> String {
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

/// An amount with its currency, when the scenario names one: `48,210 USD`.
pub fn money(value: f64, currency: &str) -> String {
    if currency.is_empty() {
        number(value)
    } else {
        format!("{} {currency}", number(value))
    }
}

/// A share as a whole percentage: `85%`.
pub fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
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
    fn money_and_shares_read_as_written() {
        assert_eq!(money(48_210.3, "USD"), "48,210 USD");
        assert_eq!(money(12.5, ""), "12.5");
        assert_eq!(percent(0.854), "85%");
    }
}
