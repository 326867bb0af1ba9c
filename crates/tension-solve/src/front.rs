//! The exact frontier between two objectives, by the epsilon-constraint method.
//!
//! From the first objective's ideal towards the second's: maximise the first objective with
//! the second at least ε, then maximise the second with the first held at that optimum; the
//! pair is a non-dominated point, and the next ε is one above its second objective. Both
//! objectives are integers, so this visits every non-dominated value pair exactly once.

use std::time::{Duration, Instant};

use crate::{Choice, Limits, Problem, SolveError, solve};

/// One non-dominated plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontPoint {
    pub chosen: Vec<bool>,
    pub first: i64,
    pub second: i64,
}

/// The frontier, ordered from the first objective's ideal to the second's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Front {
    pub points: Vec<FrontPoint>,
    /// Whether every point was proven optimal (and the list is complete, unless `points` asked
    /// for a selection).
    pub proven: bool,
    pub nodes: u64,
    pub elapsed: Duration,
}

/// The non-dominated choices of `problem` (its own objective ignored) between `first` and
/// `second`, both maximised. With `points = Some(k)`, at most k points spread evenly over the
/// second objective's range, the two ideals included; otherwise all of them.
pub fn frontier(
    problem: &Problem,
    first: &[i64],
    second: &[i64],
    points: Option<usize>,
    limits: &Limits,
) -> Result<Front, SolveError> {
    let started = Instant::now();
    let tally = std::cell::Cell::new((0u64, true));
    let count = |solution: &crate::Solution| {
        let (nodes, proven) = tally.get();
        tally.set((nodes + solution.nodes, proven && solution.proven));
    };
    let remaining = |limits: &Limits| Limits {
        time: limits
            .time
            .map(|time| time.saturating_sub(started.elapsed())),
        nodes: limits.nodes,
    };
    // One non-dominated point with the second objective at least `floor`: the first
    // objective's optimum, the second's best among its optima. In one search when the
    // weighted sum `first · K + second` (K above the second's whole range) fits the solver's
    // integers, else in two.
    let weight = crate::total(second).map(|size| size + 1);
    let combined: Option<Vec<i64>> = weight.and_then(|k| {
        let objective: Option<Vec<i64>> = first
            .iter()
            .zip(second)
            .map(|(&f, &s)| f.checked_mul(k)?.checked_add(s))
            .collect();
        objective.filter(|objective| crate::total(objective).is_some())
    });
    let point = |floor: Option<i64>| -> Result<Option<FrontPoint>, SolveError> {
        let mut stage = problem.clone();
        if let Some(floor) = floor {
            stage.add_row(second.iter().map(|c| -c).collect(), -floor);
        }
        let lexicographic = combined.as_ref().filter(|objective| {
            let mut trial = stage.clone();
            trial.set_objective_all(objective.to_vec());
            trial.check_size().is_ok()
        });
        let chosen = if let Some(objective) = lexicographic {
            stage.set_objective_all(objective.clone());
            let solution = solve(&stage, &remaining(limits))?;
            count(&solution);
            let Some(Choice { chosen, .. }) = solution.best else {
                return Ok(None);
            };
            chosen
        } else {
            stage.set_objective_all(first.to_vec());
            let solution = solve(&stage, &remaining(limits))?;
            count(&solution);
            let Some(Choice { value: best, .. }) = solution.best else {
                return Ok(None);
            };
            stage.set_objective_all(second.to_vec());
            stage.add_row(first.iter().map(|c| -c).collect(), -best);
            let solution = solve(&stage, &remaining(limits))?;
            count(&solution);
            let Some(Choice { chosen, .. }) = solution.best else {
                return Ok(None);
            };
            chosen
        };
        Ok(Some(FrontPoint {
            first: crate::dot(first, &chosen),
            second: crate::dot(second, &chosen),
            chosen,
        }))
    };
    let mut found: Vec<FrontPoint> = Vec::new();
    match points {
        None => {
            let mut floor = None;
            while let Some(next) = point(floor)? {
                floor = Some(next.second + 1);
                found.push(next);
            }
        }
        Some(k) => {
            let Some(first_ideal) = point(None)? else {
                let (nodes, proven) = tally.get();
                return Ok(Front {
                    points: found,
                    proven,
                    nodes,
                    elapsed: started.elapsed(),
                });
            };
            // The second objective's ideal: the largest second value any choice reaches.
            let mut reversed = problem.clone();
            reversed.set_objective_all(second.to_vec());
            let top = solve(&reversed, &remaining(limits))?;
            count(&top);
            let low = first_ideal.second;
            let high = top.best.map_or(low, |best| best.value);
            found.push(first_ideal);
            let steps = k.max(2) - 1;
            for step in 1..=steps {
                let floor = low + ((i128::from(high - low) * step as i128) / steps as i128) as i64;
                if found.last().is_some_and(|last| last.second >= floor) {
                    continue;
                }
                if let Some(next) = point(Some(floor))? {
                    found.push(next);
                }
            }
        }
    }
    let (nodes, proven) = tally.get();
    Ok(Front {
        points: found,
        proven,
        nodes,
        elapsed: started.elapsed(),
    })
}
