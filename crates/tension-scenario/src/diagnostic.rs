//! Problems found in a scenario file, and their rendering with the offending text underlined.

use std::fmt;
use std::ops::Range;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

/// One problem, with where it is in the file and, where one helps, how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable name for the kind of problem (`unknown-field`), shown as `tension::unknown-field`.
    pub code: &'static str,
    pub message: String,
    /// Byte range in the file.
    pub span: Range<usize>,
    /// Short text under the underline.
    pub label: Option<String>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            span,
            label: None,
            help: None,
        }
    }

    pub fn warning(
        code: &'static str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, span, message)
        }
    }

    /// A mistake in an estimate, at `span` in the file (or the command line).
    pub fn bad_estimate(error: &tension_estimate::ParseError, span: Range<usize>) -> Diagnostic {
        Diagnostic::error("bad-estimate", span, error.to_string())
            .with_label("here")
            .with_help_opt(error.help())
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_help_opt(mut self, help: Option<String>) -> Diagnostic {
        self.help = help;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// 1-based line and column (in characters) of the start of the span.
    pub fn line_column(&self, source: &str) -> (usize, usize) {
        let start = floor_char_boundary(source, self.span.start.min(source.len()));
        let before = &source[..start];
        let line = before.matches('\n').count() + 1;
        let column = before
            .rsplit('\n')
            .next()
            .map_or(0, |last| last.chars().count())
            + 1;
        (line, column)
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// A diagnostic bound to its file, for miette to render.
struct Bound<'a> {
    diagnostic: &'a Diagnostic,
    source: &'a NamedSource<String>,
}

impl fmt::Debug for Bound<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.diagnostic.fmt(f)
    }
}

impl fmt::Display for Bound<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Bound<'_> {}

impl miette::Diagnostic for Bound<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!("tension::{}", self.diagnostic.code)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Warning => miette::Severity::Warning,
            Severity::Error => miette::Severity::Error,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = visible_span(&self.diagnostic.span, self.source.inner());
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            self.diagnostic.label.clone(),
            span.start..span.end.max(span.start),
        ))))
    }
}

/// A span the renderer can underline: one past the end of the file moves onto its last
/// character, so that an error at the very end still shows where it is.
fn visible_span(span: &std::ops::Range<usize>, source: &str) -> std::ops::Range<usize> {
    if span.start < source.len() || source.is_empty() {
        return span.clone();
    }
    let last = source.char_indices().next_back().map_or(0, |(idx, _)| idx);
    last..source.len()
}

/// How to render diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
    pub unicode: bool,
    pub width: usize,
}

impl Default for Style {
    /// Plain text, as in snapshots and pipes.
    fn default() -> Style {
        Style {
            color: false,
            unicode: true,
            width: 100,
        }
    }
}

/// Renders diagnostics of one file, in order, each with its `file:line:column` and a caret line.
pub fn render(diagnostics: &[Diagnostic], name: &str, source: &str, style: Style) -> String {
    let theme = match (style.color, style.unicode) {
        (true, true) => GraphicalTheme::unicode(),
        (true, false) => GraphicalTheme::ascii(),
        (false, true) => GraphicalTheme::unicode_nocolor(),
        (false, false) => GraphicalTheme::none(),
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_context_lines(1);
    let named = NamedSource::new(name, source.to_owned());
    let mut out = String::new();
    for diagnostic in diagnostics {
        let bound = Bound {
            diagnostic,
            source: &named,
        };
        if handler.render_report(&mut out, &bound).is_err() {
            // Rendering into a String cannot fail; keep the message if it ever does.
            let (line, column) = diagnostic.line_column(source);
            out.push_str(&format!("{name}:{line}:{column}: {}\n", diagnostic.message));
        }
    }
    out
}
