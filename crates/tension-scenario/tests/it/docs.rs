//! Every ```toml block of the format reference is valid: a complete scenario as it stands, a
//! snippet under a minimal header.

use tension_scenario::{Style, parse_str};

use crate::{options, repo_root};

const HEADER: &str = "[scenario]\nname = \"doc\"\nstart = 2027-01-04\n[team]\npeople = 1\n";

fn toml_blocks(markdown: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (line_idx, line) in markdown.lines().enumerate() {
        match &mut current {
            None if line.trim_start() == "```toml" => current = Some((line_idx + 1, String::new())),
            Some(_) if line.trim_start().starts_with("```") => blocks.extend(current.take()),
            Some((_, block)) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    blocks
}

#[test]
fn every_toml_block_in_the_docs_is_valid() {
    let mut count = 0;
    for doc in ["docs/scenario-format.md", "docs/estimates.md", "README.md"] {
        let Ok(markdown) = std::fs::read_to_string(repo_root().join(doc)) else {
            continue;
        };
        for (line, block) in toml_blocks(&markdown) {
            count += 1;
            let source = if block.contains("[scenario]") {
                block
            } else {
                format!("{HEADER}{block}")
            };
            let checked = parse_str(&format!("{doc}:{line}"), &source, &options());
            assert!(
                !checked.has_errors(),
                "the block at {doc}:{line} is invalid:\n{}",
                checked.render(Style::default())
            );
        }
    }
    assert!(count >= 5, "found only {count} toml blocks");
}
