//! The forecast of a generated 1,000-item scenario at 10,000 trials, beside the raw sampling of
//! its inputs, so that the cost of scheduling on top of drawing the numbers shows.
//! Figures go to `docs/benchmarks.md`.

#[path = "support/generated.rs"]
mod generated;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tension_forecast::{Config, forecast};
use tension_model::{FieldRef, compile};
use tension_scenario::{Options, parse_str};

const ITEMS: usize = 1000;
const TRIALS: usize = 10_000;

fn benches(c: &mut Criterion) {
    let text = generated::scenario(ITEMS);
    let checked = parse_str("generated.toml", &text, &Options::default());
    let scenario = checked.scenario.expect("the generated scenario is valid");
    let config = Config {
        trials: TRIALS,
        seed: 1,
        order: Vec::new(),
        keep_trials: false,
    };
    let mut group = c.benchmark_group("forecast_1000_items_10k_trials");
    group.throughput(Throughput::Elements((ITEMS * TRIALS) as u64));
    group.sample_size(20);
    group.bench_function("forecast, all cores", |b| {
        b.iter(|| forecast(&scenario, &config, &|_| {}).expect("forecast runs"))
    });
    let one_thread = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a pool of one thread");
    group.bench_function("forecast, one thread", |b| {
        b.iter(|| {
            one_thread.install(|| forecast(&scenario, &config, &|_| {}).expect("forecast runs"))
        })
    });
    // The same draws the forecast makes (efforts, lead times, focus), sampled on one thread
    // and summed, without any scheduling.
    let compiled = compile(&scenario).expect("the generated scenario compiles");
    let inputs: Vec<_> = compiled
        .fields
        .iter()
        .filter(|(field, _)| {
            matches!(
                field,
                FieldRef::Item {
                    field: "effort",
                    ..
                } | FieldRef::ReviewLeadTime(_)
                    | FieldRef::Focus
            )
        })
        .map(|(_, node)| *node)
        .collect();
    group.bench_function("sampling the inputs only, one thread", |b| {
        b.iter(|| {
            let mut sum = 0.0;
            compiled
                .model
                .for_each_chunk(&inputs, TRIALS, 1, |_, columns| {
                    sum += columns
                        .iter()
                        .map(|column| column.iter().sum::<f64>())
                        .sum::<f64>();
                });
            sum
        })
    });
    group.finish();
}

criterion_group!(forecast_benches, benches);
criterion_main!(forecast_benches);
