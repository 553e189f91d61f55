#!/usr/bin/env bash
# MIT-BIH (issue 13): how well a curious server inverts plaintext ecg-cnn activations back to beats (the
# reason to encrypt), and what it learns of labels under --he ckks, from its tap, at batch 64 and batch 1.
# Usage: experiments/mitbih.sh   (DATA=...; writes experiments/results/mitbih.md)
source "$(dirname "$0")/common.sh"
result="$here/results/mitbih.md"
mkdir -p "$here/results"
ecg=(--dataset mitbih --model ecg-cnn --protocol u-shaped --clients 1)
train mitbih-plain "${ecg[@]}" --epochs 2 --limit 20000 --test-limit 5000
attack mitbih-plain inversion "${ecg[@]}" --leaked 1000 --limit 2000
train mitbih-he64 "${ecg[@]}" --epochs 2 --limit 3000 --test-limit 500 --he ckks --tap "$OUT/mitbih-he64.tap"
attack mitbih-he64 label "${ecg[@]}" --limit 3000 --test-limit 500 --tap "$OUT/mitbih-he64.tap"
train mitbih-he1 "${ecg[@]}" --epochs 1 --limit 300 --test-limit 200 --batch 1 --he ckks --he-min-batch 1 \
  --tap "$OUT/mitbih-he1.tap"
attack mitbih-he1 label "${ecg[@]}" --limit 300 --test-limit 200 --batch 1 --tap "$OUT/mitbih-he1.tap"
{
  echo "# MIT-BIH: inverting activations, and labels under CKKS"
  echo
  echo "ecg-cnn, U-shaped, cuts [conv2, fc], 1 client, seed 1. $(provenance)"
  echo
  echo "Plaintext (20,000 training beats, 2 epochs): test accuracy $(jq .test_accuracy "$OUT/mitbih-plain/results.json");"
  echo "black-box inversion of the activations (256 values per beat) from 1,000 leaked test pairs, scored on 1,000"
  a="$OUT/mitbih-plain-inversion/attack.json"
  echo "held-out beats: Pearson correlation $(jq '.pearson*1000|round/1000' "$a") with the originals, MSE"
  echo "$(jq '.mse*10000|round/10000' "$a"); guessing the held-out beats' mean beat for every one gives Pearson"
  echo "$(jq '.pearson_of_guessing_the_mean*1000|round/1000' "$a"), MSE $(jq '.mse_of_guessing_the_mean*10000|round/10000' "$a")."
  echo
  echo "Under \`--he ckks\` (defaults: aggregate gradients, minimum batch 8), label inference from the server's tap:"
  echo
  echo '```'
  tail -1 "$OUT/mitbih-he64-label.log"
  echo '```'
  echo
  echo "At batch 1 (\`--batch 1 --he-min-batch 1\`, which the defaults refuse), from the same kind of tap:"
  echo
  echo '```'
  tail -1 "$OUT/mitbih-he1-label.log"
  echo '```'
} | tee "$result"
