//! A workspace's scenario as stored objects, and the scenario file they make.
//!
//! A file is imported by reading it (every diagnostic the CLI gives refuses it), writing it in
//! canonical form (`tension_scenario::to_toml`), and keeping each section as one JSON object:
//! the header (`[scenario]`, `[team]`, `[policy]`), each quantity, item, review and objection.
//! The file is made again from the objects, and every edit is checked by reading the whole
//! file it would make, so that the server accepts exactly what `tension check` accepts.

use serde_json::{Map, Value as Json};
use tension_model::Scenario;
use tension_scenario::{Checked, Options, Severity, Style, parse_str, to_toml};
use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value};

use crate::store::Object;

/// Keys whose string values are dates in the file.
const DATE_KEYS: [&str; 10] = [
    "start",
    "deadline",
    "horizon",
    "target",
    "as_of",
    "raised",
    "holidays",
    "review_by",
    "requested",
    "history.on",
];

/// The sections of the file an object kind lives in, in file order.
pub(crate) const KINDS: [(&str, &str); 4] = [
    ("quantity", "quantities"),
    ("item", "item"),
    ("review", "review"),
    ("objection", "objection"),
];

/// The name the server gives a workspace's file in diagnostics.
pub const FILE_NAME: &str = "workspace.toml";

/// A scenario file with errors: every diagnostic, as the CLI gives them.
#[derive(Debug, Clone)]
pub struct Invalid {
    pub checked: Checked,
}

impl Invalid {
    /// The diagnostics as JSON: code, severity, message, label, help, line and column.
    pub fn to_json(&self) -> Json {
        let diagnostics: Vec<Json> = self
            .checked
            .diagnostics
            .iter()
            .map(|d| {
                let (line, column) = d.line_column(&self.checked.source);
                serde_json::json!({
                    "code": d.code,
                    "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                    "message": d.message,
                    "label": d.label,
                    "help": d.help,
                    "line": line,
                    "column": column,
                })
            })
            .collect();
        serde_json::json!({
            "error": format!("{} has errors; nothing was changed", self.checked.name),
            "diagnostics": diagnostics,
            "rendered": self.checked.render(Style { color: false, ..Style::default() }),
        })
    }
}

/// Reads a scenario file; errors refuse it.
pub fn check(name: &str, text: &str) -> Result<Scenario, Box<Invalid>> {
    let checked = parse_str(name, text, &Options::default());
    if checked.has_errors() {
        return Err(Box::new(Invalid { checked }));
    }
    match checked.scenario {
        Some(scenario) => Ok(scenario),
        None => Err(Box::new(Invalid { checked })),
    }
}

/// The objects of a valid scenario file, in canonical form, each at version 1.
pub fn objects_of(scenario: &Scenario) -> Vec<Object> {
    let canonical = to_toml(scenario);
    let doc: DocumentMut = canonical.parse().expect("the writer writes valid TOML");
    let mut objects = Vec::new();
    let mut header = Map::new();
    for section in ["scenario", "team", "policy"] {
        if let Some(table) = doc.get(section).and_then(Item::as_table) {
            header.insert(section.to_owned(), table_json(table));
        }
    }
    let mut push = |kind: &str, key: String, body: Json| {
        objects.push(Object {
            kind: kind.to_owned(),
            key,
            position: objects.len() as i64,
            version: 1,
            body: body.to_string(),
        });
    };
    push("scenario", String::new(), Json::Object(header));
    if let Some(quantities) = doc.get("quantities").and_then(Item::as_table) {
        for (name, item) in quantities.iter() {
            if let Some(value) = item.as_value() {
                push("quantity", name.to_owned(), value_json(value));
            }
        }
    }
    for (kind, section) in &KINDS[1..] {
        if let Some(array) = doc.get(section).and_then(Item::as_array_of_tables) {
            for table in array.iter() {
                let key = table
                    .get("id")
                    .and_then(Item::as_str)
                    .unwrap_or_default()
                    .to_owned();
                push(kind, key, table_json(table));
            }
        }
    }
    objects
}

/// The scenario file made by the objects, in their order.
pub fn file_of(objects: &[Object]) -> String {
    let mut doc = DocumentMut::new();
    let parse = |object: &Object| serde_json::from_str::<Json>(&object.body).unwrap_or(Json::Null);
    if let Some(header) = objects.iter().find(|o| o.kind == "scenario")
        && let Json::Object(sections) = parse(header)
    {
        for section in ["scenario", "team", "policy"] {
            if let Some(Json::Object(fields)) = sections.get(section) {
                doc.insert(section, Item::Table(json_table(fields)));
            }
        }
    }
    let mut quantities = Table::new();
    for object in objects.iter().filter(|o| o.kind == "quantity") {
        quantities.insert(&object.key, Item::Value(json_value(None, &parse(object))));
    }
    if !quantities.is_empty() {
        doc.insert("quantities", Item::Table(quantities));
    }
    for (kind, section) in &KINDS[1..] {
        let mut array = ArrayOfTables::new();
        for object in objects.iter().filter(|o| o.kind == *kind) {
            if let Json::Object(fields) = parse(object) {
                array.push(json_table(&fields));
            }
        }
        if !array.is_empty() {
            doc.insert(section, Item::ArrayOfTables(array));
        }
    }
    doc.to_string()
}

/// The scenario file of valid objects in canonical form: sections and fields in the order of
/// `SCENARIO.md`, as `tension_scenario::to_toml` writes them.
pub fn canonical_file_of(objects: &[Object]) -> String {
    let text = file_of(objects);
    match check(FILE_NAME, &text) {
        Ok(scenario) => to_toml(&scenario),
        // Stored objects were checked when written; should that fail, the text as it is.
        Err(_) => text,
    }
}

fn table_json(table: &Table) -> Json {
    Json::Object(
        table
            .iter()
            .filter_map(|(key, item)| match item {
                // `[[objection.history]]`: an array of tables, kept as an array of objects.
                Item::ArrayOfTables(tables) => Some((
                    key.to_owned(),
                    Json::Array(tables.iter().map(table_json).collect()),
                )),
                _ => item.as_value().map(|v| (key.to_owned(), value_json(v))),
            })
            .collect(),
    )
}

/// A TOML value as JSON: dates become `YYYY-MM-DD` strings.
pub(crate) fn value_json(value: &Value) -> Json {
    match value {
        Value::String(s) => Json::String(s.value().clone()),
        Value::Integer(i) => Json::from(*i.value()),
        Value::Float(f) => {
            serde_json::Number::from_f64(*f.value()).map_or(Json::Null, Json::Number)
        }
        Value::Boolean(b) => Json::Bool(*b.value()),
        Value::Datetime(d) => Json::String(d.value().to_string()),
        Value::Array(array) => Json::Array(array.iter().map(value_json).collect()),
        Value::InlineTable(table) => Json::Object(
            table
                .iter()
                .map(|(key, value)| (key.to_owned(), value_json(value)))
                .collect(),
        ),
    }
}

fn json_table(fields: &Map<String, Json>) -> Table {
    let mut table = Table::new();
    for (key, value) in fields {
        if value.is_null() {
            continue;
        }
        table.insert(key, Item::Value(json_value(Some(key), value)));
    }
    table
}

/// A JSON value as TOML, under `key`: strings under the date keys that read as dates become
/// dates, so that `"target": "2027-03-01"` is the date the file would hold.
pub(crate) fn json_value(key: Option<&str>, value: &Json) -> Value {
    let is_date_key = key.is_some_and(|k| DATE_KEYS.contains(&k));
    match value {
        Json::Null => Value::from(""),
        Json::Bool(b) => Value::from(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::from(i),
            None => Value::from(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => {
            if is_date_key && let Ok(date) = s.parse::<toml_edit::Datetime>() {
                return Value::from(date);
            }
            Value::from(s.as_str())
        }
        Json::Array(items) => {
            let array: Array = items.iter().map(|v| json_value(key, v)).collect();
            Value::Array(array)
        }
        Json::Object(fields) => {
            let mut table = InlineTable::new();
            for (inner, v) in fields {
                if v.is_null() {
                    continue;
                }
                // A per-side table of a date (`target = { business = ... }`) keeps its dates.
                let inner_key = if is_date_key && (inner == "business" || inner == "technical") {
                    key
                } else if key == Some("history") && inner == "on" {
                    // A step of an objection's history: `on` is its date, not a target.
                    Some("history.on")
                } else {
                    Some(inner.as_str())
                };
                table.insert(inner, json_value(inner_key, v));
            }
            Value::InlineTable(table)
        }
    }
}
