//! `tension init`: write a starter scenario that passes `check`.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};

/// The starter scenario; a test checks that it is valid.
pub(crate) const STARTER: &str = include_str!("starter.toml");

pub(crate) fn run(dir: &Path, force: bool, out: &mut impl Write) -> Result<bool> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create folder {}", dir.display()))?;
    let path = dir.join("scenario.toml");
    if path.exists() && !force {
        bail!(
            "{} already exists; pass --force to overwrite it",
            path.display()
        );
    }
    std::fs::write(&path, STARTER).with_context(|| format!("cannot write {}", path.display()))?;
    writeln!(out, "wrote {}", path.display())?;
    writeln!(
        out,
        "next: edit it, then run `tension check {}`",
        path.display()
    )?;
    Ok(true)
}
