/*
 * prepare.h — turns a decoded photo, scan or rendered page into what
 * Tesseract reads best: upright (EXIF, then 90/180° detection), gray,
 * text at a usable size, background light evened out, dark borders
 * whitened, deskewed, light text on dark (app dark mode) inverted.
 */
#ifndef CB_OCR_PREPARE_H
#define CB_OCR_PREPARE_H

#include <stdbool.h>

struct Pix;

/* What preparation did, so that boxes found on the prepared image can be
 * mapped back onto the document as a viewer shows it. */
struct prep_info {
	int rotation;   /* degrees clockwise, after EXIF (0, 90, 180, 270) */
	bool sure;      /* orientation decided (turned, or clearly upright);
	                   when false a poor reading is worth retrying turned */
	float scale;    /* prepared pixels per original pixel */
	int w, h;       /* the original with EXIF orientation applied */
	float skew;     /* degrees the image was turned clockwise to deskew */
	bool across;    /* its text lines run across the prepared page (upright
	                   or upside down), not down it: a sideways retry is
	                   pointless */
	bool upright;   /* the ascenders say up rather than down */
};

/* Returns a new 8 bpp image (caller destroys) or NULL.  exif: EXIF
 * orientation 1..8 (1 for none). */
struct Pix *ocr_prepare(struct Pix *src, int exif, struct prep_info *info);

#endif
