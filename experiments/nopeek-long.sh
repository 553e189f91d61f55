#!/usr/bin/env bash
# NoPeek trained to convergence (issue 13): the 2-epoch trade-off (nopeek-tradeoff.sh) charges NoPeek for a server
# that has not yet learnt to classify from the defended activations. Here every run sees the whole training set for
# EPOCHS epochs, so the accuracy cost is measured near convergence. mnist-cnn U-shaped, conv1 cut, 1 client,
# black-box inversion from 1,000 leaked pairs scored on 1,000 held-out test images.
# Usage: experiments/nopeek-long.sh   (DATA=..., DATASET=mnist, LIMIT=60000, EPOCHS=10, ALPHAS="0 0.5 1 2 5", SEED=1,
#        LANES=2 runs side by side, each with OMP_NUM_THREADS=1; writes experiments/results/nopeek-long-DATASET[-sSEED].md)
source "$(dirname "$0")/common.sh"
DATASET=${DATASET:-mnist}
LIMIT=${LIMIT:-60000}
EPOCHS=${EPOCHS:-10}
ALPHAS=${ALPHAS:-0 0.5 1 2 5}
SEED=${SEED:-1}
suffix=$([ "$SEED" = 1 ] || echo "-s$SEED")
LANES=${LANES:-2}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
result="$here/results/nopeek-long-$DATASET$suffix.md"
mkdir -p "$here/results"

run_one() {
  local alpha=$1 name="nopeek-long-$DATASET-$1$suffix"
  train "$name" --dataset "$DATASET" --model mnist-cnn --protocol u-shaped --clients 1 --epochs "$EPOCHS" \
    --limit "$LIMIT" --nopeek "$alpha" --seed "$SEED"
  attack "$name" inversion --dataset "$DATASET" --model mnist-cnn --protocol u-shaped --clients 1 --leaked 1000 \
    --limit 2000 --seed "$SEED"
}

# the runs, LANES at a time
pids=()
for alpha in $ALPHAS; do
  run_one "$alpha" &
  pids+=($!)
  if [ "${#pids[@]}" -ge "$LANES" ]; then
    wait "${pids[0]}"
    pids=("${pids[@]:1}")
  fi
done
for p in "${pids[@]}"; do wait "$p"; done

{
  echo "# NoPeek near convergence ($DATASET)"
  echo
  echo "mnist-cnn, U-shaped, cuts [conv1, fc1], 1 client, $LIMIT training images, $EPOCHS epochs, batch 64, Adam 1e-3,"
  echo "seed $SEED; leakage: dCor(X, A) after the last epoch, and black-box inversion (MLP decoder) from 1,000 leaked"
  echo "(image, activation) test pairs, scored on 1,000 held-out test images. $(provenance)"
  echo
  echo "| NoPeek alpha | test accuracy | dCor(X, A) | inversion SSIM | inversion PSNR (dB) | SSIM of the label's class mean |"
  echo "| --- | --- | --- | --- | --- | --- |"
  for alpha in $ALPHAS; do
    name="nopeek-long-$DATASET-$alpha$suffix"
    row "$name" "$alpha" inversion "$(printf %.3f "$(jq .ssim_of_label_only "$OUT/$name-inversion/attack.json")")"
  done
} | tee "$result"
