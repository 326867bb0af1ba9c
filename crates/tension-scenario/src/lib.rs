//! The scenario file, version 1: read a TOML file into a [`Scenario`], or report every problem
//! in it at once, each with its place in the file, the offending text underlined and a hint.
//!
//! The format is specified in `docs/scenario-format.md`. This crate does no IO: the caller
//! hands it the file's name and bytes, and the date that counts as today for the age of evidence.

mod build;
mod diagnostic;
mod read;
mod validate;
mod write;

pub use diagnostic::{Diagnostic, Severity, Style, render};
pub use write::to_toml;

use jiff::civil::Date;
use tension_model::Scenario;
use toml::de::DeTable;

use crate::read::Reader;

/// What a check needs besides the file.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Evidence older than 180 days before this date is flagged; `None` skips the age checks.
    pub today: Option<Date>,
}

/// The result of reading a file: the scenario when it has no errors, and every diagnostic.
#[derive(Debug, Clone)]
pub struct Checked {
    pub name: String,
    /// The file's text (invalid UTF-8 replaced), for rendering the diagnostics.
    pub source: String,
    pub scenario: Option<Scenario>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|diagnostic| diagnostic.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|diagnostic| !diagnostic.is_error())
    }

    /// Renders every diagnostic, errors and warnings in file order.
    pub fn render(&self, style: Style) -> String {
        render(&self.diagnostics, &self.name, &self.source, style)
    }
}

/// Reads a scenario from the bytes of a file named `name`.
pub fn parse_bytes(name: &str, bytes: &[u8], options: &Options) -> Checked {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_str(name, text, options),
        Err(error) => {
            let at = error.valid_up_to();
            let source = String::from_utf8_lossy(bytes).into_owned();
            let byte = bytes.get(at).copied().unwrap_or_default();
            // The byte is shown as U+FFFD, which takes three bytes in the text rendered.
            let diagnostic = Diagnostic::error(
                "not-utf8",
                at..at + char::REPLACEMENT_CHARACTER.len_utf8(),
                format!("the file is not UTF-8 text: byte 0x{byte:02X} at offset {at} is not valid UTF-8"),
            )
            .with_label("not UTF-8")
            .with_help("save the file as UTF-8");
            Checked {
                name: name.to_owned(),
                source,
                scenario: None,
                diagnostics: vec![diagnostic],
            }
        }
    }
}

/// Reads a scenario from its text.
pub fn parse_str(name: &str, text: &str, options: &Options) -> Checked {
    let mut checked = Checked {
        name: name.to_owned(),
        source: text.to_owned(),
        scenario: None,
        diagnostics: Vec::new(),
    };
    let (document, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        let mut seen = Vec::new();
        for error in errors {
            let span = error.span().unwrap_or(0..0);
            // A cut-off file gives several errors at its end; the first is the cause.
            if seen.contains(&span.start) {
                continue;
            }
            seen.push(span.start);
            checked
                .diagnostics
                .push(syntax_diagnostic(text, span, error.message().trim()));
        }
        return checked;
    }
    let mut reader = Reader {
        source: text,
        diagnostics: Vec::new(),
        today: options.today,
        locations: Vec::new(),
    };
    let mut spans = build::Spans::default();
    let scenario = build::scenario(&mut reader, document.get_ref(), &mut spans);
    if let Some(mut scenario) = scenario {
        validate::validate(&mut reader, &mut scenario, &spans);
        checked.scenario = Some(scenario);
    }
    let mut diagnostics = reader.diagnostics;
    diagnostics.sort_by_key(|diagnostic| diagnostic.span.start);
    if diagnostics.iter().any(Diagnostic::is_error) {
        checked.scenario = None;
    }
    checked.diagnostics = diagnostics;
    checked
}

/// A TOML syntax error; an impossible date (`2027-02-30`) gets its own explanation.
fn syntax_diagnostic(text: &str, span: std::ops::Range<usize>, message: &str) -> Diagnostic {
    let written = text.get(span.clone()).unwrap_or_default();
    let date_parts: Vec<&str> = written.split('-').collect();
    if let [year, month, day] = date_parts[..]
        && let (Ok(year), Ok(month), Ok(day)) =
            (year.parse::<i16>(), month.parse::<i8>(), day.parse::<i8>())
        && Date::new(year, month, day).is_err()
    {
        let help = match Date::new(year, month, 1) {
            Ok(first) => {
                format!("month {month} of {year} has {} days", first.days_in_month())
            }
            Err(_) => "months run from 01 to 12".to_owned(),
        };
        return Diagnostic::error(
            "no-such-date",
            span,
            format!("{written} is not a date in the calendar"),
        )
        .with_label("no such day")
        .with_help(help);
    }
    Diagnostic::error("syntax", span, format!("TOML syntax: {message}"))
        .with_label("here")
        .with_help("see docs/scenario-format.md for how a scenario file is written")
}
