//! The parser of the estimate language: a small lexer and a recursive-descent parser that
//! keeps a byte span for every node, so that a mistake can be underlined where it was written.

use std::fmt;

use crate::ast::{BinOp, Expr, ExprKind, Func, Span};
use crate::dist::{Dist, DistError};
use crate::unit::Unit;

/// How deeply parentheses, signs and calls may nest. Far beyond any real estimate, and low
/// enough that no input can exhaust the stack.
pub const MAX_DEPTH: usize = 64;

/// The longest estimate text accepted, in bytes.
const MAX_LEN: usize = 10_000;

/// The most operators one estimate may have. Chains of operators build a deep tree, so this
/// bounds the tree's depth, and with it the recursion of everything that walks it.
pub const MAX_OPERATORS: usize = 500;

/// Parses one estimate: `"15..40 days"`, `"pert(5, 10, 30)"`, `"users * lift * 40 USD"`.
pub fn parse(text: &str) -> Result<Expr, ParseError> {
    if text.len() > MAX_LEN {
        return Err(ParseError::new(
            ParseErrorKind::TooLong { len: text.len() },
            Span::new(0, text.len()),
        ));
    }
    let tokens = lex(text)?;
    let mut parser = Parser {
        text,
        tokens,
        pos: 0,
        depth: 0,
        n_operators: 0,
    };
    if parser.peek().kind == Tok::Eof {
        return Err(ParseError::new(
            ParseErrorKind::Empty,
            Span::new(0, text.len()),
        ));
    }
    let expr = parser.expr()?;
    let next = parser.peek();
    if next.kind != Tok::Eof {
        return Err(ParseError::new(
            ParseErrorKind::Unexpected {
                found: next.kind.describe(text, next.span),
                expected: "an operator (+ - * /) or the end of the estimate",
            },
            next.span,
        ));
    }
    Ok(expr)
}

/// A mistake in an estimate, with where it is in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub kind: ParseErrorKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ParseErrorKind {
    Empty,
    TooLong {
        len: usize,
    },
    UnexpectedChar(char),
    Unexpected {
        found: String,
        expected: &'static str,
    },
    BadNumber(String),
    NumberTooLarge,
    UnknownFunction {
        name: String,
        suggestion: Option<&'static str>,
    },
    WrongArity {
        func: &'static str,
        expected: &'static str,
        found: usize,
    },
    BadParameters {
        func: &'static str,
        reason: DistError,
    },
    DivisionByZero,
    TooDeep,
    TooManyOperators,
    SuffixOnLowEndOnly,
}

impl ParseError {
    fn new(kind: ParseErrorKind, span: Span) -> ParseError {
        ParseError { kind, span }
    }

    /// A hint on how to fix it, where one helps.
    pub fn help(&self) -> Option<String> {
        match &self.kind {
            ParseErrorKind::Empty => Some(
                "write a number (`12`), a range (`15..40 days`) or a distribution (`pert(5, 10, 30)`)"
                    .into(),
            ),
            ParseErrorKind::UnexpectedChar(_) | ParseErrorKind::Unexpected { .. } => Some(
                "an estimate is a number, a range like `15..40`, a distribution like `pert(5, 10, 30)`, or an expression over named quantities with + - * / ( ) min max"
                    .into(),
            ),
            ParseErrorKind::NumberTooLarge => {
                Some("numbers must be below about 1.8e308; use a smaller unit".into())
            }
            ParseErrorKind::UnknownFunction { suggestion, .. } => Some(match suggestion {
                Some(name) => format!("did you mean `{name}`?"),
                None => format!("the functions are {}", FUNCTION_NAMES.join(", ")),
            }),
            ParseErrorKind::WrongArity { func, .. } => Some(format!("write `{}`", signature(func))),
            ParseErrorKind::BadParameters {
                reason: DistError::LowAboveHigh { low, high },
                ..
            } => Some(format!(
                "a range is written low end first: `{}..{}`",
                number(*high),
                number(*low)
            )),
            ParseErrorKind::BadParameters { func, .. } => Some(format!("write `{}`", signature(func))),
            ParseErrorKind::TooDeep => Some(format!(
                "at most {MAX_DEPTH} levels of parentheses, signs and calls; name parts of it in [quantities]"
            )),
            ParseErrorKind::TooLong { .. } | ParseErrorKind::TooManyOperators => {
                Some("split it into named quantities in [quantities]".into())
            }
            ParseErrorKind::SuffixOnLowEndOnly => Some(
                "write it on both ends (`2%..8%`, `40k..60k`), or on the high end only (`2..8%`)".into(),
            ),
            ParseErrorKind::DivisionByZero => Some("dividing by 0 gives no number in any trial; check the expression".into()),
            ParseErrorKind::BadNumber(_) => None,
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ParseErrorKind::Empty => write!(f, "the estimate is empty"),
            ParseErrorKind::TooLong { len } => {
                write!(f, "the estimate is {len} bytes long, more than {MAX_LEN}")
            }
            ParseErrorKind::UnexpectedChar(c) => {
                write!(f, "unexpected character `{}`", c.escape_debug())
            }
            ParseErrorKind::Unexpected { found, expected } => {
                write!(f, "expected {expected}, found {found}")
            }
            ParseErrorKind::BadNumber(text) => write!(f, "`{text}` is not a number"),
            ParseErrorKind::NumberTooLarge => write!(f, "number too large"),
            ParseErrorKind::UnknownFunction { name, .. } => write!(f, "unknown function `{name}`"),
            ParseErrorKind::WrongArity {
                func,
                expected,
                found,
            } => write!(f, "`{func}` takes {expected}, found {found}"),
            ParseErrorKind::BadParameters { func, reason } => match (func, reason) {
                (&"range", DistError::LowAboveHigh { low, high }) => write!(
                    f,
                    "the low end {} is above the high end {}",
                    number(*low),
                    number(*high)
                ),
                _ => write!(f, "bad parameters for `{func}`: {reason}"),
            },
            ParseErrorKind::DivisionByZero => write!(f, "division by zero"),
            ParseErrorKind::TooDeep => write!(f, "the estimate is nested too deeply"),
            ParseErrorKind::SuffixOnLowEndOnly => {
                write!(
                    f,
                    "the low end has a suffix (`%`, `k` or `M`) that the high end lacks"
                )
            }
            ParseErrorKind::TooManyOperators => {
                write!(f, "the estimate has more than {MAX_OPERATORS} operators")
            }
        }
    }
}

impl std::error::Error for ParseError {}

const FUNCTION_NAMES: [&str; 7] = [
    "pert",
    "triangular",
    "uniform",
    "normal",
    "lognormal",
    "min",
    "max",
];

fn signature(func: &str) -> &'static str {
    match func {
        "pert" => "pert(min, most_likely, max)",
        "triangular" => "triangular(min, mode, max)",
        "uniform" => "uniform(low, high)",
        "normal" => "normal(mean, sd)",
        "lognormal" => "lognormal(mean, sd)",
        "min" => "min(a, b, ...)",
        "max" => "max(a, b, ...)",
        _ => "low..high",
    }
}

/// Formats a number the way people write it: no trailing `.0`.
fn number(value: f64) -> String {
    format!("{value}")
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    /// A number with its multiplier suffix already applied; `scaled` says whether it had one.
    Num {
        value: f64,
        suffix: Option<f64>,
    },
    Ident,
    DotDot,
    Plus,
    Minus,
    Star,
    Slash,
    LParen,
    RParen,
    Comma,
    Percent,
    Eof,
}

impl Tok {
    fn describe(&self, text: &str, span: Span) -> String {
        match self {
            Tok::Eof => "the end of the estimate".to_owned(),
            _ => format!("`{}`", &text[span.start..span.end]),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Tok,
    span: Span,
}

fn lex(text: &str) -> Result<Vec<Token>, ParseError> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        let start = pos;
        let byte = bytes[pos];
        let single = match byte {
            b' ' | b'\t' | b'\n' | b'\r' => {
                pos += 1;
                continue;
            }
            b'+' => Some(Tok::Plus),
            b'-' => Some(Tok::Minus),
            b'*' => Some(Tok::Star),
            b'/' => Some(Tok::Slash),
            b'(' => Some(Tok::LParen),
            b')' => Some(Tok::RParen),
            b',' => Some(Tok::Comma),
            b'%' => Some(Tok::Percent),
            b'.' if bytes.get(pos + 1) == Some(&b'.') => {
                pos += 2;
                tokens.push(Token {
                    kind: Tok::DotDot,
                    span: Span::new(start, pos),
                });
                continue;
            }
            _ => None,
        };
        if let Some(kind) = single {
            pos += 1;
            tokens.push(Token {
                kind,
                span: Span::new(start, pos),
            });
            continue;
        }
        if byte.is_ascii_digit()
            || (byte == b'.' && bytes.get(pos + 1).is_some_and(u8::is_ascii_digit))
        {
            pos = lex_number(text, pos, &mut tokens)?;
            continue;
        }
        if byte.is_ascii_alphabetic() || byte == b'_' {
            while pos < bytes.len() && (bytes[pos].is_ascii_alphanumeric() || bytes[pos] == b'_') {
                pos += 1;
            }
            tokens.push(Token {
                kind: Tok::Ident,
                span: Span::new(start, pos),
            });
            continue;
        }
        // Not ASCII, or a stray symbol: report the whole character, not a byte of it.
        let c = text[pos..]
            .chars()
            .next()
            .unwrap_or(char::REPLACEMENT_CHARACTER);
        return Err(ParseError::new(
            ParseErrorKind::UnexpectedChar(c),
            Span::new(pos, pos + c.len_utf8()),
        ));
    }
    tokens.push(Token {
        kind: Tok::Eof,
        span: Span::new(text.len(), text.len()),
    });
    Ok(tokens)
}

/// Lexes `12`, `1.5`, `.5`, `1e9`, `1_000`, and the multipliers `40k` and `3M`.
fn lex_number(text: &str, start: usize, tokens: &mut Vec<Token>) -> Result<usize, ParseError> {
    let bytes = text.as_bytes();
    let mut pos = start;
    let digits = |pos: &mut usize| {
        while *pos < bytes.len() && (bytes[*pos].is_ascii_digit() || bytes[*pos] == b'_') {
            *pos += 1;
        }
    };
    digits(&mut pos);
    // A dot followed by a dot is a range, not a decimal point.
    if pos < bytes.len() && bytes[pos] == b'.' && bytes.get(pos + 1) != Some(&b'.') {
        pos += 1;
        digits(&mut pos);
    }
    if pos < bytes.len() && (bytes[pos] == b'e' || bytes[pos] == b'E') {
        let mut exp = pos + 1;
        if exp < bytes.len() && (bytes[exp] == b'+' || bytes[exp] == b'-') {
            exp += 1;
        }
        if exp < bytes.len() && bytes[exp].is_ascii_digit() {
            pos = exp;
            digits(&mut pos);
        }
    }
    let literal = &text[start..pos];
    let span = Span::new(start, pos);
    let mut value: f64 = literal
        .replace('_', "")
        .parse()
        .map_err(|_| ParseError::new(ParseErrorKind::BadNumber(literal.to_owned()), span))?;
    if !value.is_finite() {
        return Err(ParseError::new(ParseErrorKind::NumberTooLarge, span));
    }
    let mut suffix = None;
    let is_word_char = |byte: u8| byte.is_ascii_alphanumeric() || byte == b'_';
    if let Some(&letter) = bytes.get(pos) {
        let multiplier = match letter {
            b'k' | b'K' => Some(1e3),
            b'M' => Some(1e6),
            _ => None,
        };
        if let Some(multiplier) = multiplier
            && !bytes.get(pos + 1).is_some_and(|&byte| is_word_char(byte))
        {
            pos += 1;
            value *= multiplier;
            suffix = Some(multiplier);
        }
    }
    if !value.is_finite() {
        return Err(ParseError::new(
            ParseErrorKind::NumberTooLarge,
            Span::new(start, pos),
        ));
    }
    tokens.push(Token {
        kind: Tok::Num { value, suffix },
        span: Span::new(start, pos),
    });
    Ok(pos)
}

struct Parser<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
    n_operators: usize,
}

/// A number as written, with the scale that a trailing `%` or multiplier gave it.
#[derive(Debug, Clone, Copy)]
struct Literal {
    value: f64,
    /// The factor already applied by a suffix, so that `2..8%` can apply it to the low end too.
    scale: Option<f64>,
    span: Span,
}

impl Parser<'_> {
    fn peek(&self) -> Token {
        self.tokens[self.pos.min(self.tokens.len() - 1)]
    }

    fn peek_at(&self, offset: usize) -> Token {
        self.tokens[(self.pos + offset).min(self.tokens.len() - 1)]
    }

    fn bump(&mut self) -> Token {
        let token = self.peek();
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        token
    }

    fn slice(&self, span: Span) -> &str {
        &self.text[span.start..span.end]
    }

    fn is_word(&self, token: Token, word: &str) -> bool {
        token.kind == Tok::Ident && self.slice(token.span) == word
    }

    fn unexpected(&self, expected: &'static str) -> ParseError {
        let token = self.peek();
        ParseError::new(
            ParseErrorKind::Unexpected {
                found: token.kind.describe(self.text, token.span),
                expected,
            },
            token.span,
        )
    }

    fn expect(&mut self, kind: Tok, expected: &'static str) -> Result<Token, ParseError> {
        if self.peek().kind == kind {
            Ok(self.bump())
        } else {
            Err(self.unexpected(expected))
        }
    }

    fn count_operator(&mut self, span: Span) -> Result<(), ParseError> {
        self.n_operators += 1;
        if self.n_operators > MAX_OPERATORS {
            return Err(ParseError::new(ParseErrorKind::TooManyOperators, span));
        }
        Ok(())
    }

    fn enter(&mut self, span: Span) -> Result<(), ParseError> {
        self.depth += 1;
        // The outermost factor is level 0: each parenthesis, sign or call adds one.
        if self.depth > MAX_DEPTH + 1 {
            return Err(ParseError::new(ParseErrorKind::TooDeep, span));
        }
        Ok(())
    }

    fn expr(&mut self) -> Result<Expr, ParseError> {
        let mut lhs = self.term()?;
        loop {
            let op = match self.peek().kind {
                Tok::Plus => BinOp::Add,
                Tok::Minus => BinOp::Sub,
                _ => return Ok(lhs),
            };
            let op_token = self.bump();
            self.count_operator(op_token.span)?;
            let rhs = self.term()?;
            lhs = binary(op, lhs, rhs);
        }
    }

    fn term(&mut self) -> Result<Expr, ParseError> {
        let mut lhs = self.factor()?;
        loop {
            let op = match self.peek().kind {
                Tok::Star => BinOp::Mul,
                Tok::Slash => BinOp::Div,
                _ => return Ok(lhs),
            };
            let op_token = self.bump();
            self.count_operator(op_token.span)?;
            let rhs = self.factor()?;
            if op == BinOp::Div
                && matches!(rhs.kind, ExprKind::Number { value, .. } if value == 0.0)
            {
                return Err(ParseError::new(ParseErrorKind::DivisionByZero, rhs.span));
            }
            lhs = binary(op, lhs, rhs);
        }
    }

    fn factor(&mut self) -> Result<Expr, ParseError> {
        let token = self.peek();
        self.enter(token.span)?;
        let result = self.factor_inner();
        self.depth -= 1;
        result
    }

    fn factor_inner(&mut self) -> Result<Expr, ParseError> {
        let token = self.peek();
        match token.kind {
            // A minus right before a number belongs to the number, so that `-5..5` is a range.
            Tok::Minus if matches!(self.peek_at(1).kind, Tok::Num { .. }) => self.number_or_range(),
            Tok::Minus => {
                self.bump();
                let inner = self.factor()?;
                let span = token.span.to(inner.span);
                Ok(Expr {
                    kind: ExprKind::Neg(Box::new(inner)),
                    span,
                })
            }
            Tok::Plus => {
                self.bump();
                self.factor()
            }
            Tok::Num { .. } => self.number_or_range(),
            Tok::LParen => {
                self.bump();
                let inner = self.expr()?;
                let close = self.expect(Tok::RParen, "`)`")?;
                Ok(Expr {
                    kind: inner.kind,
                    span: token.span.to(close.span),
                })
            }
            Tok::Ident if self.peek_at(1).kind == Tok::LParen => self.call(),
            Tok::Ident => {
                self.bump();
                Ok(Expr {
                    kind: ExprKind::Quantity(self.slice(token.span).to_owned()),
                    span: token.span,
                })
            }
            _ => Err(self.unexpected("a number, a range, a quantity name or `(`")),
        }
    }

    /// A signed number with an optional `%` right after it.
    fn literal(&mut self) -> Result<Literal, ParseError> {
        let minus = if self.peek().kind == Tok::Minus {
            Some(self.bump())
        } else {
            None
        };
        let token = self.peek();
        let Tok::Num { value, suffix } = token.kind else {
            return Err(self.unexpected("a number"));
        };
        self.bump();
        let mut literal = Literal {
            value: if minus.is_some() { -value } else { value },
            scale: suffix,
            span: minus.map_or(token.span, |minus| minus.span.to(token.span)),
        };
        if self.peek().kind == Tok::Percent && literal.scale.is_none() {
            let percent = self.bump();
            literal.value /= 100.0;
            literal.scale = Some(0.01);
            literal.span = literal.span.to(percent.span);
        }
        Ok(literal)
    }

    fn number_or_range(&mut self) -> Result<Expr, ParseError> {
        let low = self.literal()?;
        let next = self.peek();
        let is_range = next.kind == Tok::DotDot || self.is_word(next, "to");
        if !is_range {
            let (unit, factor, end) = self.unit(low.span)?;
            let expr = Expr {
                kind: ExprKind::Number {
                    value: low.value * factor,
                    unit,
                },
                span: low.span.to(end),
            };
            return Ok(expr);
        }
        self.bump();
        let high = self.literal()?;
        // A suffix written on the high end only applies to both: `2..8%`, `40..60k`. One on
        // the low end only is almost always a slip (`2%..8` would run from 0.02 to 8).
        let low_value = match (low.scale, high.scale) {
            (None, Some(scale)) => low.value * scale,
            (Some(_), None) => {
                return Err(ParseError::new(
                    ParseErrorKind::SuffixOnLowEndOnly,
                    range_span_of(&low, &high),
                ));
            }
            _ => low.value,
        };
        let range_span = low.span.to(high.span);
        let (unit, factor, end) = self.unit(range_span)?;
        let span = range_span.to(end);
        let dist = Dist::interval(low_value, high.value).map_err(|reason| {
            ParseError::new(
                ParseErrorKind::BadParameters {
                    func: "range",
                    reason,
                },
                range_span,
            )
        })?;
        let kind = match dist {
            Some(dist) => ExprKind::Dist {
                dist: dist.scaled(factor),
                unit,
            },
            None => ExprKind::Number {
                value: low_value * factor,
                unit,
            },
        };
        Ok(Expr { kind, span })
    }

    /// An optional unit after a number, range or distribution: `days`, `USD/month`, `%`.
    /// Returns the unit, the factor to apply, and where the unit ends.
    fn unit(&mut self, before: Span) -> Result<(Option<Unit>, f64, Span), ParseError> {
        let token = self.peek();
        if token.kind == Tok::Percent {
            self.bump();
            return Ok((None, 0.01, token.span));
        }
        // A word followed by `(` is a call, never a unit.
        if token.kind != Tok::Ident
            || self.peek_at(1).kind == Tok::LParen
            || self.is_word(token, "to")
        {
            return Ok((None, 1.0, before));
        }
        self.bump();
        let mut end = token.span;
        // `USD/month`: a slash glued to both words makes a compound unit, not a division.
        let slash = self.peek();
        let after = self.peek_at(1);
        if slash.kind == Tok::Slash
            && slash.span.start == end.end
            && after.kind == Tok::Ident
            && after.span.start == slash.span.end
        {
            self.bump();
            self.bump();
            end = after.span;
        }
        let (unit, factor) = Unit::parse(self.slice(token.span.to(end)));
        Ok((Some(unit), factor, end))
    }

    fn call(&mut self) -> Result<Expr, ParseError> {
        let name_token = self.bump();
        let name = self.slice(name_token.span).to_owned();
        self.bump(); // `(`, checked by the caller
        let func = match name.as_str() {
            "min" => Some(Func::Min),
            "max" => Some(Func::Max),
            _ => None,
        };
        if let Some(func) = func {
            let mut args = Vec::new();
            loop {
                args.push(self.expr()?);
                if self.peek().kind == Tok::Comma {
                    let comma = self.bump();
                    self.count_operator(comma.span)?;
                } else {
                    break;
                }
            }
            let close = self.expect(Tok::RParen, "`,` or `)`")?;
            return Ok(Expr {
                kind: ExprKind::Call { func, args },
                span: name_token.span.to(close.span),
            });
        }
        let func: &'static str = match name.as_str() {
            "pert" => "pert",
            "triangular" => "triangular",
            "uniform" => "uniform",
            "normal" => "normal",
            "lognormal" => "lognormal",
            _ => {
                return Err(ParseError::new(
                    ParseErrorKind::UnknownFunction {
                        suggestion: closest(&name, FUNCTION_NAMES),
                        name,
                    },
                    name_token.span,
                ));
            }
        };
        let mut params = Vec::new();
        if self.peek().kind != Tok::RParen {
            loop {
                params.push(self.literal()?);
                if self.peek().kind == Tok::Comma {
                    self.bump();
                } else {
                    break;
                }
            }
        }
        let close = self.expect(Tok::RParen, "`,` or `)`")?;
        let call_span = name_token.span.to(close.span);
        let values: Vec<f64> = params.iter().map(|param| param.value).collect();
        let expected = if matches!(func, "pert" | "triangular") {
            3
        } else {
            2
        };
        if values.len() != expected {
            return Err(ParseError::new(
                ParseErrorKind::WrongArity {
                    func,
                    expected: if expected == 3 {
                        "3 numbers"
                    } else {
                        "2 numbers"
                    },
                    found: values.len(),
                },
                call_span,
            ));
        }
        let dist = match func {
            "pert" => Dist::pert(values[0], values[1], values[2]),
            "triangular" => Dist::triangular(values[0], values[1], values[2]),
            "uniform" => Dist::uniform(values[0], values[1]),
            "normal" => Dist::normal(values[0], values[1]),
            _ => Dist::lognormal(values[0], values[1]),
        }
        .map_err(|reason| {
            ParseError::new(ParseErrorKind::BadParameters { func, reason }, call_span)
        })?;
        let (unit, factor, end) = self.unit(call_span)?;
        Ok(Expr {
            kind: ExprKind::Dist {
                dist: dist.scaled(factor),
                unit,
            },
            span: call_span.to(end),
        })
    }
}

fn range_span_of(low: &Literal, high: &Literal) -> Span {
    low.span.to(high.span)
}

fn binary(op: BinOp, lhs: Expr, rhs: Expr) -> Expr {
    let span = lhs.span.to(rhs.span);
    Expr {
        kind: ExprKind::Binary {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        },
        span,
    }
}

/// The closest of `candidates` to `name`, if it is close enough to be a likely typo: the one
/// suggestion rule behind every "did you mean" in `tension`.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(name, candidate), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}
