//! The scenario: the team, the policy, the quantities, the items, the reviews and the pushback.

use jiff::civil::Date;

use crate::{Calendar, Estimate, Estimated, Item, Objection};

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

    /// What a plan of `items` rests on: the reviews any of them needs, and the quantities its
    /// numbers use. Those are the quantities named in the items' estimates as the engines use
    /// them (the owner's), in the team's focus, and in the lead times of those reviews, with
    /// the quantities these name in turn. Each is listed once, in the scenario's order.
    pub fn reliance(&self, items: &[String]) -> crate::Reliance {
        let chosen: Vec<&Item> = items.iter().filter_map(|id| self.item(id)).collect();
        let reviews: Vec<&Review> = self
            .reviews
            .iter()
            .filter(|review| chosen.iter().any(|item| item.reviews.contains(&review.id)))
            .collect();
        let mut named: Vec<&str> = Vec::new();
        let estimates = chosen
            .iter()
            .flat_map(|item| item.estimated_fields().map(|(_, field)| field.used()))
            .chain(self.team.focus.iter())
            .chain(
                reviews
                    .iter()
                    .filter_map(|review| review.lead_time.as_ref().map(Estimated::used)),
            );
        let mut pending: Vec<&str> = estimates
            .flat_map(|estimate| estimate.expr.quantities().into_iter().map(|(name, _)| name))
            .collect();
        // Quantities defined in terms of others: follow the names until none is new.
        while let Some(name) = pending.pop() {
            if named.contains(&name) {
                continue;
            }
            named.push(name);
            if let Some(quantity) = self.quantity(name) {
                pending.extend(
                    quantity
                        .estimate
                        .expr
                        .quantities()
                        .into_iter()
                        .map(|(name, _)| name),
                );
            }
        }
        crate::Reliance {
            reviews: reviews.iter().map(|review| review.id.clone()).collect(),
            quantities: self
                .quantities
                .iter()
                .filter(|quantity| named.contains(&quantity.name.as_str()))
                .map(|quantity| quantity.name.clone())
                .collect(),
        }
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
    /// Where the review stands; `None` when it has not been requested yet, and forecasts request
    /// it when its first item starts.
    pub status: Option<ReviewStatus>,
    /// When it was requested (last requested, after a rejection).
    pub requested: Option<Date>,
    /// The working days from request to verdict the reviewers commit to.
    pub sla: Option<u32>,
    /// What an approval with conditions asks for.
    pub conditions: Vec<String>,
}

/// Where a review stands, from request to verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReviewStatus {
    /// Asked for; the reviewers have not started.
    Requested,
    InReview,
    /// The reviewers sent it back; it goes back in review once the changes are made.
    ChangesRequested,
    Approved,
    ApprovedWithConditions,
    /// Turned down; it may be requested again.
    Rejected,
}

impl ReviewStatus {
    pub const ALL: [ReviewStatus; 6] = [
        ReviewStatus::Requested,
        ReviewStatus::InReview,
        ReviewStatus::ChangesRequested,
        ReviewStatus::Approved,
        ReviewStatus::ApprovedWithConditions,
        ReviewStatus::Rejected,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ReviewStatus::Requested => "requested",
            ReviewStatus::InReview => "in-review",
            ReviewStatus::ChangesRequested => "changes-requested",
            ReviewStatus::Approved => "approved",
            ReviewStatus::ApprovedWithConditions => "approved-with-conditions",
            ReviewStatus::Rejected => "rejected",
        }
    }

    /// The statuses a review may move to from this one.
    pub fn next(self) -> &'static [ReviewStatus] {
        use ReviewStatus::*;
        match self {
            Requested => &[InReview],
            InReview => &[ChangesRequested, Approved, ApprovedWithConditions, Rejected],
            ChangesRequested => &[InReview],
            // A rejected review is resubmitted: requested again.
            Rejected => &[Requested],
            Approved | ApprovedWithConditions => &[],
        }
    }

    /// An approved review, with conditions or without, no longer holds its items back.
    pub fn is_approved(self) -> bool {
        matches!(
            self,
            ReviewStatus::Approved | ReviewStatus::ApprovedWithConditions
        )
    }

    /// The reviewers have given their verdict: approved, with conditions or not, or rejected.
    pub fn has_verdict(self) -> bool {
        self.is_approved() || self == ReviewStatus::Rejected
    }

    /// What may happen to a review in this status, for messages about a move it cannot make.
    pub fn hint(self) -> &'static str {
        match self {
            ReviewStatus::Requested => "a requested review goes in review next",
            ReviewStatus::InReview => {
                "a review in progress ends in changes requested, approved, approved with conditions, or rejected"
            }
            ReviewStatus::ChangesRequested => {
                "once the changes are made, the review goes back in review"
            }
            ReviewStatus::Rejected => "a rejected review can only be requested again",
            ReviewStatus::Approved | ReviewStatus::ApprovedWithConditions => {
                "it is approved, which is final; add a new review if something else needs one"
            }
        }
    }
}

/// Why a review cannot move as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewTransitionError {
    #[error(
        "review `{id}` is {}: it cannot become {}; {}",
        from.name(),
        to.name(),
        from.hint()
    )]
    NotAllowed {
        id: String,
        from: ReviewStatus,
        to: ReviewStatus,
    },
    #[error(
        "review `{id}` has not been requested: it cannot become {}; request it first",
        to.name()
    )]
    NotRequested { id: String, to: ReviewStatus },
    #[error(
        "approving review `{id}` with conditions needs the conditions: what must be done, and by when"
    )]
    MissingConditions { id: String },
    #[error(
        "review `{id}` would become {}: only an approval with conditions has conditions",
        to.name()
    )]
    UnexpectedConditions { id: String, to: ReviewStatus },
}

/// How a review stands against the working days its reviewers committed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sla {
    /// The last working day of the commitment: `sla` working days after the request.
    pub due: Date,
    /// Working days after today up to and including `due`: 0 on the due date, negative once
    /// past it.
    pub working_days_left: i64,
    pub state: SlaState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SlaState {
    /// More than [`Review::DUE_SOON_DAYS`] working days left.
    OnTrack,
    /// At most [`Review::DUE_SOON_DAYS`] working days left, the due date included.
    DueSoon,
    /// Past the due date without a verdict.
    Overdue,
    /// The verdict is in: approved, approved with conditions, or rejected.
    Done,
}

impl SlaState {
    pub fn name(self) -> &'static str {
        match self {
            SlaState::OnTrack => "on-track",
            SlaState::DueSoon => "due-soon",
            SlaState::Overdue => "overdue",
            SlaState::Done => "done",
        }
    }
}

impl Review {
    /// A review with this many working days left, or fewer, is due soon.
    pub const DUE_SOON_DAYS: i64 = 2;

    /// The review's lead time is behind it: forecasts count an approved review as taking no time.
    pub fn is_approved(&self) -> bool {
        self.status.is_some_and(ReviewStatus::is_approved)
    }

    /// Moves the review to `to` on `on`, following its workflow:
    ///
    /// - a review not yet requested, or rejected, is requested (`requested` becomes `on`);
    /// - `requested → in-review`, and `changes-requested → in-review` once the changes are made;
    /// - `in-review →` `changes-requested`, `approved`, `approved-with-conditions` (with
    ///   `conditions`, which only this move takes) or `rejected`;
    /// - `approved` and `approved-with-conditions` are final.
    pub fn transition(
        &self,
        to: ReviewStatus,
        on: Date,
        conditions: Vec<String>,
    ) -> Result<Review, ReviewTransitionError> {
        let id = self.id.clone();
        match self.status {
            None if to != ReviewStatus::Requested => {
                return Err(ReviewTransitionError::NotRequested { id, to });
            }
            Some(from) if !from.next().contains(&to) => {
                return Err(ReviewTransitionError::NotAllowed { id, from, to });
            }
            _ => {}
        }
        let with_conditions = to == ReviewStatus::ApprovedWithConditions;
        if with_conditions && conditions.is_empty() {
            return Err(ReviewTransitionError::MissingConditions { id });
        }
        if !with_conditions && !conditions.is_empty() {
            return Err(ReviewTransitionError::UnexpectedConditions { id, to });
        }
        let mut next = self.clone();
        next.status = Some(to);
        if to == ReviewStatus::Requested {
            // A resubmission starts the clock again, and the old verdict's conditions go.
            next.requested = Some(on);
            next.conditions.clear();
        }
        if with_conditions {
            next.conditions = conditions;
        }
        Ok(next)
    }

    /// How the review stands on `today` against its `sla`, counted in the working days of
    /// `calendar`; `None` without a `requested` date or an `sla`, or when the due date would be
    /// past the last date there is.
    pub fn sla_state(&self, today: Date, calendar: &Calendar) -> Option<Sla> {
        let requested = self.requested?;
        let sla = self.sla?;
        let due = calendar.add_working_days(requested, sla)?;
        let working_days_left = calendar.working_days_between(today, due);
        let state = if self.status.is_some_and(ReviewStatus::has_verdict) {
            SlaState::Done
        } else if today > due {
            SlaState::Overdue
        } else if working_days_left <= Review::DUE_SOON_DAYS {
            SlaState::DueSoon
        } else {
            SlaState::OnTrack
        };
        Some(Sla {
            due,
            working_days_left,
            state,
        })
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn review(status: Option<ReviewStatus>) -> Review {
        Review {
            id: "security".into(),
            title: "Security review".into(),
            description: None,
            lead_time: None,
            checklist: Vec::new(),
            status,
            requested: status.map(|_| date(2027, 1, 4)),
            sla: None,
            conditions: Vec::new(),
        }
    }

    /// The conditions a move to `to` takes: some with conditions, none otherwise.
    fn conditions_for(to: ReviewStatus) -> Vec<String> {
        if to == ReviewStatus::ApprovedWithConditions {
            vec!["rotate the API keys before launch".into()]
        } else {
            Vec::new()
        }
    }

    const DAY: Date = date(2027, 1, 11);

    #[test]
    fn every_review_transition_is_allowed_or_forbidden_as_the_workflow_says() {
        use ReviewStatus::*;
        let allowed = [
            (None, Requested),
            (Some(Requested), InReview),
            (Some(InReview), ChangesRequested),
            (Some(InReview), Approved),
            (Some(InReview), ApprovedWithConditions),
            (Some(InReview), Rejected),
            (Some(ChangesRequested), InReview),
            (Some(Rejected), Requested),
        ];
        let froms = std::iter::once(None).chain(ReviewStatus::ALL.map(Some));
        let mut n_allowed = 0;
        for from in froms {
            for to in ReviewStatus::ALL {
                let result = review(from).transition(to, DAY, conditions_for(to));
                if allowed.contains(&(from, to)) {
                    n_allowed += 1;
                    let next = result.unwrap_or_else(|e| panic!("{from:?} → {to:?}: {e}"));
                    assert_eq!(next.status, Some(to));
                    assert_eq!(next.conditions, conditions_for(to));
                } else {
                    let error = result.expect_err("forbidden");
                    let expected = match from {
                        None => matches!(error, ReviewTransitionError::NotRequested { .. }),
                        Some(_) => matches!(error, ReviewTransitionError::NotAllowed { .. }),
                    };
                    assert!(expected, "{from:?} → {to:?}: {error}");
                }
                // `next` agrees with what `transition` allows.
                if let Some(from) = from {
                    assert_eq!(
                        from.next().contains(&to),
                        allowed.contains(&(Some(from), to)),
                        "{from:?} → {to:?}"
                    );
                }
            }
        }
        assert_eq!(n_allowed, allowed.len());
    }

    #[test]
    fn requesting_a_review_starts_its_clock() {
        use ReviewStatus::*;
        let requested = review(None)
            .transition(Requested, DAY, Vec::new())
            .expect("requested");
        assert_eq!(requested.requested, Some(DAY));
        // In review, and back after changes, the clock keeps running from the first request.
        let in_review = requested
            .transition(InReview, date(2027, 1, 12), Vec::new())
            .expect("in review");
        let changes = in_review
            .transition(ChangesRequested, date(2027, 1, 14), Vec::new())
            .expect("changes requested");
        let back = changes
            .transition(InReview, date(2027, 1, 18), Vec::new())
            .expect("back in review");
        assert_eq!(back.requested, Some(DAY));
        // A resubmission after a rejection starts it again.
        let rejected = back
            .transition(Rejected, date(2027, 1, 19), Vec::new())
            .expect("rejected");
        let resubmitted = rejected
            .transition(Requested, date(2027, 2, 1), Vec::new())
            .expect("resubmitted");
        assert_eq!(resubmitted.requested, Some(date(2027, 2, 1)));
    }

    #[test]
    fn review_transition_errors_say_what_to_do() {
        use ReviewStatus::*;
        let message = |from, to, conditions| {
            review(from)
                .transition(to, DAY, conditions)
                .expect_err("refused")
                .to_string()
        };
        assert_eq!(
            message(None, Approved, Vec::new()),
            "review `security` has not been requested: it cannot become approved; request it first"
        );
        assert_eq!(
            message(Some(Approved), InReview, Vec::new()),
            "review `security` is approved: it cannot become in-review; it is approved, which is final; add a new review if something else needs one"
        );
        assert_eq!(
            message(Some(Rejected), InReview, Vec::new()),
            "review `security` is rejected: it cannot become in-review; a rejected review can only be requested again"
        );
        assert!(
            message(Some(InReview), ApprovedWithConditions, Vec::new())
                .contains("needs the conditions"),
        );
        assert!(
            message(Some(InReview), Approved, vec!["a condition".into()])
                .contains("only an approval with conditions has conditions"),
        );
    }

    #[test]
    fn approved_is_approved_with_or_without_conditions() {
        use ReviewStatus::*;
        let approved: Vec<ReviewStatus> = ReviewStatus::ALL
            .into_iter()
            .filter(|status| status.is_approved())
            .collect();
        assert_eq!(approved, [Approved, ApprovedWithConditions]);
        let verdicts: Vec<ReviewStatus> = ReviewStatus::ALL
            .into_iter()
            .filter(|status| status.has_verdict())
            .collect();
        assert_eq!(verdicts, [Approved, ApprovedWithConditions, Rejected]);
        for status in ReviewStatus::ALL {
            assert_eq!(status.next().is_empty(), status.is_approved(), "{status:?}");
        }
        assert!(!review(None).is_approved());
        assert!(review(Some(ApprovedWithConditions)).is_approved());
    }

    fn sla_review(status: ReviewStatus, requested: Date, sla: u32) -> Review {
        Review {
            requested: Some(requested),
            sla: Some(sla),
            ..review(Some(status))
        }
    }

    fn calendar(holidays: &[Date]) -> Calendar {
        Calendar::new(date(2027, 1, 4), Workdays::default(), holidays, 1)
    }

    #[test]
    fn sla_states_count_working_days_across_a_weekend() {
        // Requested on Friday 2027-01-08 with 3 working days: due Wednesday 2027-01-13.
        let review = sla_review(ReviewStatus::InReview, date(2027, 1, 8), 3);
        let calendar = calendar(&[]);
        let cases = [
            (date(2027, 1, 8), 3, SlaState::OnTrack),
            (date(2027, 1, 9), 3, SlaState::OnTrack),
            (date(2027, 1, 10), 3, SlaState::OnTrack),
            (date(2027, 1, 11), 2, SlaState::DueSoon),
            (date(2027, 1, 12), 1, SlaState::DueSoon),
            (date(2027, 1, 13), 0, SlaState::DueSoon),
            (date(2027, 1, 14), -1, SlaState::Overdue),
            (date(2027, 1, 16), -2, SlaState::Overdue),
            (date(2027, 1, 18), -3, SlaState::Overdue),
        ];
        for (today, left, state) in cases {
            let sla = review.sla_state(today, &calendar).expect("has an SLA");
            assert_eq!(
                (sla.due, sla.working_days_left, sla.state),
                (date(2027, 1, 13), left, state),
                "on {today}"
            );
        }
    }

    #[test]
    fn a_weekend_request_and_a_holiday_move_the_due_date() {
        // Requested on Saturday 2027-01-09: the first working day after it is Monday.
        let saturday = sla_review(ReviewStatus::Requested, date(2027, 1, 9), 1);
        let sla = saturday
            .sla_state(date(2027, 1, 9), &calendar(&[]))
            .expect("has an SLA");
        assert_eq!((sla.due, sla.working_days_left), (date(2027, 1, 11), 1));
        assert_eq!(sla.state, SlaState::DueSoon);
        // With Monday 2027-01-11 off, Friday plus 3 working days is Thursday.
        let friday = sla_review(ReviewStatus::InReview, date(2027, 1, 8), 3);
        let sla = friday
            .sla_state(date(2027, 1, 8), &calendar(&[date(2027, 1, 11)]))
            .expect("has an SLA");
        assert_eq!((sla.due, sla.working_days_left), (date(2027, 1, 14), 3));
        assert_eq!(sla.state, SlaState::OnTrack);
        // A request before the calendar's start counts too.
        let early = sla_review(ReviewStatus::InReview, date(2026, 12, 18), 5);
        let sla = early
            .sla_state(date(2026, 12, 21), &calendar(&[]))
            .expect("has an SLA");
        assert_eq!((sla.due, sla.working_days_left), (date(2026, 12, 25), 4));
    }

    #[test]
    fn a_verdict_ends_the_sla_and_without_a_request_or_sla_there_is_none() {
        use ReviewStatus::*;
        let calendar = calendar(&[]);
        let overdue_day = date(2027, 2, 1);
        for status in ReviewStatus::ALL {
            let sla = sla_review(status, date(2027, 1, 8), 3)
                .sla_state(overdue_day, &calendar)
                .expect("has an SLA");
            let expected = if status.has_verdict() {
                SlaState::Done
            } else {
                SlaState::Overdue
            };
            assert_eq!(sla.state, expected, "{status:?}");
        }
        let no_sla = Review {
            sla: None,
            ..sla_review(InReview, date(2027, 1, 8), 3)
        };
        assert_eq!(no_sla.sla_state(overdue_day, &calendar), None);
        let not_requested = Review {
            requested: None,
            ..sla_review(InReview, date(2027, 1, 8), 3)
        };
        assert_eq!(not_requested.sla_state(overdue_day, &calendar), None);
    }
}
