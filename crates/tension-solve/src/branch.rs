//! Branch and bound over Lagrangian bounds.
//!
//! At each node the rows are priced into the objective one at a time (and, when there are
//! several, all together as their sum, and as their sum at prices found at the root by
//! subgradient steps: surrogate rows): for a row `a·x ≤ b` and a price
//! λ ≥ 0, `λ·b + max over closures of (c − λ·a)·x` bounds the node from above. The best price
//! is found exactly by Newton's method on the breakpoints of this piecewise linear function,
//! each step a maximum-weight closure (a minimum cut). For a row without negative coefficients
//! the smallest best closures nest as the price grows, so each step fixes what the closures
//! either side agree on and cuts only the rest; the search stops as soon as the node's bound
//! cannot beat the incumbent. The closures on either side of the best
//! price tell which variables are fractional in the linear relaxation; the search branches on
//! the one whose two sides are expected to lower the bound most, from how much branching on
//! it lowered the bound so far (pseudo-costs), the one tied to the most others among equals.
//! Every closure, mended until it satisfies all rows, is an
//! incumbent, completed greedily. Items whose other side cannot beat the incumbent at the
//! root's prices are fixed (reduced-cost fixing), again whenever the incumbent improves.
//! Nodes are taken best bound first, diving into one child at once.
//!
//! With several rows and at least [`RELAXATION_MIN_VARIABLES`] variables, a search still open
//! after [`RELAXATION_AFTER`] nodes (and not stopped at a gap) goes on depth first over the
//! linear relaxation (`Search::by_relaxation`), which binds all the rows together at every
//! node, where the surrogate binds them only in the root's proportions.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::time::Instant;

use crate::flow::{ClosureNetwork, Fix};
use crate::lp::{INTEGRAL, Relaxation, Trouble};
use crate::{Choice, Limits, Problem, Solution, SolveError};

/// Finds the choice of largest objective, or proves there is none.
pub fn solve(problem: &Problem, limits: &Limits) -> Result<Solution, SolveError> {
    let after = (problem.len() >= RELAXATION_MIN_VARIABLES).then_some(RELAXATION_AFTER);
    solve_switching_after(problem, limits, after)
}

/// [`solve`], with the search over the linear relaxation taking over after `after` nodes
/// (never with `None`) when the problem has several rows and no gap is asked, whatever its
/// size: for tests, to check both searches on problems small enough to enumerate.
#[doc(hidden)]
pub fn solve_switching_after(
    problem: &Problem,
    limits: &Limits,
    after: Option<u64>,
) -> Result<Solution, SolveError> {
    problem.check_size()?;
    let started = Instant::now();
    let mut search = Search::new(problem);
    search.add_root_surrogate();
    let mut heap = BinaryHeap::new();
    heap.push(Node {
        bound: i64::MAX,
        decisions: Vec::new(),
        hint: None,
        origin: None,
    });
    let mut nodes = 0u64;
    let mut stopped = false;
    // With several rows, the linear relaxation bounds a node better than the rows priced one
    // at a time, at a few pivots a node once the Lagrangian search has found an incumbent and
    // fixed what it could. A search stopped at a gap does not need that strength.
    let mut switch_after = after.filter(|_| limits.gap.is_none() && problem.rows().len() >= 2);
    let mut fixed_at = search.incumbent.as_ref().map(|best| best.value);
    loop {
        let mut switch = false;
        'search: while let Some(node) = heap.pop() {
            if search.beaten(node.bound) {
                continue;
            }
            // The popped node holds the largest open bound.
            let close_enough =
                limits
                    .gap
                    .zip(search.incumbent.as_ref())
                    .is_some_and(|(gap, best)| {
                        (node.bound - best.value) as f64 <= gap * (node.bound.abs().max(1) as f64)
                    });
            if close_enough {
                heap.push(node);
                stopped = true;
                break 'search;
            }
            let mut current = node;
            loop {
                let out_of_nodes = limits.nodes.is_some_and(|limit| nodes >= limit);
                let out_of_time = limits.time.is_some_and(|limit| started.elapsed() >= limit);
                if out_of_nodes || out_of_time {
                    heap.push(current);
                    stopped = true;
                    break 'search;
                }
                if switch_after.is_some_and(|after| nodes >= after) {
                    heap.push(current);
                    switch = true;
                    break 'search;
                }
                nodes += 1;
                let evaluated = search.evaluate(&current.decisions, current.hint.as_deref());
                if let (Some(origin), Some(bound)) = (current.origin, search.bounded) {
                    search.learn(origin, bound);
                }
                let best = search.incumbent.as_ref().map(|best| best.value);
                if best > fixed_at {
                    // A better incumbent fixes more at the root.
                    search.fix_by_reduced_cost();
                    fixed_at = best;
                }
                let Some(branch) = evaluated else {
                    break;
                };
                if search.beaten(branch.bound) {
                    break;
                }
                let mut other = current.decisions.clone();
                other.push((branch.var as u32, !branch.prefer));
                // The closures either side of the parent's price, to start the children's search
                // from; kept for the waiting child only while they take little memory.
                let hint = branch.hint.map(Box::new);
                let kept = (heap.len() * search.problem.len() < HINT_MEMORY).then(|| hint.clone());
                let origin = |up: bool| Origin {
                    var: branch.var,
                    up,
                    parent: branch.bound,
                    moved: if up { 1.0 - branch.x } else { branch.x },
                };
                heap.push(Node {
                    bound: branch.bound,
                    decisions: other,
                    hint: kept.flatten(),
                    origin: Some(origin(!branch.prefer)),
                });
                let mut next = current.decisions;
                next.push((branch.var as u32, branch.prefer));
                current = Node {
                    bound: branch.bound,
                    decisions: next,
                    hint,
                    origin: Some(origin(branch.prefer)),
                };
            }
        }
        if !switch {
            break;
        }
        match search.by_relaxation(limits, started) {
            Ok(done) => {
                let best = search.incumbent.take();
                let best_value = best.as_ref().map(|choice| choice.value);
                let bound = done.open.max(best_value).unwrap_or(i64::MIN);
                return Ok(Solution {
                    best,
                    bound,
                    proven: done.open.is_none(),
                    nodes: nodes + done.nodes,
                    cuts: search.cuts,
                    elapsed: started.elapsed(),
                });
            }
            // The simplex failed: the Lagrangian search goes on where it stopped.
            Err(Trouble) => switch_after = None,
        }
    }
    let best = search.incumbent.take();
    let best_value = best.as_ref().map(|choice| choice.value);
    let open = heap
        .iter()
        .filter(|node| best_value.is_none_or(|value| node.bound > value))
        .map(|node| node.bound)
        .max();
    let proven = !stopped || open.is_none();
    // The larger of the two, whichever exist (`None` orders below every value).
    let bound = open.max(best_value).unwrap_or(i64::MIN);
    Ok(Solution {
        best,
        bound,
        proven,
        nodes,
        cuts: search.cuts,
        elapsed: started.elapsed(),
    })
}

/// How a search over the linear relaxation ended: the nodes it took, and the largest bound
/// still open when a limit stopped it.
struct ByRelaxation {
    nodes: u64,
    open: Option<i64>,
}

/// Nodes of the Lagrangian search before the linear relaxation's takes over, when it does: they
/// find an incumbent, fix variables by reduced cost and learn pseudo-costs, cheaply.
const RELAXATION_AFTER: u64 = 100;

/// Problems with fewer variables keep the Lagrangian search: on the planner's 80-item frontier,
/// whose searches have the same rows as the 300-item one's, the relaxation's search took about
/// as many nodes at one and a half times the cost of each (`docs/benchmarks.md`).
const RELAXATION_MIN_VARIABLES: usize = 150;

/// A better plan found by the relaxation's search restarts it when probing then fixes at least
/// this many more variables than before.
const RESTART_FIXINGS: usize = 10;

/// Subgradient steps at the root, at most, to price several rows together.
const ROOT_STEPS: usize = 300;

/// The first subgradient step, as a share of Polyak's (which aims at the incumbent): short,
/// since the steps start from the best single row at its exact price, near the optimum.
const FIRST_ROOT_STEP: f64 = 0.1;

/// At most this many relaxations are priced at a node.
const MAX_PRICED: usize = 6;

/// Bytes of parents' closures kept with waiting nodes, at most (about).
const HINT_MEMORY: usize = 256 << 20;

/// An open node: the decisions from the root, a bound inherited from its parent, and the
/// parent's closures either side of its best price.
#[derive(Debug)]
struct Node {
    bound: i64,
    decisions: Vec<(u32, bool)>,
    hint: Option<Box<Hint>>,
    /// The branch that made this node, to learn from its bound.
    origin: Option<Origin>,
}

/// How a node came from its parent: the variable set, to which side, the parent's bound, and
/// how far the linear relaxation's value of the variable moved.
#[derive(Debug, Clone, Copy)]
struct Origin {
    var: usize,
    up: bool,
    parent: i64,
    moved: f64,
}

/// Closures that bracket the best price of one relaxation: `below` breaks its row, `above`
/// keeps it.
#[derive(Debug, Clone)]
struct Hint {
    relaxation: usize,
    below: Vec<bool>,
    above: Vec<bool>,
    /// Whether each is the parent's smallest best closure at some price.
    below_exact: bool,
    above_exact: bool,
    /// The branching variable.
    var: usize,
    /// The round of reduced-cost fixing the parent was evaluated in.
    round: u64,
}

impl Ord for Node {
    fn cmp(&self, other: &Node) -> Ordering {
        self.bound
            .cmp(&other.bound)
            .then(self.decisions.len().cmp(&other.decisions.len()))
    }
}

impl PartialOrd for Node {
    fn partial_cmp(&self, other: &Node) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Node {
    fn eq(&self, other: &Node) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Node {}

/// A node that is neither pruned nor solved: its bound, and the variable to branch on, with
/// the side to explore first.
#[derive(Debug, Clone)]
struct Branch {
    bound: i64,
    var: usize,
    /// The variable's value in the linear relaxation.
    x: f64,
    prefer: bool,
    hint: Option<Hint>,
}

/// Where a node's price search starts: its parent's closures, and the side of the parent's
/// branch the node took when its fixings are the parent's and that decision's consequences.
#[derive(Debug, Clone, Copy)]
struct Start<'h> {
    hint: &'h Hint,
    side: Option<bool>,
}

/// The outcome of pricing one row: the node's bound, and the closures either side of the best
/// price (`below` breaks the row, `above` keeps it). `None` when no closure keeps the row.
#[derive(Debug)]
struct Dual {
    bound: i64,
    below: Option<Evaluated>,
    above: Evaluated,
    /// The weight of `below` in the linear relaxation's solution.
    theta: f64,
}

impl Dual {
    /// The bound with the two closures either side of the row's bound `b`, `below` breaking it
    /// and `above` keeping it.
    fn bracket(bound: i64, below: Evaluated, above: Evaluated, b: i64) -> Dual {
        let theta = (b - above.row) as f64 / (below.row - above.row) as f64;
        Dual {
            bound,
            below: Some(below),
            above,
            theta,
        }
    }
}

#[derive(Debug, Clone)]
struct Evaluated {
    chosen: Vec<bool>,
    value: i64,
    row: i64,
    /// Whether this is the node's smallest best closure at some price, not an ancestor's
    /// closure made to agree with the node.
    exact: bool,
}

struct Search<'p> {
    problem: &'p Problem,
    /// Direct requirements of each variable, and the variables requiring it.
    needs: Vec<Vec<u32>>,
    needed_by: Vec<Vec<u32>>,
    degree: Vec<usize>,
    network: ClosureNetwork,
    /// The rows priced at each node: every row alone, and their sum when there are several.
    relaxations: Vec<(Vec<i64>, i64)>,
    /// The rows summed at the root's prices, when there are several rows.
    surrogate: Option<usize>,
    /// The rows' prices at the root (per unit of each row), once found: the greedy completion
    /// ranks additions by objective per priced cost.
    prices: Option<Vec<f64>>,
    /// Variables fixed at the root because their other side cannot beat the incumbent.
    root_fixed: Vec<Option<bool>>,
    /// How many times `root_fixed` was set: a node's closures are its children's only when
    /// the fixings at the root have not changed in between.
    round: u64,
    incumbent: Option<Choice>,
    fix: Vec<Fix>,
    /// The node's fixings narrowed between two closures of a price search.
    narrowed: Vec<Fix>,
    weight: Vec<i64>,
    stack: Vec<usize>,
    cuts: u64,
    /// The sum of the objective's absolute coefficients: a price above it breaks no row more
    /// than it must.
    objective_size: i64,
    /// Each row's largest absolute coefficient (at least 1): the unit its slack is measured in
    /// when rows are weighed against each other.
    unit: Vec<f64>,
    /// The bound of the node last evaluated, when it has one.
    bounded: Option<i64>,
    /// Per variable, the bound lost per unit of its value moved down and up in the nodes
    /// seen so far (pseudo-costs): total and count.
    pseudo: Vec<[(f64, u32); 2]>,
    /// The same over all variables.
    pseudo_all: [(f64, u32); 2],
    /// Each variable's nonzero row coefficients, `(row, coefficient)` in row order: the rows of
    /// alternatives have two each, so the heuristics skip most of the zeros.
    columns: Vec<Vec<(usize, i64)>>,
}

impl std::fmt::Debug for Search<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Search").finish_non_exhaustive()
    }
}

impl<'p> Search<'p> {
    fn new(problem: &'p Problem) -> Search<'p> {
        let n = problem.len();
        let mut needs = vec![Vec::new(); n];
        let mut needed_by = vec![Vec::new(); n];
        for &(var, needed) in problem.requirements() {
            if var != needed {
                needs[var as usize].push(needed);
                needed_by[needed as usize].push(var);
            }
        }
        let degree = (0..n)
            .map(|v| needs[v].len() + needed_by[v].len())
            .collect();
        let mut relaxations: Vec<(Vec<i64>, i64)> = problem
            .rows()
            .iter()
            .map(|row| (row.coefficients.clone(), row.bound))
            .collect();
        if relaxations.is_empty() {
            relaxations.push((vec![0; n], 0));
        } else if relaxations.len() > 1 {
            let mut sum = vec![0i64; n];
            let mut bound = 0i64;
            for (coefficients, b) in &relaxations {
                for (total, c) in sum.iter_mut().zip(coefficients) {
                    *total += c;
                }
                bound += b;
            }
            let objective = crate::total(problem.objective()).unwrap_or(crate::MAX_TOTAL);
            let fits = crate::total(&sum).is_some_and(|size| crate::fits_with(objective, size))
                && bound.abs() <= crate::MAX_TOTAL;
            if fits {
                relaxations.push((sum, bound));
            }
        }
        Search {
            problem,
            network: ClosureNetwork::new(n, problem.requirements()),
            needs,
            needed_by,
            degree,
            relaxations,
            surrogate: None,
            root_fixed: vec![None; n],
            round: 0,
            prices: None,
            incumbent: None,
            fix: Vec::new(),
            narrowed: Vec::new(),
            weight: vec![0; n],
            stack: Vec::new(),
            cuts: 0,
            objective_size: problem.objective().iter().map(|c| c.abs()).sum(),
            unit: problem
                .rows()
                .iter()
                .map(|row| {
                    let largest = row.coefficients.iter().map(|c| c.abs()).max();
                    largest.unwrap_or(1).max(1) as f64
                })
                .collect(),
            bounded: None,
            pseudo: vec![[(0.0, 0); 2]; n],
            pseudo_all: [(0.0, 0); 2],
            columns: (0..n)
                .map(|v| {
                    let rows = problem.rows().iter().enumerate();
                    rows.map(|(r, row)| (r, row.coefficients[v]))
                        .filter(|&(_, c)| c != 0)
                        .collect()
                })
                .collect(),
        }
    }

    /// With several rows, prices them all together at the root by subgradient steps and adds
    /// their sum at those prices, as integers, as one more relaxation: a row every choice that
    /// keeps the rows keeps. Along it, each node's own price search finds a bound of all the
    /// rows at once: near the linear-programming bound at the root, and weaker further down,
    /// where the rows bind in other proportions. Then fixes what it can by reduced cost.
    fn add_root_surrogate(&mut self) {
        let rows = self.problem.rows();
        let m = rows.len();
        if m < 2 || !self.propagate(&[]) {
            return;
        }
        let n = self.problem.len();
        // Start from the best single row at its exact price.
        let mut lambda = vec![0f64; m];
        let mut at_zero = None;
        let mut start: Option<(i64, usize, f64)> = None;
        for idx in 0..m {
            let Some(dual) = self.price(idx, None, &mut at_zero, None) else {
                return;
            };
            self.offer(&dual.above.chosen);
            let price = dual.below.as_ref().map_or(0.0, |below| {
                (below.value - dual.above.value) as f64 / (below.row - dual.above.row) as f64
            });
            if start.is_none_or(|(bound, _, _)| dual.bound < bound) {
                start = Some((dual.bound, idx, price));
            }
        }
        let rows = self.problem.rows();
        // Each row in its own unit, so that the steps treat them alike.
        let unit = self.unit.clone();
        if let Some((_, idx, price)) = start {
            lambda[idx] = price * unit[idx];
        }
        let objective = self.problem.objective();
        let mut best_lambda: Option<(f64, Vec<f64>)> = None;
        let mut step = FIRST_ROOT_STEP;
        let mut stalled = 0;
        for _ in 0..ROOT_STEPS {
            for (j, w) in self.weight.iter_mut().enumerate() {
                let priced: f64 = rows
                    .iter()
                    .zip(&lambda)
                    .zip(&unit)
                    .map(|((row, l), u)| l * row.coefficients[j] as f64 / u)
                    .sum();
                *w = objective[j] - priced.round() as i64;
            }
            self.cuts += 1;
            let mut chosen = Vec::new();
            self.network
                .max_closure(&self.weight, &self.fix, &mut chosen);
            self.offer(&chosen);
            let slack: Vec<f64> = rows
                .iter()
                .zip(&unit)
                .map(|(row, u)| (crate::dot(&row.coefficients, &chosen) - row.bound) as f64 / u)
                .collect();
            let bound = rows
                .iter()
                .zip(&lambda)
                .zip(&unit)
                .map(|((row, l), u)| l * row.bound as f64 / u)
                .sum::<f64>()
                + crate::dot(&self.weight, &chosen) as f64;
            if best_lambda.as_ref().is_none_or(|(best, _)| bound < *best) {
                best_lambda = Some((bound, lambda.clone()));
                self.prices = Some(lambda.iter().zip(&unit).map(|(l, u)| l / u).collect());
                stalled = 0;
            } else {
                stalled += 1;
                if stalled >= 5 {
                    step /= 2.0;
                    stalled = 0;
                }
            }
            let norm: f64 = slack
                .iter()
                .zip(&lambda)
                .filter(|(g, l)| **g > 0.0 || **l > 0.0)
                .map(|(g, _)| g * g)
                .sum();
            let best = best_lambda.as_ref().map_or(bound, |(best, _)| *best);
            let target = match &self.incumbent {
                Some(incumbent) => incumbent.value as f64,
                None => best - best.abs().max(1.0) * 0.05,
            };
            if norm == 0.0 || best - target < 1.0 {
                break;
            }
            for (l, g) in lambda.iter_mut().zip(&slack) {
                *l = (*l + step * (best - target) / norm * g).max(0.0);
            }
        }
        let Some((_, mut lambda)) = best_lambda else {
            return;
        };
        for (l, u) in lambda.iter_mut().zip(&unit) {
            *l /= u;
        }
        let largest = lambda.iter().copied().fold(0.0, f64::max);
        if largest <= 0.0 {
            return;
        }
        let objective_size = crate::total(objective).unwrap_or(crate::MAX_TOTAL);
        // Integer prices, as fine as the solver's integers allow.
        for bits in (0..=20).rev() {
            let scale = f64::from(1u32 << bits) / largest;
            let weights: Vec<i64> = lambda.iter().map(|l| (l * scale).round() as i64).collect();
            let mut sum = vec![0i64; n];
            let mut bound = 0i64;
            let mut overflow = false;
            for (row, &w) in rows.iter().zip(&weights).filter(|(_, w)| **w > 0) {
                for (total, &c) in sum.iter_mut().zip(&row.coefficients) {
                    match w.checked_mul(c).and_then(|wc| total.checked_add(wc)) {
                        Some(t) => *total = t,
                        None => overflow = true,
                    }
                }
                match w
                    .checked_mul(row.bound)
                    .and_then(|wb| bound.checked_add(wb))
                {
                    Some(b) => bound = b,
                    None => overflow = true,
                }
            }
            let fits = !overflow
                && crate::total(&sum).is_some_and(|size| crate::fits_with(objective_size, size))
                && bound.abs() <= crate::MAX_TOTAL;
            if fits {
                self.relaxations.push((sum, bound));
                self.surrogate = Some(self.relaxations.len() - 1);
                self.fix_by_reduced_cost();
                return;
            }
        }
    }

    /// Branch and bound over the linear relaxation, depth first, from the root's fixings and
    /// incumbent: each node's relaxation is its parent's with one more variable fixed,
    /// solved again by the dual simplex. A node is pruned when its relaxation, less the
    /// simplex's margin, cannot beat the incumbent; the variable branched on is the fractional
    /// one with the best pseudo-costs, as in the Lagrangian search. Before branching, every
    /// variable the root's relaxation puts at 0 or 1 whose other side cannot beat the
    /// incumbent is fixed there (probing), and again after a better incumbent, starting over
    /// from the root when that fixes [`RESTART_FIXINGS`] more. Each node's relaxation, rounded
    /// down and up to the closures of its variables at 1 and above 0, is offered as an
    /// incumbent.
    fn by_relaxation(
        &mut self,
        limits: &Limits,
        started: Instant,
    ) -> Result<ByRelaxation, Trouble> {
        let mut done = ByRelaxation {
            nodes: 0,
            open: None,
        };
        if !self.propagate(&[]) {
            return Ok(done);
        }
        let margin = Relaxation::margin(self.objective_size);
        let Some(unprobed) = Relaxation::new(self.problem, &self.fix)? else {
            return Ok(done);
        };
        self.offer_rounded(&unprobed);
        let Some((root, mut probed)) = self.probed(&unprobed, margin)? else {
            return Ok(done);
        };
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            let out_of_nodes = limits.nodes.is_some_and(|limit| done.nodes >= limit);
            let out_of_time = limits.time.is_some_and(|limit| started.elapsed() >= limit);
            if out_of_nodes || out_of_time {
                stack.push(node);
                let open = stack
                    .iter()
                    .map(|node| node.objective() + margin)
                    .fold(f64::MIN, f64::max);
                done.open = Some(open.ceil().min(i64::MAX as f64) as i64);
                return Ok(done);
            }
            done.nodes += 1;
            if self.prunes(node.objective(), margin) {
                continue;
            }
            let before = self.incumbent.as_ref().map(|best| best.value);
            self.offer_rounded(&node);
            if self.incumbent.as_ref().map(|best| best.value) > before {
                // A better plan may fix many more variables at the root: then the search
                // starts again from there, on a smaller relaxation (a restart).
                let Some((again, count)) = self.probed(&unprobed, margin)? else {
                    return Ok(done);
                };
                if count >= probed + RESTART_FIXINGS {
                    probed = count;
                    stack.clear();
                    stack.push(again);
                    continue;
                }
            }
            if self.prunes(node.objective(), margin) {
                continue;
            }
            let fractional = (0..self.problem.len())
                .map(|var| (node.value(var), var))
                .filter(|&(x, _)| (INTEGRAL..=1.0 - INTEGRAL).contains(&x))
                .map(|(x, var)| (self.score(var, x), self.degree[var], x, var))
                .max_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
                .map(|(_, _, x, var)| (x, var));
            let Some((x, var)) = fractional else {
                // Integral: a choice, offered above, unless the simplex's rounding broke a
                // row, which the bounds without floating point then settle.
                let chosen: Vec<bool> = (0..self.problem.len())
                    .map(|var| node.value(var) > 0.5)
                    .collect();
                if self.problem.check(&chosen).is_err() {
                    return Err(Trouble);
                }
                continue;
            };
            let prefer = x >= 0.5;
            let parent = node.objective();
            // Pseudo-costs from the relaxations' objectives, an infeasible side costing what
            // separates its parent from the incumbent.
            let learn = |search: &mut Search<'_>, up: bool, child: Option<&Relaxation>| {
                let origin = Origin {
                    var,
                    up,
                    parent: parent as i64,
                    moved: if up { 1.0 - x } else { x },
                };
                let floor = search
                    .incumbent
                    .as_ref()
                    .map_or(i64::MIN, |best| best.value);
                let bound = child.map_or(i64::MIN, |child| child.objective() as i64);
                search.learn(origin, bound.max(floor));
            };
            let other = node.clone().fixed(var, !prefer)?;
            learn(self, !prefer, other.as_ref());
            let next = node.fixed(var, prefer)?;
            learn(self, prefer, next.as_ref());
            stack.extend(other);
            stack.extend(next);
        }
        Ok(done)
    }

    /// The root's relaxation with every variable it puts at 0 or 1 fixed there when its other
    /// side cannot beat the incumbent (probing), and how many were; `None` when no choice can
    /// beat the incumbent. The fixings are made all at once in a new relaxation: the simplex
    /// does not fix a variable at the value it already has when that is degenerate.
    fn probed(
        &mut self,
        root: &Relaxation,
        margin: f64,
    ) -> Result<Option<(Relaxation, usize)>, Trouble> {
        if !self.propagate(&[]) {
            return Ok(None);
        }
        let mut probed: Vec<(u32, bool)> = Vec::new();
        if self.incumbent.is_some() {
            for var in 0..self.problem.len() {
                let x = root.value(var);
                if self.fix[var] != Fix::Free || (INTEGRAL..=1.0 - INTEGRAL).contains(&x) {
                    continue;
                }
                let side = x > 0.5;
                let other = root.clone().fixed(var, !side)?;
                if other.is_none_or(|other| self.prunes(other.objective(), margin)) {
                    probed.push((var as u32, side));
                }
            }
        }
        if probed.is_empty() {
            return Ok(Some((root.clone(), 0)));
        }
        if !self.propagate(&probed) {
            return Ok(None);
        }
        Ok(Relaxation::new(self.problem, &self.fix)?.map(|relaxation| (relaxation, probed.len())))
    }

    /// Whether a node whose relaxation is worth `objective` (up to `margin`) cannot beat the
    /// incumbent: every better choice is worth at least one more.
    fn prunes(&self, objective: f64, margin: f64) -> bool {
        self.incumbent
            .as_ref()
            .is_some_and(|best| objective + margin < best.value as f64 + 1.0)
    }

    /// Offers the closures of the relaxation's variables at 1 and of those above 0: both are
    /// closures, since a variable is at most what it requires.
    fn offer_rounded(&mut self, relaxation: &Relaxation) {
        let n = self.problem.len();
        let down: Vec<bool> = (0..n)
            .map(|var| relaxation.value(var) > 1.0 - INTEGRAL)
            .collect();
        let up: Vec<bool> = (0..n).map(|var| relaxation.value(var) > INTEGRAL).collect();
        self.offer(&down);
        if up != down {
            self.offer(&up);
        }
    }

    /// Reduced-cost fixing at the root: a variable whose other side bounds, at the root's best
    /// price for the surrogate row, no better than the incumbent stays on its side in every
    /// choice that beats the incumbent.
    fn fix_by_reduced_cost(&mut self) {
        let Some(idx) = self.surrogate else {
            return;
        };
        if !self.propagate(&[]) {
            return;
        }
        let Some(dual) = self.price(idx, None, &mut None, None) else {
            return;
        };
        self.offer(&dual.above.chosen);
        let (Some(below), Some(incumbent)) = (&dual.below, &self.incumbent) else {
            return;
        };
        let incumbent = incumbent.value;
        let mut p = below.value - dual.above.value;
        let mut q = below.row - dual.above.row;
        let divisor = gcd(p.unsigned_abs(), q.unsigned_abs()).max(1) as i64;
        p /= divisor;
        q /= divisor;
        if p < 0 || q <= 0 {
            return;
        }
        let (row, b) = std::mem::take(&mut self.relaxations[idx]);
        let mut fixed = vec![None; self.problem.len()];
        for (v, fixed) in fixed.iter_mut().enumerate() {
            let side = dual.above.chosen[v];
            if below.chosen[v] != side {
                // Fractional in the linear relaxation: both sides bound above the incumbent.
                continue;
            }
            if !self.propagate(&[(v as u32, !side)]) {
                *fixed = Some(side);
                continue;
            }
            let met = self.closure(&row, p, q);
            let at = i128::from(q) * i128::from(met.value) - i128::from(p) * i128::from(met.row);
            if floor_div(i128::from(p) * i128::from(b) + at, i128::from(q)) <= incumbent {
                *fixed = Some(side);
            }
        }
        self.relaxations[idx] = (row, b);
        self.root_fixed = fixed;
        self.round += 1;
    }

    /// Whether a node bounded by `bound` cannot beat the incumbent.
    fn beaten(&self, bound: i64) -> bool {
        self.incumbent
            .as_ref()
            .is_some_and(|incumbent| bound <= incumbent.value)
    }

    /// Applies the problem's fixings and the node's decisions with their consequences; `false`
    /// when they contradict each other.
    fn propagate(&mut self, decisions: &[(u32, bool)]) -> bool {
        let n = self.problem.len();
        self.fix.clear();
        self.fix.resize(n, Fix::Free);
        let fixed = self
            .problem
            .fixed()
            .iter()
            .enumerate()
            .chain(self.root_fixed.iter().enumerate())
            .filter_map(|(var, fixed)| fixed.map(|value| (var, value)));
        let decided = decisions.iter().map(|&(var, value)| (var as usize, value));
        for (var, value) in fixed.chain(decided) {
            self.stack.clear();
            self.stack.push(var);
            while let Some(v) = self.stack.pop() {
                match (self.fix[v], value) {
                    (Fix::In, true) | (Fix::Out, false) => continue,
                    (Fix::In, false) | (Fix::Out, true) => return false,
                    (Fix::Free, _) => {}
                }
                self.fix[v] = if value { Fix::In } else { Fix::Out };
                let next = if value {
                    &self.needs[v]
                } else {
                    &self.needed_by[v]
                };
                self.stack.extend(next.iter().map(|&w| w as usize));
            }
        }
        true
    }

    /// Bounds the node; offers every feasible closure met as an incumbent. `None` when the
    /// node is infeasible or solved.
    fn evaluate(&mut self, decisions: &[(u32, bool)], hint: Option<&Hint>) -> Option<Branch> {
        self.bounded = None;
        if !self.propagate(decisions) {
            return None;
        }
        let mut best: Option<(usize, Dual)> = None;
        // The closure at price zero is the same whatever the row: found once per node.
        let mut at_zero: Option<Vec<bool>> = None;
        let priced = self.rows_to_price(hint, &mut at_zero);
        // The side this node took of its parent's branch, when its fixings are the parent's and
        // that decision's consequences only.
        let side = decisions
            .last()
            .filter(|_| hint.is_some_and(|hint| hint.round == self.round))
            .map(|&(_, side)| side);
        for idx in priced {
            let start = hint
                .filter(|hint| hint.relaxation == idx)
                .map(|hint| Start { hint, side });
            // A bound at or below the incumbent's value prunes the node: no need to refine it.
            let enough = self.incumbent.as_ref().map(|best| best.value);
            let dual = self.price(idx, start, &mut at_zero, enough)?;
            self.offer(&dual.above.chosen);
            self.bounded = Some(self.bounded.map_or(dual.bound, |b| b.min(dual.bound)));
            if self.beaten(dual.bound) {
                return None;
            }
            if best
                .as_ref()
                .is_none_or(|(_, best)| dual.bound < best.bound)
            {
                best = Some((idx, dual));
            }
        }
        let (relaxation, dual) = best?;
        if self.beaten(dual.bound) {
            return None;
        }
        // Branch on a variable the linear relaxation leaves fractional ...
        if let Some(below) = &dual.below {
            let var = (0..self.problem.len())
                .filter(|&v| self.fix[v] == Fix::Free && below.chosen[v] != dual.above.chosen[v])
                .map(|v| {
                    let x = if below.chosen[v] {
                        dual.theta
                    } else {
                        1.0 - dual.theta
                    };
                    (self.score(v, x), self.degree[v], v)
                })
                .max_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
                .map(|(_, _, v)| v);
            if let Some(var) = var {
                return Some(Branch {
                    bound: dual.bound,
                    var,
                    x: if below.chosen[var] {
                        dual.theta
                    } else {
                        1.0 - dual.theta
                    },
                    prefer: dual.theta >= 0.5,
                    hint: Some(Hint {
                        relaxation,
                        below: below.chosen.clone(),
                        above: dual.above.chosen.clone(),
                        below_exact: below.exact,
                        above_exact: dual.above.exact,
                        var,
                        round: self.round,
                    }),
                });
            }
        }
        // ... or, when the priced row's best closure breaks another row, on a variable that
        // could mend it.
        let chosen = &dual.above.chosen;
        for row in self.problem.rows() {
            let total: i64 = crate::dot(&row.coefficients, chosen);
            if total <= row.bound {
                continue;
            }
            let mend = (0..self.problem.len())
                .filter(|&v| self.fix[v] == Fix::Free)
                .find(|&v| {
                    let c = row.coefficients[v];
                    (chosen[v] && c > 0) || (!chosen[v] && c < 0)
                });
            return mend.map(|var| Branch {
                bound: dual.bound,
                var,
                x: f64::from(u8::from(chosen[var])),
                prefer: !chosen[var],
                hint: None,
            });
        }
        // Every row holds and the bound is the closure's own value (priced at zero): the
        // closure was offered, and it is the node's optimum.
        None
    }

    /// Learns from a node's bound how much its branch cost, per unit moved.
    fn learn(&mut self, origin: Origin, bound: i64) {
        if origin.moved <= 0.0 {
            return;
        }
        let lost = (origin.parent.saturating_sub(bound)).max(0) as f64 / origin.moved;
        let side = usize::from(origin.up);
        for (total, count) in [
            &mut self.pseudo[origin.var][side],
            &mut self.pseudo_all[side],
        ] {
            *total += lost;
            *count += 1;
        }
    }

    /// How good a branching variable is at value `x`: the product of the bounds its two sides
    /// are expected to lose, from the pseudo-costs, with the average over all variables for
    /// a side never tried.
    fn score(&self, var: usize, x: f64) -> f64 {
        let side = |up: usize| {
            let (total, count) = self.pseudo[var][up];
            if count > 0 {
                return total / f64::from(count);
            }
            let (all, n) = self.pseudo_all[up];
            if n > 0 { all / f64::from(n) } else { 0.0 }
        };
        (side(0) * x).max(1e-6) * (side(1) * (1.0 - x)).max(1e-6)
    }

    /// The relaxations worth pricing at this node: the surrogate sums, the parent's, and the
    /// rows the closure at price zero breaks most (a row it keeps bounds nothing below the
    /// closure's own value). Any subset gives a valid bound; a few keep nodes cheap when
    /// there are many rows.
    fn rows_to_price(
        &mut self,
        hint: Option<&Hint>,
        at_zero: &mut Option<Vec<bool>>,
    ) -> Vec<usize> {
        let rows = self.problem.rows().len();
        if self.relaxations.len() <= MAX_PRICED {
            return (0..self.relaxations.len()).collect();
        }
        let zero = self.closure(&vec![0; self.problem.len()], 0, 1).chosen;
        let mut broken: Vec<(f64, usize)> = (0..rows)
            .filter_map(|idx| {
                let (row, b) = &self.relaxations[idx];
                let total = crate::dot(row, &zero);
                (total > *b).then(|| {
                    let scale = crate::total(row).unwrap_or(1).max(1) as f64;
                    ((total - b) as f64 / scale, idx)
                })
            })
            .collect();
        broken.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut priced: Vec<usize> = (rows..self.relaxations.len()).collect();
        priced.extend(hint.map(|hint| hint.relaxation));
        for (_, idx) in broken {
            if priced.len() >= MAX_PRICED {
                break;
            }
            if !priced.contains(&idx) {
                priced.push(idx);
            }
        }
        if priced.is_empty() {
            priced.push(0);
        }
        *at_zero = Some(zero);
        priced
    }

    /// The best price of relaxation `idx` at the current node, or the first price whose bound
    /// is at most `enough`.
    fn price(
        &mut self,
        idx: usize,
        hint: Option<Start<'_>>,
        at_zero: &mut Option<Vec<bool>>,
        enough: Option<i64>,
    ) -> Option<Dual> {
        let (row, b) = std::mem::take(&mut self.relaxations[idx]);
        let dual = self.price_row(&row, b, hint, at_zero, enough);
        self.relaxations[idx] = (row, b);
        dual
    }

    /// Newton's method on the breakpoints of the row's Lagrangian function, from two
    /// closures whose rows lie either side of the bound: the parent's, made to agree with
    /// this node's fixings (any closure is a line under the function), or else the closures
    /// at price zero and at a price above the whole objective. Stops early once the bound is at
    /// most `enough`.
    fn price_row(
        &mut self,
        row: &[i64],
        b: i64,
        start: Option<Start<'_>>,
        zero: &mut Option<Vec<bool>>,
        enough: Option<i64>,
    ) -> Option<Dual> {
        let (mut below, mut above) = match start {
            Some(Start { hint, side }) => {
                // A parent's smallest best closure at some price that agrees with the side this
                // node took is this node's too: the node's best is no better than the
                // parent's, and that closure reaches it.
                let kept = |chosen: &[bool], exact: bool| {
                    exact && side.is_some_and(|side| chosen[hint.var] == side)
                };
                (
                    Some(Evaluated {
                        exact: kept(&hint.below, hint.below_exact),
                        ..self.repaired(&hint.below, row)
                    }),
                    Some(Evaluated {
                        exact: kept(&hint.above, hint.above_exact),
                        ..self.repaired(&hint.above, row)
                    }),
                )
            }
            None => (None, None),
        };
        // With no negative coefficient, a higher price lowers every weight, and the smallest
        // best closures shrink as the price grows (Gallo, Grigoriadis and Tarjan 1989): the
        // closure at a price between two found ones lies between them.
        let nested = row.iter().all(|&a| a >= 0);
        let mut bound = i64::MAX;
        if below.as_ref().is_none_or(|below| below.row <= b) {
            let at_zero = match zero {
                Some(chosen) => Evaluated {
                    exact: true,
                    ..self.repaired(chosen, row)
                },
                None => {
                    let found = self.closure(row, 0, 1);
                    *zero = Some(found.chosen.clone());
                    found
                }
            };
            if at_zero.row <= b {
                return Some(Dual {
                    bound: at_zero.value,
                    below: None,
                    above: at_zero,
                    theta: 0.0,
                });
            }
            bound = at_zero.value;
            below = Some(at_zero);
        }
        if above.as_ref().is_none_or(|above| above.row > b) {
            // At a price above the whole objective, the closure breaks the row least of all.
            let cheapest = self.closure(row, self.objective_size + 1, 1);
            if cheapest.row > b {
                return None;
            }
            above = Some(cheapest);
        }
        let (Some(mut below), Some(mut above)) = (below, above) else {
            unreachable!("both sides are set above");
        };
        loop {
            // Where the two lines meet: λ = p / q.
            let mut p = below.value - above.value;
            let mut q = below.row - above.row;
            if p < 0 {
                // Lines from an ancestor can meet at a negative price: try price zero.
                (p, q) = (0, 1);
            }
            let divisor = gcd(p.unsigned_abs(), q.unsigned_abs()).max(1) as i64;
            p /= divisor;
            q /= divisor;
            let met = if nested && (below.exact || above.exact) {
                let inside = above.exact.then_some(&above.chosen[..]);
                let within = below.exact.then_some(&below.chosen[..]);
                self.closure_between(row, p, q, inside, within)
            } else {
                self.closure(row, p, q)
            };
            let at = |e: &Evaluated| {
                i128::from(q) * i128::from(e.value) - i128::from(p) * i128::from(e.row)
            };
            let here = floor_div(i128::from(p) * i128::from(b) + at(&met), i128::from(q));
            bound = bound.min(here);
            if p == 0 && met.row <= b {
                // The best closure at no price keeps the row: it is the node's optimum.
                return Some(Dual {
                    bound: met.value,
                    below: None,
                    above: met,
                    theta: 0.0,
                });
            }
            if at(&met) <= at(&below) {
                return Some(Dual::bracket(bound, below, above, b));
            }
            if met.row > b {
                below = met;
            } else {
                above = met;
            }
            if enough.is_some_and(|enough| bound <= enough) {
                return Some(Dual::bracket(bound, below, above, b));
            }
        }
    }

    /// A closure of an ancestor node made to agree with this node's fixings: still a closure,
    /// since what is fixed in comes with what it requires and what is fixed out with what
    /// requires it.
    fn repaired(&self, chosen: &[bool], row: &[i64]) -> Evaluated {
        let chosen: Vec<bool> = chosen
            .iter()
            .zip(&self.fix)
            .map(|(&chosen, fix)| match fix {
                Fix::In => true,
                Fix::Out => false,
                Fix::Free => chosen,
            })
            .collect();
        Evaluated {
            value: self.problem.value(&chosen),
            row: crate::dot(row, &chosen),
            chosen,
            exact: false,
        }
    }

    /// The smallest best closure at price p / q for the row, given that it contains `inside`
    /// and lies within `within`: both closures, the smallest best ones at a higher and a lower
    /// price of a row without negative coefficients. Only the variables between them are left
    /// to the minimum cut.
    fn closure_between(
        &mut self,
        row: &[i64],
        p: i64,
        q: i64,
        inside: Option<&[bool]>,
        within: Option<&[bool]>,
    ) -> Evaluated {
        debug_assert!(
            inside.zip(within).is_none_or(|(inside, within)| inside
                .iter()
                .zip(within)
                .all(|(&inside, &within)| !inside || within)),
            "the closure at the higher price lies within the one at the lower"
        );
        let mut narrowed = std::mem::take(&mut self.narrowed);
        narrowed.clear();
        narrowed.extend(self.fix.iter().enumerate().map(|(v, &fix)| match fix {
            Fix::Free if inside.is_some_and(|inside| inside[v]) => Fix::In,
            Fix::Free if within.is_some_and(|within| !within[v]) => Fix::Out,
            fix => fix,
        }));
        let met = self.closure_fixed(row, p, q, &narrowed);
        self.narrowed = narrowed;
        #[cfg(debug_assertions)]
        {
            // The narrowing must not change the answer: the cut over every free variable
            // finds the same closure. (Checked in debug builds only: it doubles the cuts.)
            let cuts = self.cuts;
            let full = self.closure(row, p, q);
            self.cuts = cuts;
            debug_assert_eq!(
                met.chosen, full.chosen,
                "a narrowed cut changed the closure"
            );
        }
        met
    }

    /// The smallest best closure at price p / q for the row, with its value and row total.
    fn closure(&mut self, row: &[i64], p: i64, q: i64) -> Evaluated {
        let fix = std::mem::take(&mut self.fix);
        let met = self.closure_fixed(row, p, q, &fix);
        self.fix = fix;
        met
    }

    fn closure_fixed(&mut self, row: &[i64], p: i64, q: i64, fix: &[Fix]) -> Evaluated {
        for (w, (&c, &a)) in self
            .weight
            .iter_mut()
            .zip(self.problem.objective().iter().zip(row))
        {
            *w = q * c - p * a;
        }
        self.cuts += 1;
        let mut chosen = Vec::new();
        self.network.max_closure(&self.weight, fix, &mut chosen);
        Evaluated {
            value: self.problem.value(&chosen),
            row: crate::dot(row, &chosen),
            chosen,
            exact: true,
        }
    }

    /// Takes a closure as the incumbent, mended and completed greedily, when that satisfies
    /// every row and beats the one there is.
    fn offer(&mut self, chosen: &[bool]) {
        let rows = self.problem.rows();
        let mut totals: Vec<i64> = rows
            .iter()
            .map(|row| crate::dot(&row.coefficients, chosen))
            .collect();
        let mut chosen = chosen.to_vec();
        if !self.mend(&mut chosen, &mut totals) {
            return;
        }
        self.complete(&mut chosen, &mut totals);
        let value = self.problem.value(&chosen);
        if self
            .incumbent
            .as_ref()
            .is_none_or(|best| value > best.value)
        {
            debug_assert!(self.problem.check(&chosen).is_ok());
            self.incumbent = Some(Choice { chosen, value });
        }
    }

    /// Drops chosen variables that nothing chosen requires, the one that mends the broken rows
    /// most for the least objective first, until every row holds; `false` when that fails.
    fn mend(&self, chosen: &mut [bool], totals: &mut [i64]) -> bool {
        let rows = self.problem.rows();
        let objective = self.problem.objective();
        let mut over = vec![0i64; rows.len()];
        // How many chosen variables require each variable, and the chosen ones that none
        // requires and that may be dropped: kept up to date as variables go.
        let mut holding = vec![0u32; chosen.len()];
        for v in (0..chosen.len()).filter(|&v| chosen[v]) {
            for &w in &self.needs[v] {
                holding[w as usize] += 1;
            }
        }
        let droppable = |v: usize, holding: &[u32], chosen: &[bool]| {
            chosen[v] && self.fix[v] != Fix::In && holding[v] == 0
        };
        let mut leaves: Vec<usize> = (0..chosen.len())
            .filter(|&v| droppable(v, &holding, chosen))
            .collect();
        loop {
            for ((over, total), row) in over.iter_mut().zip(totals.iter()).zip(rows) {
                *over = total - row.bound;
            }
            if over.iter().all(|&over| over <= 0) {
                return true;
            }
            let leaf = leaves
                .iter()
                .enumerate()
                .filter_map(|(at, &v)| {
                    // A zero coefficient changes nothing: only the variable's own rows count.
                    let mended: f64 = self.columns[v]
                        .iter()
                        .map(|&(r, c)| {
                            let over = over[r];
                            let change = if over > 0 {
                                c.min(over)
                            } else {
                                (c - over).min(0)
                            };
                            change as f64 / self.unit[r]
                        })
                        .sum();
                    (mended > 0.0).then(|| (mended / objective[v].max(1) as f64, v, at))
                })
                // Among equals, the last variable.
                .max_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let Some((_, v, at)) = leaf else {
                return false;
            };
            chosen[v] = false;
            leaves.swap_remove(at);
            for &(r, c) in &self.columns[v] {
                totals[r] -= c;
            }
            for &w in &self.needs[v] {
                let w = w as usize;
                holding[w] -= 1;
                if droppable(w, &holding, chosen) {
                    leaves.push(w);
                }
            }
        }
    }

    /// Each row's total over `added`, and over its positive coefficients only.
    fn row_sums(&self, added: &[usize], sums: &mut [i64], positive: &mut [i64]) {
        sums.fill(0);
        positive.fill(0);
        for &w in added {
            for &(r, c) in &self.columns[w] {
                sums[r] += c;
                positive[r] += c.max(0);
            }
        }
    }

    /// Adds what pays and fits, best value per unit of row first: each candidate with
    /// everything it requires that is not chosen yet.
    fn complete(&mut self, chosen: &mut [bool], totals: &mut [i64]) {
        let n = self.problem.len();
        let objective = self.problem.objective();
        let rows = self.problem.rows();
        let mut sums = vec![0i64; rows.len()];
        let mut positive = vec![0i64; rows.len()];
        let mut candidates: Vec<(f64, usize)> = (0..n)
            .filter(|&v| !chosen[v] && self.fix[v] != Fix::Out && objective[v] > 0)
            .map(|v| {
                let added = self.additions(v, chosen);
                let gain: i64 = added.iter().map(|&w| objective[w]).sum();
                self.row_sums(&added, &mut sums, &mut positive);
                let load: f64 = match &self.prices {
                    // The rows at the root's prices: what the item costs in objective.
                    Some(prices) => prices
                        .iter()
                        .zip(&sums)
                        .map(|(price, &sum)| price * sum as f64)
                        .sum(),
                    None => rows
                        .iter()
                        .zip(&positive)
                        .map(|(row, &positive)| {
                            let scale = row.bound.abs().max(1) as f64;
                            positive as f64 / scale
                        })
                        .sum(),
                };
                (gain as f64 / load.max(1e-12), v)
            })
            .collect();
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (_, v) in candidates {
            if chosen[v] {
                continue;
            }
            let added = self.additions(v, chosen);
            if added.iter().any(|&w| self.fix[w] == Fix::Out) {
                continue;
            }
            let gain: i64 = added.iter().map(|&w| objective[w]).sum();
            if gain <= 0 {
                continue;
            }
            self.row_sums(&added, &mut sums, &mut positive);
            let fits = rows
                .iter()
                .zip(totals.iter())
                .zip(&sums)
                .all(|((row, total), sum)| total + sum <= row.bound);
            if !fits {
                continue;
            }
            for (total, sum) in totals.iter_mut().zip(&sums) {
                *total += sum;
            }
            for w in added {
                chosen[w] = true;
            }
        }
    }

    /// The variable and everything it requires, transitively, that is not chosen yet.
    fn additions(&self, var: usize, chosen: &[bool]) -> Vec<usize> {
        let mut added = vec![var];
        let mut seen_at = 0;
        while seen_at < added.len() {
            let v = added[seen_at];
            seen_at += 1;
            for &w in &self.needs[v] {
                let w = w as usize;
                if !chosen[w] && !added.contains(&w) {
                    added.push(w);
                }
            }
        }
        added
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// `floor(num / den)` for a positive denominator, saturated to 64 bits.
fn floor_div(num: i128, den: i128) -> i64 {
    let quotient = num.div_euclid(den);
    quotient.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}
