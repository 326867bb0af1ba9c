//! `tension reviews`: where each review of a scenario stands against its SLA on a given day, with
//! its checklist, conditions, findings and the items it gates; the late ones first.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use jiff::civil::Date;
use serde::Serialize;
use tension_model::{Calendar, Review, ReviewStatus, Scenario, Sla, SlaState, Target};
use tension_scenario::{Options, Style};

use crate::Format;
use crate::check::plural;

#[derive(Debug)]
pub(crate) struct Request {
    pub file: PathBuf,
    pub format: Format,
    pub today: Date,
}

#[derive(Debug, Serialize)]
struct Json {
    today: String,
    reviews: Vec<JsonReview>,
}

#[derive(Debug, Serialize)]
struct JsonReview {
    id: String,
    title: String,
    status: Option<&'static str>,
    requested: Option<String>,
    sla: Option<u32>,
    due: Option<String>,
    working_days_left: Option<i64>,
    state: Option<&'static str>,
    checklist: Vec<String>,
    conditions: Vec<String>,
    findings: Vec<JsonFinding>,
    items: Vec<String>,
}

#[derive(Debug, Serialize)]
struct JsonFinding {
    id: String,
    status: &'static str,
    blocking: bool,
}

/// A review with where it stands today.
struct Row<'a> {
    review: &'a Review,
    sla: Option<Sla>,
}

impl Row<'_> {
    /// What the review's line leads with.
    fn label(&self) -> &'static str {
        match (self.review.status, self.sla.map(|sla| sla.state)) {
            (None, _) => "not requested",
            (Some(status), _) if status.has_verdict() => "done",
            (_, Some(SlaState::OnTrack)) => "on track",
            (_, Some(SlaState::DueSoon)) => "due soon",
            (_, Some(SlaState::Overdue)) => "overdue",
            (_, Some(SlaState::Done)) => "done",
            (Some(_), None) => "no SLA",
        }
    }

    /// Late first, then the ones in progress, the ones not requested yet, and the finished.
    fn rank(&self) -> u8 {
        match (self.review.status, self.sla.map(|sla| sla.state)) {
            (_, Some(SlaState::Overdue)) => 0,
            (_, Some(SlaState::DueSoon)) => 1,
            (_, Some(SlaState::OnTrack)) => 2,
            (Some(status), None) if !status.has_verdict() => 3,
            (None, _) => 4,
            _ => 5,
        }
    }
}

/// The working-day calendar SLAs count in: the team's workdays and holidays.
fn calendar(scenario: &Scenario) -> Calendar {
    Calendar::new(
        scenario.start,
        scenario.team.workdays,
        &scenario.team.holidays,
        1,
    )
}

fn days(n: i64) -> String {
    plural(
        usize::try_from(n.unsigned_abs()).unwrap_or(usize::MAX),
        "working day",
    )
}

pub(crate) fn run(
    request: &Request,
    options: &Options,
    style: Style,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<bool> {
    let Some(scenario) = crate::load_scenario(&request.file, options, style, err)? else {
        return Ok(false);
    };
    let calendar = calendar(&scenario);
    let mut rows: Vec<Row<'_>> = scenario
        .reviews
        .iter()
        .map(|review| Row {
            review,
            sla: review.sla_state(request.today, &calendar),
        })
        .collect();
    rows.sort_by_key(Row::rank);
    let findings = |review: &Review| {
        scenario
            .objections
            .iter()
            .filter(move |o| matches!(&o.on, Target::Review(id) if *id == review.id))
            .collect::<Vec<_>>()
    };
    let items = |review: &Review| {
        scenario
            .items
            .iter()
            .filter(|item| item.reviews.contains(&review.id))
            .map(|item| item.id.clone())
            .collect::<Vec<_>>()
    };
    if request.format == Format::Json {
        let json = Json {
            today: request.today.to_string(),
            reviews: rows
                .iter()
                .map(|row| JsonReview {
                    id: row.review.id.clone(),
                    title: row.review.title.clone(),
                    status: row.review.status.map(ReviewStatus::name),
                    requested: row.review.requested.map(|d| d.to_string()),
                    sla: row.review.sla,
                    due: row.sla.map(|sla| sla.due.to_string()),
                    working_days_left: row.sla.map(|sla| sla.working_days_left),
                    state: row.sla.map(|sla| sla.state.name()),
                    checklist: row.review.checklist.clone(),
                    conditions: row.review.conditions.clone(),
                    findings: findings(row.review)
                        .into_iter()
                        .map(|o| JsonFinding {
                            id: o.id.clone(),
                            status: o.status.name(),
                            blocking: o.blocking,
                        })
                        .collect(),
                    items: items(row.review),
                })
                .collect(),
        };
        serde_json::to_writer_pretty(&mut *out, &json)?;
        writeln!(out)?;
        return Ok(true);
    }
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for row in &rows {
        match counts.iter_mut().find(|(label, _)| *label == row.label()) {
            Some((_, n)) => *n += 1,
            None => counts.push((row.label(), 1)),
        }
    }
    let counts: Vec<String> = counts
        .iter()
        .map(|(label, n)| format!("{n} {label}"))
        .collect();
    writeln!(
        out,
        "{}: {} on {}{}",
        scenario.name,
        plural(rows.len(), "review"),
        request.today,
        if counts.is_empty() {
            String::new()
        } else {
            format!(", {}", counts.join(", "))
        }
    )?;
    for row in &rows {
        let review = row.review;
        writeln!(out)?;
        if review.title == review.id {
            writeln!(out, "{:<14} {}", row.label(), review.id)?;
        } else {
            writeln!(out, "{:<14} {}  {}", row.label(), review.id, review.title)?;
        }
        let status = match (review.status, review.requested) {
            (None, _) => "not requested".to_owned(),
            (Some(ReviewStatus::Requested), Some(requested)) => format!("requested {requested}"),
            (Some(status), Some(requested)) => {
                format!("{}, requested {requested}", status.name())
            }
            (Some(status), None) => status.name().to_owned(),
        };
        writeln!(out, "    status      {status}")?;
        let sla = match (review.sla, row.sla) {
            (None, _) => "none".to_owned(),
            (Some(sla), Some(state)) => {
                let left = match state.state {
                    SlaState::Done => "verdict in".to_owned(),
                    SlaState::Overdue => format!("{} overdue", days(state.working_days_left)),
                    _ if state.working_days_left == 0 => "due today".to_owned(),
                    _ => format!("{} left", days(state.working_days_left)),
                };
                format!("{}, due {}: {left}", days(i64::from(sla)), state.due)
            }
            (Some(sla), None) if review.requested.is_none() => {
                format!("{} from the request", days(i64::from(sla)))
            }
            (Some(sla), None) => days(i64::from(sla)),
        };
        writeln!(out, "    sla         {sla}")?;
        writeln!(
            out,
            "    checklist   {}",
            plural(review.checklist.len(), "point")
        )?;
        if !review.conditions.is_empty() {
            writeln!(out, "    conditions  {}", review.conditions.join("; "))?;
        }
        let found: Vec<String> = findings(review)
            .iter()
            .map(|o| {
                format!(
                    "{} ({}{})",
                    o.id,
                    o.status.name(),
                    if o.blocking { ", blocking" } else { "" }
                )
            })
            .collect();
        writeln!(
            out,
            "    findings    {}",
            if found.is_empty() {
                "none".to_owned()
            } else {
                found.join(", ")
            }
        )?;
        let gated = items(review);
        if !gated.is_empty() {
            writeln!(out, "    items       {}", gated.join(", "))?;
        }
    }
    Ok(true)
}
