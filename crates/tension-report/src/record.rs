//! The Markdown decision record (MADR front matter), written by `tension decide` and exported
//! by the server.
//!
//! A record has three parts. The *snapshot* (context, options, outcome, concessions, evidence)
//! is rendered once, when the decision is proposed, from the scenario as it stood: later edits
//! of the scenario never reach it. The *objections* part is rendered from the objections as
//! they stand when the decision is accepted, so that the risks accepted to get it signed are in
//! it. The *front matter* carries the status and the people who signed.

use std::fmt::Write as _;

use jiff::civil::Date;
use tension_model::{Estimate, Objection, ObjectionStatus, Scenario, Side};
use tension_plan::Planned;

use crate::text::{money, number, percent};

/// What a decision is based on.
#[derive(Debug, Clone, Copy)]
pub struct RecordContext<'a> {
    pub scenario: &'a Scenario,
    pub planned: &'a Planned,
    /// The chosen plan, 0-based in the frontier.
    pub chosen: usize,
    pub rationale: &'a str,
    /// Where the scenario came from: "Scenario file: `checkout.toml`", "Workspace `checkout`".
    pub source: &'a str,
    /// The earlier decision this one replaces.
    pub supersedes: Option<u32>,
}

/// The parts of a record fixed when the decision is proposed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// Title, context, options, outcome and concessions.
    pub head: String,
    /// The evidence table: the inputs as they stood.
    pub evidence: String,
}

/// The front matter's facts.
#[derive(Debug, Clone)]
pub struct Status<'a> {
    /// `proposed`, `accepted`, `superseded by 0004`.
    pub status: &'a str,
    pub date: Date,
    pub signed_by: &'a [(Side, String)],
}

/// The record's file name without its folder: `0003-checkout-plan-2.md`.
pub fn file_name(number: u32, title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(str::to_lowercase)
        .collect();
    let slug = if words.is_empty() {
        "decision".to_owned()
    } else {
        words.join("-")
    };
    format!("{number:04}-{slug}.md")
}

/// The record's number as it is written: `0003`.
pub fn numbered(number: u32) -> String {
    format!("{number:04}")
}

/// The whole record.
pub fn record(status: &Status<'_>, snapshot: &Snapshot, objections: &str) -> String {
    let makers: Vec<String> = status
        .signed_by
        .iter()
        .map(|(side, name)| format!("{} ({})", yaml_safe(name), side.name()))
        .collect();
    format!(
        "---\nstatus: {}\ndate: {}\ndecision-makers: [{}]\n---\n\n{}{}{}",
        status.status,
        status.date,
        makers.join(", "),
        snapshot.head,
        objections,
        snapshot.evidence
    )
}

/// A name in a YAML flow sequence: commas, brackets and the like would break it.
fn yaml_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if ",[]{}:#&*!|>'\"%@`".contains(c) || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Line breaks would end a list item.
fn line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

/// Pipes and line breaks would break a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
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
    .map(|part| cell(&part.unwrap_or_else(|| "—".to_owned())))
    .collect::<Vec<_>>()
    .join(" | ")
}

/// The parts of the record fixed at proposal.
pub fn snapshot(context: &RecordContext<'_>) -> Snapshot {
    Snapshot {
        head: head(context),
        evidence: evidence(context),
    }
}

fn head(context: &RecordContext<'_>) -> String {
    let RecordContext {
        scenario, planned, ..
    } = *context;
    let chosen = &planned.frontier[context.chosen];
    let currency = scenario.currency.as_deref().unwrap_or("");
    let mut md = String::new();
    let _ = writeln!(
        md,
        "# {}: plan {} of {}\n",
        scenario.name,
        context.chosen + 1,
        planned.frontier.len()
    );
    let _ = writeln!(md, "## Context and problem statement\n");
    if let Some(description) = &scenario.description {
        let _ = writeln!(md, "{description}\n");
    }
    let _ = writeln!(
        md,
        "Which items to take by {}, promised at {} confidence, between business value and system health. {}.\n",
        planned.deadline,
        percent(planned.confidence),
        context.source
    );
    if let Some(earlier) = context.supersedes {
        let _ = writeln!(
            md,
            "This decision supersedes decision {}.\n",
            numbered(earlier)
        );
    }
    let _ = writeln!(md, "## Considered options\n");
    let _ = writeln!(md, "| # | value | health | effort | fit | items |");
    let _ = writeln!(md, "|---|---|---|---|---|---|");
    for (idx, plan) in planned.frontier.iter().enumerate() {
        let mut mark = String::new();
        if idx == context.chosen {
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
        context.chosen + 1,
        chosen.items.join(", ")
    );
    let _ = writeln!(md, "{}\n", context.rationale.trim());
    let _ = writeln!(md, "### What each side concedes\n");
    let conceded = crate::concessions_of(planned, chosen);
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
    md
}

/// The accepted risks and the objections, as they stand when the decision is accepted.
pub fn objections(objections: &[Objection]) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "### Accepted risks\n");
    let risks: Vec<_> = objections
        .iter()
        .filter(|o| o.status == ObjectionStatus::AcceptedRisk)
        .collect();
    if risks.is_empty() {
        let _ = writeln!(md, "None.\n");
    }
    for risk in &risks {
        let _ = writeln!(
            md,
            "- **{}** (owner: {}): {} Accepted because: {}",
            risk.id,
            line(risk.risk_owner.as_deref().unwrap_or("—")),
            line(&risk.text),
            line(risk.resolution.as_deref().unwrap_or("—"))
        );
    }
    if !risks.is_empty() {
        md.push('\n');
    }
    let _ = writeln!(md, "### Objections at the time of the decision\n");
    if objections.is_empty() {
        let _ = writeln!(md, "None.\n");
        return md;
    }
    let _ = writeln!(md, "| objection | on | by | tension | status | blocking |");
    let _ = writeln!(md, "|---|---|---|---|---|---|");
    for o in objections {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} |",
            cell(&o.id),
            cell(&o.on.key()),
            o.by.name(),
            o.tension.name(),
            o.status.name(),
            if o.blocking { "yes" } else { "no" }
        );
    }
    md.push('\n');
    md
}

fn evidence(context: &RecordContext<'_>) -> String {
    let scenario = context.scenario;
    let chosen = &context.planned.frontier[context.chosen];
    let mut md = String::new();
    let _ = writeln!(md, "## Evidence\n");
    let _ = writeln!(
        md,
        "The inputs as they stood when the decision was proposed.\n"
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
            evidence_cell(&quantity.estimate)
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
                evidence_cell(estimated.used())
            );
        }
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_numbered_slugs() {
        assert_eq!(
            file_name(3, "Checkout 2027, plan 2"),
            "0003-checkout-2027-plan-2.md"
        );
        assert_eq!(file_name(12, "—"), "0012-decision.md");
    }

    #[test]
    fn names_cannot_break_the_front_matter() {
        let signed = [(Side::Business, "Anna, [CEO]\n".to_owned())];
        let snapshot = Snapshot {
            head: "# t\n".into(),
            evidence: String::new(),
        };
        let md = record(
            &Status {
                status: "proposed",
                date: jiff::civil::date(2027, 1, 8),
                signed_by: &signed,
            },
            &snapshot,
            "",
        );
        assert!(
            md.contains("decision-makers: [Anna   CEO (business)]"),
            "{md}"
        );
    }
}
