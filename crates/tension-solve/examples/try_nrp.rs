#![allow(clippy::print_stdout, clippy::unwrap_used)]
use std::time::Duration;
use tension_solve::{Limits, nrp, solve};
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&args[1]).unwrap();
    let ratio = nrp::Ratio::parse(&args[2]).unwrap();
    let secs: u64 = args.get(3).map(|s| s.parse().unwrap()).unwrap_or(30);
    let inst = nrp::parse(&text).unwrap();
    let budget = ratio.of(inst.total_cost());
    let red = inst.reduce(Some(budget));
    let sol = solve(
        &red.problem,
        &Limits {
            time: Some(Duration::from_secs(secs)),
            nodes: None,
        },
    )
    .unwrap();
    let best = sol.best.as_ref().unwrap();
    let reqs = red.requirements(&best.chosen, inst.costs.len());
    let ev = inst.evaluate(&reqs);
    println!(
        "{} vars={} value={} check={} cost={} budget={} bound={} proven={} nodes={} cuts={} {:?}",
        args[1],
        red.problem.len() * 1000000 + red.problem.requirements().len(),
        best.value,
        ev.profit,
        ev.cost,
        budget,
        sol.bound,
        sol.proven,
        sol.nodes,
        sol.cuts,
        sol.elapsed
    );
}
