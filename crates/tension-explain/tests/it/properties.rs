//! Properties of the estimators on arbitrary decisions: bounds, invariances, and refusal of
//! values that are no numbers.

use proptest::prelude::*;
use tension_explain::Decision;

/// 1 to 6 options of 4 to 300 trials, with an input per trial.
fn decisions() -> impl Strategy<Value = (Vec<Vec<f64>>, Vec<f64>)> {
    (1usize..=6, 4usize..=300).prop_flat_map(|(options, trials)| {
        (
            prop::collection::vec(prop::collection::vec(-1e6f64..1e6, trials), options),
            prop::collection::vec(-1e3f64..1e3, trials),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn information_is_worth_between_nothing_and_everything((values, input) in decisions()) {
        let decision = Decision::new(&values).unwrap();
        let evpi = decision.evpi();
        prop_assert!(evpi >= 0.0);
        let partial = decision.partial(&input);
        prop_assert!(partial.evppi >= 0.0);
        // Cross-fitted choices are scored on trials, each at most the per-trial best.
        prop_assert!(partial.evppi <= evpi * (1.0 + 1e-9) + 1e-6, "{} > {evpi}", partial.evppi);
        prop_assert!((0.0..=1.0).contains(&partial.p_change));
    }

    #[test]
    fn a_shock_common_to_every_option_changes_nothing(
        (values, input) in decisions(),
        shock in prop::collection::vec(-1e6f64..1e6, 300),
    ) {
        let shocked: Vec<Vec<f64>> = values
            .iter()
            .map(|column| column.iter().zip(&shock).map(|(v, s)| v + s).collect())
            .collect();
        let (plain, shocked) = (Decision::new(&values).unwrap(), Decision::new(&shocked).unwrap());
        prop_assert_eq!(plain.baseline(), shocked.baseline());
        let scale = values.iter().flatten().chain(&shock).fold(1.0f64, |m, v| m.max(v.abs()));
        // Sums of up to 300 values of this size agree to about 1e-12 of the scale.
        prop_assert!((plain.evpi() - shocked.evpi()).abs() <= 1e-9 * scale);
        let (a, b) = (plain.partial(&input), shocked.partial(&input));
        prop_assert!((a.evppi - b.evppi).abs() <= 1e-9 * scale);
    }

    #[test]
    fn only_the_order_of_the_input_matters((values, input) in decisions()) {
        let decision = Decision::new(&values).unwrap();
        // A strictly increasing transform sorts the trials the same way.
        let transformed: Vec<f64> = input.iter().map(|x| (x / 100.0).exp() * 3.0 + 7.0).collect();
        prop_assert_eq!(decision.partial(&input), decision.partial(&transformed));
    }

    #[test]
    fn values_that_are_no_numbers_are_refused(
        (mut values, _) in decisions(),
        bad in prop::sample::select(vec![f64::NAN, f64::INFINITY, f64::NEG_INFINITY]),
        at in any::<prop::sample::Index>(),
    ) {
        let trials = values[0].len();
        let last = values.len() - 1;
        values[last][at.index(trials)] = bad;
        prop_assert!(Decision::new(&values).is_err());
    }
}
