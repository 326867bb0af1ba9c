//! `tension explain`: which uncertain input matters for the choice of a plan (value of
//! information), how far each moves the recommended plan (tornado), the evidence behind each,
//! and where the two sides' estimates disagree.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use jiff::civil::Date;
use tension_explain::{Config, Explained, Input, explain};
use tension_plan::{Outcome, plan};
use tension_scenario::{Options, Style};

use crate::Format;
use crate::format::{date_cell, money, number, percent};

#[derive(Debug)]
pub(crate) struct Request {
    pub file: PathBuf,
    pub trials: usize,
    pub seed: u64,
    pub min_health: Option<f64>,
    pub points: Option<usize>,
    pub plan_trials: usize,
    pub today: Date,
    pub format: Format,
    pub svg: Option<PathBuf>,
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
    let file = request.file.display();
    let plan_config = tension_plan::Config {
        trials: request.plan_trials,
        seed: request.seed,
        points: request.points,
        ..tension_plan::Config::default()
    };
    let planned = match plan(&scenario, &plan_config)? {
        Outcome::Planned(planned) => planned,
        Outcome::Infeasible(reason) => {
            writeln!(err, "{file}: nothing to explain: {}", reason.message())?;
            return Ok(false);
        }
    };
    let config = Config {
        trials: request.trials,
        seed: request.seed,
        min_health: request.min_health,
        today: Some(request.today),
        plan: plan_config,
    };
    let explained = match explain(&scenario, &planned, &config) {
        Ok(explained) => explained,
        Err(
            error @ (tension_explain::ExplainError::OnePlan { .. }
            | tension_explain::ExplainError::OneOption { .. }
            | tension_explain::ExplainError::NoUncertainty
            | tension_explain::ExplainError::NotFinite { .. }),
        ) => {
            writeln!(err, "{file}: nothing to explain: {error}")?;
            return Ok(false);
        }
        Err(error) => return Err(error.into()),
    };
    let currency = scenario.currency.as_deref().unwrap_or("");
    if let Some(path) = &request.svg {
        crate::chart::tornado(path, &scenario.name, &explained, currency)?;
    }
    match request.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &tension_report::explain(&explained))?;
            writeln!(out)?;
        }
        Format::Text => {
            text(&scenario.name, &explained, currency, out)?;
            if let Some(path) = &request.svg {
                writeln!(out, "\nwrote {}", path.display())?;
            }
        }
    }
    Ok(true)
}

/// Days as `+12 days`, `-3 days`, `0 days`; `past the calendar` when unknown.
fn days(days: Option<i32>) -> String {
    match days {
        Some(0) => "0 days".to_owned(),
        Some(1) => "+1 day".to_owned(),
        Some(-1) => "-1 day".to_owned(),
        Some(days) => format!("{days:+} days"),
        None => "past the calendar".to_owned(),
    }
}

/// A text cut to `width` characters, with an ellipsis when cut.
fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        let mut clipped: String = text.chars().take(width.saturating_sub(1)).collect();
        clipped.push('…');
        clipped
    }
}

/// The evidence of an input in a few words: quality, age, source.
fn evidence(input: &Input) -> String {
    let mut parts = Vec::new();
    match input.evidence.quality {
        Some(quality) => parts.push(quality.name().to_owned()),
        None => parts.push("no quality".to_owned()),
    }
    if let Some(age) = input.age_days {
        parts.push(format!("{age} days old"));
    }
    match &input.evidence.source {
        Some(source) => parts.push(clip(source, 44)),
        None => parts.push("no source".to_owned()),
    }
    parts.join(" · ")
}

fn plan_label(explained: &Explained, idx: usize) -> String {
    let mut label = format!("plan {}", idx + 1);
    if idx == explained.recommended {
        label.push_str(" (recommended)");
    }
    label
}

fn text(name: &str, explained: &Explained, currency: &str, out: &mut impl Write) -> Result<()> {
    let n_options = explained.options.len();
    writeln!(
        out,
        "{name}: which unknown matters for the choice among {n_options} plans"
    )?;
    let floor = if explained.options.len() == explained.frontier.len() {
        "every plan of the frontier".to_owned()
    } else {
        format!(
            "the plans of the frontier with health of at least {:+}",
            number(explained.min_health)
        )
    };
    writeln!(
        out,
        "  options: {floor}; {} trials (seed {}), {} runs of sorted trials per input",
        number(explained.trials as f64),
        explained.seed,
        explained.bins
    )?;
    writeln!(
        out,
        "\nWithout more information, {} is best on average: {}.",
        plan_label(explained, explained.baseline),
        money(explained.mean_value[explained.baseline], currency)
    )?;
    writeln!(
        out,
        "Knowing every input exactly would be worth {} (EVPI): the most that verifying anything can gain.",
        money(explained.evpi, currency)
    )?;

    let verify = explained.verify_first();
    writeln!(out)?;
    if explained.evpi <= 0.0 {
        writeln!(
            out,
            "No input is worth verifying for this choice: the same plan is best in every trial."
        )?;
    } else if verify.is_empty() {
        let material: Vec<&str> = explained
            .inputs
            .iter()
            .filter(|i| {
                i.evppi > 0.0 && i.evppi >= tension_explain::MATERIAL_SHARE * explained.evpi
            })
            .map(|i| i.name.as_str())
            .collect();
        match (material.is_empty(), explained.inputs.first()) {
            (true, Some(top)) => writeln!(
                out,
                "Verify first: no single input carries {} of the EVPI; the largest, {}, is {:.1}% of it.",
                percent(tension_explain::MATERIAL_SHARE),
                top.name,
                100.0 * top.evppi / explained.evpi
            )?,
            _ => writeln!(
                out,
                "Verify first: nothing. The inputs that carry the choice ({}) rest on evidence that is sourced, recent and not a guess.",
                material.join(", ")
            )?,
        }
    } else {
        writeln!(
            out,
            "Verify first: information worth at least {} of the EVPI, on weak evidence",
            percent(tension_explain::MATERIAL_SHARE)
        )?;
        let width = verify
            .iter()
            .map(|i| i.name.chars().count())
            .max()
            .unwrap_or(0);
        for input in &verify {
            let weak: Vec<String> = input.weaknesses.iter().map(|w| w.describe()).collect();
            writeln!(
                out,
                "  {:<width$}  {:>14}  {:>4} of the EVPI  {}",
                input.name,
                money(input.evppi, currency),
                percent(input.evppi / explained.evpi),
                weak.join(", "),
            )?;
        }
    }

    writeln!(
        out,
        "\nEvery input, by the value of knowing it (plan value and P85: the recommended plan)"
    )?;
    let width = explained
        .inputs
        .iter()
        .map(|i| i.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(5);
    let value_cells: Vec<String> = explained
        .inputs
        .iter()
        .map(|input| {
            if input.swing_value() == 0.0 {
                "no change".to_owned()
            } else {
                format!(
                    "{} .. {}",
                    number(input.value_at_p10),
                    number(input.value_at_p90)
                )
            }
        })
        .collect();
    let value_width = value_cells
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(0)
        .max(16);
    writeln!(
        out,
        "  {:<width$}  {:>14}  {:>6}  {:<value_width$}  {:>10}  evidence",
        "input", "EVPPI", "change", "value at p10 .. p90", "P85 moves"
    )?;
    for (input, value_cell) in explained.inputs.iter().zip(&value_cells) {
        writeln!(
            out,
            "  {:<width$}  {:>14}  {:>6}  {:<value_width$}  {:>10}  {}",
            input.name,
            money(input.evppi, currency),
            percent(input.p_change),
            value_cell,
            days(input.swing_p85_days()),
            evidence(input),
        )?;
    }
    writeln!(
        out,
        "  (value at medians {}; P85 finish {})",
        money(explained.value_at_medians, currency),
        date_cell(explained.p85)
    )?;

    if !explained.disagreements.is_empty() {
        writeln!(
            out,
            "\nWhere the two sides disagree (the owner's estimate is computed with)"
        )?;
        let width = explained
            .disagreements
            .iter()
            .map(|d| d.field.chars().count())
            .max()
            .unwrap_or(0)
            .max(5);
        let estimate = |text: &str, side: &str| format!("{side} {text}");
        let cells: Vec<(String, String)> = explained
            .disagreements
            .iter()
            .map(|d| {
                (
                    estimate(&d.owner_text, d.owner.name()),
                    estimate(&d.other_text, d.owner.other().name()),
                )
            })
            .collect();
        let owner_width = cells.iter().map(|c| c.0.chars().count()).max().unwrap_or(0);
        let other_width = cells.iter().map(|c| c.1.chars().count()).max().unwrap_or(0);
        writeln!(
            out,
            "  {:<width$}  {:<owner_width$}  {:<other_width$}  {:>7}  {:<12}  P85 moves",
            "field", "owner", "other side", "overlap", "plan changes"
        )?;
        for (d, (owner, other)) in explained.disagreements.iter().zip(&cells) {
            let changes = match (&d.plan_with_other, d.changes_plan) {
                (None, _) => "no plan".to_owned(),
                (Some(_), true) => "yes".to_owned(),
                (Some(_), false) => "no".to_owned(),
            };
            writeln!(
                out,
                "  {:<width$}  {owner:<owner_width$}  {other:<other_width$}  {:>7}  {changes:<12}  {}",
                d.field,
                percent(d.overlap),
                days(d.p85_shift_days),
            )?;
        }
        for d in explained.disagreements.iter().filter(|d| d.changes_plan) {
            match &d.plan_with_other {
                Some(items) => writeln!(
                    out,
                    "  with the {} side's {}, the recommended plan would be: {}",
                    d.owner.other().name(),
                    d.field,
                    items.join(", ")
                )?,
                None => writeln!(
                    out,
                    "  with the {} side's {}, no plan would be possible",
                    d.owner.other().name(),
                    d.field
                )?,
            }
        }
    }
    Ok(())
}
