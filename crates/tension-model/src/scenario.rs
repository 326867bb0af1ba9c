//! The scenario: the team, the policy, the quantities, the items, the reviews and the pushback.

use jiff::civil::Date;

use crate::{Estimate, Estimated, Item, Objection, Target};

#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub description: Option<String>,
    /// The first day of work.
    pub start: Date,
    /// The plan must be done by this date, at `confidence`.
    pub deadline: Option<Date>,
    /// Value is counted up to this date.
    pub horizon: Option<Date>,
    pub currency: Option<String>,
    /// Dates and capacity are promised at this probability.
    pub confidence: f64,
    pub team: Team,
    pub policy: Policy,
    /// Named quantities, in file order.
    pub quantities: Vec<Quantity>,
    /// Items in file order, which is the plan order unless a plan gives another.
    pub items: Vec<Item>,
    pub reviews: Vec<Review>,
    pub objections: Vec<Objection>,
}

impl Scenario {
    pub const DEFAULT_CONFIDENCE: f64 = 0.85;

    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|item| item.id == id)
    }

    pub fn review(&self, id: &str) -> Option<&Review> {
        self.reviews.iter().find(|review| review.id == id)
    }

    pub fn quantity(&self, name: &str) -> Option<&Quantity> {
        self.quantities
            .iter()
            .find(|quantity| quantity.name == name)
    }

    /// The blocking objections still pending (open or answered) on any of `items` or their
    /// fields: while one stands, a decision that takes those items cannot be signed.
    pub fn blocking_objections(&self, items: &[String]) -> Vec<&Objection> {
        self.objections
            .iter()
            .filter(|o| o.blocking && o.status.is_pending())
            .filter(|o| match &o.on {
                Target::Item(item) | Target::ItemField { item, .. } => items.contains(item),
                Target::Quantity(_) | Target::Review(_) => false,
            })
            .collect()
    }

    /// The same scenario without some items, for a what-if. An item that another, kept, item
    /// needs cannot be dropped alone: the error names both, so the caller can drop the two.
    pub fn without(&self, ids: &[String]) -> Result<Scenario, WithoutError> {
        for id in ids {
            if self.item(id).is_none() {
                return Err(WithoutError::Unknown { id: id.clone() });
            }
        }
        for item in self.items.iter().filter(|item| !ids.contains(&item.id)) {
            if let Some(need) = item.needs.iter().find(|need| ids.contains(need)) {
                return Err(WithoutError::Needed {
                    id: need.clone(),
                    by: item.id.clone(),
                });
            }
        }
        let mut scenario = self.clone();
        scenario.items.retain(|item| !ids.contains(&item.id));
        Ok(scenario)
    }
}

/// Why items cannot be dropped from a scenario.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WithoutError {
    #[error("there is no item `{id}`")]
    Unknown { id: String },
    #[error("`{by}` needs `{id}`: drop `{by}` too, or keep `{id}`")]
    Needed { id: String, by: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    pub people: u32,
    /// Share of a working day spent on planned work; `None` means 1.
    pub focus: Option<Estimate>,
    pub workdays: Workdays,
    pub holidays: Vec<Date>,
    /// A completed-work export for throughput forecasts, relative to the scenario file.
    pub history: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    pub fn name(self) -> &'static str {
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][self as usize]
    }

    pub fn of(date: Date) -> Weekday {
        Weekday::ALL[date.weekday().to_monday_zero_offset() as usize]
    }
}

/// The days of the week the team works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Workdays([bool; 7]);

impl Workdays {
    pub fn new(days: impl IntoIterator<Item = Weekday>) -> Workdays {
        let mut set = [false; 7];
        for day in days {
            set[day as usize] = true;
        }
        Workdays(set)
    }

    pub fn contains(&self, day: Weekday) -> bool {
        self.0[day as usize]
    }

    pub fn is_empty(&self) -> bool {
        !self.0.contains(&true)
    }

    pub fn iter(&self) -> impl Iterator<Item = Weekday> + '_ {
        Weekday::ALL.into_iter().filter(|day| self.contains(*day))
    }
}

impl Default for Workdays {
    fn default() -> Self {
        Workdays::new([
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ])
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ErrorBudget {
    #[default]
    Ok,
    AtRisk,
    Exhausted,
}

impl ErrorBudget {
    pub const ALL: [ErrorBudget; 3] =
        [ErrorBudget::Ok, ErrorBudget::AtRisk, ErrorBudget::Exhausted];

    pub fn name(self) -> &'static str {
        match self {
            ErrorBudget::Ok => "ok",
            ErrorBudget::AtRisk => "at-risk",
            ErrorBudget::Exhausted => "exhausted",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Policy {
    /// At least this share of planned effort goes to health work.
    pub health_floor: f64,
    pub error_budget: ErrorBudget,
}

/// A named uncertain quantity, shared by every expression that names it.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub name: String,
    pub estimate: Estimate,
}

/// A review (security, integration, data) that must pass before an item ships.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    /// Working days from request to verdict; uses no team capacity.
    pub lead_time: Option<Estimated>,
    pub checklist: Vec<String>,
}
