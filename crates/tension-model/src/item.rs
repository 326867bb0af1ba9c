//! Proposals: features, health work, data work and tool adoptions, each with two views.

use jiff::civil::Date;

use crate::{Estimated, Side};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    Feature,
    Health,
    Data,
    Tool,
}

impl ItemKind {
    pub const ALL: [ItemKind; 4] = [
        ItemKind::Feature,
        ItemKind::Health,
        ItemKind::Data,
        ItemKind::Tool,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ItemKind::Feature => "feature",
            ItemKind::Health => "health",
            ItemKind::Data => "data",
            ItemKind::Tool => "tool",
        }
    }
}

/// What the business side owns: what the item is worth and when it is wanted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BusinessView {
    /// Value per month from the ship date to the horizon.
    pub value: Option<Estimated>,
    /// Value paid once on the ship date.
    pub value_once: Option<Estimated>,
    pub target: Option<Date>,
}

/// What the technical side owns: what the item costs and what it does to the system.
#[derive(Debug, Clone, PartialEq)]
pub struct TechnicalView {
    /// Person-days of focused work.
    pub effort: Option<Estimated>,
    /// At most this many people on it at once.
    pub max_people: u32,
    /// Health points: positive strengthens the system, negative erodes it.
    pub health: Option<Estimated>,
    /// Chance of a serious incident in the first month after shipping.
    pub risk: Option<Estimated>,
}

impl Default for TechnicalView {
    fn default() -> Self {
        TechnicalView {
            effort: None,
            max_people: 1,
            health: None,
            risk: None,
        }
    }
}

/// A proposal on the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub kind: ItemKind,
    pub proposed_by: Option<Side>,
    /// Items that must finish before this one starts.
    pub needs: Vec<String>,
    /// Reviews that must pass before this one ships.
    pub reviews: Vec<String>,
    pub business: BusinessView,
    pub technical: TechnicalView,
    /// Every plan includes it.
    pub must: bool,
    /// Items sharing a group are alternatives: a plan takes at most one of them.
    pub alternatives: Option<String>,
    /// A health item that restores an exhausted error budget.
    pub restores_budget: bool,
}

impl Item {
    /// The estimated fields of the item by name, as objections and tools refer to them.
    pub fn estimated(&self, field: &str) -> Option<&Estimated> {
        match field {
            "value" => self.business.value.as_ref(),
            "value_once" => self.business.value_once.as_ref(),
            "effort" => self.technical.effort.as_ref(),
            "health" => self.technical.health.as_ref(),
            "risk" => self.technical.risk.as_ref(),
            _ => None,
        }
    }

    /// Every estimated field the item has, with its name.
    pub fn estimated_fields(&self) -> impl Iterator<Item = (&'static str, &Estimated)> {
        [
            ("value", self.business.value.as_ref()),
            ("value_once", self.business.value_once.as_ref()),
            ("effort", self.technical.effort.as_ref()),
            ("health", self.technical.health.as_ref()),
            ("risk", self.technical.risk.as_ref()),
        ]
        .into_iter()
        .filter_map(|(name, field)| field.map(|field| (name, field)))
    }

    /// Which side owns a field of an item, or `None` for fields both sides share.
    pub fn owner_of(field: &str) -> Option<Side> {
        match field {
            "value" | "value_once" | "target" => Some(Side::Business),
            "effort" | "health" | "risk" | "max_people" => Some(Side::Technical),
            _ => None,
        }
    }

    /// The fields an objection may name on an item.
    pub const FIELDS: [&'static str; 17] = [
        "id",
        "title",
        "description",
        "kind",
        "proposed_by",
        "needs",
        "reviews",
        "value",
        "value_once",
        "target",
        "effort",
        "max_people",
        "health",
        "risk",
        "must",
        "alternatives",
        "restores_budget",
    ];
}
