/*
 * reader.c — see reader.h.  Memory is bounded before anything is decoded:
 * image dimensions from the header, PDF page sizes × dpi against
 * max_pixels.  poppler is used through its glib API, which reports broken
 * and encrypted files as errors rather than crashing.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cairo.h>
#include <leptonica/allheaders.h>
#include <poppler.h>

#include "ocr/exif.h"
#include "ocr/extract.h"
#include "ocr/pdf_page.h"
#include "ocr/prepare.h"
#include "ocr/reader.h"

static long
ms_left(const struct timespec *start, int limit_s)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long used = (now.tv_sec - start->tv_sec) * 1000L +
	    (now.tv_nsec - start->tv_nsec) / 1000000L;
	return (long)limit_s * 1000L - used;
}

static int
cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* The median height of words [mark, n) of out; 0 when fewer than three
 * (too few to say what is large). */
static cb_err
median_height(const struct ocr_text *out, size_t mark, int *med)
{
	size_t n = out->n - mark;
	*med = 0;
	if (n < 3)
		return CB_OK;
	int *h = malloc(n * sizeof *h);
	if (!h)
		return CB_ENOMEM;
	for (size_t i = 0; i < n; i++)
		h[i] = out->w[mark + i].y1 - out->w[mark + i].y0;
	qsort(h, n, sizeof *h, cmp_int);
	*med = h[n / 2];
	free(h);
	return CB_OK;
}

/* Replaces words [a, b) of out (one line) by rec's, mapped back from a crop
 * at (cx, cy) scaled by f with a border of pad pixels. */
static cb_err
splice_line(struct ocr_text *out, size_t a, size_t b, const struct ocr_text *rec,
    int cx, int cy, float f, int pad, int line)
{
	size_t n = out->n - b;
	struct ocr_word *tail = malloc((n ? n : 1) * sizeof *tail);
	if (!tail)
		return CB_ENOMEM;
	memcpy(tail, out->w + b, n * sizeof *tail);
	for (size_t i = a; i < b; i++)
		free(out->w[i].text);
	out->n = a;
	cb_err err = CB_OK;
	for (size_t i = 0; i < rec->n && err == CB_OK; i++) {
		const struct ocr_word *w = &rec->w[i];
		err = ocr_text_add(out, w->text, strlen(w->text),
		    cx + (int)((float)(w->x0 - pad) / f), cy + (int)((float)(w->y0 -
		    pad) / f), cx + (int)((float)(w->x1 - pad) / f),
		    cy + (int)((float)(w->y1 - pad) / f), w->conf, w->page, line);
	}
	for (size_t i = 0; i < n; i++) {
		if (err == CB_OK && out->n == out->cap) {
			size_t cap = out->cap * 2 + 16;
			struct ocr_word *nw = realloc(out->w, cap * sizeof *nw);
			if (!nw)
				err = CB_ENOMEM;
			else {
				out->w = nw;
				out->cap = cap;
			}
		}
		if (err == CB_OK)
			out->w[out->n++] = tail[i];
		else
			free(tail[i].text);
	}
	free(tail);
	return err;
}

/* Whether p shows a row of large characters that no word read so far
 * covers: three or more dark components at least 1.8× the median word
 * height, shaped like characters (not a barcode's bars, not a logo's one
 * blob) and side by side on one line. */
static bool
unread_large_print(PIX *p, const struct ocr_text *out, size_t mark, int med)
{
	PIX *bin = pixConvertTo1(p, 160);
	BOXA *ba = bin ? pixConnCompBB(bin, 8) : NULL;
	pixDestroy(&bin);
	int n = ba ? boxaGetCount(ba) : 0;
	int *keep = n ? malloc((size_t)n * 4 * sizeof *keep) : NULL;
	int k = 0;
	for (int i = 0; keep && i < n; i++) {
		l_int32 x, y, w, h;
		if (boxaGetBoxGeometry(ba, i, &x, &y, &w, &h) != 0 || h * 10 < med * 18 ||
		    w * 5 < h || w * 2 > h * 3)
			continue;
		bool covered = false;
		for (size_t j = mark; j < out->n && !covered; j++) {
			const struct ocr_word *o = &out->w[j];
			covered = o->x0 < x + w && x < o->x1 && o->y0 < y + h && y < o->y1;
		}
		if (covered)
			continue;
		keep[4 * k] = x;
		keep[4 * k + 1] = y;
		keep[4 * k + 2] = w;
		keep[4 * k + 3] = h;
		k++;
	}
	boxaDestroy(&ba);
	bool found = false;
	for (int i = 0; i < k && !found; i++) {
		int row = 0, *a = &keep[4 * i];
		for (int j = 0; j < k; j++) {
			int *b = &keep[4 * j];
			/* Same line: the centres within half a height, sizes within
			 * a third, and no farther apart than a few characters. */
			int ca = a[1] + a[3] / 2, cb = b[1] + b[3] / 2;
			if (abs(ca - cb) * 2 <= a[3] && abs(a[3] - b[3]) * 3 <= a[3] &&
			    abs(a[0] - b[0]) <= 6 * a[3])
				row++;
		}
		found = row >= 3;
	}
	/* Out of memory for the list: look, as before this check existed. */
	bool unsure = n > 0 && !keep;
	free(keep);
	return found || unsure;
}

/* Tesseract at the body text's scale may skip a line printed far larger
 * (the amount an app shows in 40 pt, alone on its line) as a picture.  A
 * second look at the page shrunk to 0.4× reads it; its words that overlap
 * nothing already read, are clearly read and tall are added, and the
 * page's lines are regrouped by geometry so that they sit in order.  That
 * look costs half a reading on a page dense with text (Tesseract's time
 * follows the lines, not the pixels), so it is taken only where large
 * characters were left unread. */
static cb_err
add_large_print(struct ocr_engine *e, PIX *p, int page, size_t mark,
    int *line, int deadline_ms, const struct ocr_limits *lim,
    struct ocr_text *out)
{
	int med;
	cb_err me = median_height(out, mark, &med);
	if (me != CB_OK || med == 0)
		return me;
	if (!unread_large_print(p, out, mark, med))
		return CB_OK;
	const float f = 0.4f;
	PIX *sm = pixScaleAreaMap(p, f, f);
	if (!sm)
		return CB_ENOMEM;
	struct ocr_text rec;
	float mean = 0;
	int l2 = 0;
	ocr_text_init(&rec);
	cb_err err = ocr_engine_recognize(e, sm, page, &l2, deadline_ms, lim,
	    &rec, &mean);
	pixDestroy(&sm);
	bool added = false;
	for (size_t i = 0; err == CB_OK && i < rec.n; i++) {
		const struct ocr_word *w = &rec.w[i];
		int x0 = (int)((float)w->x0 / f), y0 = (int)((float)w->y0 / f);
		int x1 = (int)((float)w->x1 / f), y1 = (int)((float)w->y1 / f);
		if (w->conf < 0.6f || (y1 - y0) * 10 < med * 18)
			continue;
		bool overlaps = false;
		for (size_t k = mark; k < out->n && !overlaps; k++) {
			const struct ocr_word *o = &out->w[k];
			overlaps = o->x0 < x1 && x0 < o->x1 && o->y0 < y1 && y0 < o->y1;
		}
		if (overlaps)
			continue;
		err = ocr_text_add(out, w->text, strlen(w->text), x0, y0, x1, y1,
		    w->conf, page, ++*line);
		added = true;
	}
	ocr_text_release(&rec);
	if (err == CB_OK && added) {
		int l0 = out->w[mark].line - 1;
		err = ocr_text_relines(out, mark, &l0);
		*line = l0;
	}
	return err;
}

/* The box [x0, x1) × [y0, y1) of p with pad pixels around it, scaled by f
 * and framed in border white pixels: what a region is read again from.
 * *cx, *cy: where the crop starts on p.  NULL when it cannot be made. */
static PIX *
region(PIX *p, int x0, int y0, int x1, int y1, int pad, float f, int border,
    int *cx, int *cy)
{
	BOX *box = boxCreate(x0 - pad, y0 - pad, x1 - x0 + 2 * pad,
	    y1 - y0 + 2 * pad);
	PIX *crop = box ? pixClipRectangle(p, box, NULL) : NULL;
	boxDestroy(&box);
	*cx = x0 - pad < 0 ? 0 : x0 - pad;
	*cy = y0 - pad < 0 ? 0 : y0 - pad;
	PIX *sc = crop ? (f >= 1 ? pixScaleGrayLI(crop, f, f) :
	    pixScaleAreaMap(crop, f, f)) : NULL;
	PIX *bd = sc ? pixAddBorder(sc, border, 0xff) : NULL;
	pixDestroy(&crop);
	pixDestroy(&sc);
	return bd;
}

/* Tesseract misreads very large print (the amount an app shows in 60 pt):
 * such lines are read again from a crop scaled to ordinary text size, and
 * the second reading replaces the first when it is at least as sure. */
static cb_err
reread_tall_lines(struct ocr_engine *e, PIX *p, int page, size_t mark,
    int deadline_ms, const struct ocr_limits *lim, struct ocr_text *out)
{
	int med;
	cb_err me = median_height(out, mark, &med);
	if (me != CB_OK || med == 0)
		return me;
	cb_err err = CB_OK;
	for (size_t a = mark; a < out->n && err == CB_OK;) {
		size_t b = a;
		int x0 = out->w[a].x0, y0 = out->w[a].y0, x1 = out->w[a].x1,
		    y1 = out->w[a].y1, tall = 0;
		double sum = 0;
		while (b < out->n && out->w[b].line == out->w[a].line) {
			const struct ocr_word *w = &out->w[b];
			if (w->y1 - w->y0 > tall)
				tall = w->y1 - w->y0;
			x0 = w->x0 < x0 ? w->x0 : x0;
			y0 = w->y0 < y0 ? w->y0 : y0;
			x1 = w->x1 > x1 ? w->x1 : x1;
			y1 = w->y1 > y1 ? w->y1 : y1;
			sum += w->conf;
			b++;
		}
		if (tall < 70 || tall * 10 < med * 22) {
			a = b;
			continue;
		}
		int cx, cy;
		float f = 40.0f / (float)tall; /* < 1: tall is at least 70 */
		PIX *bd = region(p, x0, y0, x1, y1, tall / 3, f, 20, &cx, &cy);
		struct ocr_text rec;
		float mean = 0;
		int l2 = 0;
		ocr_text_init(&rec);
		size_t next = b;
		if (bd && ocr_engine_recognize(e, bd, page, &l2, deadline_ms, lim, &rec,
		        &mean) == CB_OK && rec.n && mean >= (float)(sum / (double)(b -
		        a)) - 0.02f) {
			err = splice_line(out, a, b, &rec, cx, cy, f, 20, out->w[a].line);
			next = a + rec.n;
		}
		ocr_text_release(&rec);
		pixDestroy(&bd);
		a = next;
	}
	return err;
}

/* The values the extractor would take from this page (words [mark, n),
 * boxes on p), each read a second time: its words' box cut out, scaled to
 * another size (print about 48 px tall, where the page was read at about
 * 26) and read alone.  The extractor trusts a value less when the two
 * readings disagree (F_REREAD_DIFF); a misread digit is rarely misread
 * the same way twice. */
static cb_err
reread_values(struct ocr_engine *e, PIX *p, int page, size_t mark,
    int deadline_ms, const struct ocr_limits *lim, struct ocr_text *out)
{
	struct ocr_fields f;
	ocr_extract(out, NULL, 0, &f);
	const struct ocr_field *fs[] = {&f.amount, &f.date, &f.reference};
	for (size_t i = 0; i < sizeof fs / sizeof fs[0]; i++) {
		const struct ocr_field *v = fs[i];
		if (!v->found || v->w0 < (int)mark || v->w1 < v->w0 ||
		    (size_t)v->w1 >= out->n || ocr_text_reread(out, v->w0, v->w1))
			continue;
		int x0 = out->w[v->w0].x0, y0 = out->w[v->w0].y0;
		int x1 = out->w[v->w0].x1, y1 = out->w[v->w0].y1;
		for (int k = v->w0; k <= v->w1; k++) {
			const struct ocr_word *w = &out->w[k];
			x0 = w->x0 < x0 ? w->x0 : x0;
			y0 = w->y0 < y0 ? w->y0 : y0;
			x1 = w->x1 > x1 ? w->x1 : x1;
			y1 = w->y1 > y1 ? w->y1 : y1;
		}
		int h = y1 - y0;
		if (h < 4 || x1 <= x0)
			continue;
		int cx, cy;
		float sc = 48.0f / (float)h;
		sc = sc > 3 ? 3 : sc < 0.5f ? 0.5f : sc;
		PIX *bd = region(p, x0, y0, x1, y1, h / 3, sc, 16, &cx, &cy);
		struct ocr_text rec;
		float mean = 0;
		int l2 = 0;
		ocr_text_init(&rec);
		cb_err err = bd ? ocr_engine_recognize(e, bd, page, &l2, deadline_ms,
		    lim, &rec, &mean) : CB_OK;
		if (err == CB_OK && bd) {
			char text[80] = "";
			size_t o = 0;
			for (size_t k = 0; k < rec.n; k++) {
				int n = snprintf(text + o, sizeof text - o, "%s%s", k ? " " : "",
				    rec.w[k].text);
				if (n < 0 || (size_t)n >= sizeof text - o)
					break;
				o += (size_t)n;
			}
			ocr_text_add_reread(out, v->w0, v->w1, text);
		}
		ocr_text_release(&rec);
		pixDestroy(&bd);
		if (err != CB_OK)
			return err;
	}
	return CB_OK;
}

/* Maps boxes of words [mark, n) from the prepared image (wd × hd, turned
 * quads × 90° clockwise and scaled by scale from the original) back onto
 * the original (w0 × h0) — what a viewer shows and the review pages draw
 * on.  Deskewing by skew degrees (clockwise, about the centre) is undone
 * too: a box becomes the upright box around its turned-back corners. */
static void
unskew(struct ocr_word *w, float skew, int dw, int dh)
{
	double a = (double)skew * 3.14159265358979323846 / 180.0, c = cos(a), s = sin(a);
	double cx = dw / 2.0, cy = dh / 2.0;
	double xs[4] = {w->x0, w->x1, w->x0, w->x1};
	double ys[4] = {w->y0, w->y0, w->y1, w->y1};
	double lx = 1e9, ly = 1e9, hx = -1e9, hy = -1e9;
	for (int k = 0; k < 4; k++) {
		/* Inverse of a clockwise turn (y grows downwards). */
		double x = cx + (xs[k] - cx) * c + (ys[k] - cy) * s;
		double y = cy - (xs[k] - cx) * s + (ys[k] - cy) * c;
		lx = x < lx ? x : lx;
		hx = x > hx ? x : hx;
		ly = y < ly ? y : ly;
		hy = y > hy ? y : hy;
	}
	w->x0 = (int)lround(lx);
	w->x1 = (int)lround(hx);
	w->y0 = (int)lround(ly);
	w->y1 = (int)lround(hy);
}

static void
unmap_boxes(struct ocr_text *t, size_t mark, int quads, int wd, int hd,
    float scale, float skew, int w0, int h0)
{
	/* The deskewed image before turning: wd × hd turned back. */
	int dw = quads & 1 ? hd : wd, dh = quads & 1 ? wd : hd;
	for (size_t i = mark; i < t->n; i++) {
		struct ocr_word *w = &t->w[i];
		int x0 = w->x0, y0 = w->y0, x1 = w->x1, y1 = w->y1;
		switch (quads & 3) {
		case 1: /* dest (x', y') = (hs - 1 - y, x): x = y', y = wd - 1 - x' */
			w->x0 = y0; w->x1 = y1;
			w->y0 = wd - 1 - x1; w->y1 = wd - 1 - x0;
			break;
		case 2:
			w->x0 = wd - 1 - x1; w->x1 = wd - 1 - x0;
			w->y0 = hd - 1 - y1; w->y1 = hd - 1 - y0;
			break;
		case 3: /* dest (x', y') = (y, ws - 1 - x): y = x', x = hd - 1 - y' */
			w->x0 = hd - 1 - y1; w->x1 = hd - 1 - y0;
			w->y0 = x0; w->y1 = x1;
			break;
		default:
			break;
		}
		if (skew != 0)
			unskew(w, skew, dw, dh);
		if (scale > 0 && scale != 1) {
			w->x0 = (int)((float)w->x0 / scale);
			w->y0 = (int)((float)w->y0 / scale);
			w->x1 = (int)((float)w->x1 / scale);
			w->y1 = (int)((float)w->y1 / scale);
		}
		w->x0 = w->x0 < 0 ? 0 : w->x0 > w0 ? w0 : w->x0;
		w->x1 = w->x1 < 0 ? 0 : w->x1 > w0 ? w0 : w->x1;
		w->y0 = w->y0 < 0 ? 0 : w->y0 > h0 ? h0 : w->y0;
		w->y1 = w->y1 < 0 ? 0 : w->y1 > h0 ? h0 : w->y1;
	}
}

static int
osd_turn(struct ocr_engine *e, PIX *p)
{
	PIX *bin = pixConvertTo1(p, 160);
	int deg = 0;
	float conf = 0;
	cb_err err = bin ? ocr_engine_orientation(e, bin, &deg, &conf) : CB_ENOMEM;
	pixDestroy(&bin);
	return err == CB_OK && conf >= 0.5f ? (360 - deg) % 360 / 90 : 0;
}

/* How much of words [mark, n) whose middles lie in rows [y0, y1) reads
 * as text: the letters and digits of words of two or more read at a
 * confidence of 0.6 or more.  A page read the wrong way up is a scatter
 * of short unsure marks; the right way up is words, even on a faint photo
 * whose mean confidence is as low. */
static size_t
strength_in(const struct ocr_text *t, size_t mark, int y0, int y1)
{
	size_t s = 0;
	for (size_t i = mark; i < t->n; i++) {
		int mid = (t->w[i].y0 + t->w[i].y1) / 2;
		if (mid < y0 || mid >= y1)
			continue;
		size_t k = 0;
		for (const char *c = t->w[i].text; *c; c++)
			k += isalnum((unsigned char)*c) != 0;
		if (k >= 2 && t->w[i].conf >= 0.6f)
			s += k;
	}
	return s;
}

static size_t
reading_strength(const struct ocr_text *t, size_t mark)
{
	return strength_in(t, mark, INT_MIN, INT_MAX);
}

/* Whether p (prepared as pi says, turned rot), read into words [mark, n),
 * is worth a whole reading upside down.  Not where the ascenders say up.
 * Otherwise, while out holds p's own reading, the middle third of its rows
 * is read turned and must read clearly stronger than the same rows did: a
 * third of a reading where a whole one was spent on every faint upright
 * receipt (the slowest real receipts spent half their time on it, and none
 * was upside down). */
static bool
upside_down_worth(struct ocr_engine *e, PIX *p, const struct prep_info *pi,
    int rot, int page, const struct ocr_text *out, size_t mark,
    int deadline_ms, const struct ocr_limits *lim)
{
	if (pi->upright && rot == 0)
		return false;
	if (out->rotation != rot)
		return true; /* another turn's reading: the whole page decides */
	int w = pixGetWidth(p), h = pixGetHeight(p);
	int y0 = h / 3, y1 = 2 * h / 3;
	BOX *box = boxCreate(0, y0, w, y1 - y0);
	PIX *band = box ? pixClipRectangle(p, box, NULL) : NULL;
	PIX *turned = band ? pixRotate180(NULL, band) : NULL;
	boxDestroy(&box);
	pixDestroy(&band);
	if (!turned)
		return true; /* the whole page decides, as before */
	struct ocr_text alt;
	float m = 0;
	int l2 = 0;
	ocr_text_init(&alt);
	size_t up = strength_in(out, mark, y0, y1);
	bool likelier = ocr_engine_recognize(e, turned, page, &l2, deadline_ms,
	    lim, &alt, &m) == CB_OK && reading_strength(&alt, 0) > up + up / 4;
	ocr_text_release(&alt);
	pixDestroy(&turned);
	return likelier;
}

static cb_err
recognize_pix(struct ocr_engine *e, PIX *pix, int exif, int page, int *line,
    const struct timespec *start, const struct ocr_limits *lim,
    struct ocr_text *out, char *why, size_t wlen)
{
	int rot = 0;
	float mean = 0;
	long left = ms_left(start, lim->time_limit);
	if (left <= 0) {
		snprintf(why, wlen, "OCR took longer than %d s", lim->time_limit);
		return CB_ETOOBIG;
	}
	struct prep_info pi;
	PIX *p = ocr_prepare(pix, exif, &pi);
	bool sure = pi.sure;
	rot = pi.rotation;
	if (!p) {
		snprintf(why, wlen, "the image could not be prepared for OCR");
		return CB_EINVAL;
	}
	/* Boxes are reported on the original, as a viewer shows it. */
	if (page < OCR_MAX_PAGES) {
		out->page_w[page] = pi.w;
		out->page_h[page] = pi.h;
	}
	int wd = pixGetWidth(p), hd = pixGetHeight(p);
	if (page + 1 > out->pages)
		out->pages = page + 1;
	out->rotation = rot;
	size_t mark = out->n;
	int line0 = *line;
	cb_err err = ocr_engine_recognize(e, p, page, line, (int)left, lim, out,
	    &mean);
	/* A poor reading: Tesseract's orientation detection proposes a turn,
	 * and a reading that way decides.  Alone it turned the corpus photos
	 * the right way up 199 times in 208 (the ascenders: 151), but turned
	 * upright real receipts upside down, some at its highest confidence;
	 * the reading with more confidently read words is the right way up
	 * on both (202 of 208 photos, no real receipt turned).  A clear
	 * reading (mean confidence 0.6) is upright already. */
	int oq = err == CB_OK && mean < 0.60f &&
	    ms_left(start, lim->time_limit) > 0 ? osd_turn(e, p) : 0;
	bool decided = oq != 0;
	/* Upside down is what it proposed for faint upright receipts. */
	if (oq == 2 && !upside_down_worth(e, p, &pi, rot, page, out, mark,
	    (int)ms_left(start, lim->time_limit), lim))
		oq = 0;
	if (oq) {
		PIX *r = oq == 2 ? pixRotate180(NULL, p) : pixRotateOrth(p, oq);
		struct ocr_text alt;
		float m = 0;
		int l2 = line0;
		ocr_text_init(&alt);
		left = ms_left(start, lim->time_limit);
		if (r && left > 0 && ocr_engine_recognize(e, r, page, &l2,
		        (int)left, lim, &alt, &m) == CB_OK &&
		    reading_strength(&alt, 0) > reading_strength(out, mark) +
		    reading_strength(out, mark) / 4) {
			err = ocr_text_replace_from(out, mark, &alt);
			mean = m;
			*line = l2;
			rot = (rot + oq * 90) % 360;
			out->rotation = rot;
			pixDestroy(&p);
			p = r;
			r = NULL;
			wd = pixGetWidth(p);
			hd = pixGetHeight(p);
		}
		ocr_text_release(&alt);
		pixDestroy(&r);
	}
	/* A poor reading may be a page the orientation check could not decide
	 * (photos, few lines) or decided wrongly (capitals-only thermal slips
	 * have no ascenders to judge by): try it sideways both ways, then
	 * upside down, and keep the clearly better reading. */
	static const int quads[] = {1, 3, 2};
	for (size_t k = 0; err == CB_OK && !decided && (!sure || rot != 0) &&
	     mean < 0.60f && k < 3; k++) {
		/* Lines running across are upright or upside down, never
		 * sideways; upside_down_worth says which of those two.  Each turn
		 * skipped is a whole reading saved (faint real scans are poor
		 * readings the right way up). */
		if (quads[k] != 2 && pi.across)
			continue;
		if ((left = ms_left(start, lim->time_limit)) <= 0)
			break;
		if (quads[k] == 2 && !upside_down_worth(e, p, &pi, rot, page, out,
		    mark, (int)left, lim))
			continue;
		if ((left = ms_left(start, lim->time_limit)) <= 0)
			break;
		PIX *r = quads[k] == 2 ? pixRotate180(NULL, p) : pixRotateOrth(p,
		    quads[k]);
		struct ocr_text alt;
		float m = 0;
		int l2 = line0;
		ocr_text_init(&alt);
		if (r && ocr_engine_recognize(e, r, page, &l2, (int)left, lim, &alt,
		        &m) == CB_OK && m > mean + 0.15f) {
			err = ocr_text_replace_from(out, mark, &alt);
			mean = m;
			*line = l2;
			out->rotation = (rot + quads[k] * 90) % 360;
			wd = pixGetWidth(r);
			hd = pixGetHeight(r);
		}
		ocr_text_release(&alt);
		pixDestroy(&r);
	}
	/* The page as it will be kept: p, or p turned the way that read
	 * better.  The other languages, the large print and the values are
	 * read there. */
	PIX *now = NULL;
	if (err == CB_OK) {
		int q = ((out->rotation - rot) % 360 + 360) % 360 / 90;
		now = q == 0 ? pixClone(p) : q == 2 ? pixRotate180(NULL, p) :
		    pixRotateOrth(p, q);
		if (!now)
			err = CB_ENOMEM;
	}
	if (err == CB_OK && (left = ms_left(start, lim->time_limit)) > 0)
		err = ocr_engine_recognize_others(e, now, page, line, line0, mark,
		    (int)left, lim, out, &mean);
	if (err == CB_OK && (left = ms_left(start, lim->time_limit)) > 0)
		err = reread_tall_lines(e, now, page, mark, (int)left, lim, out);
	if (err == CB_OK && (left = ms_left(start, lim->time_limit)) > 0)
		err = add_large_print(e, now, page, mark, line, (int)left, lim, out);
	if (err == CB_OK && (left = ms_left(start, lim->time_limit)) > 0)
		err = reread_values(e, now, page, mark, (int)left, lim, out);
	pixDestroy(&now);
	if (err == CB_OK)
		unmap_boxes(out, mark, out->rotation / 90, wd, hd, pi.scale,
		    pi.skew, pi.w, pi.h);
	pixDestroy(&p);
	if (err == CB_ETOOBIG && lim->tick && !lim->tick(lim->tick_arg)) {
		snprintf(why, wlen, "stopped: the job was taken over");
		err = CB_ECONFLICT;
	} else if (err == CB_ETOOBIG)
		snprintf(why, wlen, "OCR took longer than %d s", lim->time_limit);
	else if (err != CB_OK)
		snprintf(why, wlen, "the OCR engine failed (%s)", cb_strerror(err));
	return err;
}

cb_err
ocr_read_image(struct ocr_engine *e, const unsigned char *data, size_t len,
    const struct ocr_limits *lim, struct ocr_text *out, char *why, size_t wlen)
{
	l_int32 fmt, w, h, bps, spp, cmap;
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	if (pixReadHeaderMem(data, len, &fmt, &w, &h, &bps, &spp, &cmap) != 0 ||
	    w <= 0 || h <= 0) {
		snprintf(why, wlen, "the image header cannot be read");
		return CB_EINVAL;
	}
	if ((long long)w * h > lim->max_pixels) {
		snprintf(why, wlen, "the image has too many pixels (%d × %d)", w, h);
		return CB_EINVAL;
	}
	PIX *pix = pixReadMem(data, len);
	if (!pix) {
		snprintf(why, wlen, "the image cannot be decoded");
		return CB_EINVAL;
	}
	int exif = fmt == IFF_JFIF_JPEG ? exif_orientation(data, len) : 1;
	int line = 0;
	out->source = "ocr";
	cb_err err = recognize_pix(e, pix, exif, 0, &line, &start, lim, out, why,
	    wlen);
	pixDestroy(&pix);
	return err;
}

/* The text layer of one page as words; lines follow poppler's '\n'. */
static cb_err
text_layer(PopplerPage *pg, int page, double scale, int *line,
    struct ocr_text *out, size_t *nchars)
{
	char *txt = poppler_page_get_text(pg);
	PopplerRectangle *rects = NULL;
	guint nrects = 0;
	cb_err err = CB_OK;
	*nchars = 0;
	if (!txt || !poppler_page_get_text_layout(pg, &rects, &nrects)) {
		g_free(txt);
		return CB_OK;
	}
	/* One rectangle per character (UTF-8 code point) of txt. */
	const char *p = txt;
	guint ci = 0;
	(*line)++;
	while (*p && err == CB_OK) {
		if (*p == '\n') {
			(*line)++;
			p++;
			ci++;
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '\r') {
			p++;
			ci++;
			continue;
		}
		const char *ws = p;
		double x0 = 1e9, y0 = 1e9, x1 = -1, y1 = -1;
		while (*p && *p != ' ' && *p != '\n' && *p != '\t' && *p != '\r') {
			if (ci < nrects) {
				PopplerRectangle *r = &rects[ci];
				/* Two runs the text stream glued ("Cuenta debitada" and
				 * "574204434775" at the far right of a flex row): a gap
				 * wider than half a character height ends the word. */
				if (p != ws && (r->x1 - x1 > 0.5 * (r->y2 - r->y1) ||
				    r->x2 < x0))
					break;
				if (r->x1 < x0) x0 = r->x1;
				if (r->y1 < y0) y0 = r->y1;
				if (r->x2 > x1) x1 = r->x2;
				if (r->y2 > y1) y1 = r->y2;
			}
			p = g_utf8_next_char(p);
			ci++;
		}
		err = ocr_text_add(out, ws, (size_t)(p - ws), (int)(x0 * scale),
		    (int)(y0 * scale), (int)(x1 * scale), (int)(y1 * scale), 1.0f,
		    page, *line);
		*nchars += (size_t)(p - ws);
	}
	g_free(rects);
	g_free(txt);
	return err;
}

/* Renders a page at dpi into an 8 bpp gray Pix. */
static PIX *
render(PopplerPage *pg, int dpi, long max_pixels)
{
	cairo_surface_t *cs = pdf_page_surface(pg, dpi, max_pixels);
	if (!cs)
		return NULL;
	int w = cairo_image_surface_get_width(cs);
	int h = cairo_image_surface_get_height(cs);
	PIX *pix = pixCreate(w, h, 8);
	if (pix) {
		const unsigned char *src = cairo_image_surface_get_data(cs);
		int stride = cairo_image_surface_get_stride(cs);
		for (long y = 0; y < h; y++) {
			const uint32_t *row = (const uint32_t *)(src + y * stride);
			l_uint32 *line = pixGetData(pix) + y * pixGetWpl(pix);
			for (long x = 0; x < w; x++) {
				uint32_t v = row[x];
				unsigned r = (v >> 16) & 255, g = (v >> 8) & 255, b = v & 255;
				SET_DATA_BYTE(line, x, (r * 77 + g * 150 + b * 29) >> 8);
			}
		}
	}
	cairo_surface_destroy(cs);
	return pix;
}

static cb_err
read_pdf(struct ocr_engine *e, int fd, const struct ocr_limits *lim,
    struct ocr_text *out, char *why, size_t wlen)
{
	struct timespec start;
	GError *gerr = NULL;
	clock_gettime(CLOCK_MONOTONIC, &start);
	int dfd = dup(fd);
	if (dfd < 0) {
		snprintf(why, wlen, "the PDF cannot be read");
		return CB_EIO;
	}
	lseek(dfd, 0, SEEK_SET);
	PopplerDocument *doc = poppler_document_new_from_fd(dfd, NULL, &gerr);
	if (!doc) {
		bool enc = gerr && gerr->domain == POPPLER_ERROR &&
		    gerr->code == POPPLER_ERROR_ENCRYPTED;
		snprintf(why, wlen, enc ? "the PDF is encrypted" :
		    "the PDF is damaged: %.200s", gerr ? gerr->message : "unreadable");
		if (gerr)
			g_error_free(gerr);
		return CB_EINVAL;
	}
	int pages = poppler_document_get_n_pages(doc);
	cb_err err = CB_OK;
	if (pages <= 0 || pages > lim->pdf_max_pages || pages > OCR_MAX_PAGES) {
		snprintf(why, wlen, "the PDF has %d pages; at most %d are read", pages,
		    lim->pdf_max_pages);
		err = CB_EINVAL;
	}
	int line = 0, dpi = lim->pdf_dpi > 0 ? lim->pdf_dpi : 200;
	double scale = dpi / 72.0;
	/* The text layer first: if the document has one, no OCR is needed. */
	size_t total = 0;
	for (int i = 0; err == CB_OK && i < pages; i++) {
		PopplerPage *pg = poppler_document_get_page(doc, i);
		size_t nc = 0;
		if (!pg)
			continue;
		double pw, ph;
		poppler_page_get_size(pg, &pw, &ph);
		out->page_w[i] = (int)(pw * scale);
		out->page_h[i] = (int)(ph * scale);
		size_t first = out->n;
		err = text_layer(pg, i, scale, &line, out, &nc);
		if (err == CB_OK)
			err = ocr_text_relines(out, first, &line);
		total += nc;
		g_object_unref(pg);
	}
	out->pages = pages;
	if (err == CB_OK && total >= 20) {
		out->source = "text-layer";
		g_object_unref(doc);
		return CB_OK;
	}
	/* Scanned: render each page and OCR it. */
	ocr_text_truncate(out, 0);
	out->source = "ocr";
	line = 0;
	for (int i = 0; err == CB_OK && i < pages; i++) {
		PopplerPage *pg = poppler_document_get_page(doc, i);
		if (!pg)
			continue;
		PIX *pix = render(pg, dpi, lim->max_pixels);
		g_object_unref(pg);
		if (!pix) {
			snprintf(why, wlen, "page %d of the PDF cannot be rendered", i + 1);
			err = CB_EINVAL;
			break;
		}
		err = recognize_pix(e, pix, 1, i, &line, &start, lim, out, why, wlen);
		pixDestroy(&pix);
	}
	g_object_unref(doc);
	return err;
}

cb_err
ocr_read_document(struct ocr_engine *e, enum doc_type t, int fd,
    const struct ocr_limits *lim, struct ocr_text *out, char *why, size_t wlen)
{
	struct stat st;
	if (t == DOC_PDF)
		return read_pdf(e, fd, lim, out, why, wlen);
	if (fstat(fd, &st) != 0 || st.st_size <= 0 || st.st_size > (1L << 30)) {
		snprintf(why, wlen, "the document cannot be read");
		return CB_EIO;
	}
	unsigned char *buf = malloc((size_t)st.st_size);
	if (!buf)
		return CB_ENOMEM;
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t r = pread(fd, buf + got, (size_t)st.st_size - got, (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	cb_err err;
	if (got != (size_t)st.st_size) {
		snprintf(why, wlen, "the document cannot be read");
		err = CB_EIO;
	} else
		err = ocr_read_image(e, buf, got, lim, out, why, wlen);
	free(buf);
	return err;
}
