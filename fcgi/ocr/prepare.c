/* prepare.c — see prepare.h. */
#include <math.h>
#include <stdlib.h>

#include <leptonica/allheaders.h>

#include "ocr/prepare.h"

/* EXIF orientation → upright. */
static PIX *
apply_exif(PIX *p, int o)
{
	PIX *t, *r;
	switch (o) {
	case 2: return pixFlipLR(NULL, p);
	case 3: return pixRotate180(NULL, p);
	case 4: return pixFlipTB(NULL, p);
	case 5:
		t = pixRotateOrth(p, 1);
		r = t ? pixFlipLR(NULL, t) : NULL;
		pixDestroy(&t);
		return r;
	case 6: return pixRotateOrth(p, 1);
	case 7:
		t = pixRotateOrth(p, 3);
		r = t ? pixFlipLR(NULL, t) : NULL;
		pixDestroy(&t);
		return r;
	case 8: return pixRotateOrth(p, 3);
	default: return pixClone(p);
	}
}

static PIX *
to_gray(PIX *p)
{
	if (pixGetDepth(p) == 8 && !pixGetColormap(p))
		return pixClone(p);
	return pixConvertTo8(p, 0);
}

/* The median size of what looks like characters (8-connected dark
 * components 4–300 px on their larger side), or 0 when there are too few
 * to tell. */
static int
char_height(PIX *g)
{
	l_float32 mean = 255;
	pixGetAverageMasked(g, NULL, 0, 0, 4, L_MEAN_ABSVAL, &mean);
	PIX *bin = pixThresholdToBinary(g, 128);
	if (bin && mean < 110)
		pixInvert(bin, bin); /* dark mode: the text is the light part */
	BOXA *ba = bin ? pixConnCompBB(bin, 8) : NULL;
	int n = ba ? boxaGetCount(ba) : 0, k = 0, med = 0;
	int *h = n ? malloc((size_t)n * sizeof *h) : NULL;
	for (int i = 0; h && i < n; i++) {
		/* The larger side: a page still lying sideways measures the
		 * same as upright, so that turning it changes nothing. */
		l_int32 x, y, w, hh;
		if (boxaGetBoxGeometry(ba, i, &x, &y, &w, &hh) == 0) {
			int big = w > hh ? w : hh, small = w > hh ? hh : w;
			if (big >= 4 && big <= 300 && big <= 4 * small)
				h[k++] = big;
		}
	}
	if (k >= 20) {
		/* A partial selection would do; receipts have few thousand. */
		for (int i = 1; i < k; i++)
			for (int j = i; j > 0 && h[j - 1] > h[j]; j--) {
				int t = h[j];
				h[j] = h[j - 1];
				h[j - 1] = t;
			}
		med = h[k / 2];
	}
	free(h);
	boxaDestroy(&ba);
	pixDestroy(&bin);
	return med;
}

/* Scale so that characters are about 26 px tall, the size Tesseract reads
 * best: phone screenshots at 2–3× print their amounts far larger, and
 * scaling those up by width alone made Tesseract drop the line.  Pages
 * with too few characters to measure are scaled to about 2000–2400 px
 * wide, as receipts photographed whole read well there. */
static PIX *
rescale(PIX *g, float *factor)
{
	int w = pixGetWidth(g), ch = char_height(g);
	float f = 1;
	if (ch > 0)
		f = 26.0f / (float)ch;
	else if (w < 1000)
		f = 2000.0f / (float)w;
	else if (w > 2600)
		f = 2200.0f / (float)w;
	/* Never more than twice, nor past 8 megapixels: small print on a
	 * small scan gains little from more, and the time grows with the
	 * area (real receipts took seconds at four times). */
	if (f > 2)
		f = 2;
	float area = (float)w * (float)pixGetHeight(g);
	if (area * f * f > 8e6f)
		f = sqrtf(8e6f / area);
	if (f < 0.5f)
		f = 0.5f;
	/* Within 15% of the size wanted is left alone: a resample costs time
	 * and sharpness. */
	if (f > 0.87f && f < 1.15f)
		f = 1;
	*factor = f;
	if (f == 1)
		return pixClone(g);
	return f > 1 ? pixScaleGrayLI(g, f, f) : pixScaleAreaMap(g, f, f);
}

/* Light text on dark bands (web headers, buttons): find large solid dark
 * blocks and invert them in place, so the bank's name in a header bar is
 * read like the rest. */
static void
invert_banners(PIX *g)
{
	PIX *dark = pixThresholdToBinary(g, 90);
	if (!dark)
		return;
	/* Solid blocks survive an opening by a wide brick; text strokes do not. */
	PIX *blocks = pixOpenBrick(NULL, dark, 61, 21);
	if (blocks) {
		l_int32 empty = 1;
		pixZero(blocks, &empty);
		if (!empty) {
			PIX *mask = pixDilateBrick(NULL, blocks, 5, 5);
			PIX *inv = pixInvert(NULL, g);
			if (mask && inv)
				pixCombineMasked(g, inv, mask);
			pixDestroy(&mask);
			pixDestroy(&inv);
		}
		pixDestroy(&blocks);
	}
	pixDestroy(&dark);
}

/* Whether text lines run across the page: the dark pixels counted row by
 * row alternate between lines and the gaps between them, far more than
 * counted column by column, where every column crosses many lines.
 * Measured as the mean jump between neighbouring counts over their mean,
 * on a quarter-size copy (it is cheap and the lines are still there). */
static bool
lines_across(PIX *g)
{
	PIX *b = pixConvertTo1(g, 160);
	PIX *r = b ? pixReduceRankBinaryCascade(b, 1, 1, 0, 0) : NULL;
	NUMA *rows = r ? pixCountPixelsByRow(r, NULL) : NULL;
	NUMA *cols = r ? pixCountPixelsByColumn(r) : NULL;
	double rough[2] = {0, 0};
	NUMA *na[2] = {rows, cols};
	for (int k = 0; k < 2; k++) {
		int n = na[k] ? numaGetCount(na[k]) : 0;
		double sum = 0, jump = 0;
		for (int i = 0; i < n; i++) {
			l_float32 v, u = 0;
			numaGetFValue(na[k], i, &v);
			if (i)
				numaGetFValue(na[k], i - 1, &u);
			sum += v;
			jump += i ? fabs((double)v - (double)u) : 0;
		}
		rough[k] = sum > 0 ? jump / sum : 0;
	}
	numaDestroy(&rows);
	numaDestroy(&cols);
	pixDestroy(&r);
	pixDestroy(&b);
	/* On the corpus's photos upright pages measured rows/columns 1.07 to
	 * 1.8, sideways ones 0.79 to 0.85: in between, a retry is kept. */
	return rough[0] >= 0.95 * rough[1];
}

PIX *
ocr_prepare(PIX *src, int exif, struct prep_info *info)
{
	int *rotation = &info->rotation;
	bool *sure = &info->sure;
	info->scale = 1;
	info->skew = 0;
	PIX *a = NULL, *g = NULL, *s = NULL, *n = NULL, *b = NULL, *d = NULL;
	PIX *out = NULL;
	*rotation = 0;
	*sure = false;
	if (!(a = apply_exif(src, exif)) || !(g = to_gray(a)) ||
	    !(s = rescale(g, &info->scale)))
		goto done;
	info->w = pixGetWidth(a);
	info->h = pixGetHeight(a);
	/* Dark mode: mostly dark pixels → invert so text is dark on light. */
	l_float32 mean = 255;
	pixGetAverageMasked(s, NULL, 0, 0, 4, L_MEAN_ABSVAL, &mean);
	if (mean < 110)
		pixInvert(s, s);
	invert_banners(s);
	/* Even out light: shadows and gradients of phone photos. */
	if (!(n = pixBackgroundNormSimple(s, NULL, NULL)))
		n = pixClone(s);
	/* Whiten what touches the border while dark (scanner edges, the table
	 * under a photographed slip): Tesseract reads nothing beside it. */
	if ((b = pixConvertTo1(n, 160))) {
		PIX *border = pixExtractBorderConnComps(b, 8);
		if (border) {
			pixPaintThroughMask(n, border, 0, 0, 255);
			pixDestroy(&border);
		}
	}
	/* Deskew and keep the angle: the boxes are turned back onto the
	 * original with it. */
	l_float32 skew = 0;
	/* Leptonica's sweep looks 7° either way.  Phone photos come turned
	 * up to 10°, but with a sweep of 12° fewer corpus photos read right
	 * (amounts 97 -> 88 of 156, dates 112 -> 99). */
	if (!(d = pixDeskewGeneral(n, 0, 0.0f, 0.0f, 0, 0, &skew, NULL)))
		d = pixClone(n);
	else if (d != n)
		info->skew = skew;
	/* else: found too unsure to turn by, and returned as it was (a clone:
	 * the same PIX); the angle it reports was not applied. */
	/* Upside down or sideways: decide from the text's ascenders. */
	PIX *bin = pixConvertTo1(d, 160);
	l_float32 up = 0, left = 0;
	l_int32 orient = L_TEXT_ORIENT_UNKNOWN;
	/* Leptonica's default thresholds (8.0, 2.5) leave receipts, with their
	 * few lines, undecided; 5.0 and 1.4 turned every corpus sample the
	 * right way and no upright one the wrong way. */
	if (bin && pixOrientDetect(bin, &up, &left, 0, 0) == 0)
		makeOrientDecision(up, left, 5.0f, 1.4f, &orient, 0);
	info->upright = up > 1.0f;
	pixDestroy(&bin);
	/* Undecided (L_TEXT_ORIENT_UNKNOWN) counts as sure only when the text
	 * still looks rather upright. */
	*sure = orient != L_TEXT_ORIENT_UNKNOWN || (up > 3.0f && up > 1.4f *
	    (left < 0 ? -left : left));
	switch (orient) {
	case L_TEXT_ORIENT_LEFT:
		out = pixRotateOrth(d, 1);
		*rotation = 90;
		break;
	case L_TEXT_ORIENT_DOWN:
		out = pixRotate180(NULL, d);
		*rotation = 180;
		break;
	case L_TEXT_ORIENT_RIGHT:
		out = pixRotateOrth(d, 3);
		*rotation = 270;
		break;
	default:
		out = pixClone(d);
	}
	if (out)
		info->across = lines_across(out);
done:
	pixDestroy(&a);
	pixDestroy(&g);
	pixDestroy(&s);
	pixDestroy(&n);
	pixDestroy(&b);
	pixDestroy(&d);
	return out;
}
