//! Completed-work histories from issue-tracker exports, read as the tools write them.
//!
//! [`import`] takes the bytes of one export (or [`import_many`] several, such as a folder of
//! Jira issue files), detects its format, and returns the completed items with a count of
//! everything it skipped and why. It does no IO: the caller reads the files.
//!
//! Formats: Jira "Export CSV" and CSV from the Jira REST API, Jira REST issue JSON (one issue, an
//! array, or a search result), GitHub issues from `gh issue list --json` and from the REST API
//! (array or JSON lines), Linear CSV, and any CSV whose id and done-date columns are named.

mod csv_export;
mod dates;
mod json_export;

use std::collections::BTreeMap;
use std::collections::HashMap;
use std::fmt;

use jiff::civil::DateTime;

/// One item of finished work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: String,
    pub created: Option<DateTime>,
    /// When it was done (resolved, closed, completed), in UTC when the export gave a zone.
    pub done: DateTime,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub resolution: Option<String>,
}

/// Which export a file was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    JiraCsv,
    JiraJson,
    GithubJson,
    GithubCsv,
    LinearCsv,
    Csv,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::JiraCsv => "Jira CSV",
            Format::JiraJson => "Jira issue JSON",
            Format::GithubJson => "GitHub issues JSON",
            Format::GithubCsv => "GitHub issues CSV",
            Format::LinearCsv => "Linear CSV",
            Format::Csv => "CSV",
        })
    }
}

/// Why a record was not taken as completed work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Skip {
    /// Open, or closed without a done date.
    NotDone,
    /// A GitHub pull request (taken only when asked).
    PullRequest,
    /// Closed as not planned on GitHub.
    NotPlanned,
    /// Canceled in Linear.
    Canceled,
    /// A resolution the caller excluded (Duplicate, Won't Fix).
    ExcludedResolution,
    /// A type the caller excluded.
    ExcludedType,
    /// A second record of an id already seen; the latest close counts.
    Duplicate,
    /// No id to tell it apart.
    NoId,
    /// A date that could not be read.
    BadDate,
    /// A JSON object that is not an issue (a project description, say).
    NotAnIssue,
    /// Closed together with many others within one minute: a bulk edit or an import, not
    /// finished work (left out only when asked).
    BulkClose,
}

impl Skip {
    pub fn describe(self) -> &'static str {
        match self {
            Skip::NotDone => "not done (open, or no done date)",
            Skip::PullRequest => "pull requests",
            Skip::NotPlanned => "closed as not planned",
            Skip::Canceled => "canceled",
            Skip::ExcludedResolution => "excluded resolution",
            Skip::ExcludedType => "excluded type",
            Skip::Duplicate => "duplicate records of the same id (the last close counts)",
            Skip::NoId => "no id",
            Skip::BadDate => "unreadable date",
            Skip::NotAnIssue => "not an issue",
            Skip::BulkClose => "closed in bulk (many within one minute)",
        }
    }
}

/// Column names to use instead of the detected ones, for localised or unusual exports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    pub id: Option<String>,
    pub created: Option<String>,
    pub done: Option<String>,
    pub kind: Option<String>,
    pub resolution: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    pub columns: Columns,
    /// A `strftime`-style format for the dates (`%d/%m/%Y %H:%M`), when detection is not enough.
    pub date_format: Option<String>,
    /// Resolutions (Jira) or state reasons (GitHub) that do not count as done work; compared
    /// without regard to case.
    pub exclude_resolutions: Vec<String>,
    /// Item types that do not count.
    pub exclude_types: Vec<String>,
    /// Count GitHub pull requests as items.
    pub include_pull_requests: bool,
    /// Leave out items closed within the same minute as this many in all, or more: a bulk
    /// edit or a migration, not finished work. Exports with dates only (every time at
    /// midnight) are never taken for bulk closes.
    pub bulk_close_min: Option<usize>,
}

/// What an import found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    pub format: Format,
    /// Completed items, one per id, in order of completion.
    pub items: Vec<Item>,
    /// Records read, before anything was skipped.
    pub n_records: usize,
    pub skipped: BTreeMap<Skip, usize>,
    /// Items whose done date is before their created date: kept for throughput (the done date
    /// is what was recorded), left out of cycle times.
    pub done_before_created: usize,
    /// The bulk closes left out: when the first of each closed, and how many items.
    pub bulk_closes: Vec<(DateTime, usize)>,
}

/// A file that cannot be read as any known export.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("{name}: the file is empty")]
    Empty { name: String },
    #[error("{name}: not an export this tool knows: {detail}")]
    UnknownFormat { name: String, detail: String },
    #[error("{name}: no {what} column among: {columns}")]
    MissingColumn {
        name: String,
        what: &'static str,
        columns: String,
    },
    #[error("{name}: no column named `{column}` (the columns are: {columns})")]
    NoSuchColumn {
        name: String,
        column: String,
        columns: String,
    },
    #[error(
        "{name}: the dates in column `{column}` are in no known format (for example `{example}`)"
    )]
    DateFormat {
        name: String,
        column: String,
        example: String,
    },
    #[error("{name}: {detail}")]
    Malformed { name: String, detail: String },
}

impl ImportError {
    /// How to fix it.
    pub fn help(&self) -> &'static str {
        match self {
            ImportError::Empty { .. } => "export again: the file has no records",
            ImportError::UnknownFormat { .. } => {
                "export as Jira CSV or JSON, `gh issue list --json ...`, GitHub REST JSON, or Linear CSV; for another CSV, name the columns with --id-column and --done-column"
            }
            ImportError::MissingColumn { .. } | ImportError::NoSuchColumn { .. } => {
                "name the columns with --id-column, --created-column and --done-column (a localised Jira export names them in its language)"
            }
            ImportError::DateFormat { .. } => {
                "give the format with --date-format, for example \"%d/%m/%Y %H:%M\""
            }
            ImportError::Malformed { .. } => "check that the file is a complete export",
        }
    }
}

/// A record as read from an export, before it is judged.
#[derive(Debug, Clone, Default)]
pub(crate) struct Record {
    pub id: Option<String>,
    pub created: Option<DateTime>,
    pub done: Option<DateTime>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub resolution: Option<String>,
    /// Set by the reader when the record is not completed work whatever the options say.
    pub skip: Option<Skip>,
}

/// Reads one export.
pub fn import(name: &str, bytes: &[u8], options: &Options) -> Result<History, ImportError> {
    import_many([(name, bytes)], options)
}

/// Reads several exports of one tracker (a folder of Jira issue files) as one history.
pub fn import_many<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    options: &Options,
) -> Result<History, ImportError> {
    let mut format = None;
    let mut records = Vec::new();
    let mut last_name = String::new();
    for (name, bytes) in files {
        last_name = name.to_owned();
        let text = std::str::from_utf8(bytes).map_err(|error| ImportError::Malformed {
            name: name.to_owned(),
            detail: format!("not UTF-8 text (at byte {})", error.valid_up_to()),
        })?;
        let text = text.trim_start_matches('\u{feff}');
        if text.trim().is_empty() {
            return Err(ImportError::Empty {
                name: name.to_owned(),
            });
        }
        let (file_format, file_records) = if text.trim_start().starts_with(['{', '[']) {
            json_export::read(name, text, options)?
        } else {
            let (csv_format, csv_records) = csv_export::read(name, text, options)?;
            (Some(csv_format), csv_records)
        };
        format = format.or(file_format);
        records.extend(file_records);
    }
    let Some(format) = format else {
        return Err(ImportError::UnknownFormat {
            name: last_name,
            detail: json_export::NO_ISSUE.to_owned(),
        });
    };
    Ok(judge(format, records, options))
}

/// Applies the options, removes duplicates and counts what was skipped.
fn judge(format: Format, records: Vec<Record>, options: &Options) -> History {
    let n_records = records.len();
    let mut skipped: BTreeMap<Skip, usize> = BTreeMap::new();
    let mut skip = |reason: Skip| *skipped.entry(reason).or_default() += 1;
    // One record per id first: a reopened and closed again item, or a row exported twice,
    // counts once, as its latest close says.
    let mut latest: HashMap<String, Record> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for record in records {
        if record.skip == Some(Skip::NotAnIssue) {
            skip(Skip::NotAnIssue);
            continue;
        }
        let Some(id) = record.id.clone().filter(|id| !id.trim().is_empty()) else {
            skip(Skip::NoId);
            continue;
        };
        match latest.get_mut(&id) {
            Some(kept) => {
                skip(Skip::Duplicate);
                if record.done >= kept.done {
                    *kept = record;
                }
            }
            None => {
                order.push(id.clone());
                latest.insert(id, record);
            }
        }
    }
    let matches = |value: &Option<String>, list: &[String]| {
        value
            .as_ref()
            .is_some_and(|value| list.iter().any(|entry| entry.eq_ignore_ascii_case(value)))
    };
    let mut items = Vec::new();
    for id in order {
        let Some(record) = latest.remove(&id) else {
            continue;
        };
        if let Some(reason) = record.skip {
            skip(reason);
            continue;
        }
        let Some(done) = record.done else {
            skip(Skip::NotDone);
            continue;
        };
        if matches(&record.resolution, &options.exclude_resolutions) {
            skip(Skip::ExcludedResolution);
            continue;
        }
        if matches(&record.kind, &options.exclude_types) {
            skip(Skip::ExcludedType);
            continue;
        }
        items.push(Item {
            id,
            created: record.created,
            done,
            kind: record.kind,
            status: record.status,
            resolution: record.resolution,
        });
    }
    items.sort_by(|a, b| a.done.cmp(&b.done).then_with(|| a.id.cmp(&b.id)));
    let mut bulk_closes = Vec::new();
    if let Some(min) = options.bulk_close_min {
        let mut kept = Vec::with_capacity(items.len());
        let minute = |item: &Item| (item.done.date(), item.done.hour(), item.done.minute());
        for group in items.chunk_by(|a, b| minute(a) == minute(b)) {
            let at = group[0].done;
            let midnight = group
                .iter()
                .all(|item| item.done.time() == jiff::civil::Time::midnight());
            if group.len() >= min.max(2) && !midnight {
                bulk_closes.push((at, group.len()));
                *skipped.entry(Skip::BulkClose).or_default() += group.len();
            } else {
                kept.extend_from_slice(group);
            }
        }
        items = kept;
    }
    let done_before_created = items
        .iter()
        .filter(|item| item.created.is_some_and(|created| item.done < created))
        .count();
    History {
        format,
        items,
        n_records,
        skipped,
        done_before_created,
        bulk_closes,
    }
}
