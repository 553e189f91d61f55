#!/usr/bin/env bash
# PrivyNet (issue 14, items 1-2): the client's extractor is the first k blocks of an mnist-cnn pretrained on
# the public Fashion-MNIST, frozen, keeping c channels (ranked by filter L1); the private task is MNIST.
# Usage: experiments/privynet.sh   (DATA=..., LIMIT=6000, EPOCHS=2, GRID='k=1,2;c=4,16,32', PRETRAIN_LIMIT=0 (all);
# writes experiments/results/privynet.md, runs under experiments/out/privynet; a pretrained model found there is reused)
source "$(dirname "$0")/common.sh"
LIMIT=${LIMIT:-6000}
EPOCHS=${EPOCHS:-2}
GRID=${GRID:-k=1,2;c=4,16,32}
PRETRAIN_LIMIT=${PRETRAIN_LIMIT:-0}
pre="$OUT/privynet-fmnist-pretrained"
if [ ! -f "$pre/pretrain.json" ]; then
  "$splitlearn" pretrain --dataset fashion-mnist --model mnist-cnn --epochs 2 --limit "$PRETRAIN_LIMIT" \
    --data-dir "$DATA" --no-progress --out "$pre" >"$OUT/privynet-pretrain.log" 2>&1 \
    || { echo "experiment: pretrain failed, see $OUT/privynet-pretrain.log" >&2; exit 1; }
fi
"$splitlearn" characterize --dataset mnist --model mnist-cnn --pretrained "$pre" --grid "$GRID" --limit "$LIMIT" \
  --epochs "$EPOCHS" --data-dir "$DATA" --out "$OUT/privynet" >"$OUT/privynet.log" 2>&1 \
  || { echo "experiment: characterize failed, see $OUT/privynet.log" >&2; tail -3 "$OUT/privynet.log" >&2; exit 1; }
result="$here/results/privynet.md"
mkdir -p "$here/results"
{
  echo "# Frozen pretrained extractors (PrivyNet) on MNIST"
  echo
  info="$pre/pretrain.json"
  echo "mnist-cnn pretrained on $(jq .train_samples "$info") Fashion-MNIST images ($(jq .epochs "$info") epochs,"
  echo "test accuracy $(jq .test_accuracy "$info"));"
  echo "U-shaped, 1 client, $LIMIT MNIST training images, $EPOCHS epochs, batch 64, Adam 1e-3, seed 1; channels"
  echo "ranked by filter L1; black-box inversion from 1,000 leaked test pairs, scored on 1,000 others. $(provenance)"
  echo
  echo "| k | c | test accuracy | inversion SSIM | dCor(X, A) | client MFLOPs/sample | client KB | wire KB/sample |" \
    "Pareto |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  tail -n +2 "$OUT/privynet/characterize.csv" \
    | while IFS=, read -r k c sel kept acc ssim psnr dcor mflops bytes wire front run; do
    printf '| %s | %s | %s | %s | %s | %s | %.1f | %.1f | %s |\n' "$k" "$c" "$acc" "$ssim" "$dcor" "$mflops" \
      "$(echo "$bytes / 1024" | bc -l)" "$(echo "$wire / 1024" | bc -l)" "$front"
  done
} | tee "$result"
