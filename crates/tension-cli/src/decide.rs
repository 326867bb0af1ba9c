//! `tension decide`: picks a plan of the frontier and writes a Markdown decision record
//! (MADR front matter) with everything it was based on: the options, the chosen plan and what
//! each side concedes, the accepted risks, the objections, and the evidence behind the inputs.
//!
//! A record is signed when at least one business and one technical member sign it; it cannot
//! be signed while a blocking objection on a chosen item is open or answered. Records are never
//! overwritten: a new decision gets the next number.

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use jiff::civil::Date;
use tension_model::{Estimate, ObjectionStatus, Scenario, Side};
use tension_plan::{Config, Outcome, Plan, Planned, plan};
use tension_scenario::{Options, Style};

use crate::format::{money, number, percent};

#[derive(Debug)]
pub(crate) struct Request {
    pub file: PathBuf,
    /// 1-based, as `tension plan` numbers the frontier.
    pub plan: usize,
    pub rationale: String,
    /// `business:Anna`, `technical:Dana`.
    pub signed_by: Vec<String>,
    pub dir: PathBuf,
    pub trials: usize,
    pub seed: u64,
    pub today: Date,
}

/// A sign-off as given on the command line.
fn signature(text: &str) -> Result<(Side, String)> {
    let (side, name) = text.split_once(':').with_context(|| {
        format!("--signed-by `{text}` needs a side and a name, such as business:Anna")
    })?;
    let side = match side {
        "business" => Side::Business,
        "technical" => Side::Technical,
        other => bail!("--signed-by `{text}`: `{other}` is not a side; use business or technical"),
    };
    let name = name.trim();
    if name.is_empty() {
        bail!("--signed-by `{text}` names nobody; write business:Anna");
    }
    Ok((side, name.to_owned()))
}

/// Lowercase words joined by dashes, for the file name.
fn slug(text: &str) -> String {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        "decision".to_owned()
    } else {
        words.join("-")
    }
}

/// The next record number in `dir`: one more than the highest `NNNN-...md` there.
fn next_number(dir: &Path) -> Result<u32> {
    let mut highest = 0;
    if dir.exists() {
        for entry in std::fs::read_dir(dir)
            .with_context(|| format!("cannot list the decisions in {}", dir.display()))?
        {
            let name = entry?.file_name();
            let name = name.to_string_lossy();
            if let Some(number) = name.get(..4).and_then(|n| n.parse::<u32>().ok()) {
                highest = highest.max(number);
            }
        }
    }
    Ok(highest + 1)
}

fn evidence_cell(estimate: &Estimate) -> String {
    let e = &estimate.evidence;
    [
        e.quality.map(|q| q.name().to_owned()),
        e.source.clone(),
        e.as_of.map(|d| d.to_string()),
        e.owner.clone(),
    ]
    .into_iter()
    .map(|part| part.unwrap_or_else(|| "—".to_owned()))
    .collect::<Vec<_>>()
    .join(" | ")
}

/// Pipes and line breaks would break a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

pub(crate) fn run(
    request: &Request,
    options: &Options,
    style: Style,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<bool> {
    let signatures = request
        .signed_by
        .iter()
        .map(|text| signature(text))
        .collect::<Result<Vec<_>>>()?;
    if request.rationale.trim().is_empty() {
        bail!("--rationale is empty: say why this plan, in a sentence or two");
    }
    let Some(scenario) = crate::load_scenario(&request.file, options, style, err)? else {
        return Ok(false);
    };
    let config = Config {
        trials: request.trials,
        seed: request.seed,
        ..Config::default()
    };
    let planned = match plan(&scenario, &config)? {
        Outcome::Planned(planned) => planned,
        Outcome::Infeasible(reason) => {
            writeln!(
                err,
                "{}: no plan to decide on: {}",
                request.file.display(),
                reason.message()
            )?;
            return Ok(false);
        }
    };
    let n = planned.frontier.len();
    if request.plan == 0 || request.plan > n {
        bail!(
            "--plan {} is not a plan of the frontier: `tension plan {}` numbers them 1 to {n}",
            request.plan,
            request.file.display()
        );
    }
    let chosen = &planned.frontier[request.plan - 1];
    let blockers = scenario.blocking_objections(&chosen.items);
    let sides_signed = |side| signatures.iter().any(|(s, _)| *s == side);
    let signed = sides_signed(Side::Business) && sides_signed(Side::Technical);
    if !signatures.is_empty() && !blockers.is_empty() {
        writeln!(
            err,
            "{}: plan {} cannot be signed: these blocking objections on its items are still pending:",
            request.file.display(),
            request.plan
        )?;
        for objection in &blockers {
            writeln!(
                err,
                "  {} ({}, by the {} side): {}",
                objection.id,
                objection.status.name(),
                objection.by.name(),
                objection.text
            )?;
        }
        writeln!(
            err,
            "  resolve them, or accept them as risks with a risk owner (status = \"accepted-risk\"), then sign; nothing was written"
        )?;
        return Ok(false);
    }
    let status = if signed { "accepted" } else { "proposed" };
    let record = record(&scenario, &planned, request, chosen, &signatures, status);
    std::fs::create_dir_all(&request.dir)
        .with_context(|| format!("cannot create {}", request.dir.display()))?;
    let number = next_number(&request.dir)?;
    let path = request.dir.join(format!(
        "{number:04}-{}.md",
        slug(&format!("{} plan {}", scenario.name, request.plan))
    ));
    let mut file = std::fs::File::options()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| {
            format!(
                "cannot write {} (a record is never overwritten)",
                path.display()
            )
        })?;
    file.write_all(record.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    writeln!(out, "wrote {} ({status})", path.display())?;
    if !signed {
        let missing: Vec<&str> = [Side::Business, Side::Technical]
            .into_iter()
            .filter(|side| !sides_signed(*side))
            .map(Side::name)
            .collect();
        writeln!(
            out,
            "  not signed yet: it needs the {} side's sign-off (--signed-by {}:NAME)",
            missing.join(" and the "),
            missing[0]
        )?;
        if !blockers.is_empty() {
            writeln!(
                out,
                "  and {} blocking objection{} must be resolved or accepted as a risk first",
                blockers.len(),
                if blockers.len() == 1 { "" } else { "s" }
            )?;
        }
    }
    Ok(true)
}

fn record(
    scenario: &Scenario,
    planned: &Planned,
    request: &Request,
    chosen: &Plan,
    signatures: &[(Side, String)],
    status: &str,
) -> String {
    let currency = scenario.currency.as_deref().unwrap_or("");
    let makers: Vec<String> = signatures
        .iter()
        .map(|(side, name)| format!("{name} ({})", side.name()))
        .collect();
    let mut md = String::new();
    let _ = writeln!(md, "---");
    let _ = writeln!(md, "status: {status}");
    let _ = writeln!(md, "date: {}", request.today);
    let _ = writeln!(md, "decision-makers: [{}]", makers.join(", "));
    let _ = writeln!(md, "---\n");
    let _ = writeln!(
        md,
        "# {}: plan {} of {}\n",
        scenario.name,
        request.plan,
        planned.frontier.len()
    );
    let _ = writeln!(md, "## Context and problem statement\n");
    if let Some(description) = &scenario.description {
        let _ = writeln!(md, "{description}\n");
    }
    let _ = writeln!(
        md,
        "Which items to take by {}, promised at {} confidence, between business value and system health. Scenario file: `{}`.\n",
        planned.deadline,
        percent(planned.confidence),
        request.file.display()
    );
    let _ = writeln!(md, "## Considered options\n");
    let _ = writeln!(md, "| # | value | health | effort | fit | items |");
    let _ = writeln!(md, "|---|---|---|---|---|---|");
    for (idx, plan) in planned.frontier.iter().enumerate() {
        let mut mark = String::new();
        if idx + 1 == request.plan {
            mark.push_str(" (chosen)");
        }
        if idx == planned.recommended {
            mark.push_str(" (recommended)");
        }
        let _ = writeln!(
            md,
            "| {}{mark} | {} | {:+} | {} | {} | {} |",
            idx + 1,
            money(plan.value, currency),
            plan.health,
            number(plan.effort),
            percent(plan.p_fit),
            plan.items.join(", ")
        );
    }
    let _ = writeln!(md, "\n## Decision outcome\n");
    let _ = writeln!(
        md,
        "Chosen: plan {}: {}.\n",
        request.plan,
        chosen.items.join(", ")
    );
    let _ = writeln!(md, "{}\n", request.rationale.trim());
    let _ = writeln!(md, "### What each side concedes\n");
    let conceded = tension_report::concessions_of(planned, chosen);
    let list = |items: &[String]| {
        if items.is_empty() {
            "no item".to_owned()
        } else {
            items.join(", ")
        }
    };
    let _ = writeln!(
        md,
        "- The business side gives up {} of value against its ideal (plan {}), and loses {}.",
        money(conceded.business_gives_up_value, currency),
        planned.value_ideal + 1,
        list(&conceded.business_loses)
    );
    let _ = writeln!(
        md,
        "- The technical side gives up {} health points against its ideal (plan {}), and loses {}.\n",
        number(conceded.technical_gives_up_health),
        planned.health_ideal + 1,
        list(&conceded.technical_loses)
    );
    let _ = writeln!(md, "### Accepted risks\n");
    let risks: Vec<_> = scenario
        .objections
        .iter()
        .filter(|o| o.status == ObjectionStatus::AcceptedRisk)
        .collect();
    if risks.is_empty() {
        let _ = writeln!(md, "None.\n");
    }
    for risk in risks {
        let _ = writeln!(
            md,
            "- **{}** (owner: {}): {} Accepted because: {}",
            risk.id,
            risk.risk_owner.as_deref().unwrap_or("—"),
            risk.text,
            risk.resolution.as_deref().unwrap_or("—")
        );
    }
    let _ = writeln!(md, "\n### Objections at the time of the decision\n");
    let _ = writeln!(md, "| objection | on | by | tension | status | blocking |");
    let _ = writeln!(md, "|---|---|---|---|---|---|");
    for o in &scenario.objections {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} |",
            o.id,
            o.on.key(),
            o.by.name(),
            o.tension.name(),
            o.status.name(),
            if o.blocking { "yes" } else { "no" }
        );
    }
    let _ = writeln!(md, "\n## Evidence\n");
    let _ = writeln!(
        md,
        "The inputs as they stood when the decision was recorded.\n"
    );
    let _ = writeln!(
        md,
        "| input | estimate | quality | source | as of | owner |"
    );
    let _ = writeln!(md, "|---|---|---|---|---|---|");
    for quantity in &scenario.quantities {
        let _ = writeln!(
            md,
            "| {} | {} | {} |",
            quantity.name,
            cell(&quantity.estimate.text),
            cell(&evidence_cell(&quantity.estimate))
        );
    }
    for item in scenario
        .items
        .iter()
        .filter(|i| chosen.items.contains(&i.id))
    {
        for (field, estimated) in item.estimated_fields() {
            let _ = writeln!(
                md,
                "| {}.{field} | {} | {} |",
                item.id,
                cell(&estimated.used().text),
                cell(&evidence_cell(estimated.used()))
            );
        }
    }
    md
}
