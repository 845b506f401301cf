#!/usr/bin/env bash
# ocr_run.sh BUILDDIR — make bench-ocr.  Not a test: it asserts nothing.
#  1. The layout corpus (tests/corpus/build.sh: 52 layouts of the five
#     countries, BENCH_OCR_PER vouchers each, default 3, in every condition
#     such a voucher comes in), from a seed other than the one the committed
#     model was fitted on.
#  2. Reads it with our pipeline and the committed model on every core, and
#     with the tesseract command-line tool + regex on every core: accuracy,
#     calibration and speed side by side (ocr_score.py).  The committed
#     model has seen these layouts (other vouchers of them): in-fold.
#  3. From the same readings, leave-layouts-out (tests/corpus/fit.py): for
#     each fold, weights and calibration fitted without its layouts — the
#     held-out figures are the ones that count; the gap to in-fold is
#     printed beside them.
#     Word boxes on the photos against the words' true positions there.
#  4. The real receipts of ../shared/receipts-sroie (never fitted on), ours
#     beside the CLI's, one engine each, one receipt at a time.
set -euo pipefail
build=$(cd "${1:?BUILDDIR}" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
per=${BENCH_OCR_PER:-3}
seed=${BENCH_OCR_SEED:-20261121}
cores=$(nproc)
work=${BENCH_OCR_DIR:-$(mktemp -d /tmp/comprobar-ocr-bench.XXXXXX)}
mkdir -p "$work/words" "$work/real-words" "$work/real-txt"
"$src/tests/bench/ocr_banks.sh" "$src" > "$work/banks.tsv"
"$src/tests/corpus/build.sh" "$build" "$work/corpus" "$per" "$seed"
cd "$work/corpus"
files=$(ls | grep -E '^[0-9]+-(clean|textpdf|scanpdf|photo)\.' | sort)
now() { date +%s.%N; }
t0=$(now)
# shellcheck disable=SC2086
"$build/tests/bench/ocr_read" -j "$cores" -b "$work/banks.tsv" -W "$work/words" $files \
  > "$work/ours.jsonl"
t1=$(now)
# shellcheck disable=SC2086
printf '%s\n' $files | xargs -P "$cores" -n 1 "$src/tests/bench/ocr_baseline.sh" > "$work/base.jsonl"
t2=$(now)
ours=$(python3 -c "print($t1 - $t0)")
base=$(python3 -c "print($t2 - $t1)")
n=$(wc -l < "$work/corpus/truth.jsonl")
echo "layout corpus: $n vouchers of $(wc -l < "$work/corpus/layouts.txt") layouts in $work/corpus; $cores cores; model: committed"
python3 "$src/tests/bench/ocr_score.py" "$work/corpus/truth.jsonl" "$work/ours.jsonl" \
  "$work/base.jsonl" "$ours" "$base" "$cores"
echo
"$build/tests/bench/ocr_read" -R -b "$work/banks.tsv" -C "$work/cands.jsonl" \
  "$work"/words/*.words.json > /dev/null
/usr/bin/python3 "$src/tests/corpus/fit.py" "$work/cands.jsonl" "$work/corpus/truth.jsonl" --report
rss=$(/usr/bin/time -f %M "$build/tests/bench/ocr_read" -j 1 -b "$work/banks.tsv" \
  "$(echo "$files" | grep photo | head -1)" 2>&1 >/dev/null | tail -1)
echo "peak memory reading one photo with one engine: ${rss} KiB"
# Word boxes on the photos against where the words truly are.
pairs=$(for f in "$work"/corpus/*-photo-words.tsv; do
  id=$(basename "$f" -photo-words.tsv)
  [ -f "$work/words/$id-photo.jpg.words.json" ] && echo "$f $work/words/$id-photo.jpg.words.json"
done)
if [ -n "$pairs" ]; then
  # shellcheck disable=SC2086
  python3 "$src/tests/corpus/boxes.py" $pairs | tail -1 | python3 -c '
import json, sys
s = json.load(sys.stdin)
print("word boxes on photos: %d words compared, %.1f%% on their words (each box holds the "
      "other'"'"'s centre), median overlap %.2f (about 0.6 is exact: ink is shorter "
      "than the line box)" % (s["pairs"], 100 * s.get("centres", 0), s.get("medianIoU", 0)))'
fi
echo
real=${BENCH_OCR_REAL:-$src/../shared/receipts-sroie}
if [ -f "$real/labels.jsonl" ]; then
  python3 "$src/tests/bench/ocr_real.py" truth "$real" "$work/real-truth.jsonl"
  # One receipt at a time on one engine, as a user waiting for one sees it.
  "$build/tests/bench/ocr_read" -j 1 -l spa+eng -b "$work/banks.tsv" -W "$work/real-words" \
    "$real"/images/*.jpg > "$work/real-ours.jsonl"
  for f in "$real"/images/*.jpg; do
    "$src/tests/bench/ocr_real_base.sh" "$f" "$work/real-txt"
  done > "$work/real-base.jsonl"
  python3 "$src/tests/bench/ocr_real.py" score "$work/real-truth.jsonl" \
    "$work/real-ours.jsonl" "$work/real-base.jsonl" "$work/real-words" "$work/real-txt"
else
  echo "real receipts: $real not found; skipped"
fi
