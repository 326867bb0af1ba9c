//! `explain` on a generated scenario of 300 items whose values rest on 50 uncertain
//! quantities, over a frontier of 20 plans, at 10,000 trials: the size `docs/benchmarks.md`
//! reports. The frontier is planned once, outside the measurement.
//!
//! `ITEMS`, `INPUTS` and `POINTS` change the size; `DUMP=path` writes the scenario, so that
//! the whole command can be timed with `tension explain path --points 20`.

use criterion::{Criterion, criterion_group, criterion_main};
use tension_explain::{Config, explain};
use tension_plan::{Outcome, plan};
use tension_scenario::{Options, parse_str};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// `items` items on a team large enough for all of them, so that the frontier is the trade
/// between value and health alone. Item `i`'s monthly value is quantity `i mod inputs`, less
/// its median, times a weight: positive on average, negative in many trials, so that knowing
/// the quantities is worth something. Efforts are fixed; health has both signs.
fn scenario(items: usize, inputs: usize) -> String {
    let mut text = String::from(
        "[scenario]\nname = \"generated\"\nstart = 2027-01-04\ndeadline = 2027-09-30\nhorizon = 2027-12-31\ncurrency = \"USD\"\n\n[team]\npeople = 40\n\n[quantities]\n",
    );
    let mut medians = Vec::new();
    for q in 0..inputs {
        let low = 10 + (q * 37) % 90;
        let spread = 2 + q % 4;
        text.push_str(&format!("q{q} = \"{low}..{}\"\n", low * spread));
        // A 90% interval low..high above zero is lognormal, with median sqrt(low · high).
        medians.push(low as f64 * (spread as f64).sqrt());
    }
    for i in 0..items {
        let weight = 1 + (i * 7919) % 13;
        let health = ((i * 104_729) % 21) as i64 - 10;
        let effort = 1 + (i * 31) % 5;
        let needs = if i % 10 == 9 {
            format!("needs = [\"i{}\"]\n", i - 1)
        } else {
            String::new()
        };
        text.push_str(&format!(
            "\n[[item]]\nid = \"i{i}\"\nvalue = \"(q{} - {:.0}) * {weight}\"\neffort = {effort}\nhealth = {health}\n{needs}",
            i % inputs,
            medians[i % inputs]
        ));
    }
    text
}

fn benches(c: &mut Criterion) {
    let (items, inputs, points) = (env("ITEMS", 300), env("INPUTS", 50), env("POINTS", 20));
    let text = scenario(items, inputs);
    if let Ok(path) = std::env::var("DUMP") {
        std::fs::write(path, &text).expect("the scenario is written");
    }
    let checked = parse_str("generated.toml", &text, &Options::default());
    let scenario = checked.scenario.expect("the generated scenario is valid");
    let plan_config = tension_plan::Config {
        points: Some(points),
        ..tension_plan::Config::default()
    };
    let Outcome::Planned(planned) = plan(&scenario, &plan_config).expect("plans") else {
        panic!("the generated scenario has plans");
    };
    assert_eq!(
        planned.frontier.len(),
        points,
        "the frontier has every point"
    );
    // Every plan of the frontier is an option: the decision the issue sizes.
    let config = Config {
        trials: 10_000,
        min_health: Some(f64::NEG_INFINITY),
        plan: plan_config,
        ..Config::default()
    };
    let explained = explain(&scenario, &planned, &config).expect("explains");
    assert_eq!(explained.inputs.len(), inputs);
    assert_eq!(explained.options.len(), points);
    let mut group = c.benchmark_group("explain");
    group.sample_size(10);
    group.bench_function(
        format!("{items} items, {inputs} inputs, {points} plans, 10,000 trials"),
        |b| b.iter(|| explain(&scenario, &planned, &config).expect("explains")),
    );
    group.finish();
}

criterion_group!(explain_benches, benches);
criterion_main!(explain_benches);
