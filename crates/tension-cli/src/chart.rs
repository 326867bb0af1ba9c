//! Charts as SVG files, drawn with plotters.

use std::path::Path;

use anyhow::{Result, anyhow};
use plotters::prelude::*;
use tension_forecast::Forecast;
use tension_forecast::flow::Week;
use tension_model::Scenario;

/// The distribution of the plan's finish date, with P50, P85, P95 and the deadline marked.
pub(crate) fn finish_dates(path: &Path, scenario: &Scenario, forecast: &Forecast) -> Result<()> {
    let days = &forecast.plan.days;
    let calendar = &forecast.calendar;
    let (Some(low), Some(high)) = (days.quantile(0.005), days.quantile(0.995)) else {
        return Err(anyhow!(
            "no trial finishes within the calendar: there is nothing to draw"
        ));
    };
    let deadline_day = scenario
        .deadline
        .map(|deadline| calendar.day_of(deadline).max(1));
    let (low, high) = match deadline_day {
        Some(deadline) => (low.min(deadline), high.max(deadline)),
        None => (low, high),
    };
    let total = days.total() as f64;
    let shares: Vec<(u32, f64)> = days
        .iter()
        .filter(|(day, _)| (low..=high).contains(day))
        .map(|(day, count)| (day, f64::from(count) / total))
        .collect();
    let top = shares.iter().map(|(_, share)| *share).fold(0.0, f64::max) * 1.15;

    let root = SVGBackend::new(path, (960, 480)).into_drawing_area();
    root.fill(&WHITE).map_err(plot_error)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("{}: when the plan is done", scenario.name),
            ("sans-serif", 22),
        )
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(64)
        .build_cartesian_2d(f64::from(low) - 1.0..f64::from(high), 0.0..top.max(1e-9))
        .map_err(plot_error)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_desc("finish date (last working day)")
        .y_desc("share of trials")
        .x_labels(8)
        .x_label_formatter(&|x| {
            calendar
                .date(x.round().max(1.0) as u32)
                .map_or_else(String::new, |date| date.to_string())
        })
        .y_label_formatter(&|share| format!("{:.1}%", share * 100.0))
        .draw()
        .map_err(plot_error)?;
    chart
        .draw_series(shares.iter().map(|&(day, share)| {
            // Work that ends during day n fills the span (n - 1, n] of working time.
            let end = f64::from(day);
            Rectangle::new(
                [(end - 1.0, 0.0), (end, share)],
                RGBColor(70, 110, 170).mix(0.75).filled(),
            )
        }))
        .map_err(plot_error)?;
    let plan = &forecast.plan;
    let day_of = |date: Option<jiff::civil::Date>| date.map(|date| calendar.day_of(date));
    let markers = [
        ("P50", day_of(plan.p50), RGBColor(40, 40, 40)),
        ("P85", day_of(plan.p85), RGBColor(200, 120, 0)),
        ("P95", day_of(plan.p95), RGBColor(180, 40, 40)),
        ("deadline", deadline_day, RGBColor(20, 140, 60)),
    ];
    for (name, day, color) in markers {
        let Some(day) = day else { continue };
        let label = format!(
            "{name} {}",
            calendar
                .date(day)
                .map_or_else(String::new, |d| d.to_string())
        );
        // The line stands at the end of the day: done by then.
        let x = f64::from(day);
        chart
            .draw_series(LineSeries::new([(x, 0.0), (x, top)], color.stroke_width(2)))
            .map_err(plot_error)?
            .label(label)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], color.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()
        .map_err(plot_error)?;
    root.present().map_err(plot_error)?;
    Ok(())
}

/// Items finished per week, as bars.
pub(crate) fn weekly_throughput(path: &Path, name: &str, weeks: &[Week]) -> Result<()> {
    if weeks.is_empty() {
        return Err(anyhow!("the window has no weeks: there is nothing to draw"));
    }
    let top = weeks
        .iter()
        .map(|week| week.count)
        .max()
        .unwrap_or(0)
        .max(1);
    let root = SVGBackend::new(path, (960, 480)).into_drawing_area();
    root.fill(&WHITE).map_err(plot_error)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(format!("{name}: throughput per week"), ("sans-serif", 22))
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(64)
        .build_cartesian_2d(0.0..weeks.len() as f64, 0.0..f64::from(top) * 1.1)
        .map_err(plot_error)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_desc("week starting")
        .y_desc("items finished")
        .x_labels(weeks.len().min(12))
        .x_label_formatter(&|x| {
            weeks
                .get(x.floor().max(0.0) as usize)
                .map_or_else(String::new, |week| week.first.to_string())
        })
        .draw()
        .map_err(plot_error)?;
    chart
        .draw_series(weeks.iter().enumerate().map(|(idx, week)| {
            let x = idx as f64;
            Rectangle::new(
                [(x + 0.1, 0.0), (x + 0.9, f64::from(week.count))],
                RGBColor(70, 110, 170).mix(0.75).filled(),
            )
        }))
        .map_err(plot_error)?;
    root.present().map_err(plot_error)?;
    Ok(())
}

fn plot_error(error: impl std::fmt::Display) -> anyhow::Error {
    anyhow!("{error}")
}
