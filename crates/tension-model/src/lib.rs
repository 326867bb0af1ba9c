//! The domain of `tension`: a scenario, its team and policy, the items with their business and
//! technical views, estimates with their evidence, reviews and objections.
//!
//! These are plain data types. They know nothing of files, formats or output: the scenario
//! crate builds them from a file, the engines read them.

mod calendar;
mod compile;
mod decision;
mod item;
mod objection;
mod scenario;

pub use calendar::Calendar;
pub use compile::{Compiled, FieldRef, compile};
pub use decision::{Decision, DecisionError, DecisionStatus, Reliance, SignOff};
pub use item::{BusinessView, Item, ItemKind, TechnicalView};
pub use objection::{
    Actor, Objection, ObjectionStatus, Target, Tension, Transition, TransitionDetails,
    TransitionError,
};
pub use scenario::{
    ErrorBudget, Policy, Quantity, Review, ReviewStatus, ReviewTransitionError, Scenario, Sla,
    SlaState, Team, Weekday, WithoutError, Workdays,
};

use jiff::civil::Date;
use tension_estimate::{Expr, Unit};

/// The two sides whose numbers meet on one table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    Business,
    Technical,
}

impl Side {
    pub const ALL: [Side; 2] = [Side::Business, Side::Technical];

    pub fn name(self) -> &'static str {
        match self {
            Side::Business => "business",
            Side::Technical => "technical",
        }
    }

    pub fn other(self) -> Side {
        match self {
            Side::Business => Side::Technical,
            Side::Technical => Side::Business,
        }
    }
}

/// How good the evidence behind a number is, from strongest to weakest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Quality {
    Measured,
    Benchmarked,
    Expert,
    Guess,
}

impl Quality {
    pub const ALL: [Quality; 4] = [
        Quality::Measured,
        Quality::Benchmarked,
        Quality::Expert,
        Quality::Guess,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Quality::Measured => "measured",
            Quality::Benchmarked => "benchmarked",
            Quality::Expert => "expert",
            Quality::Guess => "guess",
        }
    }
}

/// Where a number comes from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    pub source: Option<String>,
    pub quality: Option<Quality>,
    pub as_of: Option<Date>,
    pub owner: Option<String>,
    pub note: Option<String>,
}

impl Evidence {
    /// Evidence checked longer ago than this many days is stale: `tension check` warns, and
    /// `tension explain` counts it as weak.
    pub const STALE_DAYS: i32 = 180;

    /// Days from `as_of` to `today`, when the evidence has a date.
    pub fn age_days(&self, today: Date) -> Option<i32> {
        self.as_of.map(|as_of| (today - as_of).get_days())
    }
}

/// One estimate as a person wrote it, parsed, with its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// The estimate as written (`"15..40 days"`, or `"12"` for a bare number).
    pub text: String,
    pub expr: Expr,
    /// The unit given beside the value in the table form (`unit = "users/month"`); a unit of
    /// time there has already been applied to `expr`, and is kept here as `days`.
    pub unit: Option<Unit>,
    /// The table's `unit` exactly as written (`weeks` where `unit` says `days`), so that the
    /// scenario can be written back as it was read.
    pub unit_written: Option<String>,
    pub evidence: Evidence,
}

impl Estimate {
    /// The unit to show with its values: the table's `unit`, or the one written in the estimate.
    pub fn display_unit(&self) -> Option<String> {
        self.unit
            .as_ref()
            .map(|unit| unit.label.clone())
            .or_else(|| self.expr.display_unit())
    }

    /// Every unit the estimate states: the table's, then those written in the text.
    pub fn units(&self) -> impl Iterator<Item = &Unit> {
        self.unit
            .iter()
            .chain(self.expr.units().into_iter().map(|(unit, _)| unit))
    }
}

/// An estimated field: the owning side's estimate, which is used for computing, and the other
/// side's estimate of the same field when it gave one, kept for the disagreement map.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimated {
    pub owner: Side,
    pub by_owner: Estimate,
    pub by_other: Option<Estimate>,
}

impl Estimated {
    /// The estimate the engines compute with: the owner's.
    pub fn used(&self) -> &Estimate {
        &self.by_owner
    }

    /// The estimate one side gave, if it gave one.
    pub fn by(&self, side: Side) -> Option<&Estimate> {
        if side == self.owner {
            Some(&self.by_owner)
        } else {
            self.by_other.as_ref()
        }
    }
}
