#!/usr/bin/env bash
# NoPeek combined with Gaussian noise on the activations (issue 13): does noise on top of NoPeek bring the
# black-box inversion's SSIM to half the undefended run's within 1 pp of accuracy? mnist-cnn U-shaped, conv1 cut,
# 1 client, black-box inversion from 1,000 leaked pairs (the noise is on every activation the client sends, test
# ones included, so the attacker's pairs carry it too).
# Usage: experiments/nopeek-noise.sh   (DATA=..., LIMIT=6000, EPOCHS=2; writes experiments/results/nopeek-noise.md)
source "$(dirname "$0")/common.sh"
LIMIT=${LIMIT:-6000}
EPOCHS=${EPOCHS:-2}
SPECS=${SPECS:-0:0 0:0.1 0:0.25 5:0 5:0.1 5:0.25}
result="$here/results/nopeek-noise.md"
mkdir -p "$here/results"
{
  echo "# NoPeek with Gaussian noise on the activations"
  echo
  echo "mnist-cnn, U-shaped, cuts [conv1, fc1], 1 client, $LIMIT training images, $EPOCHS epochs, batch 64, Adam 1e-3,"
  echo "seed 1; \`--nopeek ALPHA --noise gaussian:S\` (noise of deviation S on every activation value sent, training and"
  echo "test); leakage: black-box inversion (MLP decoder) from 1,000 leaked (image, noisy activation) test pairs, scored"
  echo "on 1,000 held-out test images. $(provenance)"
  echo
  echo "| NoPeek alpha | noise S | test accuracy | dCor(X, A) | inversion SSIM | inversion PSNR (dB) |"
  echo "| --- | --- | --- | --- | --- | --- |"
  for spec in $SPECS; do
    alpha=${spec%%:*} s=${spec##*:}
    name="nopeek-noise-$alpha-$s"
    noise=()
    if [ "$s" != 0 ]; then noise=(--noise "gaussian:$s" --noise-seed run); fi
    train "$name" --dataset mnist --model mnist-cnn --protocol u-shaped --clients 1 --epochs "$EPOCHS" \
      --limit "$LIMIT" --nopeek "$alpha" "${noise[@]}"
    attack "$name" inversion --dataset mnist --model mnist-cnn --protocol u-shaped --clients 1 --leaked 1000 \
      --limit 2000 --nopeek "$alpha" "${noise[@]}"
    row "$name" "$alpha | $s" inversion
  done
} | tee "$result"
