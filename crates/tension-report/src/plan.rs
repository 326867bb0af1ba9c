//! `tension plan --format json`.

use serde::Serialize;
use tension_plan::{Infeasible, Plan, Planned};

#[derive(Debug, Serialize)]
pub struct PlanJson {
    pub frontier: Vec<FrontierPlanJson>,
    pub recommended: usize,
    pub value_ideal: usize,
    pub health_ideal: usize,
    pub deadline: String,
    pub confidence: f64,
    pub capacity: f64,
    pub initial_capacity: f64,
    pub rejected: usize,
    pub proven: bool,
    pub concessions: ConcessionsJson,
    pub constraints: Vec<ConstraintJson>,
}

#[derive(Debug, Serialize)]
pub struct FrontierPlanJson {
    pub value: f64,
    pub health: f64,
    pub effort: f64,
    pub items: Vec<String>,
    pub p_fit: f64,
}

#[derive(Debug, Serialize)]
pub struct ConcessionsJson {
    pub business_gives_up_value: f64,
    pub business_loses: Vec<String>,
    pub technical_gives_up_health: f64,
    pub technical_loses: Vec<String>,
    /// Items of the recommended plan, not in the health ideal, that erode health.
    pub technical_takes_on: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ConstraintJson {
    pub name: &'static str,
    pub detail: String,
    pub binds: bool,
}

#[derive(Debug, Serialize)]
pub struct InfeasibleJson {
    pub frontier: Vec<FrontierPlanJson>,
    pub infeasible: String,
}

/// One plan of the frontier.
pub fn frontier_plan(plan: &Plan) -> FrontierPlanJson {
    FrontierPlanJson {
        value: plan.value,
        health: plan.health,
        effort: plan.effort,
        items: plan.items.clone(),
        p_fit: plan.p_fit,
    }
}

/// What each side concedes in the recommended plan against its ideal.
pub fn concessions(planned: &Planned) -> ConcessionsJson {
    concessions_of(planned, &planned.frontier[planned.recommended])
}

/// What each side concedes in `recommended`, any plan of the frontier, against its ideal.
pub fn concessions_of(planned: &Planned, recommended: &Plan) -> ConcessionsJson {
    let value_ideal = &planned.frontier[planned.value_ideal];
    let health_ideal = &planned.frontier[planned.health_ideal];
    let lost = |ideal: &Plan| -> Vec<String> {
        ideal
            .items
            .iter()
            .filter(|id| !recommended.items.contains(id))
            .cloned()
            .collect()
    };
    ConcessionsJson {
        business_gives_up_value: value_ideal.value - recommended.value,
        business_loses: lost(value_ideal),
        technical_gives_up_health: health_ideal.health - recommended.health,
        technical_loses: lost(health_ideal),
        technical_takes_on: recommended
            .items
            .iter()
            .filter(|id| !health_ideal.items.contains(id))
            .filter(|id| {
                planned
                    .facts
                    .iter()
                    .any(|fact| &fact.id == *id && fact.health < 0.0)
            })
            .cloned()
            .collect(),
    }
}

/// The JSON of a frontier.
pub fn plan(planned: &Planned) -> PlanJson {
    PlanJson {
        frontier: planned.frontier.iter().map(frontier_plan).collect(),
        recommended: planned.recommended,
        value_ideal: planned.value_ideal,
        health_ideal: planned.health_ideal,
        deadline: planned.deadline.to_string(),
        confidence: planned.confidence,
        capacity: planned.capacity,
        initial_capacity: planned.initial_capacity,
        rejected: planned.rejected,
        proven: planned.proven,
        concessions: concessions(planned),
        constraints: planned
            .constraints
            .iter()
            .map(|c| ConstraintJson {
                name: c.name,
                detail: c.detail.clone(),
                binds: c.binds,
            })
            .collect(),
    }
}

/// The JSON when no plan exists: an empty frontier and the reason.
pub fn infeasible(reason: &Infeasible) -> InfeasibleJson {
    InfeasibleJson {
        frontier: Vec::new(),
        infeasible: reason.message(),
    }
}
