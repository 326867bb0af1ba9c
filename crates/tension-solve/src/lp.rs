//! The linear relaxation of a problem (every variable between 0 and 1), solved by the simplex
//! method of `microlp`, and solved again from where it stood after a variable is fixed (dual
//! simplex): the bound of a branch-and-bound node at the cost of a few pivots.
//!
//! The simplex works in floating point, so its objective is trusted only with a margin
//! ([`Relaxation::margin`]); the choices it leads to are checked in integers.

use microlp::{
    ComparisonOp, Error, LinearExpr, OptimizationDirection, Problem as Lp, Solution,
    SolutionStatus, Variable,
};

use crate::Problem;
use crate::flow::Fix;

/// A variable at most this far from 0 or 1 counts as integral.
pub(crate) const INTEGRAL: f64 = 1e-6;

/// The relaxation at one node: solved, feasible.
#[derive(Clone)]
pub(crate) struct Relaxation {
    vars: Vec<Variable>,
    solution: Solution,
}

/// The simplex failed in a way a relaxation should not (not infeasibility): the caller falls
/// back to the bounds that need no floating point.
#[derive(Debug)]
pub(crate) struct Trouble;

impl Relaxation {
    /// The relaxation with the variables `fix` sets fixed; `Ok(None)` when it is infeasible.
    pub(crate) fn new(problem: &Problem, fix: &[Fix]) -> Result<Option<Relaxation>, Trouble> {
        let mut lp = Lp::new(OptimizationDirection::Maximize);
        let vars: Vec<Variable> = problem
            .objective()
            .iter()
            .zip(fix)
            .map(|(&c, fix)| {
                let range = match fix {
                    Fix::Free => (0.0, 1.0),
                    Fix::In => (1.0, 1.0),
                    Fix::Out => (0.0, 0.0),
                };
                lp.add_var(c as f64, range)
            })
            .collect();
        for &(var, needed) in problem.requirements() {
            let (var, needed) = (var as usize, needed as usize);
            if var == needed || (fix[var] != Fix::Free && fix[needed] != Fix::Free) {
                continue;
            }
            let mut row = LinearExpr::empty();
            row.add(vars[var], 1.0);
            row.add(vars[needed], -1.0);
            lp.add_constraint(row, ComparisonOp::Le, 0.0);
        }
        for row in problem.rows() {
            let mut expr = LinearExpr::empty();
            for (&var, &c) in vars.iter().zip(&row.coefficients) {
                if c != 0 {
                    expr.add(var, c as f64);
                }
            }
            lp.add_constraint(expr, ComparisonOp::Le, row.bound as f64);
        }
        Relaxation::checked(vars, lp.solve())
    }

    fn checked(
        vars: Vec<Variable>,
        outcome: Result<microlp::SolveOutcome, Error>,
    ) -> Result<Option<Relaxation>, Trouble> {
        match outcome {
            Err(Error::Infeasible) => Ok(None),
            Err(_) => Err(Trouble),
            Ok(outcome) => match outcome.into_solution() {
                Ok(solution) if solution.status() == SolutionStatus::Optimal => {
                    Ok(Some(Relaxation { vars, solution }))
                }
                _ => Err(Trouble),
            },
        }
    }

    /// This relaxation with `var` fixed to `chosen`; `Ok(None)` when that is infeasible.
    pub(crate) fn fixed(self, var: usize, chosen: bool) -> Result<Option<Relaxation>, Trouble> {
        let Relaxation { vars, solution } = self;
        let outcome = solution.fix_var(vars[var], if chosen { 1.0 } else { 0.0 });
        Relaxation::checked(vars, outcome)
    }

    /// The relaxation's optimum: at least the best choice's objective, up to [`Self::margin`].
    pub(crate) fn objective(&self) -> f64 {
        self.solution.objective()
    }

    pub(crate) fn value(&self, var: usize) -> f64 {
        self.solution.var_value_raw(self.vars[var])
    }

    /// How far below the exact optimum of the relaxation the simplex's objective may be, for
    /// an objective whose absolute coefficients sum to `size`: far above the simplex's own
    /// tolerances (about 1e-9 of the quantities involved), so that a node is pruned only when
    /// its bound is clearly below the incumbent.
    pub(crate) fn margin(size: i64) -> f64 {
        1e-6 * size as f64 + 1.0
    }
}
