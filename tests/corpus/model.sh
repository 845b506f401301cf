#!/usr/bin/env bash
# model.sh BUILDDIR — make ocr-model: refits the extractor's model from the
# layout corpus and writes what is committed:
#   tests/corpus/fit/candidates.jsonl.gz  every candidate's features, as
#                                         ocr_read -C printed them
#   tests/corpus/fit/truth.jsonl          the corpus truth (layouts, folds)
#   tests/corpus/fit/words/               one reading per layout, for the
#                                         test that C and fit.py agree
#   fcgi/ocr/model_weights.inc            the fitted tables
# OCR_MODEL_PER vouchers a layout (default 4), OCR_MODEL_SEED (default
# 20261207): the same seed gives the same corpus, candidates and weights.
# Reviewers' corrections join the fit with OCR_MODEL_EXTRA="CANDS TRUTH".
set -euo pipefail
build=$(cd "${1:?BUILDDIR}" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
per=${OCR_MODEL_PER:-4}
seed=${OCR_MODEL_SEED:-20261207}
work=${OCR_MODEL_DIR:-$(mktemp -d /tmp/comprobar-ocr-model.XXXXXX)}
fit=$src/tests/corpus/fit
mkdir -p "$work/words"
"$src/tests/bench/ocr_banks.sh" "$src" > "$work/banks.tsv"
"$src/tests/corpus/build.sh" "$build" "$work/corpus" "$per" "$seed"
cd "$work/corpus"
files=$(ls | grep -E '^[0-9]+-(clean|textpdf|scanpdf|photo)\.' | sort)
missing=$(for f in $files; do [ -f "$work/words/$f.words.json" ] || echo "$f"; done)
if [ -n "$missing" ]; then
  # shellcheck disable=SC2086
  "$build/tests/bench/ocr_read" -j "$(nproc)" -b "$work/banks.tsv" -W "$work/words" \
    $missing > /dev/null
fi
"$build/tests/bench/ocr_read" -R -b "$work/banks.tsv" -C "$work/cands.jsonl" \
  "$work"/words/*.words.json > /dev/null
mkdir -p "$fit/words"
gzip -9n < "$work/cands.jsonl" > "$fit/candidates.jsonl.gz"
python3 -c '
import json, sys
keep = ("id", "layout", "fold", "family", "style", "country", "amount", "currency",
        "date", "reference", "bankCode", "paymentMethod")
for line in open(sys.argv[1]):
    t = json.loads(line)
    print(json.dumps({k: t[k] for k in keep}, ensure_ascii=False))
' "$work/corpus/truth.jsonl" > "$fit/truth.jsonl"
rm -f "$fit"/words/*.words.json
# The first voucher of each layout, in each condition it comes in.
n=$(wc -l < "$work/corpus/layouts.txt")
for i in $(seq 0 $((n - 1))); do
  id=$(printf '%04d' "$i")
  cp "$work/words/$id"-*.words.json "$fit/words/"
done
extra=()
if [ -n "${OCR_MODEL_EXTRA:-}" ]; then
  # shellcheck disable=SC2206
  pair=($OCR_MODEL_EXTRA)
  extra=(--extra "${pair[0]}" "${pair[1]}")
fi
/usr/bin/python3 "$src/tests/corpus/fit.py" "$fit/candidates.jsonl.gz" "$fit/truth.jsonl" \
  "${extra[@]}" --origin "layout corpus seed $seed, $per a layout" \
  --write "$src/fcgi/ocr/model_weights.inc" --report
