//! Integration tests of the importers: the real public histories in `shared/data/histories`
//! (counts as their SOURCES.md states them), hand-written exports of every format, and bad input.

mod fixtures;
mod real;
mod robustness;

use std::path::{Path, PathBuf};

use tension_import::{History, Options, import};

pub(crate) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

pub(crate) fn read(path: &Path, options: &Options) -> History {
    let bytes =
        std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    import(&path.display().to_string(), &bytes, options).unwrap_or_else(|e| panic!("{e}"))
}
