//! The frontier of a generated scenario (300 items, or `ITEMS`), every plan verified by the
//! forecast: ten plans spread between the two ideals and, up to 100 items, all non-dominated
//! plans. Figures go to `docs/benchmarks.md`.

use criterion::{Criterion, criterion_group, criterion_main};
use tension_plan::{Config, Outcome, plan};
use tension_scenario::{Options, parse_str};

/// A scenario of `n` items: 10 people, a quarter's deadline that takes about half the work,
/// values and health of both signs, dependencies on recent items, pairs of alternatives, a few
/// musts and a health floor. Deterministic: the same `n` gives the same file.
fn scenario(n: usize) -> String {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut below = move |k: u64| {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x9E37_79B9_7F4A_7C15) % k
    };
    let mut text = String::from(
        "[scenario]\nname = \"generated\"\nstart = 2027-01-04\ndeadline = 2027-06-30\nhorizon = 2027-12-31\ncurrency = \"USD\"\nconfidence = 0.85\n\n[team]\npeople = 10\nfocus = \"0.6..0.8\"\n\n[policy]\nhealth_floor = 0.15\n",
    );
    for item in 0..n {
        let low = 2 + below(8);
        let health_work = below(5) == 0;
        let kind = if health_work { "health" } else { "feature" };
        let health = if health_work {
            5 + below(30) as i64
        } else {
            below(8) as i64 - 5
        };
        let value = if health_work {
            String::new()
        } else {
            let v = 500 + below(5000);
            format!("value = \"{v}..{} USD\"\n", v * 2)
        };
        let needs: Vec<String> = (0..below(3))
            .filter(|_| item > 0)
            .map(|_| format!("\"i{}\"", item - 1 - below(item.min(40) as u64) as usize))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let alternatives = if item % 30 < 2 && item >= 30 {
            format!("alternatives = \"g{}\"\n", item / 30)
        } else {
            String::new()
        };
        let must = item % 100 == 7;
        text.push_str(&format!(
            "\n[[item]]\nid = \"i{item}\"\nkind = \"{kind}\"\neffort = \"{low}..{} days\"\n{value}health = {health}\nneeds = [{}]\nmust = {must}\n{alternatives}",
            low * 3,
            needs.join(", ")
        ));
    }
    text
}

#[allow(clippy::print_stderr)]
fn benches(c: &mut Criterion) {
    let n: usize = std::env::var("ITEMS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300);
    let text = scenario(n);
    if let Ok(path) = std::env::var("DUMP") {
        std::fs::write(path, &text).expect("the scenario is written");
    }
    let checked = parse_str("generated.toml", &text, &Options::default());
    let scenario = checked.scenario.expect("the generated scenario is valid");
    let mut group = c.benchmark_group(format!("plan_{n}_items"));
    group.sample_size(10);
    // Every plan of 300 items takes minutes (one proof per health point): only up to 100.
    let asked: &[(&str, Option<usize>)] = if n <= 100 {
        &[("ten plans", Some(10)), ("every plan", None)]
    } else {
        &[("ten plans", Some(10))]
    };
    for &(name, points) in asked {
        let config = Config {
            points,
            ..Config::default()
        };
        let Outcome::Planned(planned) = plan(&scenario, &config).expect("plans") else {
            panic!("the generated scenario has plans");
        };
        eprintln!(
            "{name}: {} plans, {} rejected, capacity {:.0} of {:.0} person-days",
            planned.frontier.len(),
            planned.rejected,
            planned.capacity,
            planned.initial_capacity
        );
        group.bench_function(name, |b| {
            b.iter(|| plan(&scenario, &config).expect("plans"))
        });
    }
    group.finish();
}

criterion_group!(plan_benches, benches);
criterion_main!(plan_benches);
