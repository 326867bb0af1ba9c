//! Pushback as a record: who objects to what, on which tension, and where it stands.

use jiff::civil::Date;

use crate::Side;

/// The three tensions every decision sits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tension {
    VisionFeasibility,
    SpeedDurability,
    OutcomesHealth,
}

impl Tension {
    pub const ALL: [Tension; 3] = [
        Tension::VisionFeasibility,
        Tension::SpeedDurability,
        Tension::OutcomesHealth,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Tension::VisionFeasibility => "vision-feasibility",
            Tension::SpeedDurability => "speed-durability",
            Tension::OutcomesHealth => "outcomes-health",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObjectionStatus {
    Open,
    Answered,
    Resolved,
    AcceptedRisk,
}

impl ObjectionStatus {
    pub const ALL: [ObjectionStatus; 4] = [
        ObjectionStatus::Open,
        ObjectionStatus::Answered,
        ObjectionStatus::Resolved,
        ObjectionStatus::AcceptedRisk,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ObjectionStatus::Open => "open",
            ObjectionStatus::Answered => "answered",
            ObjectionStatus::Resolved => "resolved",
            ObjectionStatus::AcceptedRisk => "accepted-risk",
        }
    }

    /// Open and answered objections still stand in the way of a decision.
    pub fn is_pending(self) -> bool {
        matches!(self, ObjectionStatus::Open | ObjectionStatus::Answered)
    }
}

/// What an objection is raised against.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    Item(String),
    ItemField { item: String, field: String },
    Quantity(String),
    Review(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Objection {
    pub id: String,
    pub on: Target,
    pub by: Side,
    pub tension: Tension,
    pub text: String,
    pub status: ObjectionStatus,
    pub blocking: bool,
    pub resolution: Option<String>,
    pub risk_owner: Option<String>,
    pub raised: Option<Date>,
}
