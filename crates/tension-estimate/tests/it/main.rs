//! Integration tests of the estimate language: parsing, sampling and its statistics.

mod language;
mod robustness;
mod sampling;
mod statistics;

use tension_estimate::{Expr, Model, NodeId, parse};

/// Samples one expression over named quantities.
pub(crate) fn sample_with(
    quantities: &[(&str, &str)],
    text: &str,
    trials: usize,
    seed: u64,
) -> Vec<f64> {
    let parsed: Vec<(&str, Expr)> = quantities
        .iter()
        .map(|(name, text)| (*name, parse(text).expect("test quantities parse")))
        .collect();
    let mut model = Model::new();
    model
        .define_quantities(parsed.iter().map(|(name, expr)| (*name, expr)))
        .expect("test quantities are valid");
    let node: NodeId = model
        .add("test", &parse(text).expect("test estimate parses"))
        .expect("test estimate compiles");
    model.sample(&[node], trials, seed).remove(0)
}

pub(crate) fn sample(text: &str, trials: usize, seed: u64) -> Vec<f64> {
    sample_with(&[], text, trials, seed)
}
