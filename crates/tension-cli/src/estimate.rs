//! `tension estimate`: sample one estimate and describe its distribution.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, bail};
use serde::Serialize;
use tension_estimate::{Histogram, Model, NodeId, Summary, parse};
use tension_model::compile;
use tension_scenario::{Diagnostic, Options, Style, render};

use crate::Format;
use crate::format::{bar, number};
use crate::load_scenario;

#[derive(Debug)]
pub(crate) struct Request {
    pub expr: String,
    pub file: Option<PathBuf>,
    pub trials: usize,
    pub seed: u64,
    pub format: Format,
}

/// The JSON contract: these keys are kept; others may be added.
#[derive(Debug, Serialize)]
struct Json<'a> {
    mean: f64,
    sd: f64,
    p5: f64,
    p10: f64,
    p25: f64,
    p50: f64,
    p75: f64,
    p85: f64,
    p90: f64,
    p95: f64,
    min: f64,
    max: f64,
    trials: usize,
    seed: u64,
    unit: Option<&'a str>,
}

const HISTOGRAM_BINS: usize = 12;
const BAR_WIDTH: usize = 40;

/// Evaluates the estimate; false when it could not be evaluated (the reason is on `err`).
pub(crate) fn run(
    request: &Request,
    options: &Options,
    style: Style,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<bool> {
    let Some((model, node, label, unit)) = build(request, options, style, err)? else {
        return Ok(false);
    };
    let mut samples = model
        .sample(&[node], request.trials, request.seed)
        .pop()
        .unwrap_or_default();
    let n_bad = samples.iter().filter(|value| !value.is_finite()).count();
    if n_bad > 0 {
        bail!(
            "`{label}` is not a finite number in {n_bad} of {} trials: a division by a value that can be 0, or numbers too large to represent",
            request.trials
        );
    }
    let Some(summary) = Summary::new(&mut samples) else {
        bail!("no trials to summarise");
    };
    match request.format {
        Format::Json => {
            let p = summary.percentiles;
            let json = Json {
                mean: summary.mean,
                sd: summary.sd,
                p5: p[0],
                p10: p[1],
                p25: p[2],
                p50: p[3],
                p75: p[4],
                p85: p[5],
                p90: p[6],
                p95: p[7],
                min: summary.min,
                max: summary.max,
                trials: summary.trials,
                seed: request.seed,
                unit: unit.as_deref(),
            };
            writeln!(out, "{}", serde_json::to_string(&json)?)?;
        }
        Format::Text => text(&label, unit.as_deref(), &summary, &samples, request, out)?,
    }
    Ok(true)
}

/// The model to sample, the node of the estimate, its label and its unit.
type Built = (Model, NodeId, String, Option<String>);

fn build(
    request: &Request,
    options: &Options,
    style: Style,
    err: &mut impl Write,
) -> Result<Option<Built>> {
    let Some(path) = &request.file else {
        let expr = match parse(&request.expr) {
            Ok(expr) => expr,
            Err(error) => {
                report(
                    err,
                    Diagnostic::bad_estimate(&error, text_span(error.span)),
                    request,
                    style,
                )?;
                return Ok(None);
            }
        };
        let quantities = expr.quantities();
        if let Some((name, span)) = quantities.first() {
            let diagnostic = Diagnostic::error(
                "unknown-quantity",
                span.start..span.end,
                format!("unknown quantity `{name}`"),
            )
            .with_label("no scenario given")
            .with_help("to use a scenario's quantities, name its file with --file");
            report(err, diagnostic, request, style)?;
            return Ok(None);
        }
        let mut model = Model::new();
        let node = model.add("estimate", &expr)?;
        let unit = expr.display_unit();
        return Ok(Some((model, node, request.expr.clone(), unit)));
    };

    let Some(scenario) = load_scenario(path, options, style, err)? else {
        return Ok(None);
    };
    let scenario = &scenario;
    let Ok(compiled) = compile(scenario) else {
        bail!(
            "{}: the scenario's estimates do not compile",
            path.display()
        );
    };
    if let Some(node) = compiled.field(&request.expr) {
        let unit = field_unit(scenario, &request.expr);
        return Ok(Some((compiled.model, node, request.expr.clone(), unit)));
    }
    // Not a field: an expression over the scenario's quantities.
    let expr = match parse(&request.expr) {
        Ok(expr) => expr,
        Err(error) => {
            let looks_like_field = request.expr.contains('.') && !request.expr.contains("..");
            let mut diagnostic = Diagnostic::bad_estimate(&error, text_span(error.span));
            if looks_like_field {
                diagnostic = diagnostic.with_help(format!(
                    "`{}` is not a field of {}; the fields are: {}",
                    request.expr,
                    path.display(),
                    compiled.keys().join(", ")
                ));
            }
            report(err, diagnostic, request, style)?;
            return Ok(None);
        }
    };
    let keys = compiled.keys().join(", ");
    let mut model = compiled.model;
    match model.add("estimate", &expr) {
        Ok(node) => {
            let unit = expr.display_unit();
            Ok(Some((model, node, request.expr.clone(), unit)))
        }
        Err(error) => {
            let (span, help) = match &error {
                tension_estimate::ModelError::UnknownQuantity {
                    span, suggestion, ..
                } => (
                    span.start..span.end,
                    match suggestion {
                        Some(suggestion) => format!("did you mean `{suggestion}`?"),
                        None => format!(
                            "the quantities and fields of {} are: {keys}",
                            path.display()
                        ),
                    },
                ),
                _ => (0..request.expr.len(), String::new()),
            };
            let diagnostic = Diagnostic::error("unknown-quantity", span, error.to_string())
                .with_label("not in the scenario")
                .with_help(help);
            report(err, diagnostic, request, style)?;
            Ok(None)
        }
    }
}

/// Renders a problem in the estimate given on the command line.
fn report(
    err: &mut impl Write,
    diagnostic: Diagnostic,
    request: &Request,
    style: Style,
) -> Result<()> {
    write!(
        err,
        "{}",
        render(&[diagnostic], "estimate", &request.expr, style)
    )?;
    Ok(())
}

/// A span of the estimate's text as a byte range that is never empty, so it can be underlined.
fn text_span(span: tension_estimate::Span) -> std::ops::Range<usize> {
    span.start..span.end.max(span.start + 1)
}

/// The unit of a scenario field: what its estimate states, or what the field is measured in.
fn field_unit(scenario: &tension_model::Scenario, key: &str) -> Option<String> {
    if let Some(quantity) = scenario.quantity(key) {
        return quantity.estimate.display_unit();
    }
    let (owner, field) = key.split_once('.')?;
    if let Some(item) = scenario.item(owner) {
        return match field {
            "effort" => Some("days".to_owned()),
            "value" => scenario
                .currency
                .as_ref()
                .map(|currency| format!("{currency}/month")),
            "value_once" => scenario.currency.clone(),
            _ => item
                .estimated(field)
                .and_then(|estimated| estimated.used().display_unit()),
        };
    }
    (field == "lead_time").then(|| "days".to_owned())
}

fn text(
    label: &str,
    unit: Option<&str>,
    summary: &Summary,
    sorted: &[f64],
    request: &Request,
    out: &mut impl Write,
) -> Result<()> {
    let unit_suffix = unit.map(|unit| format!(" {unit}")).unwrap_or_default();
    writeln!(
        out,
        "{label}{}",
        unit.map(|unit| format!("  ({unit})")).unwrap_or_default()
    )?;
    writeln!(out, "  trials  {} (seed {})", request.trials, request.seed)?;
    writeln!(out, "  mean    {}{unit_suffix}", number(summary.mean))?;
    writeln!(out, "  sd      {}{unit_suffix}", number(summary.sd))?;
    writeln!(out)?;
    let names = ["p5", "p10", "p25", "p50", "p75", "p85", "p90", "p95"];
    let cells: Vec<String> = summary
        .percentiles
        .iter()
        .map(|value| number(*value))
        .collect();
    let width = cells.iter().map(String::len).max().unwrap_or(0).max(3);
    let header: Vec<String> = names.iter().map(|name| format!("{name:>width$}")).collect();
    let values: Vec<String> = cells.iter().map(|cell| format!("{cell:>width$}")).collect();
    writeln!(out, "  {}", header.join("  "))?;
    writeln!(out, "  {}", values.join("  "))?;
    writeln!(out)?;
    if summary.min == summary.max {
        writeln!(
            out,
            "  every trial gives {}{unit_suffix}",
            number(summary.min)
        )?;
        return Ok(());
    }
    let histogram = Histogram::new(sorted, HISTOGRAM_BINS);
    let max = histogram.counts.iter().copied().max().unwrap_or(0);
    let edges: Vec<String> = (0..=histogram.counts.len())
        .map(|idx| number(histogram.low + histogram.width * idx as f64))
        .collect();
    let edge_width = edges.iter().map(String::len).max().unwrap_or(0);
    for (idx, count) in histogram.counts.iter().enumerate() {
        let share = *count as f64 / summary.trials as f64 * 100.0;
        writeln!(
            out,
            "  {:>edge_width$} .. {:>edge_width$}  {:>5.1}%  {}",
            edges[idx],
            edges[idx + 1],
            share,
            bar(*count, max, BAR_WIDTH)
        )?;
    }
    Ok(())
}
