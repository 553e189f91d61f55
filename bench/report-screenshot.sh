#!/usr/bin/env bash
# The README's report screenshot (docs/report.png), from small real runs: mnist-cnn U-shaped on the
# first LIMIT MNIST training images for EPOCHS epochs, without and with NoPeek (alpha 1), each attacked
# by black-box inversion from 500 leaked pairs; then `splitlearn report` and headless Debian Chromium.
# Takes a few minutes on 2 cores. Needs MNIST under DATA (see the README's Data section).
#
#   bench/report-screenshot.sh                         # DATA=~/.cache/splitlearn/ci-data LIMIT=2000 EPOCHS=3
#   DATA=/data LIMIT=5000 EPOCHS=2 bench/report-screenshot.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-$HOME/.cache/splitlearn/ci-data}
LIMIT=${LIMIT:-2000}
EPOCHS=${EPOCHS:-3}
OUT=${OUT:-runs/report-screenshot}
if ! command -v chromium >/dev/null; then
  echo "report-screenshot: installing Debian's chromium" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q chromium
  else sudo apt-get update -q && sudo apt-get install -y -q chromium; fi
fi
common=(--config configs/mnist-u-shaped.yaml --data-dir "$DATA" --test-limit 1000)
for kind in plain nopeek; do
  defense=()
  [ "$kind" = nopeek ] && defense=(--nopeek 1)
  # NoPeek runs sometimes stop at their first steps on a NaN activation (the server refuses it); seen in 5 of 9
  # runs of this command on 2026-11-30, not fixed yet: try up to 3 times, saying so
  for try in 1 2 3; do
    ./splitlearn train "${common[@]}" --limit "$LIMIT" --epochs "$EPOCHS" "${defense[@]}" --out "$OUT/mnist-$kind" \
      && break
    [ "$try" = 3 ] && { echo "report-screenshot: $kind training failed 3 times" >&2; exit 1; }
    echo "report-screenshot: $kind training failed (try $try of 3), trying again" >&2
    rm -rf "${OUT:?}/mnist-$kind"
  done
  ./splitlearn attack "${common[@]}" --run "$OUT/mnist-$kind" --leaked 500 --out "$OUT/mnist-$kind-attack"
done
./splitlearn report "$OUT" --title "mnist-cnn U-shaped, $LIMIT images, $EPOCHS epochs: NoPeek or not" \
  --out "$OUT/report.html"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" --hide-scrollbars \
  --screenshot=docs/report.png --window-size=1280,2000 "file://$(pwd)/$OUT/report.html" 2>/dev/null
echo "report-screenshot: docs/report.png ($(( $(stat -c %s docs/report.png) / 1024 )) KB) of $OUT/report.html"
