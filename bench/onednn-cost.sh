#!/usr/bin/env bash
# What switching oneDNN off costs: two training epochs of a model with --onednn on and off,
# alternating, PAIRS pairs, on the demo's MNIST subset (or DATA/DATASET given). Prints the second
# (warm) epoch's time of each run and the median off/on ratio. Run nothing else meanwhile (libtorch threads collapse when
# the cores are shared).
#
#   bench/onednn-cost.sh                                  # mnist-cnn on demo-data, 3 pairs
#   MODEL=ecg-cnn DATASET=mitbih DATA=DIR LIMIT=13245 bench/onednn-cost.sh
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${MODEL:-mnist-cnn}
DATASET=${DATASET:-mnist}
DATA=${DATA:-demo-data}
LIMIT=${LIMIT:-0}
PAIRS=${PAIRS:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
./splitlearn --version >/dev/null
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)  model: $MODEL"
ratios=()
for i in $(seq "$PAIRS"); do
  declare -A t
  for mode in on off; do
    ./splitlearn train --model "$MODEL" --dataset "$DATASET" --data-dir "$DATA" --limit "$LIMIT" --epochs 2 \
        --test-limit 500 --no-progress --onednn "$mode" --out "$out/$mode" 2>/dev/null >/dev/null
    t[$mode]=$(python3 -c "import json;print(json.load(open('$out/$mode/results.json'))['per_epoch'][1]['seconds'])")
  done
  r=$(python3 -c "print(f'{${t[off]}/${t[on]}:.3f}')")
  ratios+=("$r")
  echo "pair $i: on ${t[on]} s, off ${t[off]} s, off/on $r"
done
echo "median off/on: $(printf '%s\n' "${ratios[@]}" | sort -n | sed -n "$(( (PAIRS + 1) / 2 ))p")"
