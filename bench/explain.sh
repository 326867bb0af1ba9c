#!/usr/bin/env bash
# explain benchmark: the engine alone (criterion) and the whole command (hyperfine, with
# `tension plan` on the same file beside it, so that the difference is explain's share), on a
# generated scenario of 300 items whose values rest on 50 uncertain quantities, a frontier of
# 20 plans, 10,000 trials.
#
# Run from the repository root:  bench/explain.sh
# Environment: ITEMS, INPUTS, POINTS change the size (defaults 300, 50, 20).
set -euo pipefail

SCENARIO=${TMPDIR:-/tmp}/tension-explain-bench.toml
POINTS=${POINTS:-20}
cargo build --release --quiet
DUMP=$SCENARIO cargo bench --quiet -p tension-explain --bench explain
RESULTS=${TMPDIR:-/tmp}/tension-explain-hyperfine.json
hyperfine --warmup 2 --runs 20 --export-json "$RESULTS" \
  "target/release/tension explain $SCENARIO --points $POINTS --min-health -1000000 --format json" \
  "target/release/tension plan $SCENARIO --points $POINTS --format json"
python3 - "$RESULTS" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["results"]
explain, plan = (r["median"] for r in runs)
print(f"median: explain {explain * 1000:.0f} ms, plan {plan * 1000:.0f} ms, "
      f"explain's share {(explain - plan) * 1000:.0f} ms, ratio {explain / plan:.2f}")
PY
