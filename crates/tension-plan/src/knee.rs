//! The recommended plan: the knee of the frontier.
//!
//! Each side's concession in a plan is what it gives up against its own ideal plan, as a share
//! of that ideal: the business side's value given up over the value ideal's value, the
//! technical side's health given up over the health ideal's health. (When an ideal is zero or
//! negative, or smaller than the frontier's spread, the spread is the scale instead.) The
//! recommended plan is the one where the side that concedes more concedes least; ties go to
//! the smaller sum of both concessions, then to the plan likelier to fit.

use crate::Plan;

/// Each side's concession in `plan`, as shares: (business, technical).
pub fn concessions(frontier: &[Plan], plan: &Plan) -> (f64, f64) {
    let scale = |ideal: f64, low: f64| {
        let scale = ideal.abs().max(ideal - low);
        if scale > 0.0 { scale } else { 1.0 }
    };
    let max = |get: fn(&Plan) -> f64| frontier.iter().map(get).fold(f64::NEG_INFINITY, f64::max);
    let min = |get: fn(&Plan) -> f64| frontier.iter().map(get).fold(f64::INFINITY, f64::min);
    let (v_ideal, h_ideal) = (max(|p| p.value), max(|p| p.health));
    let business = (v_ideal - plan.value) / scale(v_ideal, min(|p| p.value));
    let technical = (h_ideal - plan.health) / scale(h_ideal, min(|p| p.health));
    (business, technical)
}

/// The index of the recommended plan in a non-empty frontier.
pub fn knee(frontier: &[Plan]) -> usize {
    let key = |plan: &Plan| {
        let (business, technical) = concessions(frontier, plan);
        (business.max(technical), business + technical)
    };
    (0..frontier.len())
        .min_by(|&a, &b| {
            let (pa, pb) = (&frontier[a], &frontier[b]);
            let (ka, kb) = (key(pa), key(pb));
            ka.0.total_cmp(&kb.0)
                .then(ka.1.total_cmp(&kb.1))
                .then(pb.p_fit.total_cmp(&pa.p_fit))
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(value: f64, health: f64, p_fit: f64) -> Plan {
        Plan {
            items: Vec::new(),
            chosen: Vec::new(),
            value,
            health,
            effort: 0.0,
            p_fit,
        }
    }

    #[test]
    fn the_knee_is_where_the_larger_concession_is_smallest() {
        // The middle plan asks 10% of the business side and 20% of the technical side.
        let frontier = [
            plan(100.0, 20.0, 0.9),
            plan(90.0, 80.0, 0.9),
            plan(10.0, 100.0, 0.9),
        ];
        // Concessions: (0, 0.8), (0.1, 0.2), (0.9, 0).
        assert_eq!(concessions(&frontier, &frontier[1]), (0.1, 0.2));
        assert_eq!(knee(&frontier), 1);
        // Units do not matter: value in millions, health in points.
        let scaled = [
            plan(1e8, 2.0, 0.9),
            plan(0.9e8, 8.0, 0.9),
            plan(0.1e8, 10.0, 0.9),
        ];
        assert_eq!(knee(&scaled), 1);
        // Health that barely moves is not bought with most of the value.
        let flat = [
            plan(350.0, 59.0, 0.85),
            plan(200.0, 64.0, 1.0),
            plan(120.0, 66.0, 1.0),
        ];
        assert_eq!(knee(&flat), 0);
        // Equal larger concessions: the smaller sum, then the likelier fit.
        let tie = [plan(100.0, 50.0, 0.9), plan(50.0, 100.0, 0.95)];
        assert_eq!(knee(&tie), 1);
        assert_eq!(knee(&[plan(5.0, 5.0, 0.9)]), 0);
    }

    #[test]
    fn negative_health_is_measured_by_the_spread() {
        // Every plan erodes health; the ideal erodes it least.
        let frontier = [plan(100.0, -40.0, 0.9), plan(60.0, -10.0, 0.9)];
        let (business, technical) = concessions(&frontier, &frontier[0]);
        assert_eq!(business, 0.0);
        assert_eq!(technical, 30.0 / 30.0);
    }
}
