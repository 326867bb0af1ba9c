#!/usr/bin/env bash
# NRP benchmark: `tension nrp` against HiGHS (highspy, one thread), side by side in one run, on
# the 17 public instances at ratios 0.3 and 0.5, then the exact front of nrp1.
#
# Run from the repository root:  bench/nrp.sh > /tmp/nrp.md
# Environment: RATIOS (default "0.3 0.5"), INSTANCES (default: all 17), FRONT (default 1).
# Nothing is installed into the repository: the venv lives in ${TMPDIR:-/tmp}/tension-highs-venv.
set -euo pipefail

DATA=../shared/data/nrp
RATIOS=${RATIOS:-"0.3 0.5"}
INSTANCES=${INSTANCES:-"classic/nrp1 classic/nrp2 classic/nrp3 classic/nrp4 classic/nrp5 realistic/nrp-e1 realistic/nrp-e2 realistic/nrp-e3 realistic/nrp-e4 realistic/nrp-g1 realistic/nrp-g2 realistic/nrp-g3 realistic/nrp-g4 realistic/nrp-m1 realistic/nrp-m2 realistic/nrp-m3 realistic/nrp-m4"}
VENV=${TMPDIR:-/tmp}/tension-highs-venv
PIP_PINS=(highspy==1.16.0 numpy==2.4.6)

if [[ ! -x $VENV/bin/python ]]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install --quiet "${PIP_PINS[@]}"
cargo build --release --quiet
TENSION=target/release/tension
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

echo "| instance | ratio | budget | tension value | optimal | tension s | nodes | HiGHS value | HiGHS status | HiGHS s | HiGHS / tension |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
ours_total=0
highs_total=0
for instance in $INSTANCES; do
  for ratio in $RATIOS; do
    ours=$($TENSION nrp "$DATA/$instance.txt" --ratio "$ratio" --format json)
    # HiGHS prints its banner on standard output before any option can silence it.
    theirs=$("$VENV/bin/python" bench/nrp_highs.py "$DATA/$instance.txt" "$ratio" | tail -n 1)
    os=$(field seconds <<<"$ours")
    hs=$(field seconds <<<"$theirs")
    ours_total=$(python3 -c "print($ours_total + $os)")
    highs_total=$(python3 -c "print($highs_total + $hs)")
    printf '| %s | %s | %s | %s | %s | %.3f | %s | %s | %s | %.3f | %.1f |\n' \
      "$(basename "$instance")" "$ratio" "$(field budget <<<"$ours")" "$(field value <<<"$ours")" \
      "$(field optimal <<<"$ours")" "$os" "$(field nodes <<<"$ours")" "$(field value <<<"$theirs")" \
      "$(field status <<<"$theirs")" "$hs" "$(python3 -c "print($hs / max($os, 1e-9))")"
  done
done
printf '| **total** | | | | | **%.1f** | | | | **%.1f** | **%.1f** |\n' "$ours_total" "$highs_total" \
  "$(python3 -c "print($highs_total / $ours_total)")"

if [[ ${FRONT:-1} == 1 ]]; then
  front=$($TENSION nrp "$DATA/classic/nrp1.txt" --front --format json)
  python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(f\"\nnrp1 exact front: {len(d['front'])} points, optimal {d['optimal']}, {d['seconds']:.1f} s, {d['nodes']} nodes\")" "$front"
fi
