#!/usr/bin/env bash
# Label inference against gradient DP (issue 13): what the label attack reads from the tap when the
# gradients that carry the labels are clipped and noised. Vanilla: the server's --grad-dp-* on the
# activations' gradient it returns (what an observer of the link reads); U-shaped: the client's
# --grad-dp-* on the cloud output's gradient it sends (what the server reads). MNIST, mnist-cnn,
# conv1 cut, 1 client; label attack = nearest class-mean direction with 10 known labels per class.
# Usage: experiments/label-dp.sh   (DATA=..., LIMIT=6000, EPOCHS=2, PARTS="vanilla u-shaped";
# writes experiments/results/label-dp.md)
source "$(dirname "$0")/common.sh"
LIMIT=${LIMIT:-6000}
EPOCHS=${EPOCHS:-2}
PARTS=${PARTS:-vanilla u-shaped}
result="$here/results/label-dp.md"
mkdir -p "$here/results"
common=(--dataset mnist --model mnist-cnn --clients 1 --limit "$LIMIT" --test-limit 1000 --epochs "$EPOCHS")
{
  echo "# Label inference against gradient DP"
  echo
  echo "mnist-cnn, conv1 cut, 1 client, $LIMIT training images, $EPOCHS epochs, batch 64, Adam 1e-3, seed 1, 1,000"
  echo "test images. Each sample's row of the gradient that crosses the wire is clipped to L2 norm C and"
  echo "Gaussian noise of deviation Z C is added per value (vanilla: by the server, on the activations'"
  echo "gradient it returns; U-shaped: by the client, on the cloud output's gradient it sends); epsilon at"
  echo "delta 1e-5 from the RDP accountant (replacement, sensitivity 2C, one release per sample and epoch)."
  echo "Attack: \`splitlearn attack --kind label --tap\`, nearest class-mean direction with 10 known labels"
  echo "per class, scored on every other training sample the tap holds; chance = the most frequent class."
  echo "$(provenance)"
  echo
  echo "| mode (gradient attacked) | C | Z | epsilon after the last epoch | test accuracy | label attack accuracy | chance | macro AUC |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
  for spec in "vanilla 0.01 0" "vanilla 0.01 0.1" "vanilla 0.01 0.5" "vanilla 0.01 2" \
      "u-shaped 0.01 0" "u-shaped 0.01 0.1" "u-shaped 0.01 0.5" "u-shaped 0.01 2" \
      "u-shaped 0.001 0.1" "u-shaped 0.001 0.5"; do
    set -- $spec
    case " $PARTS " in *" $1 "*) ;; *) continue ;; esac
    name="labeldp-$1-$3"
    if [ "$2" != 0.01 ]; then name="$name-c$2"; fi
    dp=()
    if [ "$3" != 0 ]; then dp=(--grad-dp-clip "$2" --grad-dp-noise "$3"); fi
    train "$name" "${common[@]}" --protocol "$1" "${dp[@]}" --tap "$OUT/$name.tap"
    attack "$name" label "${common[@]}" --protocol "$1" --tap "$OUT/$name.tap"
    if [ -z "${KEEP_TAPS:-}" ]; then rm -f "$OUT/$name.tap"; fi  # hundreds of MB; the attack's result is kept
    r="$OUT/$name/results.json" a="$OUT/$name-label/attack.json"
    printf '| %s | %s | %s | %s | %.4f | %s | %s | %s |\n' "$1" "$2" "$3" \
      "$(jq -r 'if .gradient_privacy then (.gradient_privacy.per_epoch[-1].epsilon*10|round/10|tostring) else "none" end' "$r")" \
      "$(jq .test_accuracy "$r")" \
      "$(jq -r '[.. | objects | select(has("accuracy") and has("chance"))][0] | .accuracy*1000|round/1000' "$a")" \
      "$(jq -r '[.. | objects | select(has("accuracy") and has("chance"))][0] | .chance*1000|round/1000' "$a")" \
      "$(jq -r '[.. | objects | select(has("accuracy") and has("chance"))][0] | (.macroAuc // .macro_auc // "n/a") | if type=="number" then (.*1000|round/1000) else . end' "$a")"
  done
} | tee "$result"
