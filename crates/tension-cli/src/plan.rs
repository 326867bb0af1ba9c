//! `tension plan`: the frontier of plans between business value and system health, each one
//! verified to fit the deadline; the recommended plan and what each side concedes.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;
use tension_plan::{Config, Infeasible, Outcome, Planned, plan};
use tension_scenario::{Options, Style};

use crate::Format;
use crate::format::{money, number, percent};

#[derive(Debug)]
pub(crate) struct Request {
    pub file: PathBuf,
    pub trials: usize,
    pub seed: u64,
    pub points: Option<usize>,
    pub time_limit: Option<Duration>,
    pub max_risk: f64,
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
    let config = Config {
        trials: request.trials,
        seed: request.seed,
        points: request.points,
        time_limit: request.time_limit,
        max_risk: request.max_risk,
    };
    let outcome = plan(&scenario, &config)?;
    let planned = match outcome {
        Outcome::Infeasible(reason) => return infeasible(&reason, request.format, out),
        Outcome::Planned(planned) => planned,
    };
    let currency = scenario.currency.as_deref().unwrap_or("");
    if let Some(path) = &request.svg {
        crate::chart::frontier(path, &scenario.name, &planned, currency)?;
    }
    let concessions = tension_report::concessions(&planned);
    match request.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &tension_report::plan(&planned))?;
            writeln!(out)?;
        }
        Format::Text => text(
            &scenario.name,
            &planned,
            &concessions,
            currency,
            request.trials,
            out,
        )?,
    }
    if let Some(path) = &request.svg
        && request.format == Format::Text
    {
        writeln!(out, "\nwrote {}", path.display())?;
    }
    Ok(true)
}

fn share(part: f64, whole: f64) -> String {
    if whole.abs() > 0.0 {
        format!(" ({})", percent(part / whole))
    } else {
        String::new()
    }
}

fn text(
    name: &str,
    planned: &Planned,
    concessions: &tension_report::ConcessionsJson,
    currency: &str,
    trials: usize,
    out: &mut impl Write,
) -> Result<()> {
    let n = planned.frontier.len();
    if n == 1 {
        writeln!(
            out,
            "{name}: one plan is both the value ideal and the health ideal, verified to fit {} at {}",
            planned.deadline,
            percent(planned.confidence)
        )?;
    } else {
        writeln!(
            out,
            "{name}: {n} plans from most value to most health, each verified to fit {} at {}",
            planned.deadline,
            percent(planned.confidence)
        )?;
    }
    if !planned.proven {
        writeln!(
            out,
            "  (stopped by --time-limit: plans may be missing or not optimal)"
        )?;
    }
    writeln!(
        out,
        "\n  {:>3}  {:>14}  {:>7}  {:>7}  {:>4}  items",
        "#", "value", "health", "effort", "fit"
    )?;
    for (idx, plan) in planned.frontier.iter().enumerate() {
        let mark = if idx == planned.recommended { "*" } else { " " };
        writeln!(
            out,
            "{mark} {:>3}  {:>14}  {:>7}  {:>7}  {:>4}  {}",
            idx + 1,
            money(plan.value, currency),
            signed(plan.health),
            number(plan.effort),
            percent(plan.p_fit),
            plan.items.join(", ")
        )?;
    }
    writeln!(
        out,
        "  * recommended: where the side that concedes more, against its own ideal, concedes least"
    )?;
    let recommended = &planned.frontier[planned.recommended];
    let value_ideal = &planned.frontier[planned.value_ideal];
    let health_ideal = &planned.frontier[planned.health_ideal];
    writeln!(
        out,
        "\nWhat each side concedes in plan {}",
        planned.recommended + 1
    )?;
    writeln!(
        out,
        "  {:<20} {:>14}  {:>7}  {:>4}",
        "", "value", "health", "fit"
    )?;
    for (label, plan) in [
        (
            format!("value ideal (#{})", planned.value_ideal + 1),
            value_ideal,
        ),
        (
            format!("recommended (#{})", planned.recommended + 1),
            recommended,
        ),
        (
            format!("health ideal (#{})", planned.health_ideal + 1),
            health_ideal,
        ),
    ] {
        writeln!(
            out,
            "  {label:<20} {:>14}  {:>7}  {:>4}",
            money(plan.value, currency),
            signed(plan.health),
            percent(plan.p_fit)
        )?;
    }
    let list = |items: &[String]| {
        if items.is_empty() {
            "no item".to_owned()
        } else {
            items.join(", ")
        }
    };
    writeln!(
        out,
        "\n  business side gives up {} of value{} against its ideal; it loses {}",
        money(concessions.business_gives_up_value, currency),
        share(concessions.business_gives_up_value, value_ideal.value),
        list(&concessions.business_loses)
    )?;
    writeln!(
        out,
        "  technical side gives up {} health points{} against its ideal; it loses {}{}",
        number(concessions.technical_gives_up_health),
        share(concessions.technical_gives_up_health, health_ideal.health),
        list(&concessions.technical_loses),
        if concessions.technical_takes_on.is_empty() {
            String::new()
        } else {
            format!(
                " and takes on {}, which erode health",
                concessions.technical_takes_on.join(", ")
            )
        }
    )?;
    writeln!(out, "\nConstraints on plan {}", planned.recommended + 1)?;
    for constraint in &planned.constraints {
        writeln!(
            out,
            "  {:<14} {:<6} {}",
            constraint.name,
            if constraint.binds { "binds" } else { "" },
            constraint.detail
        )?;
    }
    writeln!(
        out,
        "\ncapacity {} person-days of expected effort{}; {} forecast at {} trials",
        number(planned.capacity),
        if planned.rejected > 0 {
            format!(
                " (from {}: {} that did not fit were solved again with less)",
                number(planned.initial_capacity),
                crate::check::plural(planned.rejected, "plan")
            )
        } else {
            String::new()
        },
        if n == 1 { "the plan" } else { "every plan" },
        number(trials as f64)
    )?;
    Ok(())
}

fn signed(value: f64) -> String {
    if value > 0.0 {
        format!("+{}", number(value))
    } else {
        number(value)
    }
}

fn infeasible(reason: &Infeasible, format: Format, out: &mut impl Write) -> Result<bool> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &tension_report::infeasible(reason))?;
            writeln!(out)?;
        }
        Format::Text => writeln!(out, "{}", reason.message())?,
    }
    // Not a failure of the command: the answer is that no plan exists.
    Ok(true)
}
