//! How the sampler shares, separates and reproduces draws.

use tension_estimate::{CHUNK, Model, ModelError, parse};

use crate::{sample, sample_with};

#[test]
fn a_named_quantity_has_one_value_per_trial() {
    let values = sample_with(&[("x", "5..10")], "x - x", 10_000, 3);
    assert!(values.iter().all(|v| *v == 0.0));
    let ratio = sample_with(&[("x", "5..10"), ("y", "x * 2")], "y / x", 1000, 3);
    assert!(ratio.iter().all(|v| (*v - 2.0).abs() < 1e-12));
}

#[test]
fn inline_estimates_are_independent_draws() {
    // Var(a - b) = 2 Var(a) for independent a and b; the difference is not zero.
    let n = 100_000;
    let single = sample("normal(0, 1)", n, 5);
    let diff = sample("normal(0, 1) - normal(0, 1)", n, 5);
    let var = |v: &[f64]| {
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (v.len() - 1) as f64
    };
    // The sample variance of n normal draws has a relative standard error of sqrt(2 / n),
    // 0.45% here; 4 standard errors is 1.8%, so 3% is a comfortable yet meaningful bound.
    assert!((var(&single) - 1.0).abs() < 0.03, "{}", var(&single));
    assert!((var(&diff) - 2.0).abs() < 0.06, "{}", var(&diff));
}

#[test]
fn the_same_seed_gives_the_same_numbers_and_another_seed_does_not() {
    let a = sample("15..40", 10_000, 42);
    let b = sample("15..40", 10_000, 42);
    let c = sample("15..40", 10_000, 43);
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn fewer_trials_are_a_prefix_of_more_trials() {
    let short = sample("pert(5, 10, 30) + uniform(1, 2)", CHUNK + 17, 9);
    let long = sample("pert(5, 10, 30) + uniform(1, 2)", 3 * CHUNK, 9);
    assert_eq!(short[..], long[..short.len()]);
}

#[test]
fn chunks_draw_different_numbers() {
    let values = sample("uniform(0, 1)", 2 * CHUNK, 1);
    assert_ne!(values[..CHUNK], values[CHUNK..]);
}

#[test]
fn adding_an_expression_leaves_the_others_draws_unchanged() {
    let effort = parse("15..40").unwrap();
    let other = parse("pert(1, 2, 3)").unwrap();
    let mut alone = Model::new();
    let node = alone.add("a.effort", &effort).unwrap();
    let mut together = Model::new();
    together.add("b.effort", &other).unwrap();
    let node_together = together.add("a.effort", &effort).unwrap();
    assert_eq!(
        alone.sample(&[node], 5000, 7),
        together.sample(&[node_together], 5000, 7)
    );
}

#[test]
fn quantities_may_be_defined_in_any_order() {
    let values = sample_with(
        &[("total", "a + b"), ("a", "1"), ("b", "2 * a")],
        "total",
        10,
        1,
    );
    assert!(values.iter().all(|v| *v == 3.0));
}

#[test]
fn cycles_and_unknown_names_are_reported() {
    let defs = [
        ("a", parse("b * 2").unwrap()),
        ("b", parse("a + 1").unwrap()),
        ("c", parse("d").unwrap()),
    ];
    let mut model = Model::new();
    let errors = model
        .define_quantities(defs.iter().map(|(n, e)| (*n, e)))
        .unwrap_err();
    assert!(
        errors.contains(&ModelError::Cycle {
            cycle: vec!["a".into(), "b".into(), "a".into()]
        }),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| matches!(e, ModelError::UnknownQuantity { name, .. } if name == "d"))
    );
    let mut model = Model::new();
    let error = model.add("x", &parse("avg_ordr").unwrap()).unwrap_err();
    assert!(matches!(error, ModelError::UnknownQuantity { name, .. } if name == "avg_ordr"));
}

#[test]
fn unknown_names_get_a_suggestion() {
    let defs = [
        ("avg_order", parse("40").unwrap()),
        ("total", parse("avg_ordr * 2").unwrap()),
    ];
    let mut model = Model::new();
    let errors = model
        .define_quantities(defs.iter().map(|(n, e)| (*n, e)))
        .unwrap_err();
    assert!(
        matches!(&errors[0], ModelError::UnknownQuantity { suggestion: Some(s), .. } if s == "avg_order"),
        "{errors:?}"
    );
}

#[test]
fn min_and_max_work_elementwise() {
    let values = sample("max(0, normal(0, 1))", 10_000, 2);
    assert!(values.iter().all(|v| *v >= 0.0));
    let zeros = values.iter().filter(|v| **v == 0.0).count();
    // Half of the draws are negative: binomial(10_000, 0.5) has sd 50; 4 sd is 200.
    assert!((zeros as i64 - 5000).abs() < 200, "{zeros}");
}

#[test]
fn chunks_filled_in_any_order_give_the_same_numbers() {
    let mut model = Model::new();
    let node = model
        .add("x", &parse("15..40 * uniform(1, 2)").unwrap())
        .unwrap();
    let trials = 3 * CHUNK + 5;
    let in_order = model.sample(&[node], trials, 11).remove(0);
    let mut sampler = model.sampler(&[node]);
    for chunk_idx in [3, 1, 0, 2] {
        let len = sampler.fill(chunk_idx, trials, 11);
        let start = chunk_idx * CHUNK;
        assert_eq!(sampler.column(node, len), &in_order[start..start + len]);
    }
}

#[test]
fn a_chunk_drawn_in_parts_holds_the_numbers_of_the_whole_chunk() {
    // Every kind of node: each distribution, arithmetic, min and max, a shared quantity.
    let mut model = Model::new();
    let shared = parse("2..5").unwrap();
    model.define_quantities([("shared", &shared)]).unwrap();
    let nodes: Vec<_> = [
        "15..40 * uniform(1, 2)",
        "normal(3, 1) - shared",
        "triangular(1, 2, 6) / pert(1, 3, 9)",
        "max(shared, 1..10, -(0..1))",
        "min(shared, 4)",
    ]
    .iter()
    .enumerate()
    .map(|(idx, text)| {
        model
            .add(&format!("e{idx}"), &parse(text).unwrap())
            .unwrap()
    })
    .collect();
    let trials = 2 * CHUNK + 77;
    let whole = model.sample(&nodes, trials, 5);
    let mut sampler = model.sampler(&nodes);
    // Parts of uneven sizes, the last one cut short by the end of the chunk.
    for chunk_idx in [2, 0, 1] {
        let len = sampler.start_chunk(chunk_idx, trials, 5);
        let mut offset = chunk_idx * CHUNK;
        for max in [1, 300, 7, 128].into_iter().cycle() {
            let part = sampler.fill_part(max);
            if part == 0 {
                break;
            }
            assert!(part <= max);
            for (node, column) in nodes.iter().zip(&whole) {
                assert_eq!(sampler.column(*node, part), &column[offset..offset + part]);
            }
            offset += part;
        }
        assert_eq!(offset, chunk_idx * CHUNK + len);
    }
}

#[test]
fn every_written_estimate_is_named_and_can_be_pinned() {
    let mut model = Model::new();
    let users = parse("40k..60k").unwrap();
    let lift = parse("2%..4%").unwrap();
    model
        .define_quantities([("users", &users), ("lift", &lift)])
        .unwrap();
    let value = model
        .add(
            "one-click.value",
            &parse("users * lift * (10..20)").unwrap(),
        )
        .unwrap();
    let effort = model.add("one-click.effort", &parse("5").unwrap()).unwrap();
    let randoms: Vec<(String, u64)> = model
        .randoms()
        .map(|r| (r.key.to_owned(), r.ordinal))
        .collect();
    assert_eq!(randoms.len(), 3);
    assert!(randoms.contains(&("users".to_owned(), 1)));
    assert!(randoms.contains(&("lift".to_owned(), 1)));
    assert!(randoms.contains(&("one-click.value".to_owned(), 1)));
    // The value depends on all three; a fixed effort on none.
    assert_eq!(model.randoms_under(&[value]).len(), 3);
    assert!(model.randoms_under(&[effort]).is_empty());

    // Pinned: users at 50k, lift at 3%, the inline range at 10 in case 0 and 20 in case 1.
    let keys: Vec<(tension_estimate::NodeId, String)> = model
        .randoms()
        .map(|r| (r.node, r.key.to_owned()))
        .collect();
    let values = model.evaluate(&[value, effort], 2, |node, out| {
        let key = &keys.iter().find(|(n, _)| *n == node).unwrap().1;
        match key.as_str() {
            "users" => out.fill(50_000.0),
            "lift" => out.fill(0.03),
            _ => out.copy_from_slice(&[10.0, 20.0]),
        }
    });
    assert_eq!(values[0], [15_000.0, 30_000.0]);
    assert_eq!(values[1], [5.0, 5.0]);
}
