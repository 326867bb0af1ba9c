//! Properties over random plans.

use proptest::prelude::*;
use tension_forecast::{Config, forecast};

use crate::{day, plan, run};

/// A random plan: `(effort low, width, max_people, needs)` per item, needs only on earlier items.
fn items() -> impl Strategy<Value = Vec<(u32, u32, u32, Vec<usize>)>> {
    prop::collection::vec(
        (
            1u32..30,
            0u32..30,
            1u32..4,
            prop::collection::vec(any::<prop::sample::Index>(), 0..3),
        ),
        1..12,
    )
    .prop_map(|raw| {
        raw.into_iter()
            .enumerate()
            .map(|(idx, (low, width, max_people, needs))| {
                let mut needs: Vec<usize> = if idx == 0 {
                    Vec::new()
                } else {
                    needs.iter().map(|n| n.index(idx)).collect()
                };
                needs.sort_unstable();
                needs.dedup();
                (low, width, max_people, needs)
            })
            .collect()
    })
}

fn toml(items: &[(u32, u32, u32, Vec<usize>)], fixed: bool) -> String {
    let mut text = String::new();
    for (idx, (low, width, max_people, needs)) in items.iter().enumerate() {
        let effort = if fixed || *width == 0 {
            format!("{low}")
        } else {
            format!("\"{low}..{}\"", low + width)
        };
        let needs: Vec<String> = needs.iter().map(|n| format!("\"i{n}\"")).collect();
        text.push_str(&format!(
            "[[item]]\nid = \"i{idx}\"\neffort = {effort}\nmax_people = {max_people}\nneeds = [{}]\n\n",
            needs.join(", ")
        ));
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// In every trial an item ships after everything it needs, so each of its percentiles is
    /// at or after the same percentile of each need.
    #[test]
    fn no_item_ships_before_its_needs(items in items(), people in 1u32..5) {
        let scenario = plan(&format!("people = {people}"), &toml(&items, false));
        let forecast = run(&scenario, 2000, 5);
        for (idx, (_, _, _, needs)) in items.iter().enumerate() {
            for &need in needs {
                for p in [0.05, 0.25, 0.5, 0.85, 0.95] {
                    let after = forecast.items[idx].days.quantile(p);
                    let before = forecast.items[need].days.quantile(p);
                    prop_assert!(after >= before, "i{idx} before its need i{need} at {p}");
                }
            }
        }
    }

    /// List scheduling of independent fixed items never takes longer than the total work over
    /// the team plus the longest item (Graham's bound).
    #[test]
    fn fixed_independent_items_respect_grahams_bound(efforts in prop::collection::vec(1u32..40, 1..25), people in 1u32..6) {
        let items: Vec<(u32, u32, u32, Vec<usize>)> = efforts.iter().map(|e| (*e, 0, 1, Vec::new())).collect();
        let scenario = plan(&format!("people = {people}"), &toml(&items, true));
        let forecast = run(&scenario, 10, 1);
        let total: u32 = efforts.iter().sum();
        let longest = *efforts.iter().max().unwrap();
        let bound = (f64::from(total) / f64::from(people) + f64::from(longest)).ceil() as u32;
        let finish = day(&forecast, forecast.plan.p95);
        prop_assert!(finish <= bound, "finish {finish} > bound {bound}");
        // And never faster than the work allows.
        let lower = (f64::from(total) / f64::from(people)).ceil().max(f64::from(longest)) as u32;
        prop_assert!(finish >= lower, "finish {finish} < lower bound {lower}");
    }

    /// Any number of trials runs, whether or not it fills whole chunks.
    #[test]
    fn any_number_of_trials_runs(trials in 1usize..5000) {
        let scenario = plan("people = 2", "[[item]]\nid = \"a\"\neffort = \"5..10\"");
        let forecast = run(&scenario, trials, 1);
        prop_assert_eq!(forecast.plan.days.total(), trials as u64);
    }
}

#[test]
fn the_same_seed_gives_the_same_forecast_on_any_number_of_threads() {
    let scenario = crate::scenario(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/checkout.toml"
        ))
        .unwrap(),
    );
    let config = Config {
        trials: 5000,
        seed: 9,
        order: Vec::new(),
        keep_trials: false,
    };
    let on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| forecast(&scenario, &config, &|_| {}).unwrap())
    };
    let one = on(1);
    assert_eq!(one, on(2));
    assert_eq!(one, on(3));
    let other_seed = forecast(
        &scenario,
        &Config {
            seed: 10,
            ..config.clone()
        },
        &|_| {},
    )
    .unwrap();
    assert_ne!(one.plan.days, other_seed.plan.days);
}
