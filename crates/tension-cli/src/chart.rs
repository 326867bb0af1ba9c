//! Charts as SVG files, drawn with plotters.

use std::path::Path;

use anyhow::{Result, anyhow};
use jiff::civil::Date;
use plotters::prelude::*;
use tension_forecast::Forecast;
use tension_forecast::flow::Week;
use tension_forecast::throughput::{HowManyForecast, WhenForecast};
use tension_model::Scenario;

/// A distribution as bars, one per unit of x (`(x, share)`: the bar spans `x - 1..x`), with
/// vertical markers and a legend.
pub(crate) struct Distribution<'a> {
    pub title: String,
    pub x_desc: &'a str,
    /// The shown range of x, both ends included.
    pub range: (f64, f64),
    pub bars: Vec<(f64, f64)>,
    /// `(label, x)`: a line at x, with a legend entry.
    pub markers: Vec<(String, f64)>,
    pub x_label: &'a dyn Fn(f64) -> String,
}

const MARKER_COLORS: [RGBColor; 4] = [
    RGBColor(40, 40, 40),
    RGBColor(200, 120, 0),
    RGBColor(180, 40, 40),
    RGBColor(20, 140, 60),
];

pub(crate) fn distribution(path: &Path, chart_data: &Distribution<'_>) -> Result<()> {
    let (low, high) = chart_data.range;
    let top = chart_data
        .bars
        .iter()
        .map(|(_, share)| *share)
        .fold(0.0, f64::max)
        * 1.15;
    let root = SVGBackend::new(path, (960, 480)).into_drawing_area();
    root.fill(&WHITE).map_err(plot_error)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(&chart_data.title, ("sans-serif", 22))
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(64)
        .build_cartesian_2d(low - 1.0..high, 0.0..top.max(1e-9))
        .map_err(plot_error)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_desc(chart_data.x_desc)
        .y_desc("share of trials")
        .x_labels(8)
        .x_label_formatter(&|x| (chart_data.x_label)(*x))
        .y_label_formatter(&|share| format!("{:.1}%", share * 100.0))
        .draw()
        .map_err(plot_error)?;
    chart
        .draw_series(chart_data.bars.iter().map(|&(end, share)| {
            Rectangle::new(
                [(end - 1.0, 0.0), (end, share)],
                RGBColor(70, 110, 170).mix(0.75).filled(),
            )
        }))
        .map_err(plot_error)?;
    for ((label, x), color) in chart_data.markers.iter().zip(MARKER_COLORS.iter().cycle()) {
        let (x, color) = (*x, *color);
        chart
            .draw_series(LineSeries::new([(x, 0.0), (x, top)], color.stroke_width(2)))
            .map_err(plot_error)?
            .label(label.as_str())
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
    // Work that ends during day n fills the span (n - 1, n] of working time; a marker stands
    // at the end of its day: done by then.
    let bars = days
        .iter()
        .filter(|(day, _)| (low..=high).contains(day))
        .map(|(day, count)| (f64::from(day), f64::from(count) / total))
        .collect();
    let plan = &forecast.plan;
    let date_of = |day: u32| {
        calendar
            .date(day)
            .map_or_else(String::new, |d| d.to_string())
    };
    let markers = [
        ("P50", plan.p50.map(|date| calendar.day_of(date))),
        ("P85", plan.p85.map(|date| calendar.day_of(date))),
        ("P95", plan.p95.map(|date| calendar.day_of(date))),
        ("deadline", deadline_day),
    ]
    .into_iter()
    .filter_map(|(name, day)| day.map(|day| (format!("{name} {}", date_of(day)), f64::from(day))))
    .collect();
    let x_label = |x: f64| date_of(x.round().max(1.0) as u32);
    distribution(
        path,
        &Distribution {
            title: format!("{}: when the plan is done", scenario.name),
            x_desc: "finish date (last working day)",
            range: (f64::from(low), f64::from(high)),
            bars,
            markers,
            x_label: &x_label,
        },
    )
}

/// When the remaining work of a throughput forecast is done, by calendar day.
pub(crate) fn when_done(
    path: &Path,
    title: &str,
    forecast: &WhenForecast,
    deadline: Option<Date>,
) -> Result<()> {
    let days = &forecast.days;
    let (Some(low), Some(high)) = (days.quantile(0.005), days.quantile(0.995)) else {
        return Err(anyhow!(
            "no trial finishes within twenty years: there is nothing to draw"
        ));
    };
    let day_of = |date: Date| (date - forecast.start).get_days() as f64 + 1.0;
    let deadline_day = deadline.map(day_of).filter(|day| *day >= 1.0);
    let (low, high) = match deadline_day {
        Some(deadline) => (f64::from(low).min(deadline), f64::from(high).max(deadline)),
        None => (f64::from(low), f64::from(high)),
    };
    let total = days.total() as f64;
    let bars = days
        .iter()
        .map(|(day, count)| (f64::from(day), f64::from(count) / total))
        .filter(|(day, _)| (low..=high).contains(day))
        .collect();
    let markers = [
        ("P50", forecast.p50),
        ("P85", forecast.p85),
        ("P95", forecast.p95),
        ("deadline", deadline.filter(|_| deadline_day.is_some())),
    ]
    .into_iter()
    .filter_map(|(name, date)| date.map(|date| (format!("{name} {date}"), day_of(date))))
    .collect();
    let x_label = |x: f64| {
        forecast
            .date(x.round().max(1.0) as u32)
            .map_or_else(String::new, |date| date.to_string())
    };
    distribution(
        path,
        &Distribution {
            title: format!("{title}: when the work is done"),
            x_desc: "done by the end of",
            range: (low, high),
            bars,
            markers,
            x_label: &x_label,
        },
    )
}

/// How many items a throughput forecast finishes by its date.
pub(crate) fn how_many(path: &Path, title: &str, forecast: &HowManyForecast) -> Result<()> {
    let total = forecast.counts.iter().map(|&n| u64::from(n)).sum::<u64>() as f64;
    let (low, high) = (forecast.reached(0.995), forecast.reached(0.005));
    // The bar of n items spans n..n + 1.
    let bars = forecast
        .counts
        .iter()
        .enumerate()
        .filter(|(n, count)| **count > 0 && (low..=high).contains(&(*n as u64)))
        .map(|(n, &count)| (n as f64 + 1.0, f64::from(count) / total))
        .collect();
    let markers = [
        ("P50", forecast.p50),
        ("P85", forecast.p85),
        ("P95", forecast.p95),
    ]
    .into_iter()
    .map(|(name, n)| (format!("{name}: at least {n}"), n as f64 + 0.5))
    .collect();
    let x_label = |x: f64| format!("{:.0}", x.floor());
    distribution(
        path,
        &Distribution {
            title: format!("{title}: items done by {}", forecast.by),
            x_desc: "items done",
            range: (low as f64 + 1.0, high as f64 + 1.0),
            bars,
            markers,
            x_label: &x_label,
        },
    )
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

/// The frontier of plans as a scatter chart: health across, value up, the recommended plan
/// and the two ideals marked.
pub(crate) fn frontier(
    path: &Path,
    name: &str,
    planned: &tension_plan::Planned,
    currency: &str,
) -> Result<()> {
    let points: Vec<(f64, f64)> = planned
        .frontier
        .iter()
        .map(|plan| (plan.health, plan.value))
        .collect();
    let span = |values: Vec<f64>| {
        let low = values.iter().copied().fold(f64::INFINITY, f64::min);
        let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let pad = ((high - low) * 0.1).max(high.abs().max(1.0) * 0.05);
        (low - pad)..(high + pad)
    };
    let x_range = span(points.iter().map(|p| p.0).collect());
    let y_range = span(points.iter().map(|p| p.1).collect());
    let root = SVGBackend::new(path, (960, 600)).into_drawing_area();
    root.fill(&WHITE).map_err(plot_error)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("{name}: plans from most value to most health"),
            ("sans-serif", 22),
        )
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(96)
        .build_cartesian_2d(x_range, y_range)
        .map_err(plot_error)?;
    let value_desc = if currency.is_empty() {
        "business value".to_owned()
    } else {
        format!("business value ({currency})")
    };
    chart
        .configure_mesh()
        .x_desc("system health (points)")
        .y_desc(value_desc)
        .y_label_formatter(&|y| crate::format::number(*y))
        .draw()
        .map_err(plot_error)?;
    let line = RGBColor(70, 110, 170);
    chart
        .draw_series(LineSeries::new(points.iter().copied(), line.mix(0.5)))
        .map_err(plot_error)?;
    chart
        .draw_series(
            points
                .iter()
                .map(|&point| Circle::new(point, 5, line.filled())),
        )
        .map_err(plot_error)?
        .label("verified plan (Pareto-optimal)")
        .legend(move |(x, y)| Circle::new((x + 10, y), 5, line.filled()));
    let marks = [
        (planned.value_ideal, "value ideal", MARKER_COLORS[1]),
        (planned.health_ideal, "health ideal", MARKER_COLORS[3]),
        (planned.recommended, "recommended", MARKER_COLORS[2]),
    ];
    for (idx, label, color) in marks {
        let point = points[idx];
        chart
            .draw_series(std::iter::once(Circle::new(
                point,
                9,
                color.stroke_width(3),
            )))
            .map_err(plot_error)?
            .label(format!("{label} (#{})", idx + 1))
            .legend(move |(x, y)| Circle::new((x + 10, y), 6, color.stroke_width(3)));
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.3))
        .position(SeriesLabelPosition::UpperRight)
        .draw()
        .map_err(plot_error)?;
    root.present().map_err(plot_error)?;
    Ok(())
}

/// At most this many inputs in the tornado: the ones that swing the value most.
const TORNADO_BARS: usize = 15;

/// The tornado: for each input, the recommended plan's value with the input at its 10th and
/// its 90th percentile and every other input at its median, largest swing on top.
pub(crate) fn tornado(
    path: &Path,
    name: &str,
    explained: &tension_explain::Explained,
    currency: &str,
) -> Result<()> {
    let base = explained.value_at_medians;
    let mut inputs: Vec<&tension_explain::Input> = explained
        .inputs
        .iter()
        .filter(|input| input.swing_value() != 0.0)
        .collect();
    inputs.sort_by(|a, b| b.swing_value().abs().total_cmp(&a.swing_value().abs()));
    inputs.truncate(TORNADO_BARS);
    // Largest on top: plotters counts segments from the bottom.
    inputs.reverse();
    let n = inputs.len().max(1) as u32;
    let ends = inputs
        .iter()
        .flat_map(|i| [i.value_at_p10, i.value_at_p90])
        .chain([base]);
    let low = ends.clone().fold(f64::INFINITY, f64::min);
    let high = ends.fold(f64::NEG_INFINITY, f64::max);
    let pad = ((high - low) * 0.05).max(base.abs().max(1.0) * 0.01);
    let root = SVGBackend::new(path, (960, 120 + 36 * n)).into_drawing_area();
    root.fill(&WHITE).map_err(plot_error)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("{name}: what moves the recommended plan's value"),
            ("sans-serif", 22),
        )
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(220)
        .build_cartesian_2d((low - pad)..(high + pad), (0..n).into_segmented())
        .map_err(plot_error)?;
    let names: Vec<String> = inputs.iter().map(|i| i.name.clone()).collect();
    let value_desc = if currency.is_empty() {
        "business value, input at its 10th and 90th percentile, others at their medians".to_owned()
    } else {
        format!(
            "business value ({currency}), input at its 10th and 90th percentile, others at their medians"
        )
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(n as usize)
        .y_label_formatter(&|segment| match segment {
            SegmentValue::CenterOf(idx) => names.get(*idx as usize).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .x_desc(value_desc)
        .x_label_formatter(&|x| crate::format::number(*x))
        .draw()
        .map_err(plot_error)?;
    let colors = [
        ("input at its 10th percentile", RGBColor(200, 120, 0)),
        ("input at its 90th percentile", RGBColor(70, 110, 170)),
    ];
    for (side, (label, color)) in colors.into_iter().enumerate() {
        chart
            .draw_series(inputs.iter().enumerate().map(|(idx, input)| {
                let end = if side == 0 {
                    input.value_at_p10
                } else {
                    input.value_at_p90
                };
                let idx = idx as u32;
                Rectangle::new(
                    [
                        (base, SegmentValue::Exact(idx)),
                        (end, SegmentValue::Exact(idx + 1)),
                    ],
                    color.mix(0.8).filled(),
                )
            }))
            .map_err(plot_error)?
            .label(label)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], color.filled()));
    }
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![
                (base, SegmentValue::Exact(0)),
                (base, SegmentValue::Exact(n)),
            ],
            BLACK.stroke_width(1),
        )))
        .map_err(plot_error)?;
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.3))
        .position(SeriesLabelPosition::LowerRight)
        .draw()
        .map_err(plot_error)?;
    root.present().map_err(plot_error)?;
    Ok(())
}

fn plot_error(error: impl std::fmt::Display) -> anyhow::Error {
    anyhow!("{error}")
}
