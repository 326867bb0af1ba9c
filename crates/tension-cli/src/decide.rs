//! `tension decide`: picks a plan of the frontier and writes a Markdown decision record
//! (MADR front matter) with everything it was based on: the options, the chosen plan and what
//! each side concedes, the accepted risks, the objections, and the evidence behind the inputs.
//!
//! A record is signed when at least one business and one technical member sign it; it cannot
//! be signed while a blocking objection on a chosen item is open or answered. Records are never
//! overwritten: a new decision gets the next number.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use jiff::civil::Date;
use tension_model::{Actor, Decision, DecisionError, DecisionStatus, Side};
use tension_plan::{Config, Outcome, plan};
use tension_report::record::{self, RecordContext};
use tension_scenario::{Options, Style};

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
    let reliance = scenario.reliance(&chosen.items);
    let number = next_number(&request.dir)?;
    // Everyone named signs at once, by the model's rule (the server's too).
    let actors: Vec<Actor> = signatures
        .iter()
        .map(|(side, name)| Actor {
            name: name.clone(),
            side: *side,
        })
        .collect();
    let proposed = Decision::new(number, chosen.items.clone(), None);
    let blockers = proposed.blockers(&scenario.objections, &reliance);
    let decision = match proposed.sign_together(
        &actors,
        request.today,
        &scenario.objections,
        &reliance,
    ) {
        Ok(decision) => decision,
        Err(DecisionError::Blocked { .. }) => {
            writeln!(
                err,
                "{}: plan {} cannot be signed: these blocking objections on its items, or on reviews or quantities they rest on, are still pending:",
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
                "  resolve them, or accept them as risks with a risk owner (`tension move {} ID --to accepted-risk ...`), then sign; nothing was written",
                request.file.display()
            )?;
            return Ok(false);
        }
        Err(DecisionError::SignedTwice { name, .. }) => {
            bail!(
                "--signed-by names {name} twice: each person signs once, for the side of their role; nothing was written"
            )
        }
        Err(error) => bail!("{error}; nothing was written"),
    };
    let signed = decision.status == DecisionStatus::Accepted;
    let status = if signed { "accepted" } else { "proposed" };
    let source = format!("Scenario file: `{}`", request.file.display());
    let snapshot = record::snapshot(&RecordContext {
        scenario: &scenario,
        planned: &planned,
        chosen: request.plan - 1,
        rationale: &request.rationale,
        source: &source,
        supersedes: None,
    });
    let record = record::record(
        &record::Status {
            status,
            date: request.today,
            signed_by: &signatures,
        },
        &snapshot,
        &record::objections(&scenario.objections),
    );
    std::fs::create_dir_all(&request.dir)
        .with_context(|| format!("cannot create {}", request.dir.display()))?;
    let path = request.dir.join(record::file_name(
        number,
        &format!("{} plan {}", scenario.name, request.plan),
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
        let missing: Vec<&str> = decision
            .missing_sides()
            .into_iter()
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
