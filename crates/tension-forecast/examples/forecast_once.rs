//! Times the forecast of the benchmarks' generated 1,000-item scenario on one thread, outside
//! criterion, for comparing two builds in turn on a noisy machine (`docs/benchmarks.md`):
//!
//! `cargo run --release -p tension-forecast --example forecast_once -- TRIALS RUNS`
//!
//! prints the median and the fastest of `RUNS` runs, and a hash of every item's and the plan's
//! ship-day counts, which two builds that compute the same forecast share.

#[path = "../benches/support/generated.rs"]
mod generated;

use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::Instant;

use tension_forecast::{Config, forecast};
use tension_scenario::{Options, parse_str};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut number = |default: usize| {
        args.next()
            .and_then(|arg| arg.parse().ok())
            .unwrap_or(default)
    };
    let (trials, runs) = (number(10_000), number(5).max(1));
    let text = generated::scenario(1000);
    let scenario = parse_str("generated.toml", &text, &Options::default())
        .scenario
        .expect("the generated scenario is valid");
    let config = Config {
        trials,
        seed: 1,
        order: Vec::new(),
        keep_trials: false,
    };
    let one_thread = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a pool of one thread");
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        last = Some(one_thread.install(|| forecast(&scenario, &config, &|_| {})));
        times.push(start.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    let result = last.expect("at least one run").expect("the forecast runs");
    let mut hasher = DefaultHasher::new();
    for item in &result.items {
        item.days.iter().for_each(|day| day.hash(&mut hasher));
    }
    result
        .plan
        .days
        .iter()
        .for_each(|day| day.hash(&mut hasher));
    #[allow(clippy::print_stdout, reason = "this example's output is the timing")]
    {
        println!(
            "median {:.1} ms, fastest {:.1} ms, counts {:016x}",
            times[runs / 2],
            times[0],
            hasher.finish()
        );
    }
}
