//! Typed reading of TOML values with spans: every mistake becomes a diagnostic, and reading
//! goes on, so that one run reports every problem in the file.

use std::ops::Range;

use jiff::civil::Date;
use tension_estimate::{Dimension, Expr, ExprKind, ParseError, Span, parse};
use tension_model::{Estimate, Estimated, Evidence, Quality, Side};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::Diagnostic;

pub(crate) type Value<'s> = Spanned<DeValue<'s>>;

/// What an estimated field measures, which decides the units and bounds it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Measure {
    /// Working time in days: never negative; units of time only.
    Time,
    /// Money: any sign; no units of time.
    Money,
    /// A probability or share: between 0 and 1; no units.
    Probability,
    /// Points on a scale of the scenario's own (health): any sign; no time or money.
    Score,
    /// Anything else (quantities): any sign, any unit.
    Free,
}

/// Where an estimate's text sits in the file, to point into it.
#[derive(Debug, Clone)]
pub(crate) struct TextLocation {
    /// File offset of the first character of the text, when the text maps one-to-one onto
    /// the file (no escapes); otherwise `None` and the whole value is pointed at.
    pub base: Option<usize>,
    pub value_span: Range<usize>,
}

impl TextLocation {
    pub(crate) fn span(&self, span: Span) -> Range<usize> {
        match self.base {
            Some(base) => base + span.start..base + span.end.max(span.start + 1),
            None => self.value_span.clone(),
        }
    }
}

pub(crate) struct Reader<'s> {
    pub source: &'s str,
    pub diagnostics: Vec<Diagnostic>,
    pub today: Option<Date>,
    /// The location of each compiled estimate, by the key it is compiled under.
    pub locations: Vec<(String, TextLocation)>,
}

pub(crate) fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(datetime) => match (datetime.date, datetime.time) {
            (Some(_), None) => "a date",
            (Some(_), Some(_)) => "a date and time",
            _ => "a time of day",
        },
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// The closest candidate to `name`, when it is likely a typo of it.
pub(crate) fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    tension_estimate::closest(name, candidates)
        .map(|candidate| format!("did you mean `{candidate}`?"))
}

impl<'s> Reader<'s> {
    pub(crate) fn error(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Reports every key of `table` not in `known`, with the closest known key as a hint.
    pub(crate) fn check_keys(&mut self, table: &DeTable<'_>, known: &[&str], context: &str) {
        for (key, _) in table.iter() {
            let name: &str = key.get_ref();
            if known.contains(&name) {
                continue;
            }
            let help = did_you_mean(name, known.iter().copied())
                .unwrap_or_else(|| format!("the fields of {context} are: {}", known.join(", ")));
            self.error(
                Diagnostic::error(
                    "unknown-field",
                    key.span(),
                    format!("unknown field `{name}` in {context}"),
                )
                .with_label("not a field here")
                .with_help(help),
            );
        }
    }

    pub(crate) fn wrong_type(&mut self, value: &Value<'_>, what: &str, expected: &str) {
        self.error(
            Diagnostic::error(
                "wrong-type",
                value.span(),
                format!(
                    "`{what}` must be {expected}, not {}",
                    type_name(value.get_ref())
                ),
            )
            .with_label(format!("expected {expected}")),
        );
    }

    pub(crate) fn missing(&mut self, span: Range<usize>, what: &str, context: &str, example: &str) {
        self.error(
            Diagnostic::error("missing-field", span, format!("{context} has no `{what}`"))
                .with_label(format!("`{what}` is required here"))
                .with_help(format!("add `{what} = {example}`")),
        );
    }

    pub(crate) fn string(&mut self, value: &Value<'_>, what: &str) -> Option<String> {
        match value.get_ref() {
            DeValue::String(text) => Some(text.to_string()),
            _ => {
                self.wrong_type(value, what, "a string");
                None
            }
        }
    }

    pub(crate) fn boolean(&mut self, value: &Value<'_>, what: &str) -> Option<bool> {
        match value.get_ref() {
            DeValue::Boolean(flag) => Some(*flag),
            _ => {
                self.wrong_type(value, what, "`true` or `false`");
                None
            }
        }
    }

    /// A whole number within `range`.
    pub(crate) fn integer(
        &mut self,
        value: &Value<'_>,
        what: &str,
        min: i64,
        max: i64,
    ) -> Option<i64> {
        let DeValue::Integer(integer) = value.get_ref() else {
            self.wrong_type(value, what, "a whole number");
            return None;
        };
        match i64::from_str_radix(integer.as_str(), integer.radix()) {
            Ok(number) if (min..=max).contains(&number) => Some(number),
            _ => {
                self.error(
                    Diagnostic::error(
                        "out-of-range",
                        value.span(),
                        format!("`{what}` must be between {min} and {max}"),
                    )
                    .with_label(format!("not in {min}..{max}"))
                    .with_help(format!("write a whole number from {min} to {max}")),
                );
                None
            }
        }
    }

    /// A number, integer or float, finite.
    pub(crate) fn number(&mut self, value: &Value<'_>, what: &str) -> Option<f64> {
        let number = match value.get_ref() {
            DeValue::Integer(integer) => i64::from_str_radix(integer.as_str(), integer.radix())
                .ok()
                .map(|number| number as f64)
                .or_else(|| integer.as_str().parse::<f64>().ok()),
            DeValue::Float(float) => float.as_str().replace('_', "").parse::<f64>().ok(),
            _ => {
                self.wrong_type(value, what, "a number");
                return None;
            }
        };
        match number {
            Some(number) if number.is_finite() => Some(number),
            _ => {
                self.error(
                    Diagnostic::error(
                        "bad-number",
                        value.span(),
                        format!("`{what}` must be a finite number"),
                    )
                    .with_label("not a usable number"),
                );
                None
            }
        }
    }

    /// A calendar date, written as a TOML date (`2027-01-04`) or a string (`"2027-01-04"`).
    pub(crate) fn date(&mut self, value: &Value<'_>, what: &str) -> Option<Date> {
        let parts = match value.get_ref() {
            DeValue::Datetime(datetime) => match (datetime.date, datetime.time) {
                (Some(date), None) => Some((
                    i64::from(date.year),
                    i64::from(date.month),
                    i64::from(date.day),
                )),
                (Some(_), Some(_)) => {
                    self.error(
                        Diagnostic::error(
                            "wrong-type",
                            value.span(),
                            format!("`{what}` must be a date without a time"),
                        )
                        .with_label("has a time of day")
                        .with_help("write the date alone, like `2027-01-04`"),
                    );
                    return None;
                }
                _ => None,
            },
            DeValue::String(text) => parse_date_parts(text),
            _ => None,
        };
        let Some((year, month, day)) = parts else {
            self.wrong_type(value, what, "a date like 2027-01-04");
            return None;
        };
        let date = i16::try_from(year)
            .ok()
            .and_then(|year| Date::new(year, month as i8, day as i8).ok());
        if date.is_none() {
            self.error(
                Diagnostic::error(
                    "no-such-date",
                    value.span(),
                    format!("{year:04}-{month:02}-{day:02} is not a date in the calendar"),
                )
                .with_label("no such day")
                .with_help(if (1..=12).contains(&month) {
                    format!("month {month} has {} days", days_in_month(year, month))
                } else {
                    "months run from 01 to 12".to_owned()
                }),
            );
        }
        date
    }

    pub(crate) fn strings(&mut self, value: &Value<'_>, what: &str) -> Vec<(String, Range<usize>)> {
        let DeValue::Array(array) = value.get_ref() else {
            self.wrong_type(value, what, "an array of strings");
            return Vec::new();
        };
        let mut out = Vec::new();
        for element in array.iter() {
            if let Some(text) = self.string(element, what) {
                out.push((text, element.span()));
            }
        }
        out
    }

    /// One of a fixed set of names, with a hint for a near miss.
    pub(crate) fn choice<T: Copy>(
        &mut self,
        value: &Value<'_>,
        what: &str,
        options: &[(&str, T)],
    ) -> Option<T> {
        let text = self.string(value, what)?;
        if let Some((_, option)) = options.iter().find(|(name, _)| *name == text) {
            return Some(*option);
        }
        let names: Vec<&str> = options.iter().map(|(name, _)| *name).collect();
        let list = names
            .iter()
            .map(|name| format!("`{name}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let help = did_you_mean(&text, names.iter().copied())
            .map(|hint| format!("{hint} `{what}` is one of {list}"))
            .unwrap_or_else(|| format!("`{what}` is one of {list}"));
        self.error(
            Diagnostic::error(
                "unknown-value",
                value.span(),
                format!("unknown {what} `{text}`"),
            )
            .with_label("not one of the allowed values")
            .with_help(help),
        );
        None
    }

    /// An estimated field: a plain estimate, an evidence table, or one per side
    /// (`{ technical = "15..40 days", business = "5..10 days" }`).
    pub(crate) fn estimated(
        &mut self,
        value: &Value<'_>,
        what: &str,
        key: &str,
        owner: Side,
        measure: Measure,
    ) -> Option<Estimated> {
        if let DeValue::Table(table) = value.get_ref() {
            let sided = table.get("business").is_some() || table.get("technical").is_some();
            if sided {
                self.check_keys(table, &["business", "technical"], &format!("`{what}`"));
                let by_side = |reader: &mut Reader<'s>, side: Side| {
                    table.get(side.name()).and_then(|inner| {
                        let inner_key = if side == owner {
                            key.to_owned()
                        } else {
                            format!("{key}#{}", side.name())
                        };
                        reader.estimate(
                            inner,
                            &format!("{what}.{}", side.name()),
                            &inner_key,
                            measure,
                        )
                    })
                };
                let by_owner = by_side(self, owner);
                let by_other = by_side(self, owner.other());
                if table.get(owner.name()).is_none() {
                    self.error(
                        Diagnostic::error(
                            "missing-owner-estimate",
                            value.span(),
                            format!("`{what}` is owned by the {} side, which gave no estimate", owner.name()),
                        )
                        .with_label(format!("no `{}` estimate", owner.name()))
                        .with_help(format!(
                            "add `{} = \"...\"`: the owner's estimate is used for computing, the other side's is kept for the disagreement map",
                            owner.name()
                        )),
                    );
                }
                return Some(Estimated {
                    owner,
                    by_owner: by_owner?,
                    by_other,
                });
            }
        }
        let by_owner = self.estimate(value, what, key, measure)?;
        Some(Estimated {
            owner,
            by_owner,
            by_other: None,
        })
    }

    /// One estimate: a number, an estimate string, or a table with `value` and its evidence.
    pub(crate) fn estimate(
        &mut self,
        value: &Value<'_>,
        what: &str,
        key: &str,
        measure: Measure,
    ) -> Option<Estimate> {
        match value.get_ref() {
            DeValue::Table(table) => {
                self.check_keys(table, EVIDENCE_KEYS, &format!("the estimate `{what}`"));
                let evidence = self.evidence(table);
                let Some(inner) = table.get("value") else {
                    self.missing(
                        value.span(),
                        "value",
                        &format!("the estimate `{what}`"),
                        "\"15..40\"",
                    );
                    return None;
                };
                if matches!(inner.get_ref(), DeValue::Table(_)) {
                    self.wrong_type(inner, what, "a number or an estimate string");
                    return None;
                }
                let mut estimate = self.estimate(inner, what, key, measure)?;
                if let Some(unit) = table.get("unit")
                    && let Some(unit_text) = self.string(unit, "unit")
                {
                    let (unit_parsed, factor) = tension_estimate::Unit::parse(&unit_text);
                    self.check_unit_dimension(&unit_parsed, unit.span(), what, measure);
                    if !estimate.expr.units().is_empty() {
                        self.error(
                            Diagnostic::error(
                                "unit-twice",
                                unit.span(),
                                format!("`{what}` has its unit twice: in `value` (\"{}\") and in `unit`", estimate.text),
                            )
                            .with_label("a second unit")
                            .with_help("write the unit in one place: in `value` (\"2..4 weeks\") or in `unit`"),
                        );
                        return None;
                    }
                    estimate.unit = Some(unit_parsed);
                    estimate.unit_written = Some(unit_text.clone());
                    if factor != 1.0 {
                        // A unit of time in the table scales the value, as if written inline.
                        let span = estimate.expr.span;
                        estimate.expr = Expr {
                            kind: ExprKind::Binary {
                                op: tension_estimate::BinOp::Mul,
                                lhs: Box::new(estimate.expr),
                                rhs: Box::new(Expr {
                                    kind: ExprKind::Number {
                                        value: factor,
                                        unit: None,
                                    },
                                    span,
                                }),
                            },
                            span,
                        };
                    }
                }
                estimate.evidence = evidence;
                Some(estimate)
            }
            DeValue::String(text) => {
                let location = TextLocation {
                    base: string_content_start(self.source, value.span(), text),
                    value_span: value.span(),
                };
                match parse(text) {
                    Ok(expr) => {
                        self.check_expr(&expr, &location, what, measure);
                        self.locations.push((key.to_owned(), location));
                        Some(Estimate {
                            text: text.to_string(),
                            expr,
                            unit: None,
                            unit_written: None,
                            evidence: Evidence::default(),
                        })
                    }
                    Err(error) => {
                        self.parse_error(&error, &location);
                        None
                    }
                }
            }
            DeValue::Integer(_) | DeValue::Float(_) => {
                let number = self.number(value, what)?;
                let text = self.source.get(value.span()).unwrap_or_default().to_owned();
                let expr = Expr {
                    kind: ExprKind::Number {
                        value: number,
                        unit: None,
                    },
                    span: Span::new(0, text.len()),
                };
                let location = TextLocation {
                    base: Some(value.span().start),
                    value_span: value.span(),
                };
                self.check_expr(&expr, &location, what, measure);
                self.locations.push((key.to_owned(), location));
                Some(Estimate {
                    text,
                    expr,
                    unit: None,
                    unit_written: None,
                    evidence: Evidence::default(),
                })
            }
            _ => {
                self.wrong_type(
                    value,
                    what,
                    "a number, an estimate string like \"15..40 days\", or a table",
                );
                None
            }
        }
    }

    fn parse_error(&mut self, error: &ParseError, location: &TextLocation) {
        self.error(Diagnostic::bad_estimate(error, location.span(error.span)));
    }

    fn evidence(&mut self, table: &DeTable<'_>) -> Evidence {
        let mut evidence = Evidence::default();
        if let Some(value) = table.get("source") {
            evidence.source = self.string(value, "source");
        }
        if let Some(value) = table.get("owner") {
            evidence.owner = self.string(value, "owner");
        }
        if let Some(value) = table.get("note") {
            evidence.note = self.string(value, "note");
        }
        if let Some(value) = table.get("quality") {
            let options: Vec<(&str, Quality)> =
                Quality::ALL.iter().map(|q| (q.name(), *q)).collect();
            evidence.quality = self.choice(value, "quality", &options);
        }
        if let Some(value) = table.get("as_of") {
            evidence.as_of = self.date(value, "as_of");
            if let (Some(as_of), Some(today)) = (evidence.as_of, self.today) {
                let age = (today - as_of).get_days();
                if age > STALE_DAYS {
                    self.error(
                        Diagnostic::warning(
                            "stale-evidence",
                            value.span(),
                            format!("this evidence is {age} days old (as of {as_of})"),
                        )
                        .with_label(format!("older than {STALE_DAYS} days"))
                        .with_help("check the source again and update `as_of`, or say why it still holds in `note`"),
                    );
                } else if as_of > today {
                    self.error(
                        Diagnostic::warning(
                            "future-evidence",
                            value.span(),
                            format!("`as_of` {as_of} is after today ({today})"),
                        )
                        .with_label("in the future")
                        .with_help("`as_of` is the date the number was last checked"),
                    );
                }
            }
        }
        if evidence.quality == Some(Quality::Guess)
            && let Some(value) = table.get("value")
        {
            self.warn_wide_guess(value);
        }
        evidence
    }

    fn warn_wide_guess(&mut self, value: &Value<'_>) {
        let DeValue::String(text) = value.get_ref() else {
            return;
        };
        let Ok(Expr {
            kind: ExprKind::Dist { dist, .. },
            ..
        }) = parse(text)
        else {
            return;
        };
        let (low, high) = dist.ninety_percent();
        // The bounds come back from the fitted distribution with rounding error: compare with a
        // relative tolerance so that a range of exactly ten times is not flagged.
        if low > 0.0 && high / low > WIDE_RATIO * (1.0 + 1e-9) {
            self.error(
                Diagnostic::warning(
                    "wide-guess",
                    value.span(),
                    format!("a guess spanning a factor of {:.0} carries a lot of uncertainty", high / low),
                )
                .with_label("guess with a wide range")
                .with_help("find a benchmark or a measurement for it, or narrow the range to what you would bet on"),
            );
        }
    }

    /// Checks the bounds and units of a parsed estimate against what the field measures.
    fn check_expr(&mut self, expr: &Expr, location: &TextLocation, what: &str, measure: Measure) {
        for (unit, span) in expr.units() {
            self.check_unit_dimension(unit, location.span(span), what, measure);
        }
        let Some((low, high)) = expr.bounds() else {
            return;
        };
        let span = location.span(expr.span);
        match measure {
            Measure::Time if low < 0.0 => self.error(
                Diagnostic::error("negative", span, format!("`{what}` cannot be negative"))
                    .with_label(format!("goes down to {}", short(low)))
                    .with_help(
                        "time is never below 0: start the range at 0 or above, like `1..10 days`",
                    ),
            ),
            Measure::Probability if low < 0.0 || high > 1.0 => self.error(
                Diagnostic::error(
                    "not-a-probability",
                    span,
                    format!("`{what}` must be between 0 and 1"),
                )
                .with_label(if low == high {
                    format!("is {}", short(low))
                } else {
                    format!("spans {}..{}", short(low), short(high))
                })
                .with_help("write a share as `0.7` or `70%`, and a range as `60%..80%`"),
            ),
            _ => {}
        }
    }

    fn check_unit_dimension(
        &mut self,
        unit: &tension_estimate::Unit,
        span: Range<usize>,
        what: &str,
        measure: Measure,
    ) {
        let problem = match measure {
            Measure::Free => None,
            Measure::Time if unit.dimension == Dimension::Time => None,
            Measure::Money if unit.dimension != Dimension::Time => None,
            Measure::Score if unit.dimension == Dimension::Label => None,
            Measure::Time => Some((
                format!("`{}` is not a unit of working time", unit.label),
                format!(
                    "`{what}` is in working days: write `days` or `weeks` (5 working days), or no unit"
                ),
            )),
            Measure::Money => Some((
                format!("`{what}` is money, not time"),
                "write a currency (`USD`, `USD/month`) or no unit".to_owned(),
            )),
            Measure::Score => Some((
                format!("`{what}` is in points, not `{}`", unit.label),
                "write a plain number of health points, like `20` or `10..30`".to_owned(),
            )),
            Measure::Probability => Some((
                format!("`{what}` is a probability and takes no unit"),
                "write `0.1..0.3` or `10%..30%`".to_owned(),
            )),
        };
        if let Some((message, help)) = problem {
            self.error(
                Diagnostic::error("wrong-unit", span, message)
                    .with_label("wrong unit for this field")
                    .with_help(help),
            );
        }
    }
}

pub(crate) const EVIDENCE_KEYS: &[&str] = &[
    "value", "unit", "source", "quality", "as_of", "owner", "note",
];

/// Evidence older than this many days is flagged.
const STALE_DAYS: i32 = Evidence::STALE_DAYS;

/// A guess whose 90% range spans more than this factor is flagged.
const WIDE_RATIO: f64 = 10.0;

/// A number rounded for a label.
fn short(value: f64) -> String {
    let rounded = (value * 1000.0).round() / 1000.0;
    format!("{rounded}")
}

/// Where a string's content starts in the file, when the content appears there verbatim.
fn string_content_start(source: &str, span: Range<usize>, content: &str) -> Option<usize> {
    let raw = source.get(span.clone())?;
    for quote in ["\"\"\"", "'''", "\"", "'"] {
        if raw.starts_with(quote) && raw.ends_with(quote) && raw.len() >= 2 * quote.len() {
            let inner = &raw[quote.len()..raw.len() - quote.len()];
            return (inner == content).then_some(span.start + quote.len());
        }
    }
    None
}

fn parse_date_parts(text: &str) -> Option<(i64, i64, i64)> {
    let mut parts = text.trim().split('-');
    let year = parts.next()?.parse().ok()?;
    let month = parts.next()?.parse().ok()?;
    let day = parts.next()?.parse().ok()?;
    parts.next().is_none().then_some((year, month, day))
}

fn days_in_month(year: i64, month: i64) -> i8 {
    i16::try_from(year)
        .ok()
        .and_then(|year| Date::new(year, month as i8, 1).ok())
        .map_or(31, |first| first.days_in_month())
}
