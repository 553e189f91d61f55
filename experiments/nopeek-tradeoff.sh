#!/usr/bin/env bash
# NoPeek's trade-off (issue 13): accuracy and leakage for alpha in {0, 0.1, 0.5, 1, 2, 5} on MNIST and
# Fashion-MNIST (and 20, 100 to see where it bites); mnist-cnn U-shaped, its conv1 cut, black-box inversion from 1,000 leaked pairs.
# Usage: experiments/nopeek-tradeoff.sh   (DATA=..., LIMIT=6000, EPOCHS=3; writes experiments/results/nopeek-tradeoff.md)
source "$(dirname "$0")/common.sh"
LIMIT=${LIMIT:-6000}
EPOCHS=${EPOCHS:-3}
ALPHAS=${ALPHAS:-0 0.1 0.5 1 2 5 20 100}
result="$here/results/nopeek-tradeoff.md"
mkdir -p "$here/results"
{
  echo "# NoPeek trade-off"
  echo
  echo "mnist-cnn, U-shaped, cuts [conv1, fc1], 1 client, $LIMIT training images, $EPOCHS epochs, batch 64, Adam 1e-3,"
  echo "seed 1; leakage: dCor(X, A) after the last epoch, and black-box inversion (MLP decoder) from 1,000 leaked"
  echo "(image, activation) test pairs, scored on 1,000 held-out test images. $(provenance)"
  for ds in mnist fashion-mnist; do
    echo
    echo "## $ds"
    echo
    echo "| NoPeek alpha | test accuracy | dCor(X, A) | inversion SSIM | inversion PSNR (dB) |"
    echo "| --- | --- | --- | --- | --- |"
    for alpha in $ALPHAS; do
      name="nopeek-$ds-$alpha"
      train "$name" --dataset "$ds" --model mnist-cnn --protocol u-shaped --clients 1 --epochs "$EPOCHS" \
        --limit "$LIMIT" --nopeek "$alpha"
      attack "$name" inversion --dataset "$ds" --model mnist-cnn --protocol u-shaped --clients 1 --leaked 1000 --limit 2000
      row "$name" "$alpha" inversion
    done
  done
} | tee "$result"
