#!/usr/bin/env bash
# Throughput forecast benchmark: `tension forecast --history` against the burn-up Monte Carlo of
# the PyPI package jira-agile-metrics, on the same 12-week window, target and trial count.
#
# Run from the repository root:  bench/throughput.sh
# Environment: TRIALS (default 100000), TARGET (default 500), REPEAT (Python timed runs, default 3).
# Nothing is installed into the repository: the venv lives in ${TMPDIR:-/tmp}/tension-bench-venv.
set -euo pipefail

TRIALS=${TRIALS:-100000}
TARGET=${TARGET:-500}
REPEAT=${REPEAT:-3}
HISTORY=../shared/data/histories/github-vscode-mssql-gh/microsoft-vscode-mssql-all-issues.json
UNTIL=2026-08-16 # last day before the work; the window is the 12 weeks up to it
START=2026-08-17 # day 1 of the forecast
TODAY=2026-11-25
VENV=${TMPDIR:-/tmp}/tension-bench-venv
# The versions measured; pandas and numpy are pinned too, as they set the package's speed.
PIP_PINS=(jira-agile-metrics==0.24 pandas==3.1.1 numpy==2.4.6)

# 1. The Python baseline, in its own venv.
if [[ ! -x $VENV/bin/python ]]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install --quiet "${PIP_PINS[@]}" # a no-op once they are there

# 2. hyperfine, and our release build.
if ! command -v hyperfine >/dev/null; then
  apt-get install -y -qq hyperfine
fi
cargo build --release --quiet
TENSION=target/release/tension

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# 3. The window both tools draw from.
$TENSION history "$HISTORY" --until "$UNTIL" --format json --today "$TODAY" >"$WORK/window.json"

# 4. Our engine. All seven days as workdays: every calendar day draws from one pool of the
#    window's 84 days, as jira-agile-metrics does, so both run the same simulation.
FORECAST=("$TENSION" forecast --history "$HISTORY" --start "$START" --remaining "$TARGET"
  --trials "$TRIALS" --workdays mon,tue,wed,thu,fri,sat,sun --format json --today "$TODAY")
"${FORECAST[@]}" >"$WORK/tension.json" 2>/dev/null # stderr: the stability warning
# Timed as it is (rayon on every core), and on one thread for a per-core comparison with the
# single-threaded Python.
hyperfine --style basic --warmup 3 --runs 20 --export-json "$WORK/hyperfine.json" \
  -n tension "${FORECAST[*]}" -n "tension, 1 thread" "RAYON_NUM_THREADS=1 ${FORECAST[*]}"

# 5. The baseline, same window, target and trials.
"$VENV/bin/python" bench/jira_agile_metrics_burnup.py "$WORK/window.json" \
  --target "$TARGET" --trials "$TRIALS" --repeat "$REPEAT" --start "$START" >"$WORK/jam.json"

# 6. Side by side, with the sampling error of the percentiles.
"$VENV/bin/python" - "$WORK" "$START" "${FORECAST[@]}" <<'PY'
import datetime, json, math, subprocess, sys
from importlib.metadata import version
work, start, forecast = sys.argv[1], datetime.date.fromisoformat(sys.argv[2]), sys.argv[3:]
ours = json.load(open(f"{work}/tension.json"))
hf, hf1 = json.load(open(f"{work}/hyperfine.json"))["results"]
jam = json.load(open(f"{work}/jam.json"))
window = json.load(open(f"{work}/window.json"))["window"]
assert ours["trials"] == jam["trials"], "the comparison must be at equal trials"
assert (ours["history"]["window_first"], ours["history"]["window_last"]) == (window["first"], window["last"])

def day(date):  # day 1 = the start day
    return (datetime.date.fromisoformat(date) - start).days + 1

hist = {int(d): c for d, c in jam["days_histogram"].items()}
n, h = jam["trials"], 5

def jam_share_by(k):  # share of the baseline's trials done by day k
    return sum(c for d, c in hist.items() if d <= k) / n

def ours_share_by(k):  # the same from tension: its share of trials done by a deadline
    date = start + datetime.timedelta(days=k - 1)
    out = subprocess.run(forecast + ["--deadline", date.isoformat()], capture_output=True, check=True)
    return json.loads(out.stdout)["p_by_deadline"]

t_ours, t_one, t_jam = hf["median"], hf1["median"], jam["seconds_median"]
print(f"\nwindow {window['first']} .. {window['last']}, {jam['target']} items, {n} trials, day 1 = {start}")
print(f"jira-agile-metrics {jam['version']} (pandas {version('pandas')}, numpy {version('numpy')})\n")
print(f"{'':22}{'tension':>10}{'tension 1 thr':>15}{'jira-agile-metrics':>20}")
print(f"{'median seconds':22}{t_ours:>10.3f}{t_one:>15.3f}{t_jam:>20.2f}")
print(f"{'jam time / this time':22}{t_jam / t_ours:>9.0f}x{t_jam / t_one:>14.0f}x{1:>19}x")
print("  (tension's time is the whole CLI run under hyperfine, reading the 3,062-record export;")
print("   the baseline's is burnup_monte_carlo alone, so the ratio is conservative)\n")

# Two checks per percentile. (a) In days: SE of a p-quantile ≈ sqrt(p(1−p)/n) / f(x_p), f the
# density of days-to-target near x_p (share of the baseline's trials within ±h days, over 2h+1
# days); two independent runs differ by √2 times that. (b) Quantiles are whole days, so a
# difference of one day can come from a share sitting on p: compare the shares done by the
# earlier of the two days, SE sqrt(2p(1−p)/n).
print(f"{'':6}{'tension':>17}{'jira-agile-m.':>14}{'diff':>6}{'SE(diff)':>9}{'diff/SE':>8}"
      f"  |  done by day k: {'k':>4}{'tension':>9}{'jam':>9}{'z':>6}")
for p in (50, 85, 95):
    q = p / 100
    d_ours, d_jam = day(ours[f"p{p}"]), jam[f"days_p{p}"]
    se = math.sqrt(2 * q * (1 - q) / n) / (sum(hist.get(d, 0) for d in range(d_jam - h, d_jam + h + 1)) / n / (2 * h + 1))
    k = min(d_ours, d_jam)
    f_ours, f_jam = ours_share_by(k), jam_share_by(k)
    z = (f_ours - f_jam) / math.sqrt(2 * q * (1 - q) / n)
    print(f"P{p:<5}{ours[f'p{p}']:>11} d{d_ours:<4}{'d' + str(d_jam):>14}{d_ours - d_jam:>6}{se:>9.2f}"
          f"{(d_ours - d_jam) / se:>8.1f}  |  {'':15}{k:>4}{f_ours:>9.4f}{f_jam:>9.4f}{z:>6.1f}")
print(f"\ndays to target over the baseline's trials: mean {jam['days_mean']:.2f}, sd {jam['days_sd']:.2f};"
      f" runs of the baseline (s): {', '.join(f'{s:.1f}' for s in jam['seconds_all'])}")
PY
