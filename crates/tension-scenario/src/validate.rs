//! Checks across sections: ids, references, dependency and quantity cycles, dates, objections.

use std::collections::HashMap;
use std::ops::Range;

use tension_estimate::ModelError;
use tension_model::{Item, Scenario, Target, compile};

use crate::build::Spans;
use crate::diagnostic::Diagnostic;
use crate::read::{Reader, did_you_mean};

pub(crate) fn validate(reader: &mut Reader<'_>, scenario: &mut Scenario, spans: &Spans) {
    unique_ids(reader, scenario, spans);
    references(reader, scenario, spans);
    dependency_cycles(reader, scenario, spans);
    dates(reader, scenario, spans);
    objection_targets(reader, scenario, spans);
    quantities(reader, scenario, spans);
    currencies(reader, scenario);
    if let Some(focus) = &scenario.team.focus
        && focus.expr.is_fixed()
        && matches!(focus.expr.kind, tension_estimate::ExprKind::Number { value, .. } if value == 0.0)
        && let Some((_, location)) = reader.locations.iter().find(|(key, _)| key == "team.focus")
    {
        let span = location.value_span.clone();
        reader.error(
                    Diagnostic::warning("no-focus", span, "the team spends no time on planned work")
                        .with_label("focus is 0")
                        .with_help("forecasts will report every date as unreachable; focus is the share of a day spent on planned work"),
                );
    }
    if scenario.horizon.is_none()
        && let Some(item) = scenario
            .items
            .iter()
            .find(|item| item.business.value.is_some())
    {
        let item_idx = scenario
            .items
            .iter()
            .position(|other| other.id == item.id)
            .unwrap_or(0);
        reader.error(
                Diagnostic::warning("no-horizon", spans.item_ids[item_idx].clone(), format!("item `{}` has a monthly `value` but the scenario has no `horizon`", item.id))
                    .with_label("value per month, counted up to the horizon")
                    .with_help("add `horizon = 2027-12-31` to [scenario]: monthly value is counted up to that date"),
            );
    }
    if scenario.team.people == 0
        && let Some(span) = spans.people.clone()
    {
        reader.error(
            Diagnostic::warning("no-people", span, "the team has no people")
                .with_label("nobody to do the work")
                .with_help("forecasts will report every date as unreachable"),
        );
    }
}

fn unique_ids(reader: &mut Reader<'_>, scenario: &Scenario, spans: &Spans) {
    // Items, reviews and quantities share one namespace: an objection's `on` names any of them.
    let mut seen: HashMap<&str, (&str, Range<usize>)> = HashMap::new();
    let named = scenario
        .quantities
        .iter()
        .zip(&spans.quantity_names)
        .map(|(q, span)| (q.name.as_str(), "quantity", span))
        .chain(
            scenario
                .items
                .iter()
                .zip(&spans.item_ids)
                .map(|(i, span)| (i.id.as_str(), "item", span)),
        )
        .chain(
            scenario
                .reviews
                .iter()
                .zip(&spans.review_ids)
                .map(|(r, span)| (r.id.as_str(), "review", span)),
        );
    for (id, what, span) in named {
        if let Some((first_what, first_span)) = seen.get(id) {
            let (line, _) =
                Diagnostic::error("", first_span.clone(), "").line_column(reader.source);
            let message = if *first_what == what {
                format!("two {what}s have the id `{id}`")
            } else {
                format!(
                    "`{id}` is the id of both {} and {}",
                    article(first_what),
                    article(what)
                )
            };
            reader.error(
                Diagnostic::error("duplicate-id", span.clone(), message)
                    .with_label(format!("also used on line {line}"))
                    .with_help(
                        "give each one its own id: objections and `needs` refer to them by id",
                    ),
            );
        } else {
            seen.insert(id, (what, span.clone()));
        }
    }
    let mut objections: HashMap<&str, Range<usize>> = HashMap::new();
    for (objection, span) in scenario.objections.iter().zip(&spans.objection_ids) {
        if let Some(first) = objections.get(objection.id.as_str()) {
            let (line, _) = Diagnostic::error("", first.clone(), "").line_column(reader.source);
            reader.error(
                Diagnostic::error(
                    "duplicate-id",
                    span.clone(),
                    format!("two objections have the id `{}`", objection.id),
                )
                .with_label(format!("also used on line {line}"))
                .with_help("give each objection its own id"),
            );
        } else {
            objections.insert(&objection.id, span.clone());
        }
    }
}

fn article(noun: &str) -> String {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {noun}")
    } else {
        format!("a {noun}")
    }
}

fn references(reader: &mut Reader<'_>, scenario: &Scenario, spans: &Spans) {
    let item_ids: Vec<&str> = scenario.items.iter().map(|item| item.id.as_str()).collect();
    let review_ids: Vec<&str> = scenario
        .reviews
        .iter()
        .map(|review| review.id.as_str())
        .collect();
    for (item_idx, item) in scenario.items.iter().enumerate() {
        for (need, span) in item.needs.iter().zip(&spans.needs[item_idx]) {
            if *need == item.id {
                reader.error(
                    Diagnostic::error(
                        "self-dependency",
                        span.clone(),
                        format!("item `{need}` needs itself"),
                    )
                    .with_label("an item cannot wait for itself")
                    .with_help("remove it from `needs`"),
                );
            } else if !item_ids.contains(&need.as_str()) {
                let help = did_you_mean(need, item_ids.iter().copied()).unwrap_or_else(|| {
                    "`needs` lists the ids of items that must finish first".to_owned()
                });
                reader.error(
                    Diagnostic::error(
                        "unknown-item",
                        span.clone(),
                        format!("unknown item `{need}` in `needs`"),
                    )
                    .with_label("no item has this id")
                    .with_help(help),
                );
            }
        }
        for (review, span) in item.reviews.iter().zip(&spans.reviews_used[item_idx]) {
            if !review_ids.contains(&review.as_str()) {
                let help = did_you_mean(review, review_ids.iter().copied()).unwrap_or_else(|| {
                    format!("define it in a [[review]] with `id = \"{review}\"`")
                });
                reader.error(
                    Diagnostic::error(
                        "unknown-review",
                        span.clone(),
                        format!("unknown review `{review}` in `reviews`"),
                    )
                    .with_label("no review has this id")
                    .with_help(help),
                );
            }
        }
    }
    for (review, span) in scenario.reviews.iter().zip(&spans.review_ids) {
        if !scenario
            .items
            .iter()
            .any(|item| item.reviews.contains(&review.id))
        {
            reader.error(
                Diagnostic::warning(
                    "unused-review",
                    span.clone(),
                    format!("no item uses review `{}`", review.id),
                )
                .with_label("not in any item's `reviews`")
                .with_help(format!(
                    "add `reviews = [\"{}\"]` to the items it gates, or remove it",
                    review.id
                )),
            );
        }
    }
}

fn dependency_cycles(reader: &mut Reader<'_>, scenario: &Scenario, spans: &Spans) {
    let index: HashMap<&str, usize> = scenario
        .items
        .iter()
        .enumerate()
        .map(|(idx, item)| (item.id.as_str(), idx))
        .collect();
    let needs: Vec<Vec<(usize, usize)>> = scenario
        .items
        .iter()
        .map(|item| {
            item.needs
                .iter()
                .enumerate()
                .filter(|(_, need)| **need != item.id)
                .filter_map(|(need_idx, need)| index.get(need.as_str()).map(|&dep| (dep, need_idx)))
                .collect()
        })
        .collect();
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    let mut marks = vec![Mark::New; scenario.items.len()];
    for root in 0..scenario.items.len() {
        if marks[root] != Mark::New {
            continue;
        }
        // Explicit stack of (item, next edge): a long chain of items cannot overflow the stack.
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        marks[root] = Mark::Active;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let Some(&(dep, need_idx)) = needs[node].get(*next) else {
                marks[node] = Mark::Done;
                stack.pop();
                continue;
            };
            *next += 1;
            match marks[dep] {
                Mark::New => {
                    marks[dep] = Mark::Active;
                    stack.push((dep, 0));
                }
                Mark::Active => {
                    let from = stack.iter().position(|(idx, _)| *idx == dep).unwrap_or(0);
                    let mut cycle: Vec<&str> = stack[from..]
                        .iter()
                        .map(|(idx, _)| scenario.items[*idx].id.as_str())
                        .collect();
                    cycle.push(&scenario.items[dep].id);
                    reader.error(
                        Diagnostic::error(
                            "dependency-cycle",
                            spans.needs[node][need_idx].clone(),
                            format!("items need each other in a cycle: {}", cycle.join(" → ")),
                        )
                        .with_label("this closes the cycle")
                        .with_help(
                            "no item in a cycle can ever start; remove one of these `needs`",
                        ),
                    );
                }
                Mark::Done => {}
            }
        }
    }
}

fn dates(reader: &mut Reader<'_>, scenario: &Scenario, spans: &Spans) {
    if let (Some(deadline), Some(span)) = (scenario.deadline, spans.deadline.clone())
        && deadline < scenario.start
    {
        reader.error(
            Diagnostic::error(
                "deadline-before-start",
                span,
                format!(
                    "the deadline {deadline} is before the start {}",
                    scenario.start
                ),
            )
            .with_label("before `start`")
            .with_help("the deadline is the date the plan must be done by; it comes after `start`"),
        );
    }
    if let (Some(horizon), Some(span)) = (scenario.horizon, spans.horizon.clone()) {
        let (bound, name) = match scenario.deadline {
            Some(deadline) => (deadline, "deadline"),
            None => (scenario.start, "start"),
        };
        if horizon < bound {
            reader.error(
                Diagnostic::error(
                    "horizon-too-early",
                    span,
                    format!("the horizon {horizon} is before the {name} {bound}"),
                )
                .with_label(format!("before `{name}`"))
                .with_help("value is counted up to the horizon, so it comes after the deadline"),
            );
        }
    }
}

fn objection_targets(reader: &mut Reader<'_>, scenario: &mut Scenario, spans: &Spans) {
    let mut names: Vec<String> = Vec::new();
    names.extend(scenario.items.iter().map(|item| item.id.clone()));
    names.extend(scenario.reviews.iter().map(|review| review.id.clone()));
    names.extend(
        scenario
            .quantities
            .iter()
            .map(|quantity| quantity.name.clone()),
    );
    for item in &scenario.items {
        names.extend(
            item.estimated_fields()
                .map(|(field, _)| format!("{}.{field}", item.id)),
        );
    }
    let mut resolved = Vec::new();
    for (objection, span) in scenario.objections.iter().zip(&spans.objection_on) {
        let Target::Item(written) = &objection.on else {
            resolved.push(Some(objection.on.clone()));
            continue;
        };
        let target = resolve_target(scenario, written);
        if target.is_none() {
            let help = did_you_mean(written, names.iter().map(String::as_str)).unwrap_or_else(|| {
                "`on` names an item (`one-click`), an item's field (`one-click.value`), a quantity or a review".to_owned()
            });
            reader.error(
                Diagnostic::error(
                    "unknown-target",
                    span.clone(),
                    format!("the objection is on `{written}`, which does not exist"),
                )
                .with_label("no item, field, quantity or review by this name")
                .with_help(help),
            );
        }
        resolved.push(target);
    }
    for (objection, target) in scenario.objections.iter_mut().zip(resolved) {
        if let Some(target) = target {
            objection.on = target;
        }
    }
}

fn resolve_target(scenario: &Scenario, written: &str) -> Option<Target> {
    if let Some((owner, field)) = written.split_once('.') {
        if scenario.item(owner).is_some() && Item::FIELDS.contains(&field) {
            return Some(Target::ItemField {
                item: owner.to_owned(),
                field: field.to_owned(),
            });
        }
        if scenario.review(owner).is_some() && matches!(field, "lead_time" | "checklist" | "title")
        {
            return Some(Target::Review(owner.to_owned()));
        }
        return None;
    }
    if scenario.item(written).is_some() {
        Some(Target::Item(written.to_owned()))
    } else if scenario.review(written).is_some() {
        Some(Target::Review(written.to_owned()))
    } else if scenario.quantity(written).is_some() {
        Some(Target::Quantity(written.to_owned()))
    } else {
        None
    }
}

/// Money written in another currency than the scenario's cannot be added up with it.
fn currencies(reader: &mut Reader<'_>, scenario: &Scenario) {
    let Some(currency) = &scenario.currency else {
        return;
    };
    let mut problems = Vec::new();
    let estimates = scenario
        .quantities
        .iter()
        .map(|quantity| (quantity.name.clone(), &quantity.estimate))
        .chain(scenario.items.iter().flat_map(|item| {
            item.estimated_fields().flat_map(move |(field, estimated)| {
                let key = format!("{}.{field}", item.id);
                let other_key = format!("{key}#{}", estimated.owner.other().name());
                let other = estimated.by_other.as_ref().map(|other| (other_key, other));
                std::iter::once((key, &estimated.by_owner)).chain(other)
            })
        }));
    let foreign = |unit: &tension_estimate::Unit| {
        let code = unit.label.split('/').next().unwrap_or_default();
        (unit.is_money() && code != currency).then(|| code.to_owned())
    };
    for (key, estimate) in estimates {
        // A unit in the table form points at the whole estimate; one in the text at itself.
        if let Some(code) = estimate.unit.as_ref().and_then(foreign) {
            problems.push((key.clone(), estimate.expr.span, code));
        }
        for (unit, span) in estimate.expr.units() {
            if let Some(code) = foreign(unit) {
                problems.push((key.clone(), span, code));
            }
        }
    }
    for (key, span, code) in problems {
        let Some(file_span) = reader
            .locations
            .iter()
            .find(|(location_key, _)| *location_key == key)
            .map(|(_, location)| location.span(span))
        else {
            continue;
        };
        reader.error(
            Diagnostic::error(
                "wrong-currency",
                file_span,
                format!("this amount is in {code}, but the scenario counts money in {currency}"),
            )
            .with_label(format!("not {currency}"))
            .with_help(format!(
                "convert it to {currency}, or change `currency` in [scenario]"
            )),
        );
    }
}

/// Compiles every estimate to find unknown quantities and cycles among quantities.
fn quantities(reader: &mut Reader<'_>, scenario: &Scenario, spans: &Spans) {
    // An approved review's lead time is compiled as 0, but a mistake written there is a mistake
    // in the file all the same.
    let unapproved;
    let scenario = if scenario.reviews.iter().any(|review| review.is_approved()) {
        let mut copy = scenario.clone();
        for review in &mut copy.reviews {
            review.status = None;
        }
        unapproved = copy;
        &unapproved
    } else {
        scenario
    };
    let Err(errors) = compile(scenario) else {
        return;
    };
    for error in errors {
        match error {
            ModelError::UnknownQuantity {
                key,
                name,
                span,
                suggestion,
            } => {
                // A quantity that is written but broken has its own error already.
                if spans.quantity_names_written.contains(&name) {
                    continue;
                }
                let file_span = reader
                    .locations
                    .iter()
                    .find(|(location_key, _)| *location_key == key)
                    .map_or(0..0, |(_, location)| location.span(span));
                let help = match suggestion {
                    Some(suggestion) => format!("did you mean `{suggestion}`?"),
                    None => format!("define it under [quantities], like `{name} = \"10..20\"`"),
                };
                reader.error(
                    Diagnostic::error(
                        "unknown-quantity",
                        file_span,
                        format!("unknown quantity `{name}`"),
                    )
                    .with_label("not defined in [quantities]")
                    .with_help(help),
                );
            }
            ModelError::Cycle { cycle } => {
                let first = cycle.first().cloned().unwrap_or_default();
                let span = scenario
                    .quantities
                    .iter()
                    .zip(&spans.quantity_names)
                    .find(|(quantity, _)| quantity.name == first)
                    .map_or(0..0, |(_, span)| span.clone());
                reader.error(
                    Diagnostic::error(
                        "quantity-cycle",
                        span,
                        format!(
                            "quantities are defined in terms of each other: {}",
                            cycle.join(" → ")
                        ),
                    )
                    .with_label("part of the cycle")
                    .with_help(
                        "define one of them directly, as a range, instead of from the others",
                    ),
                );
            }
            // Duplicate names cannot reach here: TOML rejects a key written twice in a table.
            ModelError::Duplicate { .. } => {}
        }
    }
}
