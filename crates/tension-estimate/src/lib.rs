//! The estimate language: numbers with ranges, distributions and expressions over named
//! uncertain quantities, and a vectorised Monte Carlo sampler for them.
//!
//! The language is the one `SCENARIO.md` (version 1) defines: `12`, `"15..40 days"`,
//! `"2%..8%"`, `"pert(5, 10, 30)"`, `"checkout_users * conversion_lift * avg_order"`.
//! [`parse`] turns a text into an [`Expr`]; a [`Model`] compiles expressions, shares every
//! named quantity within a trial, and samples them with a seeded generator.
//!
//! Nothing in this crate does IO or reads a clock: the seed is an input, so the same input
//! gives the same numbers on every machine.

mod ast;
mod dist;
mod exp;
mod model;
mod parse;
mod summary;
mod unit;

pub use ast::{BinOp, Expr, ExprKind, Func, Span};
pub use dist::{Dist, DistError, Z90};
pub use model::{CHUNK, Model, ModelError, NodeId, Random, Sampler, stream_seed};
pub use parse::{MAX_DEPTH, MAX_OPERATORS, ParseError, ParseErrorKind, closest, parse};
pub use summary::{Histogram, Summary, quantile_rank, quantile_sorted};
pub use unit::{Dimension, Unit};
