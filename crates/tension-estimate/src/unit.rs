//! Units written after a number: time is converted to working days, everything else is a label.

/// What a unit measures, as far as the engines care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dimension {
    /// Working time; values are stored in working days.
    Time,
    /// An amount of money, or money per period (`USD/month`); the label keeps the currency.
    Money,
    /// Any other word (`users`, `points`, `users/month`): a label, carried for display.
    Label,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// The unit as it should be shown: `days` for any unit of time, otherwise as written.
    pub label: String,
    pub dimension: Dimension,
}

impl Unit {
    /// Reads a unit as written (`days`, `weeks`, `USD`, `USD/month`, `users`) and returns it with
    /// the factor that converts a value in it to the stored value (5 for working weeks).
    pub fn parse(text: &str) -> (Unit, f64) {
        let head = text.split('/').next().unwrap_or(text);
        if !text.contains('/')
            && let Some(factor) = time_factor(text)
        {
            let unit = Unit {
                label: "days".to_owned(),
                dimension: Dimension::Time,
            };
            return (unit, factor);
        }
        let dimension = if is_currency(head) {
            Dimension::Money
        } else {
            Dimension::Label
        };
        (
            Unit {
                label: text.to_owned(),
                dimension,
            },
            1.0,
        )
    }

    pub fn is_time(&self) -> bool {
        self.dimension == Dimension::Time
    }

    pub fn is_money(&self) -> bool {
        self.dimension == Dimension::Money
    }
}

/// Working days per unit of time. Weeks are working weeks; calendar months are deliberately not
/// units of time, because their length in working days depends on the calendar.
fn time_factor(word: &str) -> Option<f64> {
    match word {
        "d" | "day" | "days" | "workday" | "workdays" => Some(1.0),
        "w" | "wk" | "wks" | "week" | "weeks" => Some(5.0),
        _ => None,
    }
}

/// Three capital letters, as ISO 4217 writes currency codes.
fn is_currency(word: &str) -> bool {
    word.len() == 3 && word.bytes().all(|byte| byte.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_are_working_weeks() {
        let (unit, factor) = Unit::parse("weeks");
        assert_eq!(unit.label, "days");
        assert!(unit.is_time());
        assert_eq!(factor, 5.0);
    }

    #[test]
    fn currency_per_period_is_money() {
        let (unit, factor) = Unit::parse("USD/month");
        assert!(unit.is_money());
        assert_eq!(unit.label, "USD/month");
        assert_eq!(factor, 1.0);
    }

    #[test]
    fn other_words_are_labels() {
        for word in ["users", "points", "months", "users/month", "usd"] {
            assert_eq!(Unit::parse(word).0.dimension, Dimension::Label, "{word}");
        }
    }
}
