//! `tension explain --format json`.

use serde::Serialize;
use tension_explain::{Disagreement, Explained, Input};

#[derive(Debug, Serialize)]
pub struct ExplainJson {
    pub evpi: f64,
    pub currency: Option<String>,
    pub trials: usize,
    pub seed: u64,
    pub bins: usize,
    pub min_health: f64,
    pub recommended: usize,
    pub baseline: usize,
    pub plans: Vec<OptionJson>,
    pub value_at_medians: f64,
    pub p85: Option<String>,
    pub verify_first: Vec<String>,
    pub inputs: Vec<InputJson>,
    pub disagreements: Vec<DisagreementJson>,
}

#[derive(Debug, Serialize)]
pub struct OptionJson {
    pub items: Vec<String>,
    pub value: f64,
    pub health: f64,
    pub mean_value: f64,
    pub option: bool,
}

#[derive(Debug, Serialize)]
pub struct InputJson {
    pub name: String,
    pub evppi: f64,
    pub swing_value: f64,
    pub swing_p85_days: Option<i32>,
    pub p_change: f64,
    pub quality: Option<&'static str>,
    pub source: Option<String>,
    pub field: String,
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
    pub unit: Option<String>,
    pub value_at_p10: f64,
    pub value_at_p90: f64,
    pub p85_at_low: Option<String>,
    pub p85_at_high: Option<String>,
    pub in_value: bool,
    pub in_schedule: bool,
    pub as_of: Option<String>,
    pub age_days: Option<i32>,
    pub owner: Option<String>,
    pub weak: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct DisagreementJson {
    pub field: String,
    pub changes_plan: bool,
    pub p85_shift_days: Option<i32>,
    pub matters: bool,
    pub owner: &'static str,
    pub owner_estimate: String,
    pub other_estimate: String,
    pub unit: Option<String>,
    pub owner_range: (f64, f64),
    pub other_range: (f64, f64),
    pub overlap: f64,
    pub plan_with_other: Option<Vec<String>>,
    pub p85_with_other: Option<String>,
}

/// The JSON of an explanation.
pub fn explain(explained: &Explained) -> ExplainJson {
    let verify_first = explained
        .verify_first()
        .iter()
        .map(|input| input.name.clone())
        .collect();
    ExplainJson {
        evpi: explained.evpi,
        currency: explained.currency.clone(),
        trials: explained.trials,
        seed: explained.seed,
        bins: explained.bins,
        min_health: explained.min_health,
        recommended: explained.recommended,
        baseline: explained.baseline,
        plans: explained
            .frontier
            .iter()
            .enumerate()
            .map(|(idx, plan)| OptionJson {
                items: plan.items.clone(),
                value: plan.value,
                health: plan.health,
                mean_value: explained.mean_value[idx],
                option: explained.options.contains(&idx),
            })
            .collect(),
        value_at_medians: explained.value_at_medians,
        p85: explained.p85.map(|d| d.to_string()),
        verify_first,
        inputs: explained.inputs.iter().map(input).collect(),
        disagreements: explained.disagreements.iter().map(disagreement).collect(),
    }
}

fn input(input: &Input) -> InputJson {
    InputJson {
        name: input.name.clone(),
        evppi: input.evppi,
        swing_value: input.swing_value(),
        swing_p85_days: input.swing_p85_days(),
        p_change: input.p_change,
        quality: input.evidence.quality.map(|q| q.name()),
        source: input.evidence.source.clone(),
        field: input.field.clone(),
        p10: input.p10,
        p50: input.p50,
        p90: input.p90,
        unit: input.unit.clone(),
        value_at_p10: input.value_at_p10,
        value_at_p90: input.value_at_p90,
        p85_at_low: input.p85_at_low.map(|d| d.to_string()),
        p85_at_high: input.p85_at_high.map(|d| d.to_string()),
        in_value: input.in_value,
        in_schedule: input.in_schedule,
        as_of: input.evidence.as_of.map(|d| d.to_string()),
        age_days: input.age_days,
        owner: input.evidence.owner.clone(),
        weak: input.weaknesses.iter().map(|w| w.describe()).collect(),
    }
}

fn disagreement(d: &Disagreement) -> DisagreementJson {
    DisagreementJson {
        field: d.field.clone(),
        changes_plan: d.changes_plan,
        p85_shift_days: d.p85_shift_days,
        matters: d.matters(),
        owner: d.owner.name(),
        owner_estimate: d.owner_text.clone(),
        other_estimate: d.other_text.clone(),
        unit: d.unit.clone(),
        owner_range: d.owner_range,
        other_range: d.other_range,
        overlap: d.overlap,
        plan_with_other: d.plan_with_other.clone(),
        p85_with_other: d.p85_with_other.map(|d| d.to_string()),
    }
}
