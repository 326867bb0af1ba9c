//! `tension nrp`: the Next Release Problem's public benchmark instances, solved exactly.
//!
//! The instance's customers and requirements are reduced to a selection problem (one variable
//! per distinct customer, one per group of requirements several customers share) and solved by
//! `tension-solve`. Every answer is turned back into requirements and checked against the file
//! alone before it is printed.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde::Serialize;
use tension_solve::nrp::{self, Instance, Ratio, Reduced};
use tension_solve::{Limits, frontier, solve};

use crate::Format;
use crate::format::number;

#[derive(Debug)]
pub(crate) struct Request {
    pub file: PathBuf,
    pub ratio: Option<Ratio>,
    pub front: bool,
    pub time_limit: Option<Duration>,
    pub format: Format,
}

/// Reads `--ratio`: a decimal such as `0.3`, kept exact.
pub(crate) fn parse_ratio(text: &str) -> Result<Ratio, String> {
    Ratio::parse(text)
        .ok_or_else(|| format!("`{text}` is not a ratio: write a decimal number such as 0.3"))
}

#[derive(Debug, Serialize)]
struct Json {
    instance: String,
    ratio: String,
    budget: u64,
    value: u64,
    cost: u64,
    optimal: bool,
    bound: i64,
    seconds: f64,
    nodes: u64,
    cuts: u64,
    /// 1-based, as in the file.
    requirements: Vec<usize>,
    customers: Vec<usize>,
}

#[derive(Debug, Serialize)]
struct FrontJson {
    instance: String,
    optimal: bool,
    seconds: f64,
    nodes: u64,
    front: Vec<FrontPointJson>,
}

#[derive(Debug, Serialize)]
struct FrontPointJson {
    cost: u64,
    value: u64,
    customers: usize,
}

pub(crate) fn run(request: &Request, out: &mut impl Write) -> Result<bool> {
    let path = &request.file;
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let instance = nrp::parse(&text).map_err(|error| {
        anyhow::anyhow!(
            "{}:{}:{}: {}\n  help: an NRP instance is whitespace-separated whole numbers: levels with their costs, dependency pairs, then customers (profit, number of requests, requests)",
            path.display(),
            error.line,
            error.column,
            error.message
        )
    })?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let limits = Limits {
        time: request.time_limit,
        ..Limits::default()
    };
    if request.front {
        return run_front(&instance, &name, &limits, request.format, out);
    }
    let Some(ratio) = request.ratio else {
        bail!("give the budget as --ratio (such as --ratio 0.3), or ask for the whole --front");
    };
    let total = instance.total_cost();
    let budget = ratio.of(total);
    let reduced = instance.reduce(Some(budget));
    let solution = solve(&reduced.problem, &limits)?;
    let Some(best) = &solution.best else {
        bail!(
            "no choice of requirements fits a budget of {budget}: this cannot happen, since choosing nothing costs nothing"
        );
    };
    let requirements = reduced.requirements(&best.chosen, instance.costs.len());
    let checked = recheck(
        &instance,
        &reduced,
        &requirements,
        &best.chosen,
        Some(budget),
    )?;
    let customers: Vec<usize> = checked
        .satisfied
        .iter()
        .enumerate()
        .filter(|(_, s)| **s)
        .map(|(i, _)| i + 1)
        .collect();
    let chosen: Vec<usize> = requirements
        .iter()
        .enumerate()
        .filter(|(_, c)| **c)
        .map(|(i, _)| i + 1)
        .collect();
    let seconds = solution.elapsed.as_secs_f64();
    match request.format {
        Format::Json => {
            let json = Json {
                instance: name,
                ratio: ratio.to_string(),
                budget,
                value: checked.profit,
                cost: checked.cost,
                optimal: solution.proven,
                bound: solution.bound,
                seconds,
                nodes: solution.nodes,
                cuts: solution.cuts,
                requirements: chosen,
                customers,
            };
            serde_json::to_writer_pretty(&mut *out, &json)?;
            writeln!(out)?;
        }
        Format::Text => {
            writeln!(
                out,
                "{name}: {} requirements, {} customers, {} dependency pairs",
                instance.costs.len(),
                instance.customers.len(),
                instance.dependencies.len()
            )?;
            writeln!(
                out,
                "budget {budget} = floor({ratio} × total cost {total})\n"
            )?;
            let status = if solution.proven {
                "proven optimal".to_owned()
            } else {
                format!(
                    "not proven: no plan is worth more than {} (gap {:.2}%)",
                    solution.bound,
                    solution.gap().unwrap_or(0.0) * 100.0
                )
            };
            writeln!(
                out,
                "  profit       {} of {}  {status}",
                checked.profit,
                instance.total_profit()
            )?;
            writeln!(out, "  cost         {} of {budget}", checked.cost)?;
            writeln!(
                out,
                "  customers    {} of {} satisfied",
                customers.len(),
                instance.customers.len()
            )?;
            writeln!(
                out,
                "  requirements {} of {} chosen",
                chosen.len(),
                instance.costs.len()
            )?;
            writeln!(
                out,
                "\n  searched {} nodes and {} minimum cuts in {} s",
                number(solution.nodes as f64),
                number(solution.cuts as f64),
                seconds_text(seconds)
            )?;
        }
    }
    Ok(true)
}

fn run_front(
    instance: &Instance,
    name: &str,
    limits: &Limits,
    format: Format,
    out: &mut impl Write,
) -> Result<bool> {
    let reduced = instance.reduce(None);
    let profit = reduced.profit.clone();
    let cost: Vec<i64> = reduced.cost.iter().map(|c| -c).collect();
    let front = frontier(&reduced.problem, &profit, &cost, None, limits)?;
    let mut points = Vec::with_capacity(front.points.len());
    for point in &front.points {
        let requirements = reduced.requirements(&point.chosen, instance.costs.len());
        let checked = recheck(instance, &reduced, &requirements, &point.chosen, None)?;
        if checked.cost != point.second.unsigned_abs() {
            bail!(
                "internal error: a point of the front costs {} by the file, {} by the solver",
                checked.cost,
                -point.second
            );
        }
        points.push(FrontPointJson {
            cost: checked.cost,
            value: checked.profit,
            customers: checked.satisfied.iter().filter(|s| **s).count(),
        });
    }
    points.sort_by_key(|point| point.cost);
    let seconds = front.elapsed.as_secs_f64();
    match format {
        Format::Json => {
            let json = FrontJson {
                instance: name.to_owned(),
                optimal: front.proven,
                seconds,
                nodes: front.nodes,
                front: points,
            };
            serde_json::to_writer_pretty(&mut *out, &json)?;
            writeln!(out)?;
        }
        Format::Text => {
            writeln!(
                out,
                "{name}: the profit-against-cost front, {} points{}",
                points.len(),
                if front.proven {
                    ", exact"
                } else {
                    ", stopped by --time-limit: points may be missing or not optimal"
                }
            )?;
            writeln!(
                out,
                "\n  {:>8}  {:>8}  {:>9}",
                "cost", "profit", "customers"
            )?;
            for point in &points {
                writeln!(
                    out,
                    "  {:>8}  {:>8}  {:>9}",
                    point.cost, point.value, point.customers
                )?;
            }
            writeln!(
                out,
                "\n  searched {} nodes in {} s",
                number(front.nodes as f64),
                seconds_text(seconds)
            )?;
        }
    }
    Ok(true)
}

/// Checks a solver's choice against the file alone: the requirements must be closed under
/// their prerequisites, fit the budget, and satisfy customers worth what the solver says.
fn recheck(
    instance: &Instance,
    reduced: &Reduced,
    requirements: &[bool],
    chosen: &[bool],
    budget: Option<u64>,
) -> Result<nrp::Evaluation> {
    let checked = instance.evaluate(requirements);
    if let Some((before, after)) = checked.missing_prerequisite {
        bail!(
            "internal error: the solution chooses requirement {} without its prerequisite {}",
            after + 1,
            before + 1
        );
    }
    if let Some(budget) = budget
        && checked.cost > budget
    {
        bail!(
            "internal error: the solution costs {}, above the budget {budget}",
            checked.cost
        );
    }
    let claimed = reduced.problem.value(chosen);
    if i64::try_from(checked.profit).ok() != Some(claimed) {
        bail!(
            "internal error: the solution is worth {} by the file, {claimed} by the solver",
            checked.profit
        );
    }
    Ok(checked)
}

fn seconds_text(seconds: f64) -> String {
    if seconds < 10.0 {
        format!("{seconds:.2}")
    } else {
        format!("{seconds:.1}")
    }
}
