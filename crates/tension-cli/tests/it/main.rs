//! Integration tests of the `tension` binary: the documented examples, and the commands run
//! for real in a fresh temporary folder.

mod commands;
mod decide;
mod docs;
mod explain;
mod history;
mod moves;
mod plan;
mod reviews;
mod server;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The date the tests treat as today, so that the age of evidence does not move.
pub(crate) const TODAY: &str = "2026-11-25";

pub(crate) fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository root exists")
}

/// Runs the real binary in `dir` with a fixed today and no colour.
pub(crate) fn tension(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tension"))
        .args(args)
        .current_dir(dir)
        .env("TENSION_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .output()
        .expect("the tension binary runs")
}

pub(crate) fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
