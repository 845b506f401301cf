#!/usr/bin/python3
"""boxes.py — how exactly word boxes sit on the words of corpus photos.

Truth: NNNN-photo-words.tsv, written by `corpus-gen --degrade … words=`
(each word's box as the browser laid it out, carried through the photo's
margin, perspective, turn and quarter turns).  Read: boxes as the reader
reported them on the photo (ocr_read -W's words files, or the review page's
drawn rectangles in image pixels).

A read word is compared with the true word of the same letters and digits
(accents and case folded) when exactly one word of the voucher has them and it has at
least three.  For each such pair: the overlap (intersection over union)
and whether each box's centre lies inside the other.  Text laid out by a
browser has a box from ascent to descent; ink is shorter, so a perfect
reading scores an overlap of about 0.6, not 1.

  boxes.py TRUTH.tsv WORDS.json [TRUTH.tsv WORDS.json …]   → a summary
"""
import json
import re
import sys
import unicodedata


def fold(s):
    """Letters and digits, accents dropped, upper-cased: as the reader's
    ocr_fold and the unit test see words."""
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9A-Z]", "", s.upper())


def truth_words(path):
    out = []
    for line in open(path, encoding="utf-8"):
        p = line.rstrip("\n").split(" ", 4)
        if len(p) == 5:
            out.append((fold(p[4]), [int(v) for v in p[:4]]))
    return out


def iou(a, b):
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def inside(a, b):
    """a's centre inside b."""
    cx, cy = (a[0] + a[2]) / 2, (a[1] + a[3]) / 2
    return b[0] <= cx <= b[2] and b[1] <= cy <= b[3]


def pairs(truth, read):
    """(read box, true box) for words read whose letters one true word has.
    read: [(text, [x0, y0, x1, y1])]."""
    count = {}
    for t, _ in truth:
        count[t] = count.get(t, 0) + 1
    where = {t: b for t, b in truth if count[t] == 1 and len(t) >= 3}
    return [(b, where[fold(t)]) for t, b in read if fold(t) in where]


def score(pp):
    """Overlap and centre agreement of pairs: a dict of figures."""
    if not pp:
        return {"pairs": 0}
    ious = sorted(iou(a, b) for a, b in pp)
    both = sum(1 for a, b in pp if inside(a, b) and inside(b, a))
    return {"pairs": len(pp), "medianIoU": ious[len(ious) // 2],
            "iou30": sum(1 for v in ious if v >= 0.3) / len(pp),
            "centres": both / len(pp)}


def words_file(path):
    d = json.load(open(path, encoding="utf-8"))
    return [(w[0], w[1:5]) for w in d["words"] if w[5] == 0]


def main(argv):
    every = []
    for tp, wp in zip(argv[0::2], argv[1::2]):
        pp = pairs(truth_words(tp), words_file(wp))
        s = score(pp)
        print(json.dumps(dict(s, file=wp)))
        every += pp
    print(json.dumps(dict(score(every), file="all")))


if __name__ == "__main__":
    main(sys.argv[1:])
