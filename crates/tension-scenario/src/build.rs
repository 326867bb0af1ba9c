//! Builds a [`Scenario`] from the parsed TOML document, section by section.

use std::ops::Range;

use jiff::civil::Date;
use tension_model::{
    BusinessView, ErrorBudget, Item, ItemKind, Objection, ObjectionStatus, Policy, Quantity,
    Review, ReviewStatus, Scenario, Side, Target, Team, TechnicalView, Tension, Transition,
    TransitionDetails, Weekday, Workdays,
};
use toml::de::{DeTable, DeValue};

use crate::diagnostic::Diagnostic;
use crate::read::{Measure, Reader, Value, did_you_mean};

/// Spans of what the cross-reference checks point at.
#[derive(Debug, Default)]
pub(crate) struct Spans {
    pub start: Option<Range<usize>>,
    pub deadline: Option<Range<usize>>,
    pub horizon: Option<Range<usize>>,
    pub people: Option<Range<usize>>,
    pub quantity_names: Vec<Range<usize>>,
    /// Every quantity name written, including those whose estimate has an error.
    pub quantity_names_written: Vec<String>,
    pub item_ids: Vec<Range<usize>>,
    pub item_tables: Vec<Range<usize>>,
    /// Per item, the span of each `needs` entry.
    pub needs: Vec<Vec<Range<usize>>>,
    pub reviews_used: Vec<Vec<Range<usize>>>,
    pub review_ids: Vec<Range<usize>>,
    pub objection_ids: Vec<Range<usize>>,
    pub objection_on: Vec<Range<usize>>,
    pub objection_tables: Vec<Range<usize>>,
}

const SECTIONS: &[&str] = &[
    "scenario",
    "team",
    "policy",
    "quantities",
    "item",
    "review",
    "objection",
];
const SCENARIO_KEYS: &[&str] = &[
    "name",
    "description",
    "start",
    "deadline",
    "horizon",
    "currency",
    "confidence",
];
const TEAM_KEYS: &[&str] = &["people", "focus", "workdays", "holidays", "history"];
const POLICY_KEYS: &[&str] = &["health_floor", "error_budget"];
/// The keys of an `[[item]]` table: the fields an objection may name on an item.
const ITEM_KEYS: &[&str] = &Item::FIELDS;
const REVIEW_KEYS: &[&str] = &[
    "id",
    "title",
    "description",
    "lead_time",
    "checklist",
    "status",
    "requested",
    "sla",
    "conditions",
];
const OBJECTION_KEYS: &[&str] = &[
    "id",
    "on",
    "by",
    "tension",
    "text",
    "status",
    "blocking",
    "resolution",
    "risk_owner",
    "raised",
    "review_by",
    "history",
];
const HISTORY_KEYS: &[&str] = &[
    "from",
    "to",
    "who",
    "side",
    "on",
    "note",
    "risk_owner",
    "review_by",
    "changes",
];

/// The longest review SLA, in working days: forty years, far above any real commitment.
const MAX_SLA: i64 = 10_000;

/// The most people a team may have: far above any real team, low enough for every engine.
const MAX_PEOPLE: i64 = 10_000;

pub(crate) fn scenario(
    reader: &mut Reader<'_>,
    root: &DeTable<'_>,
    spans: &mut Spans,
) -> Option<Scenario> {
    for (key, value) in root.iter() {
        let name: &str = key.get_ref();
        if SECTIONS.contains(&name) {
            continue;
        }
        let help = did_you_mean(name, SECTIONS.iter().copied()).unwrap_or_else(|| {
            "the sections are [scenario], [team], [policy], [quantities], [[item]], [[review]] and [[objection]]".into()
        });
        let what = if matches!(value.get_ref(), DeValue::Table(_) | DeValue::Array(_)) {
            "section"
        } else {
            "key"
        };
        reader.error(
            Diagnostic::error(
                "unknown-field",
                key.span(),
                format!("unknown {what} `{name}`"),
            )
            .with_label("not a section of a scenario")
            .with_help(help),
        );
    }

    let header = section(reader, root, "scenario", 0..0);
    let team_table = section(reader, root, "team", 0..0);
    let (name, description, start, deadline, horizon, currency, confidence) = match header {
        Some((table, span)) => scenario_header(reader, table, span, spans),
        None => (
            None,
            None,
            None,
            None,
            None,
            None,
            Scenario::DEFAULT_CONFIDENCE,
        ),
    };
    let team = team_table.and_then(|(table, span)| team(reader, table, span, spans));
    let policy = match root.get("policy") {
        Some(value) => match value.get_ref() {
            DeValue::Table(table) => policy(reader, table),
            _ => {
                reader.wrong_type(value, "policy", "a table: [policy]");
                Policy::default()
            }
        },
        None => Policy::default(),
    };
    let quantities = match root.get("quantities") {
        Some(value) => match value.get_ref() {
            DeValue::Table(table) => quantities(reader, table, spans),
            _ => {
                reader.wrong_type(value, "quantities", "a table: [quantities]");
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    let items = array_of_tables(reader, root, "item")
        .into_iter()
        .filter_map(|(table, span)| item(reader, table, span, spans))
        .collect();
    let reviews = array_of_tables(reader, root, "review")
        .into_iter()
        .filter_map(|(table, span)| review(reader, table, span, spans))
        .collect();
    let objections_raw = array_of_tables(reader, root, "objection");
    let objections = objections_raw
        .into_iter()
        .filter_map(|(table, span)| objection(reader, table, span, spans))
        .collect();

    Some(Scenario {
        name: name?,
        description,
        start: start?,
        deadline,
        horizon,
        currency,
        confidence,
        team: team?,
        policy,
        quantities,
        items,
        reviews,
        objections,
    })
}

/// A required `[name]` table.
fn section<'a, 's>(
    reader: &mut Reader<'_>,
    root: &'a DeTable<'s>,
    name: &str,
    file_start: Range<usize>,
) -> Option<(&'a DeTable<'s>, Range<usize>)> {
    match root.get(name) {
        Some(value) => match value.get_ref() {
            DeValue::Table(table) => Some((table, value.span())),
            _ => {
                reader.wrong_type(value, name, &format!("a table: [{name}]"));
                None
            }
        },
        None => {
            let example = match name {
                "scenario" => "[scenario]\nname = \"Checkout revamp\"\nstart = 2027-01-04",
                _ => "[team]\npeople = 4",
            };
            reader.error(
                Diagnostic::error(
                    "missing-section",
                    file_start,
                    format!("the scenario has no [{name}] section"),
                )
                .with_help(format!("add\n{example}")),
            );
            None
        }
    }
}

/// The tables of `[[name]]`.
fn array_of_tables<'a, 's>(
    reader: &mut Reader<'_>,
    root: &'a DeTable<'s>,
    name: &str,
) -> Vec<(&'a DeTable<'s>, Range<usize>)> {
    let Some(value) = root.get(name) else {
        return Vec::new();
    };
    let DeValue::Array(array) = value.get_ref() else {
        reader.error(
            Diagnostic::error(
                "wrong-type",
                value.span(),
                format!("`{name}` must be an array of tables: [[{name}]]"),
            )
            .with_label("a single table")
            .with_help(format!(
                "write each one under its own `[[{name}]]` header, with two brackets"
            )),
        );
        return Vec::new();
    };
    let mut tables = Vec::new();
    for element in array.iter() {
        match element.get_ref() {
            DeValue::Table(table) => tables.push((table, element.span())),
            _ => reader.wrong_type(element, name, &format!("a table: [[{name}]]")),
        }
    }
    tables
}

type Header = (
    Option<String>,
    Option<String>,
    Option<Date>,
    Option<Date>,
    Option<Date>,
    Option<String>,
    f64,
);

fn scenario_header(
    reader: &mut Reader<'_>,
    table: &DeTable<'_>,
    span: Range<usize>,
    spans: &mut Spans,
) -> Header {
    reader.check_keys(table, SCENARIO_KEYS, "[scenario]");
    let name = match table.get("name") {
        Some(value) => reader.string(value, "name"),
        None => {
            reader.missing(span.clone(), "name", "[scenario]", "\"Checkout revamp\"");
            None
        }
    };
    let description = table
        .get("description")
        .and_then(|value| reader.string(value, "description"));
    let date = |reader: &mut Reader<'_>, key: &str, slot: &mut Option<Range<usize>>| {
        table.get(key).and_then(|value| {
            *slot = Some(value.span());
            reader.date(value, key)
        })
    };
    let start = date(reader, "start", &mut spans.start);
    let deadline = date(reader, "deadline", &mut spans.deadline);
    let horizon = date(reader, "horizon", &mut spans.horizon);
    if table.get("start").is_none() {
        reader.missing(span, "start", "[scenario]", "2027-01-04");
    }
    let currency = table.get("currency").and_then(|value| {
        let code = reader.string(value, "currency")?;
        if code.len() == 3 && code.bytes().all(|byte| byte.is_ascii_uppercase()) {
            Some(code)
        } else {
            reader.error(
                Diagnostic::error(
                    "bad-currency",
                    value.span(),
                    format!("`{code}` is not a currency code"),
                )
                .with_label("expected three capital letters")
                .with_help("use an ISO 4217 code such as `USD`, `EUR` or `GBP`"),
            );
            None
        }
    });
    let confidence = match table.get("confidence") {
        Some(value) => match reader.number(value, "confidence") {
            Some(p) if p > 0.0 && p < 1.0 => p,
            Some(_) => {
                reader.error(
                    Diagnostic::error(
                        "not-a-probability",
                        value.span(),
                        "`confidence` must be above 0 and below 1",
                    )
                    .with_label("not a probability below 1")
                    .with_help("dates are promised at this probability: 0.85 is the usual choice"),
                );
                Scenario::DEFAULT_CONFIDENCE
            }
            None => Scenario::DEFAULT_CONFIDENCE,
        },
        None => Scenario::DEFAULT_CONFIDENCE,
    };
    (
        name,
        description,
        start,
        deadline,
        horizon,
        currency,
        confidence,
    )
}

fn team(
    reader: &mut Reader<'_>,
    table: &DeTable<'_>,
    span: Range<usize>,
    spans: &mut Spans,
) -> Option<Team> {
    reader.check_keys(table, TEAM_KEYS, "[team]");
    let people = match table.get("people") {
        Some(value) => {
            spans.people = Some(value.span());
            reader
                .integer(value, "people", 0, MAX_PEOPLE)
                .map(|n| n as u32)
        }
        None => {
            reader.missing(span, "people", "[team]", "4");
            None
        }
    };
    let focus = table
        .get("focus")
        .and_then(|value| reader.estimate(value, "focus", "team.focus", Measure::Probability));
    let workdays = match table.get("workdays") {
        Some(value) => {
            let options: Vec<(&str, Weekday)> =
                Weekday::ALL.iter().map(|day| (day.name(), *day)).collect();
            let mut days = Vec::new();
            if let DeValue::Array(array) = value.get_ref() {
                for element in array.iter() {
                    days.extend(reader.choice(element, "workday", &options));
                }
                if array.is_empty() {
                    reader.error(
                        Diagnostic::error("no-workdays", value.span(), "the team has no working days")
                            .with_label("empty")
                            .with_help("list the days worked, like [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]"),
                    );
                }
            } else {
                reader.wrong_type(
                    value,
                    "workdays",
                    "an array of day names like [\"mon\", \"tue\"]",
                );
            }
            Workdays::new(days)
        }
        None => Workdays::default(),
    };
    let holidays = match table.get("holidays") {
        Some(value) => match value.get_ref() {
            DeValue::Array(array) => array
                .iter()
                .filter_map(|element| reader.date(element, "holidays"))
                .collect(),
            _ => {
                reader.wrong_type(value, "holidays", "an array of dates");
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    let history = table
        .get("history")
        .and_then(|value| reader.string(value, "history"));
    Some(Team {
        people: people?,
        focus,
        workdays,
        holidays,
        history,
    })
}

fn policy(reader: &mut Reader<'_>, table: &DeTable<'_>) -> Policy {
    reader.check_keys(table, POLICY_KEYS, "[policy]");
    let mut policy = Policy::default();
    if let Some(value) = table.get("health_floor") {
        match reader.number(value, "health_floor") {
            Some(share) if (0.0..=1.0).contains(&share) => policy.health_floor = share,
            Some(_) => reader.error(
                Diagnostic::error(
                    "not-a-probability",
                    value.span(),
                    "`health_floor` must be between 0 and 1",
                )
                .with_label("a share of planned effort")
                .with_help("0.2 means at least 20% of planned effort goes to health work"),
            ),
            None => {}
        }
    }
    if let Some(value) = table.get("error_budget") {
        let options: Vec<(&str, ErrorBudget)> =
            ErrorBudget::ALL.iter().map(|b| (b.name(), *b)).collect();
        policy.error_budget = reader
            .choice(value, "error_budget", &options)
            .unwrap_or_default();
    }
    policy
}

fn quantities(reader: &mut Reader<'_>, table: &DeTable<'_>, spans: &mut Spans) -> Vec<Quantity> {
    let mut quantities = Vec::new();
    for (key, value) in table.iter() {
        let name: &str = key.get_ref();
        spans.quantity_names_written.push(name.to_owned());
        if !is_identifier(name) {
            reader.error(
                Diagnostic::error("bad-name", key.span(), format!("`{name}` cannot be a quantity name"))
                    .with_label("not a name expressions can use")
                    .with_help("a quantity name is letters, digits and `_`, starting with a letter, like `avg_order`"),
            );
            continue;
        }
        if let Some(estimate) = reader.estimate(value, name, name, Measure::Free) {
            spans.quantity_names.push(key.span());
            quantities.push(Quantity {
                name: name.to_owned(),
                estimate,
            });
        }
    }
    quantities
}

fn item(
    reader: &mut Reader<'_>,
    table: &DeTable<'_>,
    span: Range<usize>,
    spans: &mut Spans,
) -> Option<Item> {
    reader.check_keys(table, ITEM_KEYS, "[[item]]");
    let id = id(reader, table, span.clone(), "[[item]]", "\"one-click\"")?;
    let key = |field: &str| format!("{}.{field}", id.0);
    let title = table
        .get("title")
        .and_then(|value| reader.string(value, "title"))
        .unwrap_or_else(|| id.0.clone());
    let description = table
        .get("description")
        .and_then(|value| reader.string(value, "description"));
    let kind = table
        .get("kind")
        .and_then(|value| {
            let options: Vec<(&str, ItemKind)> =
                ItemKind::ALL.iter().map(|k| (k.name(), *k)).collect();
            reader.choice(value, "kind", &options)
        })
        .unwrap_or(ItemKind::Feature);
    let proposed_by = table
        .get("proposed_by")
        .and_then(|value| side(reader, value, "proposed_by"));
    let needs = table
        .get("needs")
        .map(|value| reader.strings(value, "needs"))
        .unwrap_or_default();
    let reviews = table
        .get("reviews")
        .map(|value| reader.strings(value, "reviews"))
        .unwrap_or_default();
    let estimated = |reader: &mut Reader<'_>, field: &str, measure: Measure| {
        let owner = Item::owner_of(field).unwrap_or(Side::Technical);
        table
            .get(field)
            .and_then(|value| reader.estimated(value, field, &key(field), owner, measure))
    };
    let business = BusinessView {
        value: estimated(reader, "value", Measure::Money),
        value_once: estimated(reader, "value_once", Measure::Money),
        target: table.get("target").and_then(|value| target(reader, value)),
    };
    let technical = TechnicalView {
        effort: estimated(reader, "effort", Measure::Time),
        max_people: table
            .get("max_people")
            .and_then(|value| reader.integer(value, "max_people", 1, MAX_PEOPLE))
            .map_or(1, |n| n as u32),
        health: estimated(reader, "health", Measure::Score),
        risk: estimated(reader, "risk", Measure::Probability),
    };
    let flag = |reader: &mut Reader<'_>, name: &str| {
        table
            .get(name)
            .and_then(|value| reader.boolean(value, name))
            .unwrap_or(false)
    };
    let must = flag(reader, "must");
    let restores_budget = flag(reader, "restores_budget");
    let alternatives = table
        .get("alternatives")
        .and_then(|value| reader.string(value, "alternatives"));
    // An unknown key may be a misspelt `effort`: its error says so, a warning would only repeat it.
    let misspelt_effort = table.iter().any(|(key, _)| {
        let key: &str = key.get_ref();
        !ITEM_KEYS.contains(&key) && did_you_mean(key, ["effort"]).is_some()
    });
    if technical.effort.is_none() && table.get("effort").is_none() && !misspelt_effort {
        reader.error(
            Diagnostic::warning(
                "no-effort",
                id.1.clone(),
                format!("item `{}` has no effort estimate", id.0),
            )
            .with_label("no `effort`")
            .with_help("forecasts treat it as taking no time; add `effort = \"5..10 days\"`"),
        );
    }
    spans.item_ids.push(id.1);
    spans.item_tables.push(span);
    spans
        .needs
        .push(needs.iter().map(|(_, span)| span.clone()).collect());
    spans
        .reviews_used
        .push(reviews.iter().map(|(_, span)| span.clone()).collect());
    Some(Item {
        id: id.0,
        title,
        description,
        kind,
        proposed_by,
        needs: needs.into_iter().map(|(need, _)| need).collect(),
        reviews: reviews.into_iter().map(|(review, _)| review).collect(),
        business,
        technical,
        must,
        alternatives,
        restores_budget,
    })
}

/// `target` is a date owned by the business side; a per-side table keeps the business date.
fn target(reader: &mut Reader<'_>, value: &Value<'_>) -> Option<Date> {
    if let DeValue::Table(table) = value.get_ref() {
        reader.check_keys(table, &["business", "technical"], "`target`");
        if let Some(other) = table.get("technical") {
            reader.date(other, "target.technical");
        }
        return match table.get("business") {
            Some(inner) => reader.date(inner, "target.business"),
            None => {
                reader.error(
                    Diagnostic::error(
                        "missing-owner-estimate",
                        value.span(),
                        "`target` is owned by the business side, which gave no date",
                    )
                    .with_help("add `business = 2027-03-01`"),
                );
                None
            }
        };
    }
    reader.date(value, "target")
}

fn review(
    reader: &mut Reader<'_>,
    table: &DeTable<'_>,
    span: Range<usize>,
    spans: &mut Spans,
) -> Option<Review> {
    reader.check_keys(table, REVIEW_KEYS, "[[review]]");
    let id = id(reader, table, span, "[[review]]", "\"security\"")?;
    let title = table
        .get("title")
        .and_then(|value| reader.string(value, "title"))
        .unwrap_or_else(|| id.0.clone());
    let description = table
        .get("description")
        .and_then(|value| reader.string(value, "description"));
    let lead_time = table.get("lead_time").and_then(|value| {
        reader.estimated(
            value,
            "lead_time",
            &format!("{}.lead_time", id.0),
            Side::Technical,
            Measure::Time,
        )
    });
    let checklist = table
        .get("checklist")
        .map(|value| reader.strings(value, "checklist"))
        .unwrap_or_default();
    let status = table.get("status").and_then(|value| {
        let options: Vec<(&str, ReviewStatus)> =
            ReviewStatus::ALL.iter().map(|s| (s.name(), *s)).collect();
        reader.choice(value, "status", &options)
    });
    let requested = table
        .get("requested")
        .and_then(|value| reader.date(value, "requested"));
    let sla = table.get("sla").and_then(|value| sla(reader, value));
    let conditions = table
        .get("conditions")
        .map(|value| reader.strings(value, "conditions"))
        .unwrap_or_default();
    review_workflow(reader, table, &id, status);
    spans.review_ids.push(id.1);
    Some(Review {
        id: id.0,
        title,
        description,
        lead_time,
        checklist: checklist.into_iter().map(|(entry, _)| entry).collect(),
        status,
        requested,
        sla,
        conditions: conditions.into_iter().map(|(entry, _)| entry).collect(),
    })
}

/// A review's `sla`: a whole number of working days, at least 1.
fn sla(reader: &mut Reader<'_>, value: &Value<'_>) -> Option<u32> {
    if let DeValue::Integer(integer) = value.get_ref()
        && i64::from_str_radix(integer.as_str(), integer.radix()) == Ok(0)
    {
        reader.error(
            Diagnostic::error(
                "zero-sla",
                value.span(),
                "an `sla` of 0 working days cannot be met: a verdict takes at least a day",
            )
            .with_label("0 working days")
            .with_help(
                "write the working days from request to verdict the reviewers commit to, like `sla = 10`, or remove `sla`",
            ),
        );
        return None;
    }
    reader
        .integer(value, "sla", 1, MAX_SLA)
        .and_then(|days| u32::try_from(days).ok())
}

/// The fields of a review's workflow agree: a status has a request date, and only an approval
/// with conditions lists conditions.
fn review_workflow(
    reader: &mut Reader<'_>,
    table: &DeTable<'_>,
    id: &(String, Range<usize>),
    status: Option<ReviewStatus>,
) {
    let (id, id_span) = id;
    let status_value = table.get("status");
    let requested_value = table.get("requested");
    if let (Some(value), Some(status), None) = (status_value, status, requested_value) {
        reader.error(
            Diagnostic::error(
                "missing-requested",
                value.span(),
                format!(
                    "review `{id}` is {} but has no `requested` date",
                    status.name()
                ),
            )
            .with_label("no `requested` date")
            .with_help(
                "add `requested = YYYY-MM-DD`: the date the review was asked for, from which its `sla` counts",
            ),
        );
    }
    if let (None, Some(value)) = (status_value, requested_value) {
        reader.error(
            Diagnostic::warning(
                "requested-without-status",
                value.span(),
                format!("review `{id}` has a `requested` date but no `status`"),
            )
            .with_label("requested, but where does it stand?")
            .with_help(
                "add `status = \"requested\"`, or where the review stands now; without a `status`, forecasts request it when its item starts",
            ),
        );
    }
    // An unknown status has its own error; what it should have been is not known.
    let status_known = status_value.is_none() || status.is_some();
    let with_conditions = status == Some(ReviewStatus::ApprovedWithConditions);
    match table.get("conditions") {
        Some(value) if status_known && !with_conditions => {
            let now = status.map_or("not requested yet".to_owned(), |status| {
                format!("is {}", status.name())
            });
            reader.error(
                Diagnostic::warning(
                    "conditions-without-approval",
                    value.span(),
                    format!("review `{id}` has `conditions` but {now}"),
                )
                .with_label("conditions of an approval that has not been given")
                .with_help(
                    "conditions belong to `status = \"approved-with-conditions\"`: set that status, or remove `conditions`",
                ),
            );
        }
        None if with_conditions => {
            let span = status_value.map_or(id_span.clone(), |value| value.span());
            reader.error(
                Diagnostic::warning(
                    "no-conditions",
                    span,
                    format!("review `{id}` is approved with conditions, but lists none"),
                )
                .with_label("which conditions?")
                .with_help(
                    "add `conditions = [\"...\"]`: what must be done, or set `status = \"approved\"`",
                ),
            );
        }
        _ => {}
    }
}

fn objection(
    reader: &mut Reader<'_>,
    table: &DeTable<'_>,
    span: Range<usize>,
    spans: &mut Spans,
) -> Option<Objection> {
    reader.check_keys(table, OBJECTION_KEYS, "[[objection]]");
    let id = id(
        reader,
        table,
        span.clone(),
        "[[objection]]",
        "\"lift-season\"",
    );
    let required = |reader: &mut Reader<'_>, key: &str, example: &str| {
        let value = table.get(key);
        if value.is_none() {
            reader.missing(span.clone(), key, "[[objection]]", example);
        }
        value
    };
    let on_value = required(reader, "on", "\"one-click.value\"");
    let by_value = required(reader, "by", "\"technical\"");
    let tension_value = required(reader, "tension", "\"vision-feasibility\"");
    let text_value = required(reader, "text", "\"why the objection is raised\"");
    let on = on_value.and_then(|value| reader.string(value, "on"));
    let by = by_value.and_then(|value| side(reader, value, "by"));
    let tension = tension_value.and_then(|value| {
        let options: Vec<(&str, Tension)> = Tension::ALL.iter().map(|t| (t.name(), *t)).collect();
        reader.choice(value, "tension", &options)
    });
    let text = text_value.and_then(|value| reader.string(value, "text"));
    let status_read = table.get("status").and_then(|value| {
        let options: Vec<(&str, ObjectionStatus)> = ObjectionStatus::ALL
            .iter()
            .map(|s| (s.name(), *s))
            .collect();
        reader.choice(value, "status", &options)
    });
    let status_parsed = status_read.is_some();
    let status = status_read.unwrap_or(ObjectionStatus::Open);
    let blocking = table
        .get("blocking")
        .and_then(|value| reader.boolean(value, "blocking"))
        .unwrap_or(false);
    let resolution = table
        .get("resolution")
        .and_then(|value| reader.string(value, "resolution"));
    let risk_owner = table
        .get("risk_owner")
        .and_then(|value| reader.string(value, "risk_owner"));
    let raised = table
        .get("raised")
        .and_then(|value| reader.date(value, "raised"));
    let review_by = table
        .get("review_by")
        .and_then(|value| reader.date(value, "review_by"));
    let status_span = table
        .get("status")
        .map_or(span.clone(), |value| value.span());
    let name = id.as_ref().map_or_else(
        || "this objection".to_owned(),
        |(id, _)| format!("objection `{id}`"),
    );
    let history = table
        .get("history")
        .map(|value| history(reader, value, &name))
        .unwrap_or_default();
    // The history has to lead to the status; an unknown status has its own error.
    if table.get("status").is_none_or(|_| status_parsed)
        && let Some((last, to_span)) = history.last().and_then(|entry| entry.to.clone())
        && history.iter().all(|entry| entry.to.is_some())
        && last != status
    {
        let (at, label) = match table.get("status") {
            Some(value) => (value.span(), format!("the history ends at {}", last.name())),
            None => (
                to_span,
                format!("but `status` is {} by default", status.name()),
            ),
        };
        reader.error(
            Diagnostic::error(
                "history-mismatch",
                at,
                format!(
                    "the history of {name} ends at {}, but its `status` is {}",
                    last.name(),
                    status.name()
                ),
            )
            .with_label(label)
            .with_help(format!(
                "set `status = \"{}\"`, or add the step from {} to {} to the history",
                last.name(),
                last.name(),
                status.name()
            )),
        );
    }
    if matches!(
        status,
        ObjectionStatus::Resolved | ObjectionStatus::AcceptedRisk
    ) && resolution.is_none()
    {
        reader.error(
            Diagnostic::error(
                "missing-resolution",
                status_span.clone(),
                format!("a `{}` objection needs a `resolution`", status.name()),
            )
            .with_label("no `resolution` given")
            .with_help("add `resolution = \"...\"`: what was decided, and why"),
        );
    }
    if status == ObjectionStatus::AcceptedRisk && risk_owner.is_none() {
        reader.error(
            Diagnostic::error(
                "missing-risk-owner",
                status_span,
                "an `accepted-risk` objection needs a `risk_owner`",
            )
            .with_label("no `risk_owner` given")
            .with_help("add `risk_owner = \"name\"`: the person who watches the risk"),
        );
    }
    let (id, id_span) = id?;
    let on_span = on_value.map_or(span.clone(), |value| value.span());
    let (on, by, tension, text) = (on?, by?, tension?, text?);
    spans.objection_ids.push(id_span);
    spans.objection_on.push(on_span);
    spans.objection_tables.push(span);
    Some(Objection {
        id,
        // Resolved against the scenario's names after every section is read.
        on: Target::Item(on),
        by,
        tension,
        text,
        status,
        blocking,
        resolution,
        risk_owner,
        raised,
        review_by,
        history: history
            .into_iter()
            .filter_map(|entry| entry.transition)
            .collect(),
    })
}

/// One entry of an objection's history as read, with where its statuses are written.
struct HistoryEntry {
    /// `None` when the entry has an error.
    transition: Option<Transition>,
    from: Option<(ObjectionStatus, Range<usize>)>,
    to: Option<(ObjectionStatus, Range<usize>)>,
}

/// The `[[objection.history]]` entries of the objection `name`, each one a move its lifecycle
/// allows, in a chain from `open`.
fn history(reader: &mut Reader<'_>, value: &Value<'_>, name: &str) -> Vec<HistoryEntry> {
    let DeValue::Array(array) = value.get_ref() else {
        reader.error(
            Diagnostic::error(
                "wrong-type",
                value.span(),
                "`history` must be an array of tables: [[objection.history]]",
            )
            .with_label("not a list of steps")
            .with_help(
                "write each step under its own `[[objection.history]]` header, after its objection",
            ),
        );
        return Vec::new();
    };
    let mut entries = Vec::new();
    for (entry_idx, element) in array.iter().enumerate() {
        let DeValue::Table(table) = element.get_ref() else {
            reader.wrong_type(element, "history", "a table: [[objection.history]]");
            // Kept in its place, so that the steps around it are not taken for neighbours.
            entries.push(HistoryEntry {
                transition: None,
                from: None,
                to: None,
            });
            continue;
        };
        entries.push(history_entry(
            reader,
            table,
            element.span(),
            &format!("entry {} of the history of {name}", entry_idx + 1),
        ));
    }
    let complete = entries
        .iter()
        .all(|entry| entry.from.is_some() && entry.to.is_some());
    if !complete {
        // A step whose statuses cannot be read has its own error; the chain is not known.
        return entries;
    }
    let mut previous: Option<ObjectionStatus> = None;
    for (entry_idx, entry) in entries.iter().enumerate() {
        let (Some((from, from_span)), Some((to, to_span))) = (&entry.from, &entry.to) else {
            continue;
        };
        let (from, to, number) = (*from, *to, entry_idx + 1);
        match previous {
            None if from != ObjectionStatus::Open => reader.error(
                Diagnostic::error(
                    "broken-history",
                    from_span.clone(),
                    format!(
                        "the history of {name} starts at {}, but an objection is raised open",
                        from.name()
                    ),
                )
                .with_label("entry 1 must start at open")
                .with_help(format!(
                    "write `from = \"open\"` in entry 1, or add the steps from open to {} before it",
                    from.name()
                )),
            ),
            Some(before) if from != before => reader.error(
                Diagnostic::error(
                    "broken-history",
                    from_span.clone(),
                    format!(
                        "entry {number} of the history of {name} starts at {}, but entry {} ended at {}",
                        from.name(),
                        number - 1,
                        before.name()
                    ),
                )
                .with_label(format!("not where entry {} ended", number - 1))
                .with_help(format!(
                    "write `from = \"{}\"`, or add the missing step from {} to {} between them",
                    before.name(),
                    before.name(),
                    from.name()
                )),
            ),
            _ => {}
        }
        if !from.next().contains(&to) {
            let moves: Vec<String> = from
                .next()
                .iter()
                .map(|next| format!("`to = \"{}\"`", next.name()))
                .collect();
            let help = if moves.is_empty() {
                from.hint().to_owned()
            } else {
                format!("{}: write {}", from.hint(), moves.join(" or "))
            };
            reader.error(
                Diagnostic::error(
                    "forbidden-move",
                    to_span.clone(),
                    format!(
                        "entry {number} of the history of {name} moves from {} to {}, which an objection cannot do",
                        from.name(),
                        to.name()
                    ),
                )
                .with_label(format!("not a move from {}", from.name()))
                .with_help(help),
            );
        }
        previous = Some(to);
    }
    entries
}

fn history_entry(
    reader: &mut Reader<'_>,
    table: &DeTable<'_>,
    span: Range<usize>,
    context: &str,
) -> HistoryEntry {
    reader.check_keys(table, HISTORY_KEYS, "[[objection.history]]");
    let required = |reader: &mut Reader<'_>, key: &str, example: &str| {
        let value = table.get(key);
        if value.is_none() {
            reader.missing(span.clone(), key, context, example);
        }
        value
    };
    let from_value = required(reader, "from", "\"open\"");
    let to_value = required(reader, "to", "\"answered\"");
    let who_value = required(reader, "who", "\"Dana\"");
    let side_value = required(reader, "side", "\"technical\"");
    let on_value = required(reader, "on", "2027-01-08");
    let options: Vec<(&str, ObjectionStatus)> = ObjectionStatus::ALL
        .iter()
        .map(|s| (s.name(), *s))
        .collect();
    // Named `status` in messages: `from` and `to` take the statuses of `status`.
    let status = |reader: &mut Reader<'_>, value: Option<&Value<'_>>| {
        let value = value?;
        reader
            .choice(value, "status", &options)
            .map(|status| (status, value.span()))
    };
    let from = status(reader, from_value);
    let to = status(reader, to_value);
    let who = who_value.and_then(|value| reader.string(value, "who"));
    let side = side_value.and_then(|value| side(reader, value, "side"));
    let on = on_value.and_then(|value| reader.date(value, "on"));
    let text = |reader: &mut Reader<'_>, key: &str| {
        table.get(key).and_then(|value| reader.string(value, key))
    };
    let note = text(reader, "note");
    let risk_owner = text(reader, "risk_owner");
    let review_by = table
        .get("review_by")
        .and_then(|value| reader.date(value, "review_by"));
    let changes = table
        .get("changes")
        .map(|value| reader.strings(value, "changes"))
        .unwrap_or_default();
    let transition = match (&from, &to, who, side, on) {
        (Some((from, _)), Some((to, _)), Some(who), Some(side), Some(on)) => Some(Transition {
            from: *from,
            to: *to,
            who,
            side,
            on,
            details: TransitionDetails {
                note,
                risk_owner,
                review_by,
                changes: changes.into_iter().map(|(change, _)| change).collect(),
            },
        }),
        _ => None,
    };
    HistoryEntry {
        transition,
        from,
        to,
    }
}

fn side(reader: &mut Reader<'_>, value: &Value<'_>, what: &str) -> Option<Side> {
    let options: Vec<(&str, Side)> = Side::ALL.iter().map(|side| (side.name(), *side)).collect();
    reader.choice(value, what, &options)
}

/// The `id` of an item, review or objection: letters, digits, `-` and `_`.
fn id(
    reader: &mut Reader<'_>,
    table: &DeTable<'_>,
    span: Range<usize>,
    context: &str,
    example: &str,
) -> Option<(String, Range<usize>)> {
    let Some(value) = table.get("id") else {
        reader.missing(span, "id", context, example);
        return None;
    };
    let id = reader.string(value, "id")?;
    let valid = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    if !valid {
        reader.error(
            Diagnostic::error("bad-id", value.span(), format!("`{id}` cannot be an id"))
                .with_label("not a valid id")
                .with_help("an id is letters, digits, `-` and `_`, starting with a letter or digit, like `one-click`"),
        );
        return None;
    }
    Some((id, value.span()))
}

pub(crate) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
