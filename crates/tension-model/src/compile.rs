//! Compiles a scenario's estimates into one sampling model, so that every quantity has one
//! value per trial across all the fields that use it.

use std::collections::HashMap;

use tension_estimate::{Expr, Model, ModelError, NodeId};

use crate::Scenario;

/// A field of the scenario that holds an estimate.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FieldRef {
    Quantity(String),
    Item { item: String, field: &'static str },
    ReviewLeadTime(String),
    Focus,
}

impl FieldRef {
    /// The name used on the command line and in objections: `one-click.value`, `avg_order`.
    pub fn key(&self) -> String {
        match self {
            FieldRef::Quantity(name) => name.clone(),
            FieldRef::Item { item, field } => format!("{item}.{field}"),
            FieldRef::ReviewLeadTime(review) => format!("{review}.lead_time"),
            FieldRef::Focus => "team.focus".to_owned(),
        }
    }
}

/// The scenario's estimates compiled into one model, with the node of each field.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub model: Model,
    pub fields: HashMap<FieldRef, NodeId>,
}

impl Compiled {
    /// Looks a field up by the name `FieldRef::key` gives it.
    pub fn field(&self, key: &str) -> Option<NodeId> {
        self.fields
            .iter()
            .find(|(field, _)| field.key() == key)
            .map(|(_, node)| *node)
    }

    /// Every field's name, sorted, for messages that list what exists.
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.fields.keys().map(FieldRef::key).collect();
        keys.sort();
        keys
    }
}

/// Compiles every estimate the engines use (the owning side's), and the quantities. The lead
/// time of an approved review (with conditions or not) is compiled as 0: it delays nothing.
pub fn compile(scenario: &Scenario) -> Result<Compiled, Vec<ModelError>> {
    let mut model = Model::new();
    let mut fields = HashMap::new();
    let mut errors = Vec::new();
    if let Err(mut found) = model.define_quantities(
        scenario
            .quantities
            .iter()
            .map(|quantity| (quantity.name.as_str(), &quantity.estimate.expr)),
    ) {
        errors.append(&mut found);
    }
    for quantity in &scenario.quantities {
        if let Some(node) = model.quantity(&quantity.name) {
            fields.insert(FieldRef::Quantity(quantity.name.clone()), node);
        }
    }
    let mut add = |model: &mut Model, field: FieldRef, expr| match model.add(&field.key(), expr) {
        Ok(node) => {
            fields.insert(field, node);
        }
        Err(error) => errors.push(error),
    };
    if let Some(focus) = &scenario.team.focus {
        add(&mut model, FieldRef::Focus, &focus.expr);
    }
    for item in &scenario.items {
        for (name, estimated) in item.estimated_fields() {
            let field = FieldRef::Item {
                item: item.id.clone(),
                field: name,
            };
            add(&mut model, field, &estimated.used().expr);
        }
    }
    // An approved review has given its verdict: it holds nothing back, so its lead time is 0.
    let approved = Expr::number(0.0);
    for review in &scenario.reviews {
        if let Some(lead_time) = &review.lead_time {
            let expr = if review.is_approved() {
                &approved
            } else {
                &lead_time.used().expr
            };
            add(
                &mut model,
                FieldRef::ReviewLeadTime(review.id.clone()),
                expr,
            );
        }
    }
    if errors.is_empty() {
        Ok(Compiled { model, fields })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use tension_estimate::parse;

    use super::*;
    use crate::{
        Estimate, Estimated, Evidence, Policy, Review, ReviewStatus, Side, Team, Workdays,
    };

    fn review(id: &str, status: Option<ReviewStatus>) -> Review {
        let text = "5..15 days";
        Review {
            id: id.to_owned(),
            title: id.to_owned(),
            description: None,
            lead_time: Some(Estimated {
                owner: Side::Technical,
                by_owner: Estimate {
                    text: text.to_owned(),
                    expr: parse(text).expect("a valid estimate"),
                    unit: None,
                    unit_written: None,
                    evidence: Evidence::default(),
                },
                by_other: None,
            }),
            checklist: Vec::new(),
            status,
            requested: status.map(|_| date(2027, 1, 4)),
            sla: None,
            conditions: Vec::new(),
        }
    }

    fn scenario(reviews: Vec<Review>) -> Scenario {
        Scenario {
            name: "reviews".to_owned(),
            description: None,
            start: date(2027, 1, 4),
            deadline: None,
            horizon: None,
            currency: None,
            confidence: Scenario::DEFAULT_CONFIDENCE,
            team: Team {
                people: 1,
                focus: None,
                workdays: Workdays::default(),
                holidays: Vec::new(),
                history: None,
            },
            policy: Policy::default(),
            quantities: Vec::new(),
            items: Vec::new(),
            reviews,
            objections: Vec::new(),
        }
    }

    /// The smallest and largest lead time of each review over a few hundred trials.
    fn lead_time_ranges(reviews: Vec<Review>) -> Vec<(f64, f64)> {
        let ids: Vec<String> = reviews.iter().map(|review| review.id.clone()).collect();
        let compiled = compile(&scenario(reviews)).expect("compiles");
        let nodes: Vec<NodeId> = ids
            .iter()
            .map(|id| compiled.fields[&FieldRef::ReviewLeadTime(id.clone())])
            .collect();
        compiled
            .model
            .sample(&nodes, 500, 1)
            .iter()
            .map(|column| {
                column
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), x| {
                        (low.min(*x), high.max(*x))
                    })
            })
            .collect()
    }

    #[test]
    fn an_approved_review_adds_no_lead_time() {
        use ReviewStatus::*;
        let statuses = [
            None,
            Some(Requested),
            Some(InReview),
            Some(ChangesRequested),
            Some(Rejected),
            Some(Approved),
            Some(ApprovedWithConditions),
        ];
        let reviews = statuses
            .iter()
            .enumerate()
            .map(|(idx, status)| review(&format!("r{idx}"), *status))
            .collect();
        for (status, (low, high)) in statuses.iter().zip(lead_time_ranges(reviews)) {
            if status.is_some_and(ReviewStatus::is_approved) {
                assert_eq!((low, high), (0.0, 0.0), "{status:?}");
            } else {
                // 5..15 days is lognormal: every draw is above 0, and most above 2.
                assert!(low > 0.0 && high > 5.0, "{status:?}: {low}..{high}");
            }
        }
    }
}
