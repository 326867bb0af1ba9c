//! JSON exports: Jira REST issues (one object, an array, or a search result with `issues`),
//! GitHub issues from `gh issue list --json` (camelCase) and from the REST API (snake_case),
//! as an array or as JSON lines.

use serde_json::Value;

use crate::dates::{is_missing, parse_iso};
use crate::{Format, ImportError, Options, Record, Skip};

/// What to say when a JSON file holds no issue.
pub(crate) const NO_ISSUE: &str = "no Jira issue (`fields.created`) or GitHub issue (`number` with `createdAt` or `created_at`) in it";

/// The records of a JSON export, with the format they look like (`None`: no issue in it).
pub(crate) fn read(
    name: &str,
    text: &str,
    options: &Options,
) -> Result<(Option<Format>, Vec<Record>), ImportError> {
    let values = match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(values)) => values,
        Ok(Value::Object(mut object)) => match object.remove("issues") {
            // A Jira search result holds its issues under `issues`.
            Some(Value::Array(values)) => values,
            Some(other) => {
                object.insert("issues".into(), other);
                vec![Value::Object(object)]
            }
            None => vec![Value::Object(object)],
        },
        Ok(_) => {
            return Err(ImportError::UnknownFormat {
                name: name.to_owned(),
                detail: "JSON that is neither an object nor an array".to_owned(),
            });
        }
        // Not one document: JSON lines, one issue per line.
        Err(whole_error) => {
            let mut values = Vec::new();
            for (line_idx, line) in text
                .lines()
                .enumerate()
                .filter(|(_, line)| !line.trim().is_empty())
            {
                let value = serde_json::from_str(line).map_err(|error| ImportError::Malformed {
                    name: name.to_owned(),
                    detail: if line_idx == 0 {
                        format!("invalid JSON: {whole_error}")
                    } else {
                        format!("invalid JSON on line {}: {error}", line_idx + 1)
                    },
                })?;
                values.push(value);
            }
            values
        }
    };
    let mut format = None;
    let records = values
        .iter()
        .map(|value| {
            let (record_format, record) = record(value, options);
            if record_format.is_some() {
                format = format.or(record_format);
            }
            record
        })
        .collect::<Vec<_>>();
    Ok((format, records))
}

fn string(value: &Value, path: &[&str]) -> Option<String> {
    let mut current = value;
    for key in path {
        current = current.get(key)?;
    }
    match current {
        Value::String(text) if !is_missing(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

fn date(value: &Value, path: &[&str]) -> Result<Option<jiff::civil::DateTime>, ()> {
    match string(value, path) {
        Some(text) => parse_iso(&text).map(Some).ok_or(()),
        None => Ok(None),
    }
}

/// One JSON object as a record, with the format it looks like (`None`: not an issue).
fn record(value: &Value, options: &Options) -> (Option<Format>, Record) {
    let mut record = Record::default();
    if value
        .get("fields")
        .is_some_and(|fields| fields.get("created").is_some())
    {
        record.id = string(value, &["key"]).or_else(|| string(value, &["id"]));
        record.kind = string(value, &["fields", "issuetype", "name"]);
        record.status = string(value, &["fields", "status", "name"]);
        record.resolution = string(value, &["fields", "resolution", "name"]);
        dates(
            &mut record,
            date(value, &["fields", "created"]),
            date(value, &["fields", "resolutiondate"]),
        );
        return (Some(Format::JiraJson), record);
    }
    let camel = value.get("createdAt").is_some();
    let snake = value.get("created_at").is_some();
    if value.get("number").is_some() && (camel || snake) {
        let (created, closed, reason) = if camel {
            ("createdAt", "closedAt", "stateReason")
        } else {
            ("created_at", "closed_at", "state_reason")
        };
        record.id = string(value, &["number"]);
        record.status = string(value, &["state"]);
        record.resolution = string(value, &[reason]);
        record.kind = string(value, &["type"]);
        dates(&mut record, date(value, &[created]), date(value, &[closed]));
        let is_pull_request = value.get("pull_request").is_some_and(|pr| !pr.is_null())
            || value.get("isPullRequest") == Some(&Value::Bool(true));
        if is_pull_request && !options.include_pull_requests {
            record.skip = Some(Skip::PullRequest);
        } else if record.done.is_some()
            && record
                .resolution
                .as_deref()
                .is_some_and(|reason| reason.eq_ignore_ascii_case("not_planned"))
        {
            record.skip = Some(Skip::NotPlanned);
        }
        return (Some(Format::GithubJson), record);
    }
    record.skip = Some(Skip::NotAnIssue);
    (None, record)
}

fn dates(
    record: &mut Record,
    created: Result<Option<jiff::civil::DateTime>, ()>,
    done: Result<Option<jiff::civil::DateTime>, ()>,
) {
    record.created = created.unwrap_or(None);
    match done {
        Ok(done) => record.done = done,
        Err(()) => record.skip = Some(Skip::BadDate),
    }
}
