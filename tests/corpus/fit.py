#!/usr/bin/env python3
"""fit.py — fits the extractor's model (fcgi/ocr/model.h) from candidates.

Usage:
  fit.py CANDS.jsonl TRUTH.jsonl [--write WEIGHTS.inc] [--report]
         [--extra CANDS2.jsonl TRUTH2.jsonl]...

CANDS: what `ocr_read -C` printed (a header naming the features, then one
line a document with every candidate of amount, date and reference and its
features).  TRUTH: the corpus truth (tests/corpus/vouchers.py), whose
`fold` deals layouts to folds; or, for reviewers' corrections
(`comprobarctl ocr export-corrections`), lines with the right value.

What it does, per field:
  1. a logistic regression on candidates (right value or not), L2, fitted by
     Newton's method — deterministic: same input, same weights, bit for bit;
  2. leave-families-out: for each kind of voucher (SPEI, a shop's ticket,
     …), fit on the other kinds and pick on it; those picks (winner's
     score, its margin, its OCR confidence, text layer or not, whether a
     second reading disagreed; right or wrong) are what the calibration
     is fitted on, so confidence is learned on kinds of vouchers the
     weights never saw (by layout alone, the same family's other layouts
     made every kind look familiar, and real receipts were over-trusted);
  3. the final weights are fitted on every fold.
--report prints, per condition and field, accuracy and precision at >= 0.85
held-out (weights and calibration fitted without the fold's layouts) and
in-fold, and the reliability table of the held-out picks.
--summary FILE writes the held-out figures as JSON (the CI floors read it).
--write writes the C table model.c includes.
--check-c OURS CANDS: whether ocr_read's picks and confidences (OURS, its
fields; CANDS, its -C output for the same documents) are what this fit's
model gives — the C evaluation and this one must not drift apart.
"""
import argparse
import gzip
import json
import math
import os
import re
import sys

import numpy as np

FIELDS = ["amount", "date", "reference"]
CAL = ["bias", "score", "margin", "ocr_conf", "text_layer", "doc_conf", "low_conf",
       "reread_diff"]
L2 = 1.0
TRUST = 0.85
MIN_CONF = 0.15  # extract.h OCR_MIN_CONF
BROKEN_CONF = 0.5  # extract.h OCR_BROKEN_CONF
MARGIN_CAP = 8.0
OCR_CONF = 6  # the index of "ocr_conf"; load() checks it
BROKEN = None  # the index of "broken", from the header
REREAD = None  # the index of "reread_diff", when the header has it


def norm(field, v):
    if v is None:
        return None
    v = str(v).strip()
    return v.upper() if field == "reference" else v


def opener(path):
    return gzip.open(path, "rt", encoding="utf-8") if path.endswith(".gz") else \
        open(path, encoding="utf-8")


def load(cands_path, truth_path):
    """Documents: (id, cond, fold, source, {field: (values, X)}, truth)."""
    truth = {}
    for line in opener(truth_path):
        if line.strip():
            t = json.loads(line)
            truth[t["id"]] = t
    docs = []
    names = None
    for line in opener(cands_path):
        if not line.strip():
            continue
        r = json.loads(line)
        if "features" in r:
            names = r["features"]
            global BROKEN, REREAD
            BROKEN = names.index("broken")
            REREAD = names.index("reread_diff") if "reread_diff" in names else None
            if names.index("ocr_conf") != OCR_CONF:
                sys.exit("fit.py: ocr_conf is not feature %d" % OCR_CONF)
            continue
        if "file" not in r:
            continue
        base = os.path.basename(r["file"])
        base = re.sub(r"\.words\.json$", "", base)
        m = re.match(r"(\w+?)-(clean|textpdf|scanpdf|photo)\.", base)
        tid, cond = (m.group(1), m.group(2)) if m else (os.path.splitext(base)[0], "real")
        t = truth.get(tid)
        if t is None:
            continue
        by = {}
        for f in FIELDS:
            vals = [c[0] for c in r.get(f, [])]
            X = np.array([c[1] for c in r.get(f, [])], dtype=np.float64).reshape(
                len(vals), len(names))
            by[f] = (vals, X)
        docs.append({"id": tid, "cond": cond, "fold": int(t.get("fold", 0)),
                     "text_layer": r.get("source") == "text-layer",
                     "doc_conf": float(r.get("docConf", 1.0)), "by": by, "truth": t})
    return names, docs


def logistic(X, y, l2=L2, iters=50):
    """Newton's method for L2-penalised logistic regression (bias unpenalised
    when column 0 is the constant)."""
    n, d = X.shape
    w = np.zeros(d)
    pen = np.full(d, l2)
    pen[0] = 1e-6
    for _ in range(iters):
        z = X @ w
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        g = X.T @ (p - y) + pen * w
        H = (X * (p * (1 - p))[:, None]).T @ X + np.diag(pen)
        step = np.linalg.solve(H, g)
        w -= step
        if np.max(np.abs(step)) < 1e-9:
            break
    return w


def stack(docs, field):
    Xs, ys = [], []
    for d in docs:
        vals, X = d["by"][field]
        if not len(vals):
            continue
        want = norm(field, d["truth"].get(field))
        Xs.append(X)
        ys.append(np.array([1.0 if norm(field, v) == want else 0.0 for v in vals]))
    if not Xs:
        return np.zeros((0, 1)), np.zeros(0)
    return np.vstack(Xs), np.concatenate(ys)


def pick(d, field, w):
    """The winner: (value, score, margin, ocr_conf, broken, reread_diff) or
    None — as extract.c."""
    vals, X = d["by"][field]
    if not len(vals):
        return None
    s = X @ w
    b = int(np.argmax(s))  # first of equals, as extract.c's strict '>'
    others = [s[i] for i in range(len(vals)) if vals[i] != vals[b]]
    # A value alone has only even odds to beat (extract.c's choose).
    margin = s[b] - max(others) if others else s[b]
    margin = min(MARGIN_CAP, max(0.0, margin))
    return (vals[b], float(s[b]), float(margin), float(X[b][OCR_CONF]),
            bool(X[b][BROKEN]), float(X[b][REREAD]) if REREAD is not None else 0.0)


def cal_row(p, d):
    """The calibration's inputs (model.c: c[0..7]) for pick p of document d."""
    return [1.0, p[1], min(p[2], MARGIN_CAP), p[3], 1.0 if d["text_layer"] else 0.0,
            d["doc_conf"], max(0.0, 0.85 - p[3]), p[5]]


def calibrate(rows, ys):
    if not rows:
        return np.zeros(len(CAL))
    return logistic(np.array(rows), np.array(ys), l2=0.1)


def conf(c, row, broken=False):
    """model.c's ocr_model_confidence: the calibration, capped by σ(margin);
    and extract.c's cap for a value with unreadable characters."""
    z = float(np.dot(c, row))
    p = 1.0 / (1.0 + math.exp(-max(-30, min(30, z))))
    cap = 1.0 / (1.0 + math.exp(-row[2]))
    p = min(p, cap)
    return min(p, BROKEN_CONF) if broken else p


def family(d):
    """The kind of voucher a document is: the calibration's unit of
    unfamiliarity (reviewers' corrections are a kind of their own)."""
    return d["truth"].get("family") or "corrections"


def heldout_picks(docs, field, exclude=()):
    """Picks of each family by weights fitted on the other families (and
    never on the folds in exclude).  Calibrated on such picks, a value of
    a kind of voucher the weights never saw — a new bank's app, a shop's
    ticket — is trusted as little as it deserves; by layout alone, other
    layouts of the same family made every kind look familiar."""
    rows, ys = [], []
    kinds = sorted({family(d) for d in docs if d["fold"] not in exclude})
    for g in kinds:
        train = [d for d in docs if family(d) != g and d["fold"] not in exclude]
        test = [d for d in docs if family(d) == g and d["fold"] not in exclude]
        X, y = stack(train, field)
        if not len(y):
            continue
        w = logistic(X, y)
        for d in test:
            p = pick(d, field, w)
            if p:
                rows.append(cal_row(p, d))
                ys.append(1.0 if norm(field, p[0]) == norm(field, d["truth"].get(field))
                          else 0.0)
    return rows, ys


def fit_all(docs):
    model = {}
    for f in FIELDS:
        X, y = stack(docs, f)
        w = logistic(X, y)
        rows, ys = heldout_picks(docs, f)
        model[f] = (w, calibrate(rows, ys))
    return model


def evaluate(docs, report):
    """Held-out (weights and calibration never saw the fold's layouts) and
    in-fold figures; returns the held-out summary."""
    folds = sorted({d["fold"] for d in docs})
    res = {"held": {}, "in": {}}
    bins = [[0, 0] for _ in range(10)]
    full = fit_all(docs)
    for f in FIELDS:
        for k in folds:
            train = [d for d in docs if d["fold"] != k]
            test = [d for d in docs if d["fold"] == k]
            X, y = stack(train, f)
            w = logistic(X, y)
            rows, ys = heldout_picks(docs, f, exclude=(k,))
            c = calibrate(rows, ys)
            for kind, (wk, ck), dd in (("held", (w, c), test), ("in", full[f], test)):
                for d in dd:
                    p = pick(d, f, wk)
                    key = (d["cond"], f)
                    s = res[kind].setdefault(key, {"n": 0, "ok": 0, "hi": 0, "hi_ok": 0})
                    s["n"] += 1
                    if not p:
                        continue
                    cf = conf(ck, cal_row(p, d), p[4])
                    ok = norm(f, p[0]) == norm(f, d["truth"].get(f))
                    if cf >= MIN_CONF:
                        s["ok"] += ok
                    if cf >= TRUST:
                        s["hi"] += 1
                        s["hi_ok"] += ok
                    if kind == "held" and cf >= MIN_CONF:
                        bins[min(int(cf * 10), 9)][0] += 1
                        bins[min(int(cf * 10), 9)][1] += ok
    if report:
        print("extraction from the same readings: held-out layouts vs in-fold "
              "(folds %s)" % folds)
        print("%-8s %-10s %9s %9s %11s %11s %9s" % ("cond", "field", "held", "in-fold",
                                                   "held p>=.85", "in p>=.85", "held cov"))
        conds = sorted({k[0] for k in res["held"]})
        for cond in conds:
            for f in FIELDS:
                h, i = res["held"].get((cond, f)), res["in"].get((cond, f))
                if not h:
                    continue
                print("%-8s %-10s %8.1f%% %8.1f%% %10.1f%% %10.1f%% %8.1f%%" % (
                    cond, f, 100 * h["ok"] / h["n"], 100 * i["ok"] / i["n"],
                    100 * h["hi_ok"] / h["hi"] if h["hi"] else float("nan"),
                    100 * i["hi_ok"] / i["hi"] if i["hi"] else float("nan"),
                    100 * h["hi"] / h["n"]))
        for kind in ("held", "in"):
            hi = sum(s["hi"] for s in res[kind].values())
            ok = sum(s["hi_ok"] for s in res[kind].values())
            print("%s: precision at >= 0.85: %.2f%% (%d of %d)" % (
                kind, 100 * ok / hi if hi else float("nan"), ok, hi))
        print("held-out reliability: confidence bin -> accuracy")
        for i, (n, ok) in enumerate(bins):
            if n:
                print("  %.1f-%.1f  n=%5d  accuracy %5.1f%%" % (i / 10, (i + 1) / 10, n,
                                                             100 * ok / n))
    return res


def summary(res):
    out = {}
    for f in FIELDS:
        n = sum(v["n"] for k, v in res["held"].items() if k[1] == f)
        ok = sum(v["ok"] for k, v in res["held"].items() if k[1] == f)
        out[f] = ok / n if n else 0.0
    hi = sum(s["hi"] for s in res["held"].values())
    ok = sum(s["hi_ok"] for s in res["held"].values())
    out["precision"] = ok / hi if hi else 0.0
    out["coverage"] = hi / sum(s["n"] for s in res["held"].values())
    return out


def check_c(model, names, ours_path, cands_path):
    """Mismatches between ocr_read's fields and this model's picks."""
    picks = {}
    header = None
    for line in opener(cands_path):
        r = json.loads(line)
        if "features" in r:
            header = r["features"]
            continue
        picks[os.path.basename(r["file"])] = r
    if header != names:
        return ["the candidates name other features"]
    bad = []
    for line in opener(ours_path):
        o = json.loads(line)
        r = picks.get(os.path.basename(o["file"]))
        if r is None:
            bad.append("%s: no candidates" % o["file"])
            continue
        for f in FIELDS:
            w, c = model[f]
            vals = [x[0] for x in r[f]]
            X = np.array([x[1] for x in r[f]], dtype=np.float64).reshape(len(vals), len(names))
            p = pick({"by": {f: (vals, X)}}, f, w)
            want = None
            if p:
                cf = conf(c, cal_row(p, {"text_layer": r.get("source") == "text-layer",
                                         "doc_conf": float(r.get("docConf", 1.0))}), p[4])
                want = (p[0], cf) if cf >= MIN_CONF else None
            got = o.get(f)
            if (want is None) != (got is None) or (want and (
                    want[0] != got["value"] or abs(want[1] - got["conf"]) > 0.01)):
                bad.append("%s %s: C %s, fit.py %s" % (o["file"], f, got, want))
    return bad


def c_name(n):
    return "F_" + n.upper()


def write(path, names, model, origin):
    """The C table model.c includes: builtin_model."""
    def num(x):
        s = "%.6g" % x
        if "." not in s and "e" not in s:
            s += ".0"
        return s + "f"
    keys = {"amount": "CAL_AMOUNT", "date": "CAL_DATE", "reference": "CAL_REFERENCE"}
    out = ["/* model_weights.inc — generated by tests/corpus/fit.py; do not edit.",
           " * `make ocr-model` regenerates it: %s. */" % origin,
           "static const struct ocr_model builtin_model = {",
           "\t.f = {"]
    for f in FIELDS:
        w, c = model[f]
        out.append("\t\t[%s] = {" % keys[f])
        out.append("\t\t\t.w = {")
        for n, x in zip(names, w):
            if x != 0:
                out.append("\t\t\t\t[%s] = %s," % (c_name(n), num(x)))
        out.append("\t\t\t},")
        out.append("\t\t\t.c = {%s}," % ", ".join(num(x) for x in c))
        out.append("\t\t},")
    out.append("\t},")
    out.append("\t.origin = \"%s\"," % origin)
    out.append("};")
    with open(path, "w") as fh:
        fh.write("\n".join(out) + "\n")


def write_json(path, names, model, origin):
    """The same model as a file an installation loads ([ocr] model)."""
    out = {"origin": origin, "features": names}
    for f in FIELDS:
        w, c = model[f]
        out[f] = {"w": {n: float(x) for n, x in zip(names, w) if x != 0},
                  "c": [float(x) for x in c]}
    with open(path, "w") as fh:
        json.dump(out, fh, indent=1)
        fh.write("\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cands")
    ap.add_argument("truth")
    ap.add_argument("--write")
    ap.add_argument("--write-json")
    ap.add_argument("--extra-weight", type=int, default=20,
                    help="how many corpus documents one reviewed document counts as")
    ap.add_argument("--report", action="store_true")
    ap.add_argument("--origin", default="fitted")
    ap.add_argument("--extra", nargs=2, action="append", default=[])
    ap.add_argument("--summary")
    ap.add_argument("--check-c", nargs=2)
    a = ap.parse_args()
    names, docs = load(a.cands, a.truth)
    for c, t in a.extra:
        n2, d2 = load(c, t)
        if n2 != names[:len(n2)]:
            sys.exit("fit.py: %s names other features" % c)
        # Corrections stored before features were appended lack them:
        # the new ones are 0 there (features.h: appending is safe).
        for d in d2:
            for f, (vals, X) in d["by"].items():
                d["by"][f] = (vals, np.hstack([X, np.zeros((len(vals),
                                                            len(names) - len(n2)))]))
        # An installation's own reviewed vouchers outweigh the corpus: each
        # counts as --extra-weight documents (a fold of their own).
        for d in d2:
            d["fold"] = 1000
        docs += d2 * max(1, a.extra_weight)
    if not docs:
        sys.exit("fit.py: no documents matched the truth")
    if a.report or a.summary:
        res = evaluate(docs, a.report)
        if a.summary:
            with open(a.summary, "w") as fh:
                json.dump(summary(res), fh)
    if a.write or a.write_json:
        model = fit_all(docs)
        if a.write:
            write(a.write, names, model, a.origin)
        if a.write_json:
            write_json(a.write_json, names, model, a.origin)
    if a.check_c:
        bad = check_c(fit_all(docs), names, *a.check_c)
        for b in bad[:20]:
            print(b)
        sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
