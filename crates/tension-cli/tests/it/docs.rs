//! Every `console` example in the README and the docs runs as shown (trycmd).

use crate::{TODAY, repo_root};

#[test]
fn documented_commands_print_what_the_docs_show() {
    let root = repo_root();
    // The examples use paths relative to the repository root, as a reader types them there.
    // Every other test in this binary uses absolute paths, so moving the process is harmless.
    std::env::set_current_dir(&root).expect("the repository root is a folder");
    let cases = trycmd::TestCases::new();
    cases
        .register_bin("tension", trycmd::cargo::cargo_bin!("tension"))
        .env("TENSION_TODAY", TODAY)
        .env("NO_COLOR", "1");
    for doc in ["README.md", "docs/*.md"] {
        cases.case(root.join(doc));
    }
}
