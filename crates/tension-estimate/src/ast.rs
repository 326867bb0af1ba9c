//! The syntax tree of an estimate, with byte spans into the text it was parsed from.

use std::fmt;

use crate::dist::Dist;
use crate::unit::Unit;

/// A byte range in the estimate text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A parsed estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A fixed value, already scaled (`40k`, `3%`) and converted to base units (weeks to days).
    Number {
        value: f64,
        unit: Option<Unit>,
    },
    /// An uncertain value drawn afresh, independently of every other inline estimate.
    Dist {
        dist: Dist,
        unit: Option<Unit>,
    },
    /// A named quantity: one value per trial wherever it is used.
    Quantity(String),
    Neg(Box<Expr>),
    Binary {
        op: BinOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    Call {
        func: Func,
        args: Vec<Expr>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
}

impl BinOp {
    /// The operation on two numbers.
    pub fn apply(self, a: f64, b: f64) -> f64 {
        match self {
            BinOp::Add => a + b,
            BinOp::Sub => a - b,
            BinOp::Mul => a * b,
            BinOp::Div => a / b,
        }
    }
}

/// Functions over expressions (distributions are not functions: their arguments are numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    Min,
    Max,
}

impl Expr {
    /// A plain number, as if written in the text.
    pub fn number(value: f64) -> Expr {
        Expr {
            kind: ExprKind::Number { value, unit: None },
            span: Span::default(),
        }
    }

    /// Calls `visit` on this expression and every expression below it, parents first.
    pub fn walk<'a>(&'a self, visit: &mut impl FnMut(&'a Expr)) {
        visit(self);
        match &self.kind {
            ExprKind::Number { .. } | ExprKind::Dist { .. } | ExprKind::Quantity(_) => {}
            ExprKind::Neg(inner) => inner.walk(visit),
            ExprKind::Binary { lhs, rhs, .. } => {
                lhs.walk(visit);
                rhs.walk(visit);
            }
            ExprKind::Call { args, .. } => args.iter().for_each(|arg| arg.walk(visit)),
        }
    }

    /// The named quantities this expression refers to, with their spans, in order of appearance.
    pub fn quantities(&self) -> Vec<(&str, Span)> {
        let mut names = Vec::new();
        self.walk(&mut |expr| {
            if let ExprKind::Quantity(name) = &expr.kind {
                names.push((name.as_str(), expr.span));
            }
        });
        names
    }

    /// The units written on the literals and distributions of this expression.
    pub fn units(&self) -> Vec<(&Unit, Span)> {
        let mut units = Vec::new();
        self.walk(&mut |expr| match &expr.kind {
            ExprKind::Number {
                unit: Some(unit), ..
            }
            | ExprKind::Dist {
                unit: Some(unit), ..
            } => units.push((unit, expr.span)),
            _ => {}
        });
        units
    }

    /// The range the expression spans when every estimate in it ranges over its 90% interval,
    /// by interval arithmetic. It is wider than the result's own 90% interval, which makes it a
    /// fair test of "can this go negative" or "can this leave 0..1". `None` when it names a
    /// quantity (whose range the caller knows) or divides by a range that contains 0.
    pub fn bounds(&self) -> Option<(f64, f64)> {
        let extremes = |values: [f64; 4]| {
            let low = values.iter().copied().fold(f64::INFINITY, f64::min);
            let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            (low, high)
        };
        match &self.kind {
            ExprKind::Number { value, .. } => Some((*value, *value)),
            ExprKind::Dist { dist, .. } => Some(dist.ninety_percent()),
            ExprKind::Quantity(_) => None,
            ExprKind::Neg(inner) => inner.bounds().map(|(low, high)| (-high, -low)),
            ExprKind::Binary { op, lhs, rhs } => {
                let ((a, b), (c, d)) = (lhs.bounds()?, rhs.bounds()?);
                match op {
                    BinOp::Add => Some((a + c, b + d)),
                    BinOp::Sub => Some((a - d, b - c)),
                    BinOp::Mul => Some(extremes([a * c, a * d, b * c, b * d])),
                    BinOp::Div if c <= 0.0 && d >= 0.0 => None,
                    BinOp::Div => Some(extremes([a / c, a / d, b / c, b / d])),
                }
            }
            ExprKind::Call { func, args } => {
                let bounds = args.iter().map(Expr::bounds).collect::<Option<Vec<_>>>()?;
                let pick = |values: &mut dyn Iterator<Item = f64>| match func {
                    Func::Min => values.fold(f64::INFINITY, f64::min),
                    Func::Max => values.fold(f64::NEG_INFINITY, f64::max),
                };
                Some((
                    pick(&mut bounds.iter().map(|b| b.0)),
                    pick(&mut bounds.iter().map(|b| b.1)),
                ))
            }
        }
    }

    /// True when the expression has no uncertainty of its own and names no quantity.
    pub fn is_fixed(&self) -> bool {
        let mut fixed = true;
        self.walk(&mut |expr| {
            if matches!(expr.kind, ExprKind::Dist { .. } | ExprKind::Quantity(_)) {
                fixed = false;
            }
        });
        fixed
    }

    /// The unit to show next to the result, inferred through the operators: sums keep a
    /// shared unit, products and quotients combine them (`USD` per `month`).
    pub fn display_unit(&self) -> Option<String> {
        match &self.kind {
            ExprKind::Number { unit, .. } | ExprKind::Dist { unit, .. } => {
                unit.as_ref().map(|unit| unit.label.clone())
            }
            ExprKind::Quantity(_) => None,
            ExprKind::Neg(inner) => inner.display_unit(),
            ExprKind::Binary { op, lhs, rhs } => {
                let (lhs, rhs) = (lhs.display_unit(), rhs.display_unit());
                match (op, lhs, rhs) {
                    (_, None, None) => None,
                    (BinOp::Add | BinOp::Sub, Some(unit), None)
                    | (BinOp::Add | BinOp::Sub, None, Some(unit)) => Some(unit),
                    (BinOp::Add | BinOp::Sub, Some(lhs), Some(rhs)) => (lhs == rhs).then_some(lhs),
                    (BinOp::Mul, Some(unit), None) | (BinOp::Mul, None, Some(unit)) => Some(unit),
                    (BinOp::Mul, Some(lhs), Some(rhs)) => Some(format!("{lhs}·{rhs}")),
                    (BinOp::Div, Some(unit), None) => Some(unit),
                    (BinOp::Div, None, Some(unit)) => Some(format!("1/{unit}")),
                    (BinOp::Div, Some(lhs), Some(rhs)) => {
                        (lhs != rhs).then(|| format!("{lhs}/{rhs}"))
                    }
                }
            }
            ExprKind::Call { args, .. } => {
                let mut units = args.iter().map(Expr::display_unit);
                let first = units.next().flatten();
                units
                    .all(|unit| unit.is_none() || unit == first)
                    .then_some(first)?
            }
        }
    }
}

impl fmt::Display for BinOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
        })
    }
}
