//! Writes the benchmarks' generated scenario to standard output, for measuring the CLI:
//! `cargo run --release -p tension-forecast --example generate -- 1000 > big.toml`.

#[path = "../benches/support/generated.rs"]
mod generated;

fn main() {
    let n_items = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    #[allow(clippy::print_stdout, reason = "this example's output is the file")]
    {
        print!("{}", generated::scenario(n_items));
    }
}
