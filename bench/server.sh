#!/usr/bin/env bash
# Team server load: 50 clients for 30 s against a release server on loopback, SQLite in a fresh
# folder. Item reads with wrk and with the load example, item edits with the load example (each
# client edits its own item at its version, and every acknowledged edit is checked at the end),
# then forecasts of a 300-item workspace with wrk, one request at a time and four at once.
#
# Run from the repository root:  bench/server.sh
# Environment: CLIENTS (default 50), DURATION in seconds (default 30), PORT (default 7880).
set -euo pipefail

CLIENTS=${CLIENTS:-50}
DURATION=${DURATION:-30}
PORT=${PORT:-7880}
ROOT=$(pwd)
cargo build --release --quiet
cargo build --release --quiet -p tension-server --example load
TENSION=$ROOT/target/release/tension
LOAD=$ROOT/target/release/examples/load
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
cd "$WORK"
export TENSION_DB=sqlite://$WORK/tension.db
$TENSION workspace create checkout > /dev/null
echo "load test password" | $TENSION user add load --workspace checkout --role admin > /dev/null
$TENSION workspace import checkout "$ROOT/examples/checkout.toml" > /dev/null
TOKEN=$($TENSION user token load)
$TENSION serve --addr 127.0.0.1:$PORT 2> server.log &
SERVER=$!
until curl -sf http://127.0.0.1:$PORT/healthz > /dev/null; do sleep 0.1; done
URL=http://127.0.0.1:$PORT

echo "## reads (wrk, $CLIENTS connections, 2 threads)"
wrk -t2 -c"$CLIENTS" -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" \
  "$URL/api/v1/workspaces/checkout/items/wallets" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors" || true
echo "## reads (load example)"
$LOAD "$URL" "$TOKEN" checkout read "$CLIENTS" "$DURATION"
echo "## edits (load example)"
$LOAD "$URL" "$TOKEN" checkout write "$CLIENTS" "$DURATION"

echo "## forecast of a 300-item workspace (wrk, 1 connection, then 4)"
$TENSION workspace create big > /dev/null
$TENSION workspace member big load admin > /dev/null
cargo run --release --quiet --manifest-path "$ROOT/Cargo.toml" -p tension-forecast --example generate -- 300 > big.toml
$TENSION workspace import big big.toml > /dev/null
for connections in 1 4; do
  wrk -t1 -c"$connections" -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" \
    "$URL/api/v1/workspaces/big/forecast" | grep -E "Requests/sec|50%|75%|90%|99%|Non-2xx" || true
done
