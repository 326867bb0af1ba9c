//! The meeting view's charts as SVG drawn on the server: the frontier, whose points are links
//! to their plans, and a plan's finish-date distribution against the deadline. No script.

use std::fmt::Write as _;

use jiff::civil::Date;
use tension_model::Calendar;
use tension_report::text::{money, number};

/// Text for SVG and HTML: the five characters that could end an element or attribute.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const WIDTH: f64 = 520.0;
const HEIGHT: f64 = 300.0;
const LEFT: f64 = 96.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 20.0;
const BOTTOM: f64 = 44.0;

/// Maps `[low, high]` onto `[from, to]`; a flat range onto its middle.
fn scale(value: f64, (low, high): (f64, f64), (from, to): (f64, f64)) -> f64 {
    if (high - low).abs() < f64::EPSILON {
        (from + to) / 2.0
    } else {
        from + (value - low) / (high - low) * (to - from)
    }
}

/// The range of `values`, widened by a twentieth on each side.
fn padded(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
        (l.min(v), h.max(v))
    });
    let pad = ((high - low) / 20.0).max(f64::EPSILON);
    (low - pad, high + pad)
}

fn frame(svg: &mut String, label: &str) {
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{}" font-family="system-ui, sans-serif" font-size="12"><rect x="{LEFT}" y="{TOP}" width="{}" height="{}" fill="#fafbfc" stroke="#c9d1db"/>"##,
        escape(label),
        WIDTH - LEFT - RIGHT,
        HEIGHT - TOP - BOTTOM
    );
}

/// One point of the frontier: its number (from 1), value and health.
#[derive(Debug, Clone)]
pub(crate) struct FrontierPoint {
    pub value: f64,
    pub health: f64,
    pub items: String,
}

/// The frontier, value against health; each point links to `{link}{n}`, the chosen one ringed.
pub(crate) fn frontier(
    points: &[FrontierPoint],
    selected: usize,
    recommended: usize,
    currency: &str,
    link: &str,
) -> String {
    let mut svg = String::new();
    frame(
        &mut svg,
        "The frontier of plans: business value against system health",
    );
    if points.is_empty() {
        svg.push_str("</svg>");
        return svg;
    }
    let xs = padded(points.iter().map(|p| p.health));
    let ys = padded(points.iter().map(|p| p.value));
    let x = |v| scale(v, xs, (LEFT, WIDTH - RIGHT));
    let y = |v| scale(v, ys, (HEIGHT - BOTTOM, TOP));
    // The line through the frontier, then the points over it.
    let path: Vec<String> = points
        .iter()
        .map(|p| format!("{:.1},{:.1}", x(p.health), y(p.value)))
        .collect();
    let _ = write!(
        svg,
        r##"<polyline points="{}" fill="none" stroke="#8a99ad" stroke-dasharray="4 3"/>"##,
        path.join(" ")
    );
    for (idx, p) in points.iter().enumerate() {
        let (cx, cy) = (x(p.health), y(p.value));
        let fill = if idx == selected {
            "#26344a"
        } else {
            "#ffffff"
        };
        let text = if idx == selected {
            "#ffffff"
        } else {
            "#26344a"
        };
        let _ = write!(
            svg,
            r##"<a href="{}{}" id="plan-{}"><title>plan {}{}: {} value, {:+} health: {}</title><circle cx="{cx:.1}" cy="{cy:.1}" r="13" fill="{fill}" stroke="#26344a" stroke-width="2"/><text x="{cx:.1}" y="{:.1}" text-anchor="middle" fill="{text}" font-weight="600">{}</text></a>"##,
            escape(link),
            idx + 1,
            idx + 1,
            idx + 1,
            if idx == recommended {
                " (recommended)"
            } else {
                ""
            },
            escape(&money(p.value, currency)),
            p.health,
            escape(&p.items),
            cy + 4.0,
            idx + 1
        );
        if idx == recommended {
            let _ = write!(
                svg,
                r##"<text x="{cx:.1}" y="{:.1}" text-anchor="middle" fill="#687385">recommended</text>"##,
                cy - 18.0
            );
        }
    }
    let _ = write!(
        svg,
        r##"<text x="{LEFT}" y="{}" fill="#687385">{}</text><text x="{}" y="{}" text-anchor="end" fill="#687385">{}</text><text x="{}" y="{}" text-anchor="middle">system health (points) →</text>"##,
        HEIGHT - BOTTOM + 16.0,
        number(xs.0),
        WIDTH - RIGHT,
        HEIGHT - BOTTOM + 16.0,
        number(xs.1),
        (LEFT + WIDTH - RIGHT) / 2.0,
        HEIGHT - 8.0
    );
    let _ = write!(
        svg,
        r##"<text x="{}" y="{}" text-anchor="end" fill="#687385">{}</text><text x="{}" y="{}" text-anchor="end" fill="#687385">{}</text><text x="12" y="{}" transform="rotate(-90 12 {})" text-anchor="middle">business value →</text></svg>"##,
        LEFT - 6.0,
        TOP + 10.0,
        escape(&money(ys.1, currency)),
        LEFT - 6.0,
        HEIGHT - BOTTOM,
        escape(&money(ys.0, currency)),
        (TOP + HEIGHT - BOTTOM) / 2.0,
        (TOP + HEIGHT - BOTTOM) / 2.0
    );
    svg
}

/// The share of trials finished by each working day, a step line, with the deadline and the
/// promised confidence marked. `finish_by_trial` holds working-day indices of `calendar`.
pub(crate) fn finish_dates(
    finish_by_trial: &[Option<u32>],
    calendar: &Calendar,
    deadline: Option<Date>,
    confidence: f64,
) -> String {
    let mut svg = String::new();
    frame(
        &mut svg,
        "The chance of finishing by each date, with the deadline",
    );
    let mut days: Vec<u32> = finish_by_trial.iter().flatten().copied().collect();
    days.sort_unstable();
    let trials = finish_by_trial.len().max(1) as f64;
    let (Some(&first), Some(&last)) = (days.first(), days.last()) else {
        let _ = write!(
            svg,
            r##"<text x="{}" y="{}" text-anchor="middle">no trial finishes within the calendar</text></svg>"##,
            WIDTH / 2.0,
            HEIGHT / 2.0
        );
        return svg;
    };
    let deadline_day = deadline.map(|d| f64::from(calendar.day_of(d)));
    let low = f64::from(first).min(deadline_day.unwrap_or(f64::INFINITY));
    let high = f64::from(last).max(deadline_day.unwrap_or(f64::NEG_INFINITY));
    let xs = padded([low, high].into_iter());
    let x = |v: f64| scale(v, xs, (LEFT, WIDTH - RIGHT));
    let y = |share: f64| scale(share, (0.0, 1.0), (HEIGHT - BOTTOM, TOP));
    let mut path = format!("M{:.1},{:.1}", x(xs.0), y(0.0));
    let mut done = 0usize;
    let mut idx = 0;
    while idx < days.len() {
        let day = days[idx];
        while idx < days.len() && days[idx] == day {
            idx += 1;
            done += 1;
        }
        let share = done as f64 / trials;
        let _ = write!(path, " H{:.1} V{:.1}", x(f64::from(day)), y(share));
    }
    let _ = write!(path, " H{:.1}", x(xs.1));
    let _ = write!(
        svg,
        r##"<line x1="{LEFT}" x2="{}" y1="{:.1}" y2="{:.1}" stroke="#9fb0c4" stroke-dasharray="3 3"/><text x="{}" y="{:.1}" text-anchor="end" fill="#687385">{:.0}%</text>"##,
        WIDTH - RIGHT,
        y(confidence),
        y(confidence),
        LEFT - 6.0,
        y(confidence) + 4.0,
        confidence * 100.0
    );
    let _ = write!(
        svg,
        r##"<path d="{path}" fill="none" stroke="#26344a" stroke-width="2"/>"##
    );
    if let (Some(day), Some(date)) = (deadline_day, deadline) {
        let share = days.iter().filter(|d| f64::from(**d) <= day).count() as f64 / trials;
        let _ = write!(
            svg,
            r##"<line x1="{:.1}" x2="{:.1}" y1="{TOP}" y2="{}" stroke="#b4443c" stroke-width="2"/><text x="{:.1}" y="{}" fill="#b4443c" text-anchor="end">deadline {date}: {:.0}%</text>"##,
            x(day),
            x(day),
            HEIGHT - BOTTOM,
            x(day) - 4.0,
            // Beside the line where the curve is not: low when most trials are done by then.
            if share > 0.5 {
                HEIGHT - BOTTOM - 6.0
            } else {
                TOP + 14.0
            },
            share * 100.0
        );
    }
    let label = |day: f64| {
        calendar
            .date(day.round().max(0.0) as u32)
            .map_or_else(String::new, |d| d.to_string())
    };
    let _ = write!(
        svg,
        r##"<text x="{LEFT}" y="{}" fill="#687385">{}</text><text x="{}" y="{}" text-anchor="end" fill="#687385">{}</text><text x="{}" y="{}" text-anchor="middle">finish date →</text><text x="{}" y="{}" text-anchor="end" fill="#687385">100%</text><text x="{}" y="{}" text-anchor="end" fill="#687385">0%</text></svg>"##,
        HEIGHT - BOTTOM + 16.0,
        label(xs.0),
        WIDTH - RIGHT,
        HEIGHT - BOTTOM + 16.0,
        label(xs.1),
        (LEFT + WIDTH - RIGHT) / 2.0,
        HEIGHT - 8.0,
        LEFT - 6.0,
        TOP + 10.0,
        LEFT - 6.0,
        HEIGHT - BOTTOM
    );
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cannot_escape_its_element() {
        assert_eq!(
            escape(r#"<script>"a" & 'b'</script>"#),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn every_frontier_point_links_to_its_plan() {
        let points: Vec<FrontierPoint> = (0..3)
            .map(|n| FrontierPoint {
                value: 100.0 - f64::from(n) * 10.0,
                health: f64::from(n),
                items: format!("a<{n}>"),
            })
            .collect();
        let svg = frontier(&points, 1, 0, "USD", "/w/x/meeting?plan=");
        for n in 1..=3 {
            assert!(
                svg.contains(&format!(r#"href="/w/x/meeting?plan={n}""#)),
                "{svg}"
            );
        }
        assert!(svg.contains("a&lt;2&gt;") && !svg.contains("a<2>"), "{svg}");
        // The chosen point is filled, the others are not.
        assert_eq!(svg.matches(r##"fill="#26344a" stroke"##).count(), 1);
    }

    #[test]
    fn the_finish_line_reaches_the_share_of_finished_trials() {
        let calendar = Calendar::new(
            jiff::civil::date(2027, 1, 4),
            tension_model::Workdays::default(),
            &[],
            1,
        );
        // Half the trials by day 10, all by day 20; the deadline on day 15 sees 50%.
        let trials: Vec<Option<u32>> = (0..10).map(|t| Some(if t < 5 { 10 } else { 20 })).collect();
        let deadline = calendar.date(15);
        let svg = finish_dates(&trials, &calendar, deadline, 0.85);
        assert!(
            svg.contains(&format!(
                "deadline {}: 50%",
                deadline.expect("in the calendar")
            )),
            "{svg}"
        );
        assert!(svg.contains(">85%<"), "{svg}");
        let empty = finish_dates(&[None, None], &calendar, deadline, 0.85);
        assert!(empty.contains("no trial finishes"), "{empty}");
    }
}
