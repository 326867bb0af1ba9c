//! "When will 500 items be done?" at 100,000 trials from a 12-week history, on all cores and
//! on one thread. Figures go to `docs/benchmarks.md`; `bench/throughput.sh` compares the same
//! question with jira-agile-metrics.

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::civil::date;
use tension_estimate::Expr;
use tension_forecast::throughput::{Pools, Trials, When, WorkingDays, when};

const TRIALS: usize = 100_000;
const ITEMS: f64 = 500.0;

/// Twelve weeks of a team finishing about 2.4 items a working day: 60 working days and 24
/// weekend days, the counts spread as in the public vscode-mssql history (many quiet days, a few
/// busy ones).
fn pools() -> Pools {
    let week = [0, 2, 1, 4, 3, 1, 0, 6, 2, 5, 1, 3, 0, 2, 4, 1, 7, 2, 0, 3];
    Pools {
        working: week.iter().cycle().take(60).copied().collect(),
        resting: [0, 0, 1, 0, 0, 0]
            .iter()
            .cycle()
            .take(24)
            .copied()
            .collect(),
    }
}

fn benches(c: &mut Criterion) {
    let pools = pools();
    let question = When {
        remaining: Expr::number(ITEMS),
        split: None,
        focus: None,
        start: date(2027, 1, 4),
        deadline: None,
    };
    let trials = Trials {
        trials: TRIALS,
        seed: 1,
    };
    let calendar = WorkingDays::weekdays();
    let mut group = c.benchmark_group("throughput_500_items_100k_trials");
    group.sample_size(20);
    group.bench_function("all cores", |b| {
        b.iter(|| when(&pools, &calendar, &question, trials, &|_| {}).expect("a forecast"))
    });
    let one_thread = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a pool of one thread");
    group.bench_function("one thread", |b| {
        b.iter(|| {
            one_thread.install(|| {
                when(&pools, &calendar, &question, trials, &|_| {}).expect("a forecast")
            })
        })
    });
    group.finish();
}

criterion_group!(throughput, benches);
criterion_main!(throughput);
