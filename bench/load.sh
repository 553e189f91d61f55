#!/usr/bin/env bash
# Server throughput and fairness under many sessions: for each N in SESSIONS, a server for N clients
# (parallel schedule, --order arrival, one epoch) and `splitlearn load` with N concurrent sessions
# of synthetic activations, TOTAL steps in all; prints server steps/s, the slowest session against
# the median, and the server's peak RSS. Run nothing else meanwhile.
#
#   bench/load.sh                                  # ecg-cnn (MIT-BIH shapes), batch 32, N = 1 10 100
#   SESSIONS="1 10 100" TOTAL=3000 MODEL=mnist-cnn DATASET=mnist BATCH=16 bench/load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${MODEL:-ecg-cnn}
DATASET=${DATASET:-mitbih}
BATCH=${BATCH:-32}
TOTAL=${TOTAL:-2000}
SESSIONS=${SESSIONS:-1 10 100}
out=$(mktemp -d)
trap 'rm -rf "$out"; kill $(jobs -p) 2>/dev/null || true' EXIT
./splitlearn --version >/dev/null
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)  cores: $(nproc)  model: $MODEL  batch: $BATCH"
echo "| sessions | steps each | server steps/s | session steps/s median | slowest / median | server peak RSS MB |"
echo "|---|---|---|---|---|---|"
for n in $SESSIONS; do
  steps=$(( TOTAL / n ))
  port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  ./splitlearn server --model "$MODEL" --dataset "$DATASET" --batch "$BATCH" --clients "$n" --epochs 1 \
      --sync-every 1000000 --order arrival --port "$port" --out "$out/server-$n" >"$out/server-$n.log" 2>&1 &
  server=$!
  ./splitlearn load --model "$MODEL" --dataset "$DATASET" --batch "$BATCH" --clients "$n" --sessions "$n" \
      --steps "$steps" --server "127.0.0.1:$port" --out "$out/load-$n" >/dev/null 2>"$out/load-$n.log" \
      || { cat "$out/load-$n.log" "$out/server-$n.log"; exit 1; }
  wait "$server"
  python3 - "$out/load-$n/load.json" "$out/server-$n/results.json" "$n" "$steps" <<'PY'
import json, sys
load = json.load(open(sys.argv[1])); server = json.load(open(sys.argv[2]))
print(f"| {sys.argv[3]} | {sys.argv[4]} | {load['server_steps_per_second']:.1f} | {load['session_steps_per_second_median']:.2f} "
      f"| {load['slowest_over_median']:.2f} | {server['peak_rss_mb']} |")
PY
done
