//! A decision: one plan of the frontier, chosen with a rationale, signed by both sides.
//!
//! The rules, in one place for the CLI and the server:
//!
//! - a decision is `proposed` until at least one business and one technical member have signed
//!   it; then it is `accepted`;
//! - nobody signs twice, and nobody signs while a blocking objection on a chosen item (or one
//!   of its fields), or on what the chosen items rest on (a review they need, a quantity their
//!   numbers use: [`Reliance`]), is still open or answered: resolving it, or accepting it as a
//!   risk, is the explicit way through;
//! - an accepted decision is immutable; a later accepted decision may supersede it, which is
//!   the only change it ever sees (`superseded`, with a link to its successor).

use jiff::civil::Date;

use crate::{Actor, Objection, ObjectionStatus, Side, Target};

/// What a plan rests on besides its items: the reviews its items need, and the quantities its
/// numbers use. A blocking objection on one of them holds up a decision on the plan, as one on
/// an item does. [`crate::Scenario::reliance`] finds them for a set of items.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reliance {
    pub reviews: Vec<String>,
    pub quantities: Vec<String>,
}

/// The blocking objections still pending (open or answered) on any of `items` or their fields,
/// or on what they rest on.
pub(crate) fn pending_blockers<'o>(
    objections: &'o [Objection],
    items: &[String],
    reliance: &Reliance,
) -> Vec<&'o Objection> {
    objections
        .iter()
        .filter(|o| o.blocking && o.status.is_pending())
        .filter(|o| match &o.on {
            Target::Item(item) | Target::ItemField { item, .. } => items.contains(item),
            Target::Review(review) => reliance.reviews.contains(review),
            Target::Quantity(name) => reliance.quantities.contains(name),
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DecisionStatus {
    Proposed,
    Accepted,
    Superseded,
}

impl DecisionStatus {
    pub fn name(self) -> &'static str {
        match self {
            DecisionStatus::Proposed => "proposed",
            DecisionStatus::Accepted => "accepted",
            DecisionStatus::Superseded => "superseded",
        }
    }

    /// The status as a stored record names it.
    pub fn parse(name: &str) -> Option<DecisionStatus> {
        [
            DecisionStatus::Proposed,
            DecisionStatus::Accepted,
            DecisionStatus::Superseded,
        ]
        .into_iter()
        .find(|status| status.name() == name)
    }
}

/// One person's signature on a decision, for their side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOff {
    pub name: String,
    pub side: Side,
    pub on: Date,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The record's number: `0003` in `decisions/0003-…md`.
    pub number: u32,
    /// The chosen plan's items.
    pub items: Vec<String>,
    pub status: DecisionStatus,
    pub signoffs: Vec<SignOff>,
    /// The earlier decision this one replaces once accepted.
    pub supersedes: Option<u32>,
    /// The later decision that replaced this one.
    pub superseded_by: Option<u32>,
}

/// Why a decision cannot be signed, or superseded, as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecisionError {
    #[error("{name} signed decision {number} already; a second signature adds nothing")]
    SignedTwice { number: u32, name: String },
    #[error(
        "decision {number} is {}: a signed decision is immutable; propose a new decision that supersedes it",
        status.name()
    )]
    Immutable { number: u32, status: DecisionStatus },
    #[error(
        "decision {number} cannot be signed while blocking objections on its items are pending: {}; resolve them, or accept them as risks with a risk owner, then sign",
        pending.iter().map(|(id, status)| format!("{id} ({})", status.name())).collect::<Vec<_>>().join(", ")
    )]
    Blocked {
        number: u32,
        /// The blocking objections, with their status.
        pending: Vec<(String, ObjectionStatus)>,
    },
    #[error(
        "decision {number} is {}, not accepted: only a signed decision is superseded; sign it, or propose the new decision on its own",
        status.name()
    )]
    NotAccepted { number: u32, status: DecisionStatus },
}

impl Decision {
    pub fn new(number: u32, items: Vec<String>, supersedes: Option<u32>) -> Decision {
        Decision {
            number,
            items,
            status: DecisionStatus::Proposed,
            signoffs: Vec::new(),
            supersedes,
            superseded_by: None,
        }
    }

    /// The blocking objections among `objections` that stand in the way of signing: those
    /// still open or answered on a chosen item or one of its fields, or on what the chosen
    /// items rest on (`reliance`, from [`crate::Scenario::reliance`]).
    pub fn blockers<'o>(
        &self,
        objections: &'o [Objection],
        reliance: &Reliance,
    ) -> Vec<&'o Objection> {
        pending_blockers(objections, &self.items, reliance)
    }

    /// The sides that have not signed yet.
    pub fn missing_sides(&self) -> Vec<Side> {
        Side::ALL
            .into_iter()
            .filter(|side| !self.signoffs.iter().any(|s| s.side == *side))
            .collect()
    }

    /// `actor` signs on `on`, against `objections` as they stand now. The decision is
    /// accepted once both sides have signed.
    pub fn sign(
        &self,
        actor: &Actor,
        on: Date,
        objections: &[Objection],
        reliance: &Reliance,
    ) -> Result<Decision, DecisionError> {
        let mut next = self.with_signature(actor, on, objections, reliance)?;
        next.accept_if_both_signed();
        Ok(next)
    }

    /// Several people sign at once, as when a record is written with all its signatures
    /// (`tension decide --signed-by ... --signed-by ...`): each signature follows the rules of
    /// [`Decision::sign`], and the decision is accepted once all are in, if both sides are.
    pub fn sign_together(
        &self,
        actors: &[Actor],
        on: Date,
        objections: &[Objection],
        reliance: &Reliance,
    ) -> Result<Decision, DecisionError> {
        let mut next = self.clone();
        for actor in actors {
            next = next.with_signature(actor, on, objections, reliance)?;
        }
        next.accept_if_both_signed();
        Ok(next)
    }

    fn with_signature(
        &self,
        actor: &Actor,
        on: Date,
        objections: &[Objection],
        reliance: &Reliance,
    ) -> Result<Decision, DecisionError> {
        let number = self.number;
        if self.status != DecisionStatus::Proposed {
            return Err(DecisionError::Immutable {
                number,
                status: self.status,
            });
        }
        if self.signoffs.iter().any(|s| s.name == actor.name) {
            return Err(DecisionError::SignedTwice {
                number,
                name: actor.name.clone(),
            });
        }
        let blockers = self.blockers(objections, reliance);
        if !blockers.is_empty() {
            return Err(DecisionError::Blocked {
                number,
                pending: blockers.iter().map(|o| (o.id.clone(), o.status)).collect(),
            });
        }
        let mut next = self.clone();
        next.signoffs.push(SignOff {
            name: actor.name.clone(),
            side: actor.side,
            on,
        });
        Ok(next)
    }

    fn accept_if_both_signed(&mut self) {
        if self.missing_sides().is_empty() {
            self.status = DecisionStatus::Accepted;
        }
    }

    /// Checks that this decision may be superseded: it must be accepted.
    pub fn may_be_superseded(&self) -> Result<(), DecisionError> {
        match self.status {
            DecisionStatus::Accepted => Ok(()),
            status => Err(DecisionError::NotAccepted {
                number: self.number,
                status,
            }),
        }
    }

    /// This decision, replaced by the accepted decision `by`.
    pub fn superseded(&self, by: u32) -> Result<Decision, DecisionError> {
        self.may_be_superseded()?;
        let mut next = self.clone();
        next.status = DecisionStatus::Superseded;
        next.superseded_by = Some(by);
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Target, Tension};

    const DAY: Date = jiff::civil::date(2027, 1, 8);

    fn actor(name: &str, side: Side) -> Actor {
        Actor {
            name: name.into(),
            side,
        }
    }

    fn objection(on: Target, status: ObjectionStatus, blocking: bool) -> Objection {
        Objection {
            id: "date-needs-refactor".into(),
            on,
            by: Side::Technical,
            tension: Tension::SpeedDurability,
            text: "March 1 assumes the current payments module.".into(),
            status,
            blocking,
            resolution: None,
            risk_owner: None,
            raised: None,
            review_by: None,
            history: Vec::new(),
        }
    }

    fn decision() -> Decision {
        Decision::new(3, vec!["one-click".into(), "wallets".into()], None)
    }

    #[test]
    fn a_decision_is_accepted_once_both_sides_have_signed() {
        let clear = Vec::new();
        let once = decision()
            .sign(
                &actor("Anna", Side::Business),
                DAY,
                &clear,
                &Reliance::default(),
            )
            .expect("signed");
        assert_eq!(once.status, DecisionStatus::Proposed);
        assert_eq!(once.missing_sides(), [Side::Technical]);
        // A second business signature does not make it accepted.
        let twice = once
            .sign(
                &actor("Ben", Side::Business),
                DAY,
                &clear,
                &Reliance::default(),
            )
            .expect("signed");
        assert_eq!(twice.status, DecisionStatus::Proposed);
        let both = twice
            .sign(
                &actor("Dana", Side::Technical),
                DAY,
                &clear,
                &Reliance::default(),
            )
            .expect("signed");
        assert_eq!(both.status, DecisionStatus::Accepted);
        assert!(both.missing_sides().is_empty());
        let names: Vec<&str> = both.signoffs.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Anna", "Ben", "Dana"]);
    }

    #[test]
    fn nobody_signs_twice_and_an_accepted_decision_is_immutable() {
        let clear = Vec::new();
        let once = decision()
            .sign(
                &actor("Anna", Side::Business),
                DAY,
                &clear,
                &Reliance::default(),
            )
            .expect("signed");
        let error = once
            .sign(
                &actor("Anna", Side::Business),
                DAY,
                &clear,
                &Reliance::default(),
            )
            .expect_err("twice");
        assert_eq!(
            error,
            DecisionError::SignedTwice {
                number: 3,
                name: "Anna".into()
            }
        );
        let accepted = once
            .sign(
                &actor("Dana", Side::Technical),
                DAY,
                &clear,
                &Reliance::default(),
            )
            .expect("signed");
        let error = accepted
            .sign(
                &actor("Ben", Side::Business),
                DAY,
                &clear,
                &Reliance::default(),
            )
            .expect_err("immutable");
        assert!(error.to_string().contains("immutable"), "{error}");
        let superseded = accepted.superseded(4).expect("accepted");
        assert_eq!(superseded.status, DecisionStatus::Superseded);
        assert_eq!(superseded.superseded_by, Some(4));
        assert!(matches!(
            superseded.sign(
                &actor("Ben", Side::Business),
                DAY,
                &clear,
                &Reliance::default()
            ),
            Err(DecisionError::Immutable { .. })
        ));
    }

    #[test]
    fn a_pending_blocking_objection_on_a_chosen_item_refuses_every_signature() {
        use ObjectionStatus::*;
        let on_field = Target::ItemField {
            item: "one-click".into(),
            field: "target".into(),
        };
        for status in ObjectionStatus::ALL {
            for blocking in [true, false] {
                let objections = vec![objection(on_field.clone(), status, blocking)];
                let result = decision().sign(
                    &actor("Anna", Side::Business),
                    DAY,
                    &objections,
                    &Reliance::default(),
                );
                if blocking && matches!(status, Open | Answered) {
                    let error = result.expect_err("blocked");
                    assert_eq!(
                        error,
                        DecisionError::Blocked {
                            number: 3,
                            pending: vec![("date-needs-refactor".into(), status)]
                        }
                    );
                    assert!(error.to_string().contains("accept them as risks"));
                } else {
                    assert!(result.is_ok(), "{status:?} blocking={blocking}");
                }
            }
        }
        // On an item the plan does not take, or on a quantity: not this decision's blocker.
        for on in [
            Target::Item("loyalty".into()),
            Target::Quantity("avg_order".into()),
        ] {
            let objections = vec![objection(on, Open, true)];
            assert!(
                decision()
                    .sign(
                        &actor("Dana", Side::Technical),
                        DAY,
                        &objections,
                        &Reliance::default()
                    )
                    .is_ok()
            );
        }
    }

    #[test]
    fn one_person_signs_once_for_one_side() {
        let error = decision()
            .sign(
                &actor("Anna", Side::Business),
                DAY,
                &[],
                &Reliance::default(),
            )
            .and_then(|d| {
                d.sign(
                    &actor("Anna", Side::Technical),
                    DAY,
                    &[],
                    &Reliance::default(),
                )
            })
            .expect_err("Anna cannot sign for both sides");
        assert!(
            matches!(error, DecisionError::SignedTwice { .. }),
            "{error}"
        );
    }

    #[test]
    fn signing_together_accepts_once_all_are_in() {
        let three = [
            actor("Anna", Side::Business),
            actor("Dana", Side::Technical),
            actor("Ben", Side::Business),
        ];
        let signed = decision()
            .sign_together(&three, DAY, &[], &Reliance::default())
            .expect("signed");
        assert_eq!(signed.status, DecisionStatus::Accepted);
        assert_eq!(signed.signoffs.len(), 3);
        let one_side = decision()
            .sign_together(&three[..1], DAY, &[], &Reliance::default())
            .expect("signed");
        assert_eq!(one_side.status, DecisionStatus::Proposed);
        let twice = [
            actor("Anna", Side::Business),
            actor("Anna", Side::Technical),
        ];
        assert!(matches!(
            decision().sign_together(&twice, DAY, &[], &Reliance::default()),
            Err(DecisionError::SignedTwice { .. })
        ));
        let blocker = objection(
            Target::Item("wallets".into()),
            ObjectionStatus::Answered,
            true,
        );
        assert!(matches!(
            decision().sign_together(&three, DAY, &[blocker], &Reliance::default()),
            Err(DecisionError::Blocked { .. })
        ));
    }

    #[test]
    fn a_blocker_on_a_chosen_item_or_on_what_it_rests_on_blocks() {
        let on_item = objection(
            Target::Item("one-click".into()),
            ObjectionStatus::Open,
            true,
        );
        assert!(
            decision()
                .sign(
                    &actor("Anna", Side::Business),
                    DAY,
                    &[on_item],
                    &Reliance::default()
                )
                .is_err()
        );
        // A finding of the security review holds up a plan whose items need that review, and
        // only such a plan.
        let on_review = objection(
            Target::Review("security".into()),
            ObjectionStatus::Open,
            true,
        );
        let needed = Reliance {
            reviews: vec!["security".to_owned()],
            quantities: Vec::new(),
        };
        assert!(matches!(
            decision().sign(&actor("Anna", Side::Business), DAY, std::slice::from_ref(&on_review), &needed),
            Err(DecisionError::Blocked { pending, .. }) if pending == [("date-needs-refactor".to_owned(), ObjectionStatus::Open)]
        ));
        let other = Reliance {
            reviews: vec!["data-review".to_owned()],
            quantities: vec!["security".to_owned()],
        };
        assert!(
            decision()
                .sign(&actor("Anna", Side::Business), DAY, &[on_review], &other)
                .is_ok()
        );
        // The same for a quantity the plan's numbers use.
        let on_quantity = objection(
            Target::Quantity("one_click_lift".into()),
            ObjectionStatus::Answered,
            true,
        );
        let uses = Reliance {
            reviews: Vec::new(),
            quantities: vec!["one_click_lift".to_owned()],
        };
        assert!(
            decision()
                .sign(
                    &actor("Anna", Side::Business),
                    DAY,
                    std::slice::from_ref(&on_quantity),
                    &uses
                )
                .is_err()
        );
        assert!(
            decision()
                .sign(
                    &actor("Anna", Side::Business),
                    DAY,
                    &[on_quantity],
                    &Reliance::default()
                )
                .is_ok()
        );
    }

    #[test]
    fn only_an_accepted_decision_is_superseded() {
        for status in [DecisionStatus::Proposed, DecisionStatus::Superseded] {
            let mut d = decision();
            d.status = status;
            let error = d.superseded(4).expect_err("not accepted");
            assert_eq!(error, DecisionError::NotAccepted { number: 3, status });
            assert!(d.may_be_superseded().is_err());
        }
    }

    #[test]
    fn statuses_read_back_by_name() {
        for status in [
            DecisionStatus::Proposed,
            DecisionStatus::Accepted,
            DecisionStatus::Superseded,
        ] {
            assert_eq!(DecisionStatus::parse(status.name()), Some(status));
        }
        assert_eq!(DecisionStatus::parse("signed"), None);
    }
}
