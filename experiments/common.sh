# Shared by the experiment scripts: the launcher, the data folder, a results folder, and one-line helpers.
# DATA (default: the user cache) holds the data sets (../shared/bin/fetch-data DATA mnist fashion-mnist mitbih).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
splitlearn=${SPLITLEARN:-$here/../splitlearn}  # another launcher (e.g. a fixed build) if set
DATA=${DATA:-$HOME/.cache/splitlearn/ci-data}
OUT=${OUT:-$here/out}
mkdir -p "$OUT"

# train NAME ARGS...: a training run into $OUT/NAME (skipped if it already finished)
train() {
  local name=$1; shift
  if [ -f "$OUT/$name/results.json" ]; then return; fi
  "$splitlearn" train --data-dir "$DATA" --no-progress --out "$OUT/$name" "$@" >"$OUT/$name.log" 2>&1 \
    || { echo "experiment: $name failed, see $OUT/$name.log" >&2; tail -3 "$OUT/$name.log" >&2; exit 1; }
}

# attack NAME KIND RUN-ARGS...: black-box inversion (or another --kind) of run NAME into $OUT/NAME-KIND
attack() {
  local name=$1 kind=$2; shift 2
  if [ -f "$OUT/$name-$kind/attack.json" ]; then return; fi
  "$splitlearn" attack --run "$OUT/$name" --kind "$kind" --data-dir "$DATA" --out "$OUT/$name-$kind" "$@" \
    >"$OUT/$name-$kind.log" 2>&1 \
    || { echo "experiment: attack on $name failed, see $OUT/$name-$kind.log" >&2; tail -3 "$OUT/$name-$kind.log" >&2; exit 1; }
}

# row NAME LABEL KIND [MORE]: one markdown table row: label, test accuracy, last dCor, attack SSIM / PSNR /
# Pearson, then the cells MORE (already formatted, " | " between them) if given
row() {
  local r="$OUT/$1/results.json" a="$OUT/$1-$3/attack.json" score more=${4:+ $4 |}
  score=$(jq -r 'if .ssim != null then .ssim else (.pearson // "n/a") end' "$a")
  [ "$score" = n/a ] || score=$(printf %.3f "$score")
  printf '| %s | %.4f | %.3f | %s | %.2f |%s\n' "$2" "$(jq .test_accuracy "$r")" \
    "$(jq '.per_epoch[-1].distanceCorrelation' "$r")" "$score" "$(jq .psnr_db "$a")" "$more"
}

# provenance: date, machine and commit, for the results file
provenance() {
  echo "Measured $(date -u +%Y-%m-%d) on $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc --all) cores, libtorch threads ${OMP_NUM_THREADS:-default};" \
    "commit $(git -C "$here" rev-parse --short HEAD)."
}
