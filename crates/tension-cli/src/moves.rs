//! `tension move`: an objection through its lifecycle, or a review through its workflow, by the
//! model's rules, written into the scenario file in place.
//!
//! People keep scenario files in git and comment them, so the file is never rewritten from the
//! model: only the fields the move changes are edited (with `toml_edit`), and an objection's
//! step is appended as an `[[objection.history]]` table after its others. The edited text is
//! read back before anything is written, and written through a temporary file that replaces the
//! original in one rename, so a refused or failed move leaves the file exactly as it was.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use jiff::civil::Date;
use tension_model::{
    Actor, Objection, ObjectionStatus, Review, ReviewStatus, ReviewTransitionError, Scenario, Side,
    Transition, TransitionDetails, TransitionError,
};
use tension_scenario::{Options, Style};
use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, TableLike, Value};

use crate::check::plural;

#[derive(Debug)]
pub(crate) struct Request {
    pub file: PathBuf,
    /// An objection or review id, optionally written `objection:ID` or `review:ID`.
    pub id: String,
    pub to: String,
    /// `technical:Dana`: required for objections, optional for reviews.
    pub by: Option<String>,
    pub note: Option<String>,
    pub risk_owner: Option<String>,
    /// As typed, so that a bad date is refused with the objection named.
    pub review_by: Option<String>,
    pub changes: Vec<String>,
    pub conditions: Vec<String>,
    /// The date of the move.
    pub today: Date,
}

/// Why a move is not made, and how to go on. Nothing is written.
#[derive(Debug)]
struct Refusal {
    message: String,
    help: String,
}

fn refusal(message: impl Into<String>, help: impl Into<String>) -> Refusal {
    Refusal {
        message: message.into(),
        help: help.into(),
    }
}

/// A move worked out on the model and made on the document.
struct Edit {
    /// The one line printed on success, after the file's name.
    summary: String,
    /// What the moved record must read back as.
    expected: Expected,
}

enum Expected {
    Objection(Box<Objection>),
    Review(Box<Review>),
}

pub(crate) fn run(
    request: &Request,
    options: &Options,
    style: Style,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<bool> {
    let file = request.file.display().to_string();
    let bytes = std::fs::read(&request.file)
        .with_context(|| format!("cannot read scenario file {file}"))?;
    let checked = tension_scenario::parse_bytes(&file, &bytes, options);
    let Some(scenario) = &checked.scenario else {
        write!(err, "{}", checked.render(style))?;
        writeln!(
            err,
            "{file}: fix these errors first (`tension check {file}`); {file} is unchanged"
        )?;
        return Ok(false);
    };
    let n_warnings = checked.warnings().count();
    if n_warnings > 0 {
        writeln!(
            err,
            "{file}: {} (`tension check {file}` shows them)",
            plural(n_warnings, "warning")
        )?;
    }
    // The scenario was read, so the bytes are UTF-8 text; `source` holds them as they are.
    let mut document: DocumentMut = match checked.source.parse() {
        Ok(document) => document,
        Err(error) => bail!("cannot edit {file} as TOML: {error}"),
    };
    let edit = match make(request, scenario, &mut document) {
        Ok(edit) => edit,
        Err(Refusal { message, help }) => {
            writeln!(err, "{file}: {message}")?;
            writeln!(err, "  help: {help}; {file} is unchanged")?;
            return Ok(false);
        }
    };
    let mut text = document.to_string();
    // toml_edit writes `\n` line ends; a file written with `\r\n` throughout keeps them, so that
    // the move is not a change to every line.
    let source = &checked.source;
    if source.contains("\r\n") && !source.replace("\r\n", "").contains('\n') {
        text = text.replace("\r\n", "\n").replace('\n', "\r\n");
    }
    let back = tension_scenario::parse_str(&file, &text, options);
    if back.has_errors() {
        write!(err, "{}", back.render(style))?;
        writeln!(
            err,
            "{file}: the move would leave these errors in the file, so it was not made; {file} is unchanged"
        )?;
        return Ok(false);
    }
    let read_back = back
        .scenario
        .as_ref()
        .is_some_and(|edited| match &edit.expected {
            Expected::Objection(after) => edited.objections.iter().any(|o| o == after.as_ref()),
            Expected::Review(after) => edited.reviews.iter().any(|r| r == after.as_ref()),
        });
    if !read_back {
        bail!(
            "{file}: the edited file does not read back as the move ({}); {file} is unchanged. This is a bug in tension: please report it with the file",
            edit.summary
        );
    }
    write_atomically(&request.file, &bytes, &text)?;
    writeln!(out, "{file}: {}", edit.summary)?;
    Ok(true)
}

/// Works the move out on the model, and makes it on `document`.
fn make(
    request: &Request,
    scenario: &Scenario,
    document: &mut DocumentMut,
) -> Result<Edit, Refusal> {
    match subject(scenario, &request.id, &request.file.display().to_string())? {
        Subject::Objection(objection) => move_objection(request, objection, document),
        Subject::Review(review) => move_review(request, review, document),
    }
}

enum Subject<'a> {
    Objection(&'a Objection),
    Review(&'a Review),
}

/// The objection or review `id` names. Objection ids and review ids are separate sets, so one id
/// may name both: `objection:ID` and `review:ID` say which.
fn subject<'a>(scenario: &'a Scenario, id: &str, file: &str) -> Result<Subject<'a>, Refusal> {
    let (kind, id) = match id.split_once(':') {
        Some(("objection", id)) => (Some("objection"), id),
        Some(("review", id)) => (Some("review"), id),
        _ => (None, id),
    };
    let objection = scenario.objections.iter().find(|o| o.id == id);
    let review = scenario.review(id);
    match (kind, objection, review) {
        (None, Some(_), Some(_)) => Err(refusal(
            format!("`{id}` is both an objection and a review"),
            format!("say which: `objection:{id}` or `review:{id}`"),
        )),
        (None | Some("objection"), Some(objection), _) => Ok(Subject::Objection(objection)),
        (None | Some("review"), _, Some(review)) => Ok(Subject::Review(review)),
        _ => {
            let what = kind.unwrap_or("objection or review");
            let candidates: Vec<&str> = scenario
                .objections
                .iter()
                .filter(|_| kind != Some("review"))
                .map(|o| o.id.as_str())
                .chain(
                    scenario
                        .reviews
                        .iter()
                        .filter(|_| kind != Some("objection"))
                        .map(|r| r.id.as_str()),
                )
                .collect();
            let message = match (objection, review) {
                (Some(_), _) => format!("there is no {what} `{id}`: `{id}` is an objection"),
                (_, Some(_)) => format!("there is no {what} `{id}`: `{id}` is a review"),
                (None, None) => match tension_estimate::closest(id, candidates.iter().copied()) {
                    Some(close) => format!("there is no {what} `{id}`; did you mean `{close}`?"),
                    None => format!("there is no {what} `{id}`"),
                },
            };
            Err(refusal(
                message,
                format!("`tension objections {file}` and `tension reviews {file}` list them"),
            ))
        }
    }
}

/// `technical:Dana` as the person making a move and the side they speak for.
fn actor(text: &str, subject: &str) -> Result<Actor, Refusal> {
    let help = "write the side and the name, such as --by technical:Dana or --by business:Marcus";
    let Some((side, name)) = text.split_once(':') else {
        return Err(refusal(
            format!("{subject}: --by `{text}` needs a side and a name"),
            help,
        ));
    };
    let side = match side.trim() {
        "business" => Side::Business,
        "technical" => Side::Technical,
        other => {
            return Err(refusal(
                format!("{subject}: --by `{text}`: `{other}` is not a side"),
                help,
            ));
        }
    };
    let name = name.trim();
    if name.is_empty() {
        return Err(refusal(
            format!("{subject}: --by `{text}` names nobody"),
            help,
        ));
    }
    Ok(Actor {
        name: name.to_owned(),
        side,
    })
}

/// A status named on the command line, or a refusal listing the statuses there are.
fn status<S: Copy>(
    to: &str,
    subject: &str,
    all: &[S],
    name: fn(S) -> &'static str,
) -> Result<S, Refusal> {
    if let Some(status) = all.iter().copied().find(|s| name(*s) == to) {
        return Ok(status);
    }
    let names: Vec<&str> = all.iter().map(|s| name(*s)).collect();
    let message = match tension_estimate::closest(to, names.iter().copied()) {
        Some(close) => format!("{subject}: `{to}` is not a status; did you mean `{close}`?"),
        None => format!("{subject}: `{to}` is not a status"),
    };
    Err(refusal(
        message,
        format!("--to one of {}", names.join(", ")),
    ))
}

/// A text option with something in it.
fn given(text: Option<&String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

fn move_objection(
    request: &Request,
    objection: &Objection,
    document: &mut DocumentMut,
) -> Result<Edit, Refusal> {
    use ObjectionStatus::*;
    let subject = format!("objection `{}`", objection.id);
    let to = status(
        &request.to,
        &subject,
        &ObjectionStatus::ALL,
        ObjectionStatus::name,
    )?;
    if !request.conditions.is_empty() {
        return Err(refusal(
            format!("{subject}: --conditions is for reviews approved with conditions"),
            "leave out --conditions; --change TEXT records what a move led to",
        ));
    }
    let Some(by) = &request.by else {
        return Err(refusal(
            format!(
                "{subject}: moving an objection needs --by: who makes the move, for which side"
            ),
            "add --by technical:NAME or --by business:NAME",
        ));
    };
    let actor = actor(by, &subject)?;
    let risk_owner = given(request.risk_owner.as_ref());
    if to != AcceptedRisk && (risk_owner.is_some() || request.review_by.is_some()) {
        return Err(refusal(
            format!(
                "{subject}: --risk-owner and --review-by are for accepting a risk, not for a move to {}",
                to.name()
            ),
            "leave them out, or move it --to accepted-risk",
        ));
    }
    let review_by = match &request.review_by {
        Some(text) => Some(text.trim().parse::<Date>().map_err(|_| {
            refusal(
                format!("{subject}: --review-by `{text}` is not a date"),
                "write it as YYYY-MM-DD, such as --review-by 2027-04-15",
            )
        })?),
        None => None,
    };
    let on = request.today;
    let details = TransitionDetails {
        note: given(request.note.as_ref()),
        risk_owner,
        review_by,
        changes: request
            .changes
            .iter()
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .collect(),
    };
    let (after, step) = objection
        .transition(to, &actor, on, details)
        .map_err(|error| objection_refusal(&error))?;
    if let Some(raised) = objection.raised
        && on < raised
    {
        return Err(refusal(
            format!("{subject} was raised on {raised}: it cannot move on {on}, before that"),
            format!("date the move on or after {raised} with --today"),
        ));
    }
    if let Some(last) = objection.history.last()
        && on < last.on
    {
        return Err(refusal(
            format!(
                "{subject} last moved on {}: a move on {on} would put its history out of order",
                last.on
            ),
            format!("date the move on or after {} with --today", last.on),
        ));
    }
    if let Some(review_by) = review_by
        && review_by < on
    {
        return Err(refusal(
            format!("{subject}: --review-by {review_by} is before the move, on {on}"),
            "give the date the accepted risk is looked at again, after today",
        ));
    }
    if objection.history.is_empty() && objection.status != Open {
        return Err(refusal(
            format!(
                "{subject} is {} but has no history: a history starts at open, and the steps that led to {} are not known",
                objection.status.name(),
                objection.status.name()
            ),
            "write them first, as `[[objection.history]]` tables after the objection (from = \"open\", to, who, side, on); see docs/scenario-format.md",
        ));
    }
    let (table, inline) = record_table(document, "objection", &objection.id)?;
    set(table, "status", Value::from(after.status.name()));
    sync(
        table,
        "resolution",
        objection.resolution.as_deref(),
        after.resolution.as_deref(),
        Value::from,
    );
    sync(
        table,
        "risk_owner",
        objection.risk_owner.as_deref(),
        after.risk_owner.as_deref(),
        Value::from,
    );
    sync(
        table,
        "review_by",
        objection.review_by,
        after.review_by,
        date_value,
    );
    append_step(table, inline, &step, &subject)?;
    if inline {
        tidy_inline(table);
    }
    Ok(Edit {
        summary: format!(
            "{subject} {} → {} by {} ({}), {on}",
            objection.status.name(),
            after.status.name(),
            actor.name,
            actor.side.name()
        ),
        expected: Expected::Objection(Box::new(after)),
    })
}

/// The model's reason, with the option that fixes it.
fn objection_refusal(error: &TransitionError) -> Refusal {
    let help = match error {
        TransitionError::NotAllowed { from, .. } => match from.next() {
            [] => "raise a new objection if the concern comes back".to_owned(),
            next => format!(
                "from {} it can move --to {}",
                from.name(),
                next.iter().map(|s| s.name()).collect::<Vec<_>>().join(", ")
            ),
        },
        TransitionError::WrongSide { needed, .. } => {
            format!("the move is made --by {}:NAME", needed.name())
        }
        TransitionError::Missing { what, .. } if what.starts_with("a risk owner") => {
            "add --risk-owner NAME".to_owned()
        }
        TransitionError::Missing { .. } => "add --note TEXT".to_owned(),
    };
    refusal(error.to_string(), help)
}

fn move_review(
    request: &Request,
    review: &Review,
    document: &mut DocumentMut,
) -> Result<Edit, Refusal> {
    let subject = format!("review `{}`", review.id);
    let to = status(
        &request.to,
        &subject,
        &ReviewStatus::ALL,
        ReviewStatus::name,
    )?;
    let objection_only = [
        ("--note", request.note.is_some()),
        ("--risk-owner", request.risk_owner.is_some()),
        ("--review-by", request.review_by.is_some()),
        ("--change", !request.changes.is_empty()),
    ];
    if let Some((flag, _)) = objection_only.iter().find(|(_, given)| *given) {
        return Err(refusal(
            format!("{subject}: {flag} is for objections; a review keeps no history of its moves"),
            format!(
                "leave out {flag}; raise an objection on `{}` to record a finding",
                review.id
            ),
        ));
    }
    let actor = match &request.by {
        Some(by) => Some(actor(by, &subject)?),
        None => None,
    };
    // As on the team server: either side requests a review; its progress and verdict are
    // recorded by the reviewers, who sit on the technical side.
    if let Some(actor) = &actor
        && actor.side == Side::Business
        && to != ReviewStatus::Requested
    {
        return Err(refusal(
            format!(
                "{subject}: the business side requests a review; its progress and verdict ({}) are recorded by the technical side",
                to.name()
            ),
            "move it --by technical:NAME, or leave out --by",
        ));
    }
    let on = request.today;
    let conditions: Vec<String> = request
        .conditions
        .iter()
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect();
    let after = review
        .transition(to, on, conditions)
        .map_err(|error| review_refusal(&error))?;
    if to != ReviewStatus::Requested
        && let Some(requested) = review.requested
        && on < requested
    {
        return Err(refusal(
            format!("{subject} was requested on {requested}: it cannot move on {on}, before that"),
            format!("date the move on or after {requested} with --today"),
        ));
    }
    let (table, inline) = record_table(document, "review", &review.id)?;
    set(table, "status", Value::from(to.name()));
    sync(
        table,
        "requested",
        review.requested,
        after.requested,
        date_value,
    );
    let strings = |list: &[String]| -> Option<Value> {
        (!list.is_empty()).then(|| Value::Array(list.iter().map(String::as_str).collect::<Array>()))
    };
    let before_conditions = strings(&review.conditions).map(|v| v.to_string());
    let after_conditions = strings(&after.conditions);
    if before_conditions != after_conditions.as_ref().map(Value::to_string) {
        match after_conditions {
            Some(value) => set(table, "conditions", value),
            None => {
                table.remove("conditions");
            }
        }
    }
    if inline {
        tidy_inline(table);
    }
    let by = actor
        .map(|a| format!(" by {} ({})", a.name, a.side.name()))
        .unwrap_or_default();
    Ok(Edit {
        summary: format!(
            "{subject} {} → {}{by}, {on}",
            review.status.map_or("not requested", ReviewStatus::name),
            to.name()
        ),
        expected: Expected::Review(Box::new(after)),
    })
}

fn review_refusal(error: &ReviewTransitionError) -> Refusal {
    let help = match error {
        ReviewTransitionError::NotAllowed { from, .. } => match from.next() {
            [] => "add a new review if something else needs one".to_owned(),
            next => format!(
                "from {} it can move --to {}",
                from.name(),
                next.iter().map(|s| s.name()).collect::<Vec<_>>().join(", ")
            ),
        },
        ReviewTransitionError::NotRequested { .. } => "move it --to requested first".to_owned(),
        ReviewTransitionError::MissingConditions { .. } => {
            "add --conditions TEXT, once for each condition".to_owned()
        }
        ReviewTransitionError::UnexpectedConditions { .. } => {
            "leave out --conditions, or move it --to approved-with-conditions".to_owned()
        }
    };
    refusal(error.to_string(), help)
}

/// The record of `kind` whose `id` is `id`: a `[[kind]]` table, or an inline table in an array
/// `kind = [{ id = ..., ... }]`; `true` with the inline one.
fn record_table<'d>(
    document: &'d mut DocumentMut,
    kind: &str,
    id: &str,
) -> Result<(&'d mut dyn TableLike, bool), Refusal> {
    let not_editable = || {
        refusal(
            format!(
                "{kind} `{id}` is not written as a `[[{kind}]]` table or as an inline table in `{kind} = [...]`, which is what `tension move` edits"
            ),
            format!("write it under its own `[[{kind}]]` header, or edit the file by hand"),
        )
    };
    let has_id = |table: &dyn TableLike| table.get("id").and_then(Item::as_str) == Some(id);
    match document.get_mut(kind) {
        Some(Item::ArrayOfTables(tables)) => tables
            .iter_mut()
            .find(|table| has_id(*table))
            .map(|table| (table as &mut dyn TableLike, false))
            .ok_or_else(not_editable),
        Some(Item::Value(Value::Array(values))) => values
            .iter_mut()
            .find_map(|value| match value {
                Value::InlineTable(table) if has_id(table) => {
                    Some((table as &mut dyn TableLike, true))
                }
                _ => None,
            })
            .ok_or_else(not_editable),
        _ => Err(not_editable()),
    }
}

/// After an edit of an inline record: the space its last value kept before the closing brace
/// would now come before a comma, so it goes to the new last value. Only suffixes of plain
/// spaces move: a line break or a comment (TOML 1.1 allows them in inline tables) stays.
fn tidy_inline(table: &mut dyn TableLike) {
    let spaces = |value: &Value| {
        let suffix = value.decor().suffix().and_then(|suffix| suffix.as_str());
        suffix.is_none_or(|suffix| suffix.chars().all(|c| c == ' '))
    };
    let mut last = None;
    for (key, item) in table.iter_mut() {
        if let Some(value) = item.as_value_mut()
            && spaces(value)
        {
            value.decor_mut().set_suffix("");
        }
        last = Some(key.get().to_owned());
    }
    if let Some(value) = last
        .and_then(|key| table.get_mut(&key))
        .and_then(Item::as_value_mut)
        && spaces(value)
    {
        value.decor_mut().set_suffix(" ");
    }
}

/// Sets `key` to `value`, keeping the place of the key and any comment after the old value.
fn set(table: &mut dyn TableLike, key: &str, mut value: Value) {
    match table.get_mut(key) {
        Some(item) => {
            if let Some(old) = item.as_value() {
                *value.decor_mut() = old.decor().clone();
            }
            *item = Item::Value(value);
        }
        None => {
            table.insert(key, Item::Value(value));
        }
    }
}

/// Makes `key` say `after`, when the move changed it from `before`: set, or removed.
fn sync<T: PartialEq + Copy>(
    table: &mut dyn TableLike,
    key: &str,
    before: Option<T>,
    after: Option<T>,
    value: impl Fn(T) -> Value,
) {
    if before == after {
        return;
    }
    match after {
        Some(after) => set(table, key, value(after)),
        None => {
            table.remove(key);
        }
    }
}

fn date_value(date: Date) -> Value {
    // A civil date is always a valid TOML local date.
    date.to_string()
        .parse::<toml_edit::Datetime>()
        .map_or_else(|_| Value::from(date.to_string()), Value::from)
}

/// Appends `step` to the objection's history, after the steps already there: another
/// `[[objection.history]]` table, or another inline table when the history is written as an
/// array of them (always so in an inline record, which cannot hold a table).
fn append_step(
    table: &mut dyn TableLike,
    inline: bool,
    step: &Transition,
    subject: &str,
) -> Result<(), Refusal> {
    let mut entry = Table::new();
    entry.insert("from", Item::Value(Value::from(step.from.name())));
    entry.insert("to", Item::Value(Value::from(step.to.name())));
    entry.insert("who", Item::Value(Value::from(step.who.as_str())));
    entry.insert("side", Item::Value(Value::from(step.side.name())));
    entry.insert("on", Item::Value(date_value(step.on)));
    let details = &step.details;
    if let Some(note) = &details.note {
        entry.insert("note", Item::Value(Value::from(note.as_str())));
    }
    if let Some(owner) = &details.risk_owner {
        entry.insert("risk_owner", Item::Value(Value::from(owner.as_str())));
    }
    if let Some(review_by) = details.review_by {
        entry.insert("review_by", Item::Value(date_value(review_by)));
    }
    if !details.changes.is_empty() {
        let changes: Array = details.changes.iter().map(String::as_str).collect();
        entry.insert("changes", Item::Value(Value::Array(changes)));
    }
    match table.get_mut("history") {
        None if inline => {
            let mut history = Array::new();
            history.push(Value::InlineTable(entry.into_inline_table()));
            table.insert("history", Item::Value(Value::Array(history)));
        }
        None => {
            let mut history = ArrayOfTables::new();
            history.push(entry);
            table.insert("history", Item::ArrayOfTables(history));
        }
        Some(Item::ArrayOfTables(history)) => history.push(entry),
        Some(Item::Value(Value::Array(history))) if history.iter().all(Value::is_inline_table) => {
            // Laid out as the step before it: on its own line in an array written one step a
            // line.
            let step = Value::InlineTable(entry.into_inline_table());
            let on_its_own_line = |step: &Value| {
                let prefix = step.decor().prefix().and_then(|prefix| prefix.as_str());
                prefix.is_some_and(|prefix| prefix.contains('\n'))
            };
            match history.iter().last() {
                Some(last) if on_its_own_line(last) => {
                    let mut step = step;
                    *step.decor_mut() = last.decor().clone();
                    history.push_formatted(step);
                }
                _ => history.push(step),
            }
        }
        Some(_) => {
            return Err(refusal(
                format!(
                    "the history of {subject} is neither `[[objection.history]]` tables nor an array of inline tables, which is what `tension move` appends to"
                ),
                "write each step under its own `[[objection.history]]` header",
            ));
        }
    }
    Ok(())
}

/// Replaces `path` with `text` in one rename, through a temporary file in the same folder, so the
/// file is either as it was or as edited, never half written. A file changed by someone else
/// since it was read (`before`) is left alone.
fn write_atomically(path: &Path, before: &[u8], text: &str) -> Result<()> {
    // A link is followed, so that the file it points to is edited and the link stays a link.
    let target =
        std::fs::canonicalize(path).with_context(|| format!("cannot find {}", path.display()))?;
    let now = std::fs::read(&target)
        .with_context(|| format!("cannot read scenario file {}", path.display()))?;
    if now != before {
        bail!(
            "{} changed while the move was being made; nothing was written: run the move again",
            path.display()
        );
    }
    let folder = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = folder.join(format!(".{name}.tension-move-{}", std::process::id()));
    let written = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::options()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(text.as_bytes())?;
        let permissions = std::fs::metadata(&target)?.permissions();
        file.set_permissions(permissions)?;
        file.sync_all()?;
        std::fs::rename(&temp, &target)
    })();
    if written.is_err() {
        // The original is untouched; the half-written copy is of no use to anyone.
        let _ = std::fs::remove_file(&temp);
    }
    written.with_context(|| {
        format!(
            "cannot write {} (through {}); it is unchanged",
            path.display(),
            temp.display()
        )
    })
}
