//! `tension objections`: the pushback of a scenario by tension and status, with its age.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use jiff::civil::Date;
use serde::Serialize;
use tension_model::{Objection, ObjectionStatus, Tension};
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
    objections: Vec<JsonObjection>,
}

#[derive(Debug, Serialize)]
struct JsonObjection {
    id: String,
    on: String,
    by: &'static str,
    tension: &'static str,
    status: &'static str,
    blocking: bool,
    text: String,
    resolution: Option<String>,
    risk_owner: Option<String>,
    raised: Option<String>,
    age_days: Option<i32>,
}

/// What each side says in each tension, as `PRODUCT.md` frames them.
fn framing(tension: Tension) -> &'static str {
    match tension {
        Tension::VisionFeasibility => {
            "Vision vs Feasibility: \"this is what we should build\" against \"this is what can work, and at what cost\""
        }
        Tension::SpeedDurability => {
            "Speed vs Durability: \"launch now\" against \"think about after launch\""
        }
        Tension::OutcomesHealth => {
            "Business Outcomes vs System Health: \"grow the metrics\" against \"fortify what growth depends on\""
        }
    }
}

/// Days since the objection was raised, when it was raised by `today`.
fn age(objection: &Objection, today: Date) -> Option<i32> {
    objection
        .raised
        .map(|raised| (today - raised).get_days())
        .filter(|days| *days >= 0)
}

/// Pending first (open, then answered), then the closed; blocking first within each.
fn order(status: ObjectionStatus) -> usize {
    ObjectionStatus::ALL
        .iter()
        .position(|s| *s == status)
        .unwrap_or(0)
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
    let mut objections: Vec<&Objection> = scenario.objections.iter().collect();
    objections.sort_by_key(|o| (order(o.status), !o.blocking));
    if request.format == Format::Json {
        let json = Json {
            objections: objections
                .iter()
                .map(|o| JsonObjection {
                    id: o.id.clone(),
                    on: o.on.key(),
                    by: o.by.name(),
                    tension: o.tension.name(),
                    status: o.status.name(),
                    blocking: o.blocking,
                    text: o.text.clone(),
                    resolution: o.resolution.clone(),
                    risk_owner: o.risk_owner.clone(),
                    raised: o.raised.map(|d| d.to_string()),
                    age_days: age(o, request.today),
                })
                .collect(),
        };
        serde_json::to_writer_pretty(&mut *out, &json)?;
        writeln!(out)?;
        return Ok(true);
    }
    let count = |status| objections.iter().filter(|o| o.status == status).count();
    let blocking = objections
        .iter()
        .filter(|o| o.blocking && o.status.is_pending())
        .count();
    let statuses: Vec<String> = ObjectionStatus::ALL
        .iter()
        .filter(|s| count(**s) > 0)
        .map(|s| format!("{} {}", count(*s), s.name()))
        .collect();
    writeln!(
        out,
        "{}: {}{}; {} blocking a decision",
        scenario.name,
        plural(objections.len(), "objection"),
        if statuses.is_empty() {
            String::new()
        } else {
            format!(", {}", statuses.join(", "))
        },
        blocking
    )?;
    for tension in Tension::ALL {
        let here: Vec<&&Objection> = objections.iter().filter(|o| o.tension == tension).collect();
        if here.is_empty() {
            continue;
        }
        writeln!(out, "\n{}", framing(tension))?;
        for objection in here {
            let age = match (age(objection, request.today), objection.raised) {
                (Some(days), _) => format!(", raised {days} days ago"),
                (None, Some(raised)) => format!(", raised {raised}"),
                (None, None) => String::new(),
            };
            writeln!(
                out,
                "  {:<13} {}{} on {}, by the {} side{age}",
                objection.status.name(),
                objection.id,
                if objection.blocking {
                    " (blocking)"
                } else {
                    ""
                },
                objection.on.key(),
                objection.by.name(),
            )?;
            writeln!(out, "      {}", objection.text)?;
            if let Some(resolution) = &objection.resolution {
                writeln!(out, "      resolution: {resolution}")?;
            }
            if let Some(owner) = &objection.risk_owner {
                writeln!(out, "      risk owner: {owner}")?;
            }
        }
    }
    Ok(true)
}
