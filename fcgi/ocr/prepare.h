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

/* Returns a new 8 bpp image (caller destroys) or NULL.  exif: EXIF
 * orientation 1..8 (1 for none).  *rotation: the quarter turns applied,
 * in degrees.  *sure: the orientation was decided (turned, or clearly
 * upright already); when false a poor reading is worth retrying turned. */
struct Pix *ocr_prepare(struct Pix *src, int exif, int *rotation, bool *sure);

#endif
