//! Compiles a scenario's estimates into one sampling model, so that every quantity has one
//! value per trial across all the fields that use it.

use std::collections::HashMap;

use tension_estimate::{Model, ModelError, NodeId};

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

/// Compiles every estimate the engines use (the owning side's), and the quantities.
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
    for review in &scenario.reviews {
        if let Some(lead_time) = &review.lead_time {
            add(
                &mut model,
                FieldRef::ReviewLeadTime(review.id.clone()),
                &lead_time.used().expr,
            );
        }
    }
    if errors.is_empty() {
        Ok(Compiled { model, fields })
    } else {
        Err(errors)
    }
}
