#!/usr/bin/env bash
# Cost of the kernel self-test that runs before every training: cold (first in a fresh JVM, as a
# run pays it) over RUNS fresh processes, and warm (fresh guards in one warm JVM).
#
#   bench/kernel-selftest.sh                 # mnist-cnn and ecg-cnn, 10 cold runs each, 20 warm
#   MODELS="cifar-resnet" RUNS=5 bench/kernel-selftest.sh
set -euo pipefail
cd "$(dirname "$0")/.."
MODELS=${MODELS:-mnist-cnn ecg-cnn}
RUNS=${RUNS:-10}
./splitlearn --version >/dev/null
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for m in $MODELS; do
  cold=()
  for _ in $(seq "$RUNS"); do
    cold+=("$(./splitlearn doctor --model "$m" | sed -n 's/^self-test .* failed, \([0-9]*\) ms.*/\1/p')")
  done
  sorted=$(printf '%s\n' "${cold[@]}" | sort -n)
  echo "$m cold (ms, $RUNS fresh JVMs): min $(echo "$sorted" | head -1) median $(echo "$sorted" | sed -n "$(( (RUNS + 1) / 2 ))p") max $(echo "$sorted" | tail -1)"
  ./splitlearn doctor --model "$m" --repeat 20 | grep '^warm'
done
# In a training run the whole self-test runs in the background while the data loads; results.json
# says what the run waited for (self_test_waited_ms) and what the checks took (self_test_ms).
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for m in $MODELS; do
  if [ "$m" != mnist-cnn ]; then continue; fi  # the demo data is MNIST
  waits=()
  for i in $(seq 5); do
    ./splitlearn train --model "$m" --data-dir demo-data --limit 640 --test-limit 100 --epochs 1 --no-progress \
        --out "$out/r$i" >/dev/null 2>&1
    waits+=("$(python3 -c "import json;k=json.load(open('$out/r$i/results.json'))['kernels'];print(str(k['self_test_waited_ms'])+'/'+str(k['self_test_ms']))")")
  done
  echo "$m in training runs, 5 runs, ms waited / ms of checks in the background: ${waits[*]}"
done
