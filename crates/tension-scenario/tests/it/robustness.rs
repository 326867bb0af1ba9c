//! No input makes the file parser panic or hang: random bytes, mutations of the examples,
//! truncations, and pathological sizes all end in a scenario or in diagnostics.

use proptest::prelude::*;
use tension_scenario::{Style, parse_bytes};

use crate::{options, repo_root};

fn exercise(bytes: &[u8]) {
    let checked = parse_bytes("fuzz.toml", bytes, &options());
    // Rendering walks every span against the source: it must not panic either.
    let rendered = checked.render(Style::default());
    if checked.has_errors() {
        assert!(checked.scenario.is_none());
        assert!(!rendered.is_empty());
    }
    for diagnostic in &checked.diagnostics {
        assert!(
            diagnostic.span.start <= checked.source.len() + 1,
            "{diagnostic:?}"
        );
    }
}

fn examples() -> Vec<Vec<u8>> {
    ["checkout.toml", "tool-adoption.toml", "projection.toml"]
        .iter()
        .map(|name| {
            std::fs::read(repo_root().join("examples").join(name))
                .expect("the examples are readable")
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        exercise(&bytes);
    }

    #[test]
    fn random_text(text in any::<String>()) {
        exercise(text.as_bytes());
    }

    #[test]
    fn mutated_examples(
        example in 0usize..3,
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0usize..8, prop::collection::vec(any::<u8>(), 0..6)), 1..6),
    ) {
        let mut bytes = examples()[example].clone();
        for (position, cut, insert) in edits {
            let at = position.index(bytes.len() + 1);
            let end = (at + cut).min(bytes.len());
            bytes.splice(at..end, insert);
        }
        exercise(&bytes);
    }

    #[test]
    fn mutated_examples_with_toml_characters(
        example in 0usize..3,
        position in any::<prop::sample::Index>(),
        insert in r#"[\[\]{}="',.#\n a-z0-9_-]{1,8}"#,
    ) {
        let mut text = String::from_utf8(examples()[example].clone()).unwrap();
        let mut at = position.index(text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        text.insert_str(at, &insert);
        exercise(text.as_bytes());
    }

    #[test]
    fn truncated_examples(example in 0usize..3, keep in any::<prop::sample::Index>()) {
        let bytes = examples()[example].clone();
        let keep = keep.index(bytes.len() + 1);
        exercise(&bytes[..keep]);
    }
}

#[test]
fn pathological_inputs_end_in_diagnostics() {
    let header = "[scenario]\nname = \"x\"\nstart = 2027-01-04\n[team]\npeople = 1\n";
    let deep_array = format!(
        "{header}[[item]]\nid = \"a\"\nneeds = {}\"b\"{}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    exercise(deep_array.as_bytes());
    let deep_table = format!(
        "{header}x = {}1{}\n",
        "{a = ".repeat(5000),
        "}".repeat(5000)
    );
    exercise(deep_table.as_bytes());
    let deep_estimate = format!(
        "{header}[[item]]\nid = \"a\"\neffort = \"{}1{}\"\n",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    exercise(deep_estimate.as_bytes());
    let huge_number = format!(
        "{header}[[item]]\nid = \"a\"\nmax_people = 99999999999999999999999\neffort = 1e400\n"
    );
    exercise(huge_number.as_bytes());
    // A long chain of dependencies is checked without recursion.
    let mut chain = header.to_owned();
    for idx in 0..20_000 {
        chain.push_str(&format!(
            "[[item]]\nid = \"i{idx}\"\neffort = 1\nneeds = [\"i{}\"]\n",
            idx + 1
        ));
    }
    chain.push_str("[[item]]\nid = \"i20000\"\neffort = 1\nneeds = [\"i0\"]\n");
    let checked = parse_bytes("chain.toml", chain.as_bytes(), &options());
    assert!(checked.errors().any(|d| d.code == "dependency-cycle"));
}
