#!/usr/bin/env bash
# ocr_run.sh BUILDDIR — make bench-ocr: generates the corpus (tests/corpus/
# gen.c; BENCH_OCR_DOCS vouchers × 4 conditions, default 72), reads it
# with our OCR pipeline on every core, reads it again with the tesseract
# command-line tool + regex baseline on every core, and prints accuracy,
# calibration and speed side by side.  Not a test: it asserts nothing.
set -euo pipefail
build=$(cd "${1:?BUILDDIR}" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
docs=${BENCH_OCR_DOCS:-72}
seed=${BENCH_OCR_SEED:-20261121}
cores=$(nproc)
work=${BENCH_OCR_DIR:-$(mktemp -d /tmp/comprobar-ocr-bench.XXXXXX)}
mkdir -p "$work"
sed -n "/^INSERT INTO banks/,/;\$/p" "$src/sql/002_payments.sql" | grep "^('" |
  sed -E "s/^\('([^']*)', *'[^']*', *'([^']*)', *'([^']*)'\).*/\1\t\2\t\3/" > "$work/banks.tsv.0"
# Later migrations add aliases: UPDATE banks SET aliases = CONCAT(aliases, '|…') WHERE code = '…';
python3 - "$work/banks.tsv.0" "$src"/sql/*.sql > "$work/banks.tsv" <<'PY'
import re, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
for path in sys.argv[2:]:
    text = open(path).read()
    for add, code in re.findall(r"CONCAT\(aliases, '([^']*)'\)\s*WHERE code = '([^']*)'", text):
        for r in rows:
            if r[0] == code:
                r[2] += add
for r in rows:
    print("\t".join(r))
PY
[ -f "$work/corpus/truth.jsonl" ] || "$build/tests/corpus/corpus-gen" "$work/corpus" "$docs" "$seed"
cd "$work/corpus"
files=$(ls | grep -E '^[0-9]+-(clean|textpdf|scanpdf|photo)\.' | sort)
now() { date +%s.%N; }
t0=$(now)
# shellcheck disable=SC2086
"$build/tests/bench/ocr_read" -j "$cores" -b "$work/banks.tsv" $files > "$work/ours.jsonl"
t1=$(now)
# shellcheck disable=SC2086
printf '%s\n' $files | xargs -P "$cores" -n 1 "$src/tests/bench/ocr_baseline.sh" > "$work/base.jsonl"
t2=$(now)
ours=$(python3 -c "print($t1 - $t0)")
base=$(python3 -c "print($t2 - $t1)")
echo "corpus: $docs vouchers x 4 conditions in $work/corpus; $cores cores"
python3 "$src/tests/bench/ocr_score.py" "$work/corpus/truth.jsonl" "$work/ours.jsonl" \
  "$work/base.jsonl" "$ours" "$base" "$cores"
rss=$(/usr/bin/time -f %M "$build/tests/bench/ocr_read" -j 1 -b "$work/banks.tsv" \
  "$(echo "$files" | grep photo | head -1)" 2>&1 >/dev/null | tail -1)
echo "peak memory reading one photo with one engine: ${rss} KiB"
