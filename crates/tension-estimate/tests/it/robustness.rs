//! No input makes the parser or the sampler panic, overflow the stack or hang.

use proptest::prelude::*;
use tension_estimate::{Model, parse};

/// Parses, and when that succeeds, compiles and samples a few trials: none of it may panic.
fn exercise(text: &str) {
    if let Ok(expr) = parse(text) {
        let mut model = Model::new();
        // Unknown quantities are an error result, not a panic.
        if let Ok(node) = model.add("prop", &expr) {
            let values = model.sample(&[node], 8, 1);
            assert_eq!(values[0].len(), 8);
        }
    } else if let Err(error) = parse(text) {
        // Every error points inside the text and has a message.
        assert!(
            error.span.start <= error.span.end && error.span.end <= text.len(),
            "{error:?} in {text:?}"
        );
        assert!(!error.to_string().is_empty());
    }
}

const ALPHABET: &str = "[0-9a-z .%()+*/,_kM-]{0,60}";

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn any_string(text in any::<String>()) {
        exercise(&text);
    }

    #[test]
    fn strings_of_the_language_alphabet(text in ALPHABET) {
        exercise(&text);
    }

    #[test]
    fn mutations_of_valid_estimates(
        base in prop::sample::select(vec![
            "15..40 days", "2%..8%", "pert(5, 10, 30)", "triangular(5, 10, 30)", "uniform(20, 25)",
            "normal(20, 4)", "lognormal(20, 4)", "min(1..2, 3) * max(4, 5..6) / (7 + 8)", "1.5M..3M USD/month",
        ]),
        position in 0usize..40,
        insert in "[0-9a-z .%()+*/,eE-]{0,3}",
        cut in 0usize..4,
    ) {
        let mut text = base.to_owned();
        let at = position.min(text.len());
        let end = (at + cut).min(text.len());
        text.replace_range(at..end, &insert);
        exercise(&text);
    }

    #[test]
    fn huge_and_tiny_numbers(exponent in -400i32..400, mantissa in 1u32..10) {
        exercise(&format!("{mantissa}e{exponent}"));
        exercise(&format!("1..{mantissa}e{exponent}"));
        exercise(&format!("{mantissa}e{exponent} * {mantissa}e{exponent}"));
    }

    #[test]
    fn deep_nesting(depth in 0usize..5000) {
        exercise(&format!("{}1{}", "(".repeat(depth), ")".repeat(depth)));
        exercise(&format!("{}1", "-".repeat(depth)));
        exercise(&format!("{}1", "min(".repeat(depth)));
    }
}
