#!/usr/bin/env bash
# The depth experiment (issue 13, after "Multiple Classification with Split Learning"): black-box inversion
# quality against the depth of the client's extractor, on MNIST and Fashion-MNIST. cifar-resnet8 (ResNet-8
# on 28x28) cut after its stem (1 block), stage1 (2) and stage2 (3); mnist-cnn after conv1 (1) and conv2 (2).
# Usage: experiments/depth.sh   (DATA=..., LIMIT=6000, EPOCHS=3; writes experiments/results/depth.md)
source "$(dirname "$0")/common.sh"
LIMIT=${LIMIT:-6000}
EPOCHS=${EPOCHS:-3}
result="$here/results/depth.md"
mkdir -p "$here/results"
{
  echo "# Inversion against extractor depth"
  echo
  echo "U-shaped, 1 client, $LIMIT training images, $EPOCHS epochs, batch 64, Adam 1e-3, seed 1; black-box inversion"
  echo "(MLP decoder) from 1,000 leaked test pairs, scored on 1,000 held-out test images. $(provenance)"
  for ds in mnist fashion-mnist; do
    echo
    echo "## $ds"
    echo
    echo "| model, client blocks (cut) | test accuracy | dCor(X, A) | inversion SSIM | inversion PSNR (dB) |"
    echo "| --- | --- | --- | --- | --- |"
    for spec in "mnist-cnn 1 conv1,fc1" "mnist-cnn 2 conv2,fc1" "cifar-resnet8 1 stem,pool" \
        "cifar-resnet8 2 stage1,pool" "cifar-resnet8 3 stage2,pool"; do
      set -- $spec
      name="depth-$ds-$1-$2"
      train "$name" --dataset "$ds" --model "$1" --protocol u-shaped --cuts "$3" --clients 1 --epochs "$EPOCHS" --limit "$LIMIT"
      attack "$name" inversion --dataset "$ds" --model "$1" --protocol u-shaped --cuts "$3" --clients 1 --leaked 1000 --limit 2000
      row "$name" "$1, $2 ($3)" inversion
    done
  done
} | tee "$result"
