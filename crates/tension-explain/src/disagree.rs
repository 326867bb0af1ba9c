//! The disagreement map: every field both sides estimated, the two 90% ranges and their
//! overlap, and what happens when the other side's estimate replaces the owner's: whether the
//! recommended plan changes (the frontier is planned again) and how far the recommended
//! plan's P85 finish moves (it is forecast again, on the same seed).

use jiff::civil::Date;
use tension_estimate::quantile_sorted;
use tension_forecast::ForecastError;
use tension_model::{Estimated, FieldRef, Scenario, Side, compile};
use tension_plan::{Outcome, Planned, plan};

use crate::{Config, ExplainError};

/// A P85 move beyond this many calendar days matters, even when the plan stays.
pub const MATERIAL_DAYS: i32 = 7;

/// One field with an estimate from each side.
#[derive(Debug, Clone, PartialEq)]
pub struct Disagreement {
    /// `team-plan.effort`, `security.lead_time`.
    pub field: String,
    /// The side whose estimate is computed with.
    pub owner: Side,
    /// Each side's estimate as written.
    pub owner_text: String,
    pub other_text: String,
    pub unit: Option<String>,
    /// Each estimate's 90% range (5th to 95th percentile of the trials).
    pub owner_range: (f64, f64),
    pub other_range: (f64, f64),
    /// The length the two ranges share, as a share of the length they cover together.
    pub overlap: f64,
    /// The recommended plan's items with the other side's estimate; `None`: no plan is
    /// possible with it.
    pub plan_with_other: Option<Vec<String>>,
    pub changes_plan: bool,
    /// The current recommended plan's P85 finish with the other side's estimate, and the move
    /// from the owner's, in calendar days (`None`: past the calendar).
    pub p85_with_other: Option<Date>,
    pub p85_shift_days: Option<i32>,
}

impl Disagreement {
    /// The disagreement changes the plan, or moves its P85 by more than [`MATERIAL_DAYS`].
    pub fn matters(&self) -> bool {
        self.changes_plan
            || self
                .p85_shift_days
                .is_none_or(|days| days.abs() > MATERIAL_DAYS)
    }
}

/// The fields of the scenario with both sides' estimates, in file order.
fn disputed(scenario: &Scenario) -> Vec<(FieldRef, &Estimated)> {
    let mut fields = Vec::new();
    for item in &scenario.items {
        for (name, estimated) in item.estimated_fields() {
            if estimated.by_other.is_some() {
                let field = FieldRef::Item {
                    item: item.id.clone(),
                    field: name,
                };
                fields.push((field, estimated));
            }
        }
    }
    for review in &scenario.reviews {
        if let Some(lead_time) = review.lead_time.as_ref().filter(|l| l.by_other.is_some()) {
            fields.push((FieldRef::ReviewLeadTime(review.id.clone()), lead_time));
        }
    }
    fields
}

/// The estimated field of a scenario, to change it.
fn estimated_mut<'s>(scenario: &'s mut Scenario, field: &FieldRef) -> Option<&'s mut Estimated> {
    match field {
        FieldRef::Item { item, field } => {
            let item = scenario.items.iter_mut().find(|i| i.id == *item)?;
            match *field {
                "value" => item.business.value.as_mut(),
                "value_once" => item.business.value_once.as_mut(),
                "effort" => item.technical.effort.as_mut(),
                "health" => item.technical.health.as_mut(),
                "risk" => item.technical.risk.as_mut(),
                _ => None,
            }
        }
        FieldRef::ReviewLeadTime(review) => scenario
            .reviews
            .iter_mut()
            .find(|r| r.id == *review)?
            .lead_time
            .as_mut(),
        FieldRef::Quantity(_) | FieldRef::Focus => None,
    }
}

/// The 5th and 95th percentiles of a field of a scenario.
fn range(
    scenario: &Scenario,
    field: &FieldRef,
    config: &Config,
) -> Result<(f64, f64), ExplainError> {
    let compiled = compile(scenario).map_err(ForecastError::Compile)?;
    let Some(&node) = compiled.fields.get(field) else {
        return Ok((f64::NAN, f64::NAN));
    };
    let mut samples = compiled
        .model
        .sample(&[node], config.trials, config.seed)
        .pop()
        .unwrap_or_default();
    samples.sort_unstable_by(f64::total_cmp);
    Ok((
        quantile_sorted(&samples, 0.05),
        quantile_sorted(&samples, 0.95),
    ))
}

/// The shared length of two ranges over the length they cover together.
pub fn overlap(a: (f64, f64), b: (f64, f64)) -> f64 {
    let shared = (a.1.min(b.1) - a.0.max(b.0)).max(0.0);
    let union = a.1.max(b.1) - a.0.min(b.0);
    if union > 0.0 {
        shared / union
    } else if a == b {
        1.0
    } else {
        0.0
    }
}

/// The disagreement map, the ones that matter first.
pub(crate) fn map(
    scenario: &Scenario,
    planned: &Planned,
    p85: Option<Date>,
    config: &Config,
) -> Result<Vec<Disagreement>, ExplainError> {
    let rec_items = &planned.frontier[planned.recommended].items;
    let mut map = Vec::new();
    for (field, estimated) in disputed(scenario) {
        let Some(other) = estimated.by_other.clone() else {
            continue;
        };
        let mut swapped = scenario.clone();
        if let Some(target) = estimated_mut(&mut swapped, &field) {
            target.by_other = Some(target.by_owner.clone());
            target.by_owner = other.clone();
        }
        let owner_range = range(scenario, &field, config)?;
        let other_range = range(&swapped, &field, config)?;
        let plan_with_other = match plan(&swapped, &config.plan)? {
            Outcome::Planned(again) => Some(again.frontier[again.recommended].items.clone()),
            Outcome::Infeasible(_) => None,
        };
        let p85_with_other =
            crate::forecast_plan(&swapped, rec_items, config.trials, config.seed, false)?
                .plan
                .p85;
        let p85_shift_days = match (p85, p85_with_other) {
            (Some(before), Some(after)) => Some((after - before).get_days()),
            (None, None) => Some(0),
            _ => None,
        };
        map.push(Disagreement {
            field: field.key(),
            owner: estimated.owner,
            owner_text: estimated.by_owner.text.clone(),
            other_text: other.text.clone(),
            unit: estimated.by_owner.display_unit(),
            owner_range,
            other_range,
            overlap: overlap(owner_range, other_range),
            changes_plan: plan_with_other.as_ref() != Some(rec_items),
            plan_with_other,
            p85_with_other,
            p85_shift_days,
        });
    }
    map.sort_by_key(|d| {
        (
            std::cmp::Reverse(d.changes_plan),
            std::cmp::Reverse(d.p85_shift_days.map_or(i32::MAX, i32::abs)),
        )
    });
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::overlap;

    #[test]
    fn overlap_is_shared_over_covered() {
        assert_eq!(overlap((0.0, 10.0), (5.0, 15.0)), 5.0 / 15.0);
        assert_eq!(overlap((0.0, 10.0), (20.0, 30.0)), 0.0);
        assert_eq!(overlap((0.0, 10.0), (0.0, 10.0)), 1.0);
        assert_eq!(overlap((3.0, 3.0), (3.0, 3.0)), 1.0);
        assert_eq!(overlap((3.0, 3.0), (4.0, 4.0)), 0.0);
    }
}
