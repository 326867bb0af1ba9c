#!/usr/bin/env bash
# The meeting view of `examples/checkout.toml` on a release server, SQLite in a fresh folder:
# the first page of each plan runs the engines (plan at 2,000 trials, the plan's forecast at
# 10,000, explain at 2,000); later pages of the same scenario come from the engines' cache.
# Cold: each plan's first page with curl, one after another. Warm: wrk, 4 connections.
#
# Run from the repository root:  bench/meeting.sh    (needs curl and wrk)
# Environment: DURATION in seconds (default 20), PORT (default 7881).
set -euo pipefail

DURATION=${DURATION:-20}
PORT=${PORT:-7881}
ROOT=$(pwd)
cargo build --release --quiet
TENSION=$ROOT/target/release/tension
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
cd "$WORK"
export TENSION_DB=sqlite://$WORK/tension.db
$TENSION workspace create checkout > /dev/null
echo "meeting bench password" | $TENSION user add bea --workspace checkout --role business > /dev/null
$TENSION workspace import checkout "$ROOT/examples/checkout.toml" > /dev/null
$TENSION serve --addr 127.0.0.1:$PORT 2> server.log &
SERVER=$!
until curl -sf http://127.0.0.1:$PORT/healthz > /dev/null; do sleep 0.1; done
URL=http://127.0.0.1:$PORT
COOKIE=$(curl -s -D - -o /dev/null -X POST -d 'name=bea&password=meeting+bench+password' "$URL/login" |
  sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p')

echo "## cold: the first page of each plan (engines run)"
for plan in 1 2 3 4; do
  curl -s -o /dev/null -w "plan $plan: %{time_total} s, HTTP %{http_code}\n" -H "Cookie: $COOKIE" \
    "$URL/w/checkout/meeting?plan=$plan"
done
echo "## warm: each plan's page again (engines cached), curl one after another"
for plan in 1 2 3 4; do
  curl -s -o /dev/null -w "plan $plan: %{time_total} s, HTTP %{http_code}\n" -H "Cookie: $COOKIE" \
    "$URL/w/checkout/meeting?plan=$plan"
done
echo "## warm: the same page again (engines cached; wrk, 4 connections)"
wrk -t2 -c4 -d"${DURATION}s" --latency -H "Cookie: $COOKIE" "$URL/w/checkout/meeting?plan=3" |
  grep -E "Requests/sec|50%|99%|Non-2xx" || true
