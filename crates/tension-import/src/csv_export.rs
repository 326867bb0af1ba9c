//! CSV exports: Jira's "Export CSV" and REST-derived CSV, GitHub and Linear CSV, and any CSV
//! whose columns are named by the caller. Columns are found by their names, in any order.

use crate::dates::{DateStyle, is_missing};
use crate::{Format, ImportError, Options, Record, Skip};

/// Names a column may have, compared after lower-casing and dropping spaces, `_` and `-`.
const ID: &[&str] = &["issuekey", "key", "id", "number", "issueid", "identifier"];
const CREATED: &[&str] = &[
    "created",
    "createdat",
    "creationdate",
    "createddate",
    "createdon",
];
const DONE: &[&str] = &[
    "resolved",
    "resolutiondate",
    "closedat",
    "closed",
    "completed",
    "completedat",
    "finisheddate",
    "finished",
    "donedate",
    "done",
];
const KIND: &[&str] = &["issuetype", "type"];
const STATUS: &[&str] = &["status", "state"];
const RESOLUTION: &[&str] = &["resolution", "statereason"];
const CANCELED: &[&str] = &["canceled", "cancelled", "canceledat", "cancelledat"];

fn normalise(header: &str) -> String {
    header
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The delimiter of the header line: the most frequent of `,`, `;` and tab.
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|&delimiter| header.bytes().filter(|&byte| byte == delimiter).count())
        .unwrap_or(b',')
}

pub(crate) fn read(
    name: &str,
    text: &str,
    options: &Options,
) -> Result<(Format, Vec<Record>), ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        .flexible(true)
        .from_reader(text.as_bytes());
    let malformed = |error: csv::Error| ImportError::Malformed {
        name: name.to_owned(),
        detail: match error.position() {
            Some(position) => format!("CSV error on line {}: {error}", position.line()),
            None => format!("CSV error: {error}"),
        },
    };
    let headers: Vec<String> = reader
        .headers()
        .map_err(malformed)?
        .iter()
        .map(str::to_owned)
        .collect();
    let normalised: Vec<String> = headers.iter().map(|header| normalise(header)).collect();
    let columns_list = headers.join(", ");
    let find = |given: &Option<String>, aliases: &[&str]| -> Result<Option<usize>, ImportError> {
        match given {
            Some(column) => headers
                .iter()
                .position(|header| header.trim() == column.trim())
                .or_else(|| {
                    normalised
                        .iter()
                        .position(|header| *header == normalise(column))
                })
                .map(Some)
                .ok_or_else(|| ImportError::NoSuchColumn {
                    name: name.to_owned(),
                    column: column.clone(),
                    columns: columns_list.clone(),
                }),
            None => Ok(aliases
                .iter()
                .find_map(|alias| normalised.iter().position(|header| header == alias))),
        }
    };
    let id = find(&options.columns.id, ID)?;
    let created = find(&options.columns.created, CREATED)?;
    let done = find(&options.columns.done, DONE)?;
    let kind = find(&options.columns.kind, KIND)?;
    let resolution = find(&options.columns.resolution, RESOLUTION)?;
    let status = find(&None, STATUS)?;
    let canceled = find(&None, CANCELED)?;
    let (Some(id), Some(done)) = (id, done) else {
        let what = if id.is_none() { "id" } else { "done-date" };
        if headers.len() < 2 {
            return Err(ImportError::UnknownFormat {
                name: name.to_owned(),
                detail: "it has fewer than two columns".to_owned(),
            });
        }
        return Err(ImportError::MissingColumn {
            name: name.to_owned(),
            what,
            columns: columns_list,
        });
    };
    let has = |alias: &str| normalised.iter().any(|header| header == alias);
    let format = if has("issuekey")
        || (has("key") && (has("resolutiondate") || has("resolved") || has("creationdate")))
    {
        Format::JiraCsv
    } else if canceled.is_some() && has("completed") {
        Format::LinearCsv
    } else if has("closedat") && has("number") {
        Format::GithubCsv
    } else {
        Format::Csv
    };

    let rows: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .map_err(malformed)?;
    if rows.is_empty() {
        return Err(ImportError::Empty {
            name: name.to_owned(),
        });
    }
    let style_of = |column: usize| -> Result<DateStyle, ImportError> {
        if let Some(format) = &options.date_format {
            return Ok(DateStyle::Format(format.clone()));
        }
        let values = rows.iter().map(|row| row.get(column).unwrap_or_default());
        DateStyle::detect(values.clone()).ok_or_else(|| ImportError::DateFormat {
            name: name.to_owned(),
            column: headers[column].clone(),
            example: values
                .filter(|value| !is_missing(value) && crate::dates::parse_iso(value).is_none())
                .map(str::to_owned)
                .next()
                .unwrap_or_default(),
        })
    };
    let done_style = style_of(done)?;
    let created_style = created.map(style_of).transpose()?;
    let canceled_style = canceled.map(style_of).transpose()?;

    let text_at = |row: &csv::StringRecord, column: Option<usize>| {
        column
            .and_then(|column| row.get(column))
            .map(str::trim)
            .filter(|value| !is_missing(value))
            .map(str::to_owned)
    };
    let records = rows
        .iter()
        .map(|row| {
            let mut record = Record {
                id: text_at(row, Some(id)),
                kind: text_at(row, kind),
                status: text_at(row, status),
                resolution: text_at(row, resolution),
                ..Record::default()
            };
            if let (Some(column), Some(style)) = (created, &created_style) {
                record.created = text_at(row, Some(column)).and_then(|value| style.parse(&value));
            }
            if let Some(value) = text_at(row, Some(done)) {
                match done_style.parse(&value) {
                    Some(date) => record.done = Some(date),
                    None => record.skip = Some(Skip::BadDate),
                }
            }
            if let (Some(column), Some(style)) = (canceled, &canceled_style)
                && text_at(row, Some(column)).is_some_and(|value| style.parse(&value).is_some())
            {
                record.skip = Some(Skip::Canceled);
            }
            record
        })
        .collect();
    Ok((format, records))
}
