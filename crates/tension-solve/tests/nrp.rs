//! The public NRP instances (`shared/data/nrp`): read, reduced and solved to proven optimality,
//! with every answer rechecked from the file; and malformed files refused with their position.
//!
//! The optimal profits were first obtained by this solver and agree with HiGHS 1.16 solving the
//! same integer program (`bench/nrp_highs.py`), so that any later change that alters them fails.

use std::path::PathBuf;

use tension_solve::nrp::{self, Instance, Ratio};
use tension_solve::{Limits, frontier, solve};

/// The instances beside the repository; `None` (the test says it is skipped) without.
#[allow(clippy::print_stderr)]
fn instance(name: &str) -> Option<Instance> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/nrp");
    let folder = if name.starts_with("nrp-") {
        "realistic"
    } else {
        "classic"
    };
    let path = root.join(folder).join(format!("{name}.txt"));
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("skipped: {} is not beside this checkout", path.display());
        return None;
    };
    Some(nrp::parse(&String::from_utf8_lossy(&bytes)).expect("a public instance parses"))
}

/// Solves at a ratio; checks the answer against the file; returns (budget, profit).
fn optimum(instance: &Instance, ratio: &str) -> (u64, u64) {
    let ratio = Ratio::parse(ratio).expect("a ratio");
    let budget = ratio.of(instance.total_cost());
    let reduced = instance.reduce(Some(budget));
    let solution = solve(&reduced.problem, &Limits::default()).expect("solves");
    assert!(solution.proven, "proven optimal");
    let best = solution.best.expect("choosing nothing always fits");
    assert_eq!(solution.bound, best.value);
    let requirements = reduced.requirements(&best.chosen, instance.costs.len());
    let checked = instance.evaluate(&requirements);
    assert_eq!(checked.missing_prerequisite, None);
    assert!(checked.cost <= budget, "{} > {budget}", checked.cost);
    assert_eq!(checked.profit as i64, best.value);
    (budget, checked.profit)
}

macro_rules! optimal {
    ($test:ident, $name:literal, $budget_3:literal => $profit_3:literal, $budget_5:literal => $profit_5:literal) => {
        #[test]
        fn $test() {
            let Some(instance) = instance($name) else {
                return;
            };
            assert_eq!(optimum(&instance, "0.3"), ($budget_3, $profit_3));
            assert_eq!(optimum(&instance, "0.5"), ($budget_5, $profit_5));
        }
    };
}

// Budgets are those of shared/data/nrp/SOURCES.md.
optimal!(nrp1_is_solved_to_optimality, "nrp1", 257 => 1204, 428 => 1836);
optimal!(nrp3_is_solved_to_optimality, "nrp3", 2661 => 7488, 4435 => 11159);
optimal!(nrp5_is_solved_to_optimality, "nrp5", 1197 => 18500, 1996 => 24701);
optimal!(nrp_e1_is_solved_to_optimality, "nrp-e1", 3945 => 7919, 6575 => 11071);
optimal!(nrp_g1_is_solved_to_optimality, "nrp-g1", 3983 => 6130, 6638 => 8896);
optimal!(nrp_m1_is_solved_to_optimality, "nrp-m1", 4722 => 10770, 7870 => 15538);

#[test]
fn the_instances_have_the_sizes_of_their_sources() {
    // (name, requirements, customers, dependency lines, total cost, total profit), as in
    // shared/data/nrp/SOURCES.md.
    let sizes = [
        ("nrp1", 140, 100, 97, 857, 2909),
        ("nrp2", 620, 500, 556, 5048, 14730),
        ("nrp4", 3250, 750, 4961, 22161, 22038),
        ("nrp-e2", 4254, 491, 0, 15928, 14591),
        ("nrp-m4", 3643, 568, 0, 14194, 16790),
    ];
    for (name, n, m, d, cost, profit) in sizes {
        let Some(instance) = instance(name) else {
            return;
        };
        assert_eq!(instance.costs.len(), n, "{name}");
        assert_eq!(instance.customers.len(), m, "{name}");
        assert_eq!(instance.dependencies.len(), d, "{name}");
        assert_eq!(instance.total_cost(), cost, "{name}");
        assert_eq!(instance.total_profit(), profit, "{name}");
    }
}

#[test]
fn budgets_are_exact_floors() {
    let ratio = |text: &str| Ratio::parse(text).expect("a ratio");
    assert_eq!(ratio("0.3").of(857), 257); // 257.1
    assert_eq!(ratio("0.5").of(5048), 2524);
    assert_eq!(ratio("0.7").of(10), 7); // 0.7 × 10 is 7 exactly, not 6.999…
    assert_eq!(ratio("1").of(857), 857);
    assert_eq!(ratio(".25").of(10), 2);
    for bad in [
        "",
        ".",
        "-0.3",
        "0,3",
        "1e-1",
        "0.3.1",
        "abc",
        "0.1234567891",
    ] {
        assert_eq!(Ratio::parse(bad), None, "{bad}");
    }
    assert_eq!(ratio("0.30").to_string(), "0.30");
}

#[test]
fn the_exact_front_of_a_small_instance_matches_budgeted_optima() {
    // A tiny instance: 4 requirements (1 before 3), 3 customers.
    let text = "2\n2 3 2\n2 4 1\n1\n1 3\n3\n10 1 3\n6 2 1 2\n5 1 4\n";
    let instance = nrp::parse(text).expect("valid");
    let reduced = instance.reduce(None);
    let cost: Vec<i64> = reduced.cost.iter().map(|c| -c).collect();
    let front = frontier(
        &reduced.problem,
        &reduced.profit,
        &cost,
        None,
        &Limits::default(),
    )
    .expect("solves");
    assert!(front.proven);
    // Every point is the budgeted optimum at its own cost.
    for point in &front.points {
        let budget = point.second.unsigned_abs();
        let budgeted = instance.reduce(Some(budget));
        let best = solve(&budgeted.problem, &Limits::default())
            .expect("solves")
            .best
            .expect("feasible");
        assert_eq!(best.value, point.first, "at cost {budget}");
    }
    let pairs: Vec<(i64, i64)> = front.points.iter().map(|p| (-p.second, p.first)).collect();
    // Costs 3, 2, 4, 1. Customer A (10) needs 1 and 3: cost 7; B (6) needs 1 and 2: cost 5;
    // C (5) needs 4: cost 1. A and B share requirement 1, so both cost 9, not 12; A alone
    // (7, 10) is dominated by B and C (6, 11).
    assert_eq!(
        pairs,
        [(10, 21), (9, 16), (8, 15), (6, 11), (5, 6), (1, 5), (0, 0)]
    );
}

#[test]
fn malformed_files_are_refused_with_their_position() {
    let cases = [
        (
            "",
            1,
            1,
            "the file ends where the number of requirement levels should be",
        ),
        (
            "1\n2 5 x\n",
            2,
            5,
            "expected the cost of requirement 2, a whole number, but found `x`",
        ),
        (
            "1\n1 5\n1\n1 2\n",
            4,
            3,
            "dependency pair 1: the requirement that depends on it is requirement 2, but requirements are numbered 1 to 1",
        ),
        (
            "1\n1 5\n0\n1\n10 1 0\n",
            5,
            6,
            "customer 1's request 1 is requirement 0",
        ),
        (
            "1\n1 5\n0\n1\n10 2 1\n",
            5,
            7,
            "the file ends where customer 1's request 2 should be",
        ),
        (
            "1\n1 5\n0\n0\n7\n",
            5,
            1,
            "unexpected `7` after the last customer",
        ),
        (
            "1\r\n1 -5\r\n",
            2,
            3,
            "expected the cost of requirement 1, a whole number, but found `-5`",
        ),
        (
            "99999999999 1",
            1,
            1,
            "the number of requirement levels is 99999999999, more than 10000000",
        ),
    ];
    for (text, line, column, message) in cases {
        let error = nrp::parse(text).expect_err(text);
        assert_eq!(
            (error.line, error.column),
            (line, column),
            "{text:?}: {error}"
        );
        assert!(error.message.contains(message), "{text:?}: {error}");
    }
}
