#!/usr/bin/env bash
# DP on activations (issue 13): accuracy against the accountant's epsilon on MNIST, at two cuts: the conv1
# cut of mnist-cnn (U-shaped, 6,272 values per sample) and its fc1 cut (vanilla, 512 values per sample).
# Usage: experiments/dp.sh   (DATA=..., LIMIT=6000, EPOCHS=2; writes experiments/results/dp.md)
source "$(dirname "$0")/common.sh"
LIMIT=${LIMIT:-6000}
EPOCHS=${EPOCHS:-2}
result="$here/results/dp.md"
mkdir -p "$here/results"
{
  echo "# DP on activations: accuracy against epsilon"
  echo
  echo "mnist-cnn, 1 client, $LIMIT training images, $EPOCHS epochs, batch 64, Adam 1e-3, seed 1; each sample's activation"
  echo "row clipped to L2 norm C = 1, Gaussian noise of deviation Z C per value; epsilon at delta 1e-5 from the RDP"
  echo "accountant (replacement neighbours, sensitivity 2C, one release per sample and epoch, no amplification)."
  echo "$(provenance)"
  echo
  echo "| cut (values per sample) | Z | epsilon after the last epoch | test accuracy | dCor(X, A) |"
  echo "| --- | --- | --- | --- | --- |"
  for spec in "u-shaped conv1,fc1 6272 0" "u-shaped conv1,fc1 6272 0.005" "u-shaped conv1,fc1 6272 0.02" \
      "u-shaped conv1,fc1 6272 0.1" "vanilla fc1 512 0" "vanilla fc1 512 0.05" "vanilla fc1 512 0.2" "vanilla fc1 512 1"; do
    set -- $spec
    name="dp-$1-$4"
    dp=()
    if [ "$4" != 0 ]; then dp=(--dp-clip 1 --dp-noise "$4"); fi
    train "$name" --dataset mnist --model mnist-cnn --protocol "$1" --cuts "$2" --clients 1 --epochs "$EPOCHS" \
      --limit "$LIMIT" "${dp[@]}"
    r="$OUT/$name/results.json"
    printf '| %s %s (%s) | %s | %s | %.4f | %.3f |\n' "$1" "$2" "$3" "$4" \
      "$(jq -r 'if .privacy then (.privacy.per_epoch[-1].epsilon|tostring) else "none" end' "$r")" \
      "$(jq .test_accuracy "$r")" "$(jq '.per_epoch[-1].distanceCorrelation' "$r")"
  done
} | tee "$result"
