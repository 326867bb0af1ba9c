//! An exact solver for choosing items: binary variables, "choosing i requires j" relations, and
//! a few linear rows `Σ a·x ≤ b`, maximising a linear objective with integer coefficients.
//!
//! This is the structure of release planning: a plan is a set of items closed under their
//! prerequisites, limited by capacity and by policy rows (a health floor, one of each group of
//! alternatives), and valued by the business side or by the technical side. The solver is a
//! branch and bound whose bounds are Lagrangian: the rows are priced into the objective and
//! what is left, a maximum-weight closure, is solved exactly by a minimum cut. With one row
//! the price is found exactly by a parametric search over the breakpoints, and the bound is the
//! linear-programming bound of the node (the closure polytope is integral). With several rows,
//! a search that does not finish within a few nodes goes on over the linear relaxation, solved
//! by the simplex method and solved again from the parent's basis at each node.
//!
//! With one row all arithmetic is on integers, so "optimal" is a proof, not a tolerance. The
//! relaxation is solved in floating point: a node is pruned by it only with a margin far above
//! the simplex's tolerances, and every plan is checked in integers.
//!
//! - [`Problem`]: the model, built variable by variable.
//! - [`solve`]: the optimum, or the best plan and the gap when a [`Limits`] stops it.
//! - [`frontier`]: the exact set of non-dominated plans between two objectives.
//! - [`nrp`]: the Next Release Problem's public instances, read and reduced to a [`Problem`].

mod branch;
mod flow;
mod front;
mod lp;
pub mod nrp;

use std::time::Duration;

pub use branch::{solve, solve_switching_after};
pub use front::{Front, FrontPoint, Lexicographic, frontier, lexicographic, spread};

/// A selection problem: maximise `objective · x` over binary `x` such that every
/// requirement holds and every row holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    objective: Vec<i64>,
    /// `(i, j)`: i can be chosen only with j.
    requires: Vec<(u32, u32)>,
    rows: Vec<Row>,
    fixed: Vec<Option<bool>>,
}

/// A linear row: `Σ coefficients[j] · x[j] ≤ bound`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub coefficients: Vec<i64>,
    pub bound: i64,
}

/// The largest sum of absolute coefficients a row or the objective may have; the product of
/// the objective's and any row's must also stay below 2^60, so that the 64-bit flows of the
/// price search never overflow.
pub const MAX_TOTAL: i64 = 1 << 40;

impl Problem {
    /// A problem of `n` variables, all free, with a zero objective, no requirement and no row.
    pub fn new(n: usize) -> Problem {
        Problem {
            objective: vec![0; n],
            requires: Vec::new(),
            rows: Vec::new(),
            fixed: vec![None; n],
        }
    }

    pub fn len(&self) -> usize {
        self.objective.len()
    }

    pub fn is_empty(&self) -> bool {
        self.objective.is_empty()
    }

    /// # Panics
    /// When `var` is not a variable of the problem.
    pub fn set_objective(&mut self, var: usize, value: i64) {
        self.objective[var] = value;
    }

    /// Replaces the whole objective.
    ///
    /// # Panics
    /// When the length is not the number of variables.
    pub fn set_objective_all(&mut self, objective: Vec<i64>) {
        assert_eq!(objective.len(), self.len(), "one coefficient per variable");
        self.objective = objective;
    }

    pub fn objective(&self) -> &[i64] {
        &self.objective
    }

    /// `var` can be chosen only together with `needed`.
    ///
    /// # Panics
    /// When either is not a variable of the problem.
    pub fn require(&mut self, var: usize, needed: usize) {
        assert!(var < self.len() && needed < self.len(), "variables exist");
        self.requires.push((var as u32, needed as u32));
    }

    pub fn requirements(&self) -> &[(u32, u32)] {
        &self.requires
    }

    /// Adds `Σ coefficients · x ≤ bound`; returns its index.
    ///
    /// # Panics
    /// When the length is not the number of variables.
    pub fn add_row(&mut self, coefficients: Vec<i64>, bound: i64) -> usize {
        assert_eq!(
            coefficients.len(),
            self.len(),
            "one coefficient per variable"
        );
        self.rows.push(Row {
            coefficients,
            bound,
        });
        self.rows.len() - 1
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// Fixes a variable: `true` means it must be chosen, `false` that it must not.
    ///
    /// # Panics
    /// When `var` is not a variable of the problem.
    pub fn fix(&mut self, var: usize, chosen: bool) {
        self.fixed[var] = Some(chosen);
    }

    pub fn fixed(&self) -> &[Option<bool>] {
        &self.fixed
    }

    /// The objective of a choice.
    pub fn value(&self, chosen: &[bool]) -> i64 {
        dot(&self.objective, chosen)
    }

    /// Checks a choice against every requirement, row and fixing, from scratch.
    pub fn check(&self, chosen: &[bool]) -> Result<(), Violation> {
        if chosen.len() != self.len() {
            return Err(Violation::Length {
                expected: self.len(),
                found: chosen.len(),
            });
        }
        for (var, (&fixed, &chosen)) in self.fixed.iter().zip(chosen).enumerate() {
            if fixed.is_some_and(|fixed| fixed != chosen) {
                return Err(Violation::Fixed { var });
            }
        }
        for &(var, needed) in &self.requires {
            if chosen[var as usize] && !chosen[needed as usize] {
                return Err(Violation::Requirement {
                    var: var as usize,
                    needed: needed as usize,
                });
            }
        }
        for (row, r) in self.rows.iter().enumerate() {
            let total = dot(&r.coefficients, chosen);
            if total > r.bound {
                return Err(Violation::Row {
                    row,
                    total,
                    bound: r.bound,
                });
            }
        }
        Ok(())
    }

    /// Refuses coefficients whose sums could overflow the solver's integer arithmetic.
    fn check_size(&self) -> Result<(), SolveError> {
        let objective = total(&self.objective).ok_or_else(|| SolveError::TooLarge {
            what: "the objective".to_owned(),
        })?;
        for (idx, row) in self.rows.iter().enumerate() {
            let fits = total(&row.coefficients).is_some_and(|size| fits_with(objective, size))
                && row.bound.checked_abs().is_some_and(|b| b <= MAX_TOTAL);
            if !fits {
                return Err(SolveError::TooLarge {
                    what: format!("row {idx} together with the objective"),
                });
            }
        }
        Ok(())
    }
}

/// The sum of absolute coefficients, when at most [`MAX_TOTAL`].
pub(crate) fn total(coefficients: &[i64]) -> Option<i64> {
    coefficients
        .iter()
        .try_fold(0i64, |sum, c| sum.checked_add(c.checked_abs()?))
        .filter(|&sum| sum <= MAX_TOTAL)
}

/// Whether an objective and a row of these sizes can be priced together: the products the
/// price search forms stay below 2^60.
pub(crate) fn fits_with(objective: i64, row: i64) -> bool {
    i128::from(objective + 1) * i128::from(row + 1) <= 1 << 60
}

fn dot(coefficients: &[i64], chosen: &[bool]) -> i64 {
    coefficients
        .iter()
        .zip(chosen)
        .filter(|(_, chosen)| **chosen)
        .map(|(c, _)| c)
        .sum()
}

/// Why a choice is not a solution.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Violation {
    #[error("the choice has {found} variables, the problem {expected}")]
    Length { expected: usize, found: usize },
    #[error("variable {var} is fixed the other way")]
    Fixed { var: usize },
    #[error("variable {var} is chosen without {needed}, which it requires")]
    Requirement { var: usize, needed: usize },
    #[error("row {row} sums to {total}, above its bound {bound}")]
    Row { row: usize, total: i64, bound: i64 },
}

/// A problem the solver refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SolveError {
    #[error(
        "{what} is too large: the sums of absolute coefficients must stay below {MAX_TOTAL}, and their product below 2^60; scale the numbers down"
    )]
    TooLarge { what: String },
}

/// When to stop searching before optimality is proven.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Limits {
    pub time: Option<Duration>,
    pub nodes: Option<u64>,
    /// Stop once the best choice is within this share of the bound (0.001: 0.1%), as
    /// mixed-integer solvers' relative gap; the solution is then not proven.
    pub gap: Option<f64>,
}

/// A choice and its objective.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub chosen: Vec<bool>,
    pub value: i64,
}

/// What the search found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solution {
    /// The best choice found; `None` when none was found (and, if `proven`, none exists).
    pub best: Option<Choice>,
    /// No choice is worth more than this. Equal to the best value when proven optimal;
    /// `i64::MIN` when proven infeasible.
    pub bound: i64,
    /// Whether the search finished: the best choice is optimal, or there is none.
    pub proven: bool,
    /// Branch-and-bound nodes evaluated.
    pub nodes: u64,
    /// Maximum-weight closures computed (one minimum cut each).
    pub cuts: u64,
    pub elapsed: Duration,
}

impl Solution {
    /// The gap between the bound and the best value, relative to the bound.
    pub fn gap(&self) -> Option<f64> {
        let best = self.best.as_ref()?.value;
        let denominator = (self.bound.abs()).max(1) as f64;
        Some((self.bound - best) as f64 / denominator)
    }
}
