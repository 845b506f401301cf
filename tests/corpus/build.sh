#!/usr/bin/env bash
# build.sh BUILDDIR OUTDIR PER_LAYOUT [SEED] — the layout corpus, made on
# demand: vouchers.py writes each voucher's HTML and truth, chromium renders
# the screenshot and the text PDF (tests/browser/corpus.mjs), corpus-gen
# --degrade makes the photo and the scan (and NNNN-photo-words.tsv: where
# the words are on the photo).  Files already there are kept, so
# a second run only finishes what the first left.
set -euo pipefail
build=$(cd "${1:?BUILDDIR}" && pwd)
out=${2:?OUTDIR}
per=${3:?PER_LAYOUT}
seed=${4:-20261207}
src=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
python3 "$src/tests/corpus/vouchers.py" "$out" "$per" "$seed"
[ -d "$src/tests/browser/node_modules/playwright-core" ] ||
  (cd "$src/tests/browser" && npm ci --no-audit --no-fund >/dev/null)
node "$src/tests/browser/corpus.mjs" "$out"
python3 - "$out" <<'PY' | xargs -r -P "$(nproc)" -L 1 "$build/tests/corpus/corpus-gen" --degrade
import json, os, sys
out = sys.argv[1]
for line in open(os.path.join(out, "jobs.jsonl")):
    j = json.loads(line)
    want = [c for c in ("photo", "scanpdf") if c in j["conditions"] and not
            os.path.exists(os.path.join(out, "%s-%s.%s" % (j["id"], c,
                                                           "jpg" if c == "photo" else "pdf")))]
    if want:
        # The photo's true word boxes come with it (boxes.py scores them).
        words = os.path.join(out, j["id"] + "-words.tsv")
        print(os.path.join(out, j["id"] + "-clean.png"), os.path.join(out, j["id"]),
              int(j["id"]) + 1, *want, *(["words=" + words] if "photo" in want and
                                          os.path.exists(words) else []))
PY
