//! The solver against brute-force enumeration: the optimum, infeasibility, limits, and the
//! frontier, on random problems small enough to enumerate.

use std::collections::BTreeSet;

use proptest::prelude::*;
use tension_solve::{Limits, Problem, frontier, solve, solve_switching_after};

/// Every choice of a problem of at most 20 variables, with whether it is feasible.
fn enumerate(problem: &Problem) -> impl Iterator<Item = Vec<bool>> + '_ {
    let n = problem.len();
    (0u32..1 << n)
        .map(move |mask| (0..n).map(|v| mask & (1 << v) != 0).collect::<Vec<bool>>())
        .filter(|chosen| problem.check(chosen).is_ok())
}

fn brute_force_optimum(problem: &Problem) -> Option<i64> {
    enumerate(problem)
        .map(|chosen| problem.value(&chosen))
        .max()
}

fn dot(coefficients: &[i64], chosen: &[bool]) -> i64 {
    coefficients
        .iter()
        .zip(chosen)
        .filter(|(_, c)| **c)
        .map(|(a, _)| a)
        .sum()
}

/// The non-dominated (first, second) pairs, both maximised.
fn brute_force_front(problem: &Problem, first: &[i64], second: &[i64]) -> BTreeSet<(i64, i64)> {
    let pairs: BTreeSet<(i64, i64)> = enumerate(problem)
        .map(|chosen| (dot(first, &chosen), dot(second, &chosen)))
        .collect();
    pairs
        .iter()
        .filter(|&&(f, s)| {
            !pairs
                .iter()
                .any(|&(g, t)| g >= f && t >= s && (g, t) != (f, s))
        })
        .copied()
        .collect()
}

#[derive(Debug, Clone)]
struct Spec {
    objective: Vec<i64>,
    second: Vec<i64>,
    requires: Vec<(usize, usize)>,
    rows: Vec<(Vec<i64>, i64)>,
    fixed: Vec<(usize, bool)>,
}

impl Spec {
    fn problem(&self) -> Problem {
        let mut problem = Problem::new(self.objective.len());
        problem.set_objective_all(self.objective.clone());
        for &(var, needed) in &self.requires {
            problem.require(var, needed);
        }
        for (coefficients, bound) in &self.rows {
            problem.add_row(coefficients.clone(), *bound);
        }
        for &(var, value) in &self.fixed {
            problem.fix(var, value);
        }
        problem
    }
}

/// Random problems: values of both signs, precedence (cycles included), up to three rows of
/// mixed-sign coefficients (capacities, floors, at-most-one groups) and a few fixings.
fn spec(max_n: usize) -> impl Strategy<Value = Spec> {
    (1..=max_n).prop_flat_map(|n| {
        let coefficient = prop_oneof![3 => 0i64..12, 1 => -6i64..0];
        let row = (prop::collection::vec(coefficient, n), 0i64..30);
        (
            prop::collection::vec(-10i64..40, n),
            prop::collection::vec(-10i64..30, n),
            prop::collection::vec((0..n, 0..n), 0..=n + 2),
            prop::collection::vec(row, 0..=3),
            prop::collection::vec((0..n, any::<bool>()), 0..=2),
        )
            .prop_map(|(objective, second, requires, rows, fixed)| Spec {
                objective,
                second,
                requires,
                rows,
                fixed,
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_optimum_is_the_brute_force_optimum(spec in spec(12)) {
        let problem = spec.problem();
        let solution = solve(&problem, &Limits::default()).expect("small coefficients");
        prop_assert!(solution.proven);
        let expected = brute_force_optimum(&problem);
        match (&solution.best, expected) {
            (Some(best), Some(expected)) => {
                prop_assert_eq!(best.value, expected);
                prop_assert_eq!(solution.bound, expected);
                prop_assert!(problem.check(&best.chosen).is_ok());
                prop_assert_eq!(problem.value(&best.chosen), best.value);
            }
            (None, None) => prop_assert_eq!(solution.bound, i64::MIN),
            (best, expected) => prop_assert!(false, "solver {best:?}, enumeration {expected:?}"),
        }
    }

    #[test]
    fn the_frontier_is_the_brute_force_frontier(spec in spec(10)) {
        let problem = spec.problem();
        let front = frontier(&problem, &spec.objective, &spec.second, None, &Limits::default())
            .expect("small coefficients");
        prop_assert!(front.proven);
        let got: BTreeSet<(i64, i64)> =
            front.points.iter().map(|p| (p.first, p.second)).collect();
        prop_assert_eq!(got.len(), front.points.len(), "no point twice");
        prop_assert_eq!(&got, &brute_force_front(&problem, &spec.objective, &spec.second));
        for point in &front.points {
            prop_assert!(problem.check(&point.chosen).is_ok());
            prop_assert_eq!(dot(&spec.objective, &point.chosen), point.first);
        }
        // From the first objective's ideal to the second's.
        for pair in front.points.windows(2) {
            prop_assert!(pair[0].first > pair[1].first && pair[0].second < pair[1].second);
        }
    }

    #[test]
    fn a_selection_of_the_frontier_is_part_of_it(spec in spec(9), k in 2usize..5) {
        let problem = spec.problem();
        let exact = brute_force_front(&problem, &spec.objective, &spec.second);
        let some = frontier(&problem, &spec.objective, &spec.second, Some(k), &Limits::default())
            .expect("small coefficients");
        prop_assert!(some.points.len() <= k);
        prop_assert_eq!(some.points.is_empty(), exact.is_empty());
        for point in &some.points {
            prop_assert!(exact.contains(&(point.first, point.second)));
        }
        // Both ideals are in it.
        if let (Some(first), Some(last)) = (exact.iter().next_back(), exact.iter().next()) {
            let got: Vec<(i64, i64)> = some.points.iter().map(|p| (p.first, p.second)).collect();
            prop_assert!(got.contains(first) && got.contains(last), "{got:?} vs {exact:?}");
        }
    }
}

/// Random knapsacks with precedence: rows without negative coefficients, as budgets and
/// capacities are, so that each price search narrows the cut between nested closures and
/// children start from their parent's closures.
fn knapsack(max_n: usize) -> impl Strategy<Value = Spec> {
    (4..=max_n).prop_flat_map(|n| {
        // A bound of 15% to 60% of the row's total, so that the rows bind.
        let row =
            (prop::collection::vec(0i64..20, n), 15i64..60).prop_map(|(coefficients, share)| {
                let bound = coefficients.iter().sum::<i64>() * share / 100;
                (coefficients, bound)
            });
        (
            prop::collection::vec(-4i64..5, n),
            prop::collection::vec((0..n, 0..n), 0..=n),
            prop::collection::vec(row, 1..=2),
            prop::collection::vec((0..n, any::<bool>()), 0..=1),
        )
            .prop_map(move |(noise, requires, rows, fixed)| {
                // Values near twice the first row's weights: many items are worth about the
                // same per unit, so the relaxation is fractional and the search branches.
                let objective = rows[0]
                    .0
                    .iter()
                    .zip(&noise)
                    .map(|(w, e)| 2 * w + e)
                    .collect();
                Spec {
                    second: vec![0; n],
                    objective,
                    requires,
                    rows,
                    fixed,
                }
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn knapsacks_with_precedence_reach_the_brute_force_optimum(spec in knapsack(16)) {
        let problem = spec.problem();
        let solution = solve(&problem, &Limits::default()).expect("small coefficients");
        prop_assert!(solution.proven);
        let expected = brute_force_optimum(&problem);
        prop_assert_eq!(solution.best.as_ref().map(|best| best.value), expected);
        if let Some(best) = &solution.best {
            prop_assert!(problem.check(&best.chosen).is_ok());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    // `solve` takes the linear relaxation's bounds only after 100 nodes, which problems this
    // small rarely need: these take them from the first node.
    #[test]
    fn the_search_over_the_linear_relaxation_reaches_the_brute_force_optimum(
        spec in prop_oneof![spec(12), knapsack(14)]
    ) {
        let problem = spec.problem();
        let solution =
            solve_switching_after(&problem, &Limits::default(), Some(0)).expect("small coefficients");
        prop_assert!(solution.proven);
        let expected = brute_force_optimum(&problem);
        prop_assert_eq!(solution.best.as_ref().map(|best| best.value), expected);
        prop_assert_eq!(solution.bound, expected.unwrap_or(i64::MIN));
        if let Some(best) = &solution.best {
            prop_assert!(problem.check(&best.chosen).is_ok());
            prop_assert_eq!(problem.value(&best.chosen), best.value);
        }
    }
}

/// Problems of 60 to 120 variables with a capacity, a group of alternatives and a second
/// capacity: both searches prove the same optimum, and stopped early, the search over the
/// relaxation reports a bound no lower than it.
#[test]
fn both_searches_prove_the_same_optimum_of_larger_problems() {
    for (n, seed) in [(60, 1), (80, 2), (100, 3), (120, 4), (120, 5)] {
        let mut problem = generated(n, seed);
        let weights: Vec<i64> = (0..n as i64)
            .map(|v| 1 + (v * 7 + seed as i64) % 9)
            .collect();
        let total: i64 = weights.iter().sum();
        problem.add_row(weights, total / 3);
        let lagrangian =
            solve_switching_after(&problem, &Limits::default(), None).expect("small coefficients");
        let relaxation = solve_switching_after(&problem, &Limits::default(), Some(0))
            .expect("small coefficients");
        assert!(
            lagrangian.proven && relaxation.proven,
            "{n} variables, seed {seed}"
        );
        let optimum = lagrangian.best.expect("choosing nothing is feasible");
        let best = relaxation.best.expect("choosing nothing is feasible");
        assert_eq!(best.value, optimum.value, "{n} variables, seed {seed}");
        assert!(problem.check(&best.chosen).is_ok());
        assert_eq!(problem.value(&best.chosen), best.value);

        let stopped = solve_switching_after(
            &problem,
            &Limits {
                nodes: Some(3),
                ..Limits::default()
            },
            Some(0),
        )
        .expect("small coefficients");
        assert!(stopped.nodes <= 3);
        assert!(stopped.bound >= optimum.value, "{n} variables, seed {seed}");
        if let Some(found) = &stopped.best {
            assert!(found.value <= optimum.value);
            assert!(problem.check(&found.chosen).is_ok());
        }
    }
}

/// A deterministic generator for problems too large for proptest's many cases.
fn generated(n: usize, seed: u64) -> Problem {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move |below: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % below
    };
    let mut problem = Problem::new(n);
    for var in 0..n {
        problem.set_objective(var, next(50) as i64 - 8);
        if var > 0 && next(2) == 0 {
            let needed = next(var as u64) as usize;
            problem.require(var, needed);
        }
    }
    let capacity: Vec<i64> = (0..n).map(|_| 1 + next(10) as i64).collect();
    let total: i64 = capacity.iter().sum();
    problem.add_row(capacity, total * 2 / 5);
    // At most one of the first three: a group of alternatives.
    problem.add_row((0..n).map(|v| i64::from(v < 3)).collect(), 1);
    problem
}

#[test]
fn twenty_variables_match_enumeration() {
    for seed in 1..=4 {
        let problem = generated(20, seed);
        let solution = solve(&problem, &Limits::default()).expect("small coefficients");
        assert!(solution.proven);
        let best = solution.best.expect("choosing nothing is feasible");
        assert_eq!(
            Some(best.value),
            brute_force_optimum(&problem),
            "seed {seed}"
        );
        assert!(problem.check(&best.chosen).is_ok());
    }
}

#[test]
fn a_node_limit_stops_the_search_with_a_valid_bound() {
    let problem = generated(20, 7);
    let optimum = brute_force_optimum(&problem).expect("feasible");
    let limits = Limits {
        nodes: Some(1),
        ..Limits::default()
    };
    let solution = solve(&problem, &limits).expect("small coefficients");
    assert!(solution.nodes <= 1);
    assert!(solution.bound >= optimum, "{} < {optimum}", solution.bound);
    if let Some(best) = &solution.best {
        assert!(best.value <= optimum);
        assert!(problem.check(&best.chosen).is_ok());
    }
    if !solution.proven {
        assert!(solution.gap().is_none_or(|gap| gap >= 0.0));
    }
}

#[test]
fn a_relative_gap_stops_the_search_within_it_of_the_optimum() {
    for seed in 1..=8 {
        let problem = generated(24, seed);
        let optimum = brute_force_optimum(&problem).expect("feasible");
        for gap in [0.0, 0.01, 0.1] {
            let limits = Limits {
                gap: Some(gap),
                ..Limits::default()
            };
            let solution = solve(&problem, &limits).expect("small coefficients");
            let best = solution.best.clone().expect("choosing nothing is feasible");
            assert!(problem.check(&best.chosen).is_ok());
            assert!(solution.bound >= optimum, "seed {seed}, gap {gap}");
            // Within the gap of the bound, hence of the optimum.
            let within = (solution.bound - best.value) as f64 <= gap * solution.bound.abs() as f64;
            assert!(
                solution.proven || within,
                "seed {seed}, gap {gap}: {solution:?}"
            );
            if gap == 0.0 {
                assert!(solution.proven);
                assert_eq!(best.value, optimum, "seed {seed}");
            }
        }
    }
}

#[test]
fn contradicting_fixings_are_infeasible_not_an_error() {
    let mut problem = Problem::new(2);
    problem.require(0, 1);
    problem.fix(0, true);
    problem.fix(1, false);
    let solution = solve(&problem, &Limits::default()).expect("small coefficients");
    assert!(solution.proven);
    assert!(solution.best.is_none());
    assert_eq!(solution.bound, i64::MIN);
}

#[test]
fn coefficients_too_large_to_price_are_refused() {
    let mut problem = Problem::new(2);
    problem.set_objective(0, 1 << 35);
    problem.add_row(vec![1 << 35, 1], 10);
    let error = solve(&problem, &Limits::default()).expect_err("too large");
    assert!(
        error.to_string().contains("scale the numbers down"),
        "{error}"
    );
}
