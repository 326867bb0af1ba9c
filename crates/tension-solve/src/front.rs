//! The exact frontier between two objectives, by the epsilon-constraint method.
//!
//! From the first objective's ideal towards the second's: maximise the first objective with
//! the second at least ε, breaking ties by the second; the pair is a non-dominated point, and
//! the next ε is one above its second objective. Both objectives are integers, so this visits
//! every non-dominated value pair exactly once.

use std::time::{Duration, Instant};

use crate::{Choice, Limits, Problem, Solution, SolveError, solve};

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

/// The outcome of one [`lexicographic`] search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lexicographic {
    /// `None` when no choice has the second objective at the floor.
    pub point: Option<FrontPoint>,
    pub proven: bool,
    pub nodes: u64,
}

/// The choice that maximises `first` with `second` at least `floor`, and among those the one
/// of largest `second`: a non-dominated point. One search when the weighted sum
/// `first · K + second` (K above the second's whole range) fits the solver's integers, else
/// two.
pub fn lexicographic(
    problem: &Problem,
    first: &[i64],
    second: &[i64],
    floor: Option<i64>,
    limits: &Limits,
) -> Result<Lexicographic, SolveError> {
    let started = Instant::now();
    let mut outcome = Lexicographic {
        point: None,
        proven: true,
        nodes: 0,
    };
    let mut count = |solution: &Solution| {
        outcome.proven &= solution.proven;
        outcome.nodes += solution.nodes;
    };
    let remaining = || Limits {
        time: limits
            .time
            .map(|time| time.saturating_sub(started.elapsed())),
        nodes: limits.nodes,
        gap: limits.gap,
    };
    let mut stage = problem.clone();
    if let Some(floor) = floor {
        stage.add_row(second.iter().map(|c| -c).collect(), -floor);
    }
    let combined: Option<Vec<i64>> = crate::total(second).and_then(|size| {
        let k = size + 1;
        first
            .iter()
            .zip(second)
            .map(|(&f, &s)| f.checked_mul(k)?.checked_add(s))
            .collect()
    });
    let weighted = combined
        .map(|objective| {
            let mut weighted = stage.clone();
            weighted.set_objective_all(objective);
            weighted
        })
        .filter(|weighted| weighted.check_size().is_ok());
    let chosen = if let Some(weighted) = weighted {
        let solution = solve(&weighted, &remaining())?;
        count(&solution);
        solution.best.map(|choice| choice.chosen)
    } else {
        stage.set_objective_all(first.to_vec());
        let solution = solve(&stage, &remaining())?;
        count(&solution);
        match solution.best {
            None => None,
            Some(Choice { value: best, .. }) => {
                stage.set_objective_all(second.to_vec());
                stage.add_row(first.iter().map(|c| -c).collect(), -best);
                let solution = solve(&stage, &remaining())?;
                count(&solution);
                solution.best.map(|choice| choice.chosen)
            }
        }
    };
    outcome.point = chosen.map(|chosen| FrontPoint {
        first: crate::dot(first, &chosen),
        second: crate::dot(second, &chosen),
        chosen,
    });
    Ok(outcome)
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
    let mut front = Front {
        points: Vec::new(),
        proven: true,
        nodes: 0,
        elapsed: Duration::ZERO,
    };
    let remaining = || Limits {
        time: limits
            .time
            .map(|time| time.saturating_sub(started.elapsed())),
        nodes: limits.nodes,
        gap: limits.gap,
    };
    let point = |front: &mut Front, floor: Option<i64>| {
        let found = lexicographic(problem, first, second, floor, &remaining())?;
        front.proven &= found.proven;
        front.nodes += found.nodes;
        Ok::<_, SolveError>(found.point)
    };
    match points {
        None => {
            let mut floor = None;
            while let Some(next) = point(&mut front, floor)? {
                floor = Some(next.second + 1);
                front.points.push(next);
            }
        }
        Some(k) => {
            if let Some(first_ideal) = point(&mut front, None)? {
                // The second objective's ideal: the largest second value any choice reaches.
                let mut reversed = problem.clone();
                reversed.set_objective_all(second.to_vec());
                let top = solve(&reversed, &remaining())?;
                front.nodes += top.nodes;
                front.proven &= top.proven;
                let low = first_ideal.second;
                let high = top.best.map_or(low, |best| best.value);
                front.points.push(first_ideal);
                for floor in spread(low, high, k) {
                    if front.points.last().is_some_and(|last| last.second >= floor) {
                        continue;
                    }
                    if let Some(next) = point(&mut front, Some(floor))? {
                        front.points.push(next);
                    }
                }
            }
        }
    }
    front.elapsed = started.elapsed();
    Ok(front)
}

/// `k - 1` floors spread evenly above `low` up to `high` (included): with the point at `low`,
/// k points in all.
pub fn spread(low: i64, high: i64, k: usize) -> impl Iterator<Item = i64> {
    let steps = k.max(2) - 1;
    (1..=steps)
        .map(move |step| low + ((i128::from(high - low) * step as i128) / steps as i128) as i64)
}
