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

impl Target {
    /// The target as an objection's `on` names it: `one-click`, `one-click.value`, `avg_order`.
    pub fn key(&self) -> String {
        match self {
            Target::Item(item) => item.clone(),
            Target::ItemField { item, field } => format!("{item}.{field}"),
            Target::Quantity(name) | Target::Review(name) => name.clone(),
        }
    }
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
    /// When an accepted risk is looked at again.
    pub review_by: Option<Date>,
    /// How the objection came to its `status`, oldest step first; empty when nobody recorded it.
    pub history: Vec<Transition>,
}

/// Who moves an objection along: a person, speaking for a side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub name: String,
    pub side: Side,
}

/// What a transition carries besides its new status.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TransitionDetails {
    /// The answer, or what was decided and why (required to resolve or accept a risk).
    pub note: Option<String>,
    /// The person who watches an accepted risk (required to accept one).
    pub risk_owner: Option<String>,
    /// When an accepted risk is looked at again.
    pub review_by: Option<Date>,
    /// What the resolution led to: `one-click.effort revised`, `load-test added`.
    pub changes: Vec<String>,
}

/// One step of an objection's life, kept in its history.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    pub from: ObjectionStatus,
    pub to: ObjectionStatus,
    pub who: String,
    pub side: Side,
    pub on: Date,
    pub details: TransitionDetails,
}

/// Why an objection cannot move as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error(
        "objection `{id}` is {}: it cannot become {}; {}",
        from.name(),
        to.name(),
        ObjectionStatus::hint(*from)
    )]
    NotAllowed {
        id: String,
        from: ObjectionStatus,
        to: ObjectionStatus,
    },
    #[error(
        "objection `{id}` was raised by the {} side: only the {} side {what}",
        by.name(),
        needed.name()
    )]
    WrongSide {
        id: String,
        by: Side,
        needed: Side,
        what: &'static str,
    },
    #[error("{}ing objection `{id}` needs {what}", verb)]
    Missing {
        id: String,
        verb: &'static str,
        what: &'static str,
    },
}

impl ObjectionStatus {
    /// The statuses an objection may move to from this one.
    pub fn next(self) -> &'static [ObjectionStatus] {
        use ObjectionStatus::*;
        match self {
            Open => &[Answered, AcceptedRisk],
            Answered => &[Open, Resolved, AcceptedRisk],
            Resolved | AcceptedRisk => &[],
        }
    }

    /// What may happen to an objection in this status, for messages about a move it cannot make.
    pub fn hint(self) -> &'static str {
        match self {
            ObjectionStatus::Open => "an open objection is answered first, or accepted as a risk",
            ObjectionStatus::Answered => {
                "an answered objection is resolved, accepted as a risk, or reopened"
            }
            ObjectionStatus::Resolved | ObjectionStatus::AcceptedRisk => {
                "it is closed; raise a new objection if the concern comes back"
            }
        }
    }
}

impl Objection {
    /// Moves the objection to `to`, by `actor` on `on`, with the rules of its lifecycle:
    ///
    /// - `open → answered`: the other side answers (a `note` is the answer);
    /// - `answered → open`: the raising side is not satisfied and reopens it;
    /// - `answered → resolved`: the raising side accepts the answer (a `note` says how);
    /// - `open` or `answered → accepted-risk`: either side goes ahead despite it, with a
    ///   `risk_owner` and a `note` (why), optionally a `review_by` date;
    /// - `resolved` and `accepted-risk` are final.
    ///
    /// Returns the objection after the move, with the transition added to its `history` (and,
    /// for an accepted risk, the `review_by` date of `details`), and the transition itself.
    pub fn transition(
        &self,
        to: ObjectionStatus,
        actor: &Actor,
        on: Date,
        details: TransitionDetails,
    ) -> Result<(Objection, Transition), TransitionError> {
        use ObjectionStatus::*;
        let id = self.id.clone();
        if !self.status.next().contains(&to) {
            return Err(TransitionError::NotAllowed {
                id,
                from: self.status,
                to,
            });
        }
        let side_rule = match to {
            Answered => Some((self.by.other(), "answers it")),
            Open | Resolved => Some((self.by, "reopens or resolves it")),
            AcceptedRisk => None,
        };
        if let Some((needed, what)) = side_rule
            && actor.side != needed
        {
            return Err(TransitionError::WrongSide {
                id,
                by: self.by,
                needed,
                what,
            });
        }
        let missing = |verb, what| TransitionError::Missing {
            id: id.clone(),
            verb,
            what,
        };
        let mut next = self.clone();
        next.status = to;
        match to {
            Resolved => {
                let note = details
                    .note
                    .clone()
                    .ok_or_else(|| missing("resolv", "a note: what was decided, and why"))?;
                next.resolution = Some(note);
            }
            AcceptedRisk => {
                let owner = details
                    .risk_owner
                    .clone()
                    .ok_or_else(|| missing("accept", "a risk owner: the person who watches it"))?;
                let note = details
                    .note
                    .clone()
                    .ok_or_else(|| missing("accept", "a note: why the risk is worth taking"))?;
                next.risk_owner = Some(owner);
                next.resolution = Some(note);
                next.review_by = details.review_by;
            }
            Answered => {
                if details.note.is_none() {
                    return Err(missing("answer", "a note: the answer"));
                }
            }
            Open => {}
        }
        let transition = Transition {
            from: self.status,
            to,
            who: actor.name.clone(),
            side: actor.side,
            on,
            details,
        };
        next.history.push(transition.clone());
        Ok((next, transition))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn objection(status: ObjectionStatus) -> Objection {
        Objection {
            id: "date-needs-refactor".into(),
            on: Target::ItemField {
                item: "one-click".into(),
                field: "target".into(),
            },
            by: Side::Technical,
            tension: Tension::SpeedDurability,
            text: "March 1 assumes the current payments module.".into(),
            status,
            blocking: true,
            resolution: None,
            risk_owner: None,
            raised: None,
            review_by: None,
            history: Vec::new(),
        }
    }

    fn actor(side: Side) -> Actor {
        Actor {
            name: match side {
                Side::Business => "Anna".into(),
                Side::Technical => "Dana".into(),
            },
            side,
        }
    }

    fn full() -> TransitionDetails {
        TransitionDetails {
            note: Some("moved the target to April 15".into()),
            risk_owner: Some("Anna".into()),
            review_by: None,
            changes: vec!["one-click.target revised".into()],
        }
    }

    const DAY: Date = jiff::civil::date(2027, 1, 8);

    #[test]
    fn every_transition_is_allowed_or_forbidden_as_the_lifecycle_says() {
        use ObjectionStatus::*;
        let allowed = [
            (Open, Answered),
            (Open, AcceptedRisk),
            (Answered, Open),
            (Answered, Resolved),
            (Answered, AcceptedRisk),
        ];
        for from in ObjectionStatus::ALL {
            for to in ObjectionStatus::ALL {
                // The side each move needs: the other side answers, the raising side reopens
                // and resolves, either side accepts a risk.
                let side = if to == Answered {
                    Side::Business
                } else {
                    Side::Technical
                };
                let result = objection(from).transition(to, &actor(side), DAY, full());
                if allowed.contains(&(from, to)) {
                    let (next, step) = result.unwrap_or_else(|e| panic!("{from:?} → {to:?}: {e}"));
                    assert_eq!(next.status, to);
                    assert_eq!((step.from, step.to, step.on), (from, to, DAY));
                    assert_eq!(step.who, actor(side).name);
                } else {
                    let error = result.expect_err("forbidden");
                    assert!(
                        matches!(error, TransitionError::NotAllowed { .. }),
                        "{from:?} → {to:?}: {error}"
                    );
                }
            }
        }
    }

    #[test]
    fn each_move_is_made_by_the_side_it_belongs_to() {
        use ObjectionStatus::*;
        // The technical side raised it: it may not answer itself.
        let error = objection(Open)
            .transition(Answered, &actor(Side::Technical), DAY, full())
            .expect_err("the raising side does not answer");
        assert!(
            error
                .to_string()
                .contains("only the business side answers it"),
            "{error}"
        );
        for to in [Open, Resolved] {
            let error = objection(Answered)
                .transition(to, &actor(Side::Business), DAY, full())
                .expect_err("only the raising side reopens or resolves");
            assert!(
                matches!(error, TransitionError::WrongSide { .. }),
                "{error}"
            );
        }
        for side in [Side::Business, Side::Technical] {
            assert!(
                objection(Open)
                    .transition(AcceptedRisk, &actor(side), DAY, full())
                    .is_ok()
            );
        }
    }

    #[test]
    fn resolving_and_accepting_a_risk_say_why_and_who_watches() {
        use ObjectionStatus::*;
        let bare = TransitionDetails::default();
        let error = objection(Answered)
            .transition(Resolved, &actor(Side::Technical), DAY, bare.clone())
            .expect_err("a resolution needs a note");
        assert!(error.to_string().contains("needs a note"), "{error}");
        let no_owner = TransitionDetails {
            note: Some("worth it".into()),
            ..bare.clone()
        };
        let error = objection(Open)
            .transition(AcceptedRisk, &actor(Side::Business), DAY, no_owner)
            .expect_err("a risk needs an owner");
        assert!(error.to_string().contains("risk owner"), "{error}");
        let (accepted, step) = objection(Open)
            .transition(AcceptedRisk, &actor(Side::Business), DAY, full())
            .expect("accepted");
        assert_eq!(accepted.risk_owner.as_deref(), Some("Anna"));
        assert_eq!(
            accepted.resolution.as_deref(),
            Some("moved the target to April 15")
        );
        assert_eq!(step.details.changes, ["one-click.target revised"]);
        assert!(!accepted.status.is_pending());
        let error = objection(Open)
            .transition(Answered, &actor(Side::Business), DAY, bare)
            .expect_err("an answer says something");
        assert!(error.to_string().contains("the answer"), "{error}");
    }

    #[test]
    fn each_move_is_kept_in_the_history_in_order() {
        use ObjectionStatus::*;
        let (answered, first) = objection(Open)
            .transition(Answered, &actor(Side::Business), DAY, full())
            .expect("the business side answers");
        assert_eq!(answered.history, std::slice::from_ref(&first));
        let later = jiff::civil::date(2027, 1, 12);
        let (resolved, second) = answered
            .transition(Resolved, &actor(Side::Technical), later, full())
            .expect("the technical side resolves");
        assert_eq!(resolved.history, [first, second.clone()]);
        assert_eq!(
            (second.from, second.to, second.on, second.side),
            (Answered, Resolved, later, Side::Technical)
        );
        // A refused move leaves the objection, history included, as it was.
        let before = resolved.clone();
        assert!(
            resolved
                .transition(Open, &actor(Side::Technical), later, full())
                .is_err()
        );
        assert_eq!(resolved, before);
    }

    #[test]
    fn accepting_a_risk_sets_the_date_it_is_looked_at_again() {
        use ObjectionStatus::*;
        let review_by = jiff::civil::date(2027, 4, 1);
        let details = TransitionDetails {
            review_by: Some(review_by),
            ..full()
        };
        let (accepted, step) = objection(Answered)
            .transition(AcceptedRisk, &actor(Side::Business), DAY, details.clone())
            .expect("accepted");
        assert_eq!(accepted.review_by, Some(review_by));
        assert_eq!(step.details.review_by, Some(review_by));
        // Only an accepted risk is looked at again: an answer's date is kept in the step only.
        let (answered, _) = objection(Open)
            .transition(Answered, &actor(Side::Business), DAY, details)
            .expect("answered");
        assert_eq!(answered.review_by, None);
    }

    #[test]
    fn closed_objections_say_how_to_go_on() {
        let error = objection(ObjectionStatus::Resolved)
            .transition(ObjectionStatus::Open, &actor(Side::Technical), DAY, full())
            .expect_err("final");
        assert!(
            error.to_string().contains("raise a new objection"),
            "{error}"
        );
    }
}
