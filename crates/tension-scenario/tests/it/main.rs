//! Integration tests of the scenario format: the shipped examples and docs, bad-input fixtures
//! with snapshots of their diagnostics, and robustness against any input.

mod docs;
mod fixtures;
mod robustness;
mod roundtrip;
mod valid;

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use tension_scenario::{Checked, Options, parse_bytes};

/// The date tests treat as today, so that the age of evidence does not change with the calendar.
pub(crate) const TODAY: Date = jiff::civil::date(2026, 11, 25);

pub(crate) fn options() -> Options {
    Options { today: Some(TODAY) }
}

/// The repository's root, two levels above this crate.
pub(crate) fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub(crate) fn check_file(path: &Path) -> Checked {
    let bytes =
        std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    parse_bytes(&name, &bytes, &options())
}
