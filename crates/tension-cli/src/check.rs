//! `tension check`: validate scenario files and summarise the valid ones.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use tension_model::{ItemKind, ObjectionStatus, Quality, Scenario, Side};
use tension_scenario::{Options, Style};

use crate::read_scenario;

/// Checks every file; true when none has an error.
pub(crate) fn run(
    files: &[PathBuf],
    options: &Options,
    style: Style,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<bool> {
    let mut all_ok = true;
    for path in files {
        let checked = match read_scenario(path, options) {
            Ok(checked) => checked,
            Err(error) => {
                writeln!(err, "error: {error:#}")?;
                all_ok = false;
                continue;
            }
        };
        if !checked.diagnostics.is_empty() {
            write!(err, "{}", checked.render(style))?;
        }
        let n_errors = checked.errors().count();
        let n_warnings = checked.warnings().count();
        match &checked.scenario {
            Some(scenario) if n_errors == 0 => {
                writeln!(
                    out,
                    "{}: ok, {}",
                    path.display(),
                    plural(n_warnings, "warning")
                )?;
                summary(scenario, out)?;
            }
            _ => {
                all_ok = false;
                writeln!(
                    err,
                    "{}: {} and {}",
                    path.display(),
                    plural(n_errors, "error"),
                    plural(n_warnings, "warning")
                )?;
            }
        }
    }
    Ok(all_ok)
}

/// One screen on what the scenario holds: items per kind and side, pushback, evidence.
fn summary(scenario: &Scenario, out: &mut impl Write) -> Result<()> {
    writeln!(out, "  scenario    {}", scenario.name)?;
    let mut dates = format!("start {}", scenario.start);
    if let Some(deadline) = scenario.deadline {
        dates.push_str(&format!(", deadline {deadline}"));
    }
    if let Some(horizon) = scenario.horizon {
        dates.push_str(&format!(", horizon {horizon}"));
    }
    writeln!(
        out,
        "  dates       {dates}, confidence {}%",
        round_percent(scenario.confidence)
    )?;
    writeln!(
        out,
        "  team        {}",
        plural(scenario.team.people as usize, "person")
    )?;

    let by_kind = counts(ItemKind::ALL.iter().map(|kind| {
        let n = scenario
            .items
            .iter()
            .filter(|item| item.kind == *kind)
            .count();
        (n, kind.name())
    }));
    let by_side = counts(
        Side::ALL
            .iter()
            .map(|side| {
                let n = scenario
                    .items
                    .iter()
                    .filter(|item| item.proposed_by == Some(*side))
                    .count();
                (n, side.name())
            })
            .chain(std::iter::once((
                scenario
                    .items
                    .iter()
                    .filter(|item| item.proposed_by.is_none())
                    .count(),
                "unattributed",
            ))),
    );
    writeln!(out, "  items       {}: {by_kind}", scenario.items.len())?;
    if !scenario.items.is_empty() {
        writeln!(out, "  proposed by {by_side}")?;
    }
    let n_contested = scenario
        .items
        .iter()
        .flat_map(|item| item.estimated_fields())
        .filter(|(_, field)| field.by_other.is_some())
        .count();
    if n_contested > 0 {
        writeln!(
            out,
            "  both sides  {} estimated by both sides",
            plural(n_contested, "field")
        )?;
    }
    writeln!(out, "  reviews     {}", scenario.reviews.len())?;

    let n_blocking = scenario
        .objections
        .iter()
        .filter(|o| o.blocking && o.status.is_pending())
        .count();
    let by_status = counts(ObjectionStatus::ALL.iter().map(|status| {
        let n = scenario
            .objections
            .iter()
            .filter(|o| o.status == *status)
            .count();
        (n, status.name())
    }));
    let mut objections = format!("{}", scenario.objections.len());
    if !scenario.objections.is_empty() {
        objections.push_str(&format!(": {by_status}"));
    }
    if n_blocking > 0 {
        objections.push_str(&format!("; {n_blocking} blocking a decision"));
    }
    writeln!(out, "  objections  {objections}")?;

    let by_quality = counts(
        Quality::ALL
            .iter()
            .map(|quality| {
                let n = scenario
                    .quantities
                    .iter()
                    .filter(|q| q.estimate.evidence.quality == Some(*quality))
                    .count();
                (n, quality.name())
            })
            .chain(std::iter::once((
                scenario
                    .quantities
                    .iter()
                    .filter(|q| q.estimate.evidence.quality.is_none())
                    .count(),
                "unrated",
            ))),
    );
    let mut quantities = format!("{}", scenario.quantities.len());
    if !scenario.quantities.is_empty() {
        quantities.push_str(&format!(": {by_quality}"));
    }
    writeln!(out, "  quantities  {quantities}")?;
    Ok(())
}

/// `3 feature, 1 health`: the non-zero counts, in order.
fn counts<'a>(counts: impl Iterator<Item = (usize, &'a str)>) -> String {
    let parts: Vec<String> = counts
        .filter(|(n, _)| *n > 0)
        .map(|(n, name)| format!("{n} {name}"))
        .collect();
    if parts.is_empty() {
        "none".to_owned()
    } else {
        parts.join(", ")
    }
}

pub(crate) fn plural(n: usize, word: &str) -> String {
    match (n, word) {
        (1, _) => format!("1 {word}"),
        (_, "person") => format!("{n} people"),
        _ => format!("{n} {word}s"),
    }
}

fn round_percent(p: f64) -> String {
    let percent = (p * 1000.0).round() / 10.0;
    format!("{percent}")
}
