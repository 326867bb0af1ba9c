//! Sampling throughput: 10 million draws of a 90% interval, and of an expression over three
//! named quantities. Figures go to `docs/benchmarks.md`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tension_estimate::{Model, parse};

const DRAWS: usize = 10_000_000;

fn model_of(quantities: &[(&str, &str)], expr: &str) -> (Model, tension_estimate::NodeId) {
    let parsed: Vec<(&str, tension_estimate::Expr)> = quantities
        .iter()
        .map(|(name, text)| (*name, parse(text).expect("benchmark estimates parse")))
        .collect();
    let mut model = Model::new();
    model
        .define_quantities(parsed.iter().map(|(name, expr)| (*name, expr)))
        .expect("benchmark quantities are valid");
    let node = model
        .add("bench", &parse(expr).expect("benchmark expression parses"))
        .expect("benchmark expression compiles");
    (model, node)
}

fn sampling(c: &mut Criterion) {
    let mut group = c.benchmark_group("sample_10M");
    group.throughput(Throughput::Elements(DRAWS as u64));
    group.sample_size(10);

    for (name, text) in [("lognormal 15..40", "15..40"), ("normal -5..5", "-5..5")] {
        let (model, node) = model_of(&[], text);
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut sum = 0.0;
                model.for_each_chunk(&[node], DRAWS, 7, |_, columns| {
                    sum += columns[0].iter().sum::<f64>()
                });
                sum
            })
        });
    }

    let (model, node) = model_of(
        &[
            ("users", "40k..60k"),
            ("lift", "0.5%..3%"),
            ("order", "38..45 USD"),
        ],
        "users * lift * order",
    );
    group.bench_function("expression of three quantities", |b| {
        b.iter(|| {
            let mut sum = 0.0;
            model.for_each_chunk(&[node], DRAWS, 7, |_, columns| {
                sum += columns[0].iter().sum::<f64>()
            });
            sum
        })
    });
    group.finish();
}

criterion_group!(benches, sampling);
criterion_main!(benches);
