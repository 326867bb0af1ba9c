//! Writes a scenario back to a file of format version 1, so that what was read (or edited on the
//! server) can be kept in git again: reading the written text gives the same scenario.
//!
//! Estimates are written as they were written (their text), numbers that were TOML numbers as
//! numbers, evidence as the table form, both sides' estimates as a `{ business, technical }`
//! table. Sections come in the order of `SCENARIO.md`; every field is written, defaults
//! included, so that the file says what the engines use.

use jiff::civil::Date;
use tension_estimate::ExprKind;
use tension_model::{
    Estimate, Estimated, Evidence, Item, Objection, Review, Scenario, Transition, Weekday,
};
use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item as TomlItem, Table, Value};

/// The scenario as the text of a scenario file.
pub fn to_toml(scenario: &Scenario) -> String {
    let mut doc = DocumentMut::new();

    let mut header = Table::new();
    header.insert("name", text(&scenario.name));
    optional(&mut header, "description", scenario.description.as_deref());
    header.insert("start", date(scenario.start));
    if let Some(deadline) = scenario.deadline {
        header.insert("deadline", date(deadline));
    }
    if let Some(horizon) = scenario.horizon {
        header.insert("horizon", date(horizon));
    }
    optional(&mut header, "currency", scenario.currency.as_deref());
    header.insert("confidence", toml_edit::value(scenario.confidence));
    doc.insert("scenario", TomlItem::Table(header));

    let team = &scenario.team;
    let mut team_table = Table::new();
    team_table.insert("people", toml_edit::value(i64::from(team.people)));
    if let Some(focus) = &team.focus {
        team_table.insert("focus", TomlItem::Value(estimate(focus)));
    }
    let workdays: Array = team.workdays.iter().map(Weekday::name).collect();
    team_table.insert("workdays", toml_edit::value(workdays));
    let holidays: Array = team.holidays.iter().map(|d| date_value(*d)).collect();
    team_table.insert("holidays", toml_edit::value(holidays));
    optional(&mut team_table, "history", team.history.as_deref());
    doc.insert("team", TomlItem::Table(team_table));

    let mut policy = Table::new();
    policy.insert(
        "health_floor",
        toml_edit::value(scenario.policy.health_floor),
    );
    policy.insert("error_budget", text(scenario.policy.error_budget.name()));
    doc.insert("policy", TomlItem::Table(policy));

    if !scenario.quantities.is_empty() {
        let mut quantities = Table::new();
        for quantity in &scenario.quantities {
            quantities.insert(
                &quantity.name,
                TomlItem::Value(estimate(&quantity.estimate)),
            );
        }
        doc.insert("quantities", TomlItem::Table(quantities));
    }

    let mut items = ArrayOfTables::new();
    for item in &scenario.items {
        items.push(item_table(item));
    }
    if !items.is_empty() {
        doc.insert("item", TomlItem::ArrayOfTables(items));
    }
    let mut reviews = ArrayOfTables::new();
    for review in &scenario.reviews {
        reviews.push(review_table(review));
    }
    if !reviews.is_empty() {
        doc.insert("review", TomlItem::ArrayOfTables(reviews));
    }
    let mut objections = ArrayOfTables::new();
    for objection in &scenario.objections {
        objections.push(objection_table(objection));
    }
    if !objections.is_empty() {
        doc.insert("objection", TomlItem::ArrayOfTables(objections));
    }
    doc.to_string()
}

fn item_table(item: &Item) -> Table {
    let mut table = Table::new();
    table.insert("id", text(&item.id));
    table.insert("title", text(&item.title));
    optional(&mut table, "description", item.description.as_deref());
    table.insert("kind", text(item.kind.name()));
    if let Some(side) = item.proposed_by {
        table.insert("proposed_by", text(side.name()));
    }
    table.insert("needs", strings(&item.needs));
    table.insert("reviews", strings(&item.reviews));
    estimated_field(&mut table, "value", item.business.value.as_ref());
    estimated_field(&mut table, "value_once", item.business.value_once.as_ref());
    if let Some(target) = item.business.target {
        table.insert("target", date(target));
    }
    estimated_field(&mut table, "effort", item.technical.effort.as_ref());
    table.insert(
        "max_people",
        toml_edit::value(i64::from(item.technical.max_people)),
    );
    estimated_field(&mut table, "health", item.technical.health.as_ref());
    estimated_field(&mut table, "risk", item.technical.risk.as_ref());
    table.insert("must", toml_edit::value(item.must));
    optional(&mut table, "alternatives", item.alternatives.as_deref());
    table.insert("restores_budget", toml_edit::value(item.restores_budget));
    table
}

fn review_table(review: &Review) -> Table {
    let mut table = Table::new();
    table.insert("id", text(&review.id));
    table.insert("title", text(&review.title));
    optional(&mut table, "description", review.description.as_deref());
    estimated_field(&mut table, "lead_time", review.lead_time.as_ref());
    table.insert("checklist", strings(&review.checklist));
    // The workflow's fields are written only when set, so that a file without them is written
    // as it was before they existed.
    if let Some(status) = review.status {
        table.insert("status", text(status.name()));
    }
    if let Some(requested) = review.requested {
        table.insert("requested", date(requested));
    }
    if let Some(sla) = review.sla {
        table.insert("sla", toml_edit::value(i64::from(sla)));
    }
    if !review.conditions.is_empty() {
        table.insert("conditions", strings(&review.conditions));
    }
    table
}

fn objection_table(objection: &Objection) -> Table {
    let mut table = Table::new();
    table.insert("id", text(&objection.id));
    table.insert("on", text(&objection.on.key()));
    table.insert("by", text(objection.by.name()));
    table.insert("tension", text(objection.tension.name()));
    table.insert("text", text(&objection.text));
    table.insert("status", text(objection.status.name()));
    table.insert("blocking", toml_edit::value(objection.blocking));
    optional(&mut table, "resolution", objection.resolution.as_deref());
    optional(&mut table, "risk_owner", objection.risk_owner.as_deref());
    if let Some(raised) = objection.raised {
        table.insert("raised", date(raised));
    }
    if let Some(review_by) = objection.review_by {
        table.insert("review_by", date(review_by));
    }
    if !objection.history.is_empty() {
        let mut history = ArrayOfTables::new();
        for transition in &objection.history {
            history.push(transition_table(transition));
        }
        table.insert("history", TomlItem::ArrayOfTables(history));
    }
    table
}

/// One step of an objection's history, as an `[[objection.history]]` table.
fn transition_table(transition: &Transition) -> Table {
    let mut table = Table::new();
    table.insert("from", text(transition.from.name()));
    table.insert("to", text(transition.to.name()));
    table.insert("who", text(&transition.who));
    table.insert("side", text(transition.side.name()));
    table.insert("on", date(transition.on));
    let details = &transition.details;
    optional(&mut table, "note", details.note.as_deref());
    optional(&mut table, "risk_owner", details.risk_owner.as_deref());
    if let Some(review_by) = details.review_by {
        table.insert("review_by", date(review_by));
    }
    if !details.changes.is_empty() {
        table.insert("changes", strings(&details.changes));
    }
    table
}

fn estimated_field(table: &mut Table, key: &str, field: Option<&Estimated>) {
    let Some(field) = field else {
        return;
    };
    let value = match &field.by_other {
        None => estimate(&field.by_owner),
        Some(other) => {
            let mut sides = InlineTable::new();
            sides.insert(field.owner.name(), estimate(&field.by_owner));
            sides.insert(field.owner.other().name(), estimate(other));
            Value::InlineTable(sides)
        }
    };
    table.insert(key, TomlItem::Value(value));
}

/// An estimate: its text (or the number it was), or the table form with its evidence.
fn estimate(estimate: &Estimate) -> Value {
    let bare = bare(estimate);
    if estimate.unit_written.is_none() && estimate.evidence == Evidence::default() {
        return bare;
    }
    let mut table = InlineTable::new();
    table.insert("value", bare);
    if let Some(unit) = &estimate.unit_written {
        table.insert("unit", unit.as_str().into());
    }
    let evidence = &estimate.evidence;
    if let Some(source) = &evidence.source {
        table.insert("source", source.as_str().into());
    }
    if let Some(quality) = evidence.quality {
        table.insert("quality", quality.name().into());
    }
    if let Some(as_of) = evidence.as_of {
        table.insert("as_of", date_value(as_of));
    }
    if let Some(owner) = &evidence.owner {
        table.insert("owner", owner.as_str().into());
    }
    if let Some(note) = &evidence.note {
        table.insert("note", note.as_str().into());
    }
    Value::InlineTable(table)
}

/// The text of an estimate as a string, or, when it is a plain number, as a TOML number in the
/// form it was written (`-5`, `1_000`), which reads back as the same estimate.
fn bare(estimate: &Estimate) -> Value {
    let plain_number = matches!(estimate.expr.kind, ExprKind::Number { unit: None, .. })
        && estimate.expr.span.start == 0
        && estimate.expr.span.end == estimate.text.len();
    if plain_number
        && let Ok(number) = estimate.text.parse::<Value>()
        && matches!(number, Value::Integer(_) | Value::Float(_))
    {
        return number;
    }
    estimate.text.as_str().into()
}

fn text(value: &str) -> TomlItem {
    toml_edit::value(value)
}

fn optional(table: &mut Table, key: &str, value: Option<&str>) {
    if let Some(value) = value {
        table.insert(key, text(value));
    }
}

fn strings(values: &[String]) -> TomlItem {
    let array: Array = values.iter().map(String::as_str).collect();
    toml_edit::value(array)
}

fn date_value(date: Date) -> Value {
    // A civil date is always a valid TOML local date.
    date.to_string()
        .parse::<toml_edit::Datetime>()
        .map_or_else(|_| Value::from(date.to_string()), Value::from)
}

fn date(date: Date) -> TomlItem {
    TomlItem::Value(date_value(date))
}
