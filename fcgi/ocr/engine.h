/*
 * engine.h — the OCR engine interface: a page image in, words out.  The
 * default backend is Tesseract (tess.c); another (a cloud service, a newer
 * model) implements the same two operations.  An engine is not thread-safe:
 * each job thread creates its own once and reuses it for every document
 * (initialising Tesseract costs ~0.1 s per language).
 */
#ifndef CB_OCR_ENGINE_H
#define CB_OCR_ENGINE_H

#include <stdbool.h>

#include "ocr/limits.h"
#include "ocr/text.h"

struct Pix;
struct ocr_engine;

/* languages: '+'-joined Tesseract languages ("spa+eng"); the first alone
 * reads every page and region, the others only a page it reads poorly
 * (ocr_engine_recognize_others). */
cb_err ocr_engine_tesseract_new(const char *languages, struct ocr_engine **out);
void ocr_engine_free(struct ocr_engine *e);

/* Recognises pix (8 bpp gray or 1 bpp, any size) as page `page`; words
 * are appended to out with line numbers from *line (advanced).  Gives up
 * (CB_ETOOBIG) at deadline_ms of work or when lim->tick says stop.
 * *mean_conf in [0, 1]. */
cb_err ocr_engine_recognize(struct ocr_engine *e, struct Pix *pix, int page,
    int *line, int deadline_ms, const struct ocr_limits *lim,
    struct ocr_text *out, float *mean_conf);

/* The mean confidence under which a page is read again in the other
 * languages.  At 0.70 a third of the real receipts of
 * ../shared/receipts-sroie (English, read in Spanish first) were read
 * twice and not one field changed; a page read this poorly may be in
 * another language. */
#define OCR_OTHER_LANG_BELOW 0.50f

/* When *mean_conf, the first language's over words [mark, n) of out
 * (read from pix with line numbers from line0), is under
 * OCR_OTHER_LANG_BELOW: pix read again in each other language, and a
 * clearly surer reading replaces those words (*line, *mean_conf with it).
 * For the page as it will be kept: not for trial turns nor regions. */
cb_err ocr_engine_recognize_others(struct ocr_engine *e, struct Pix *pix,
    int page, int *line, int line0, size_t mark, int deadline_ms,
    const struct ocr_limits *lim, struct ocr_text *out, float *mean_conf);

/* Which way up the text of pix (1 bpp is best) stands, by Tesseract's
 * orientation detection (osd.traineddata): *degrees (0, 90, 180, 270) the
 * page is turned clockwise, so it reads upright turned back by that much;
 * *conf how sure (0 to about 10; under 0.5 it is a guess).  CB_ENOTFOUND
 * when there are too few characters to tell, CB_EINVAL when the detector
 * cannot be loaded. */
cb_err ocr_engine_orientation(struct ocr_engine *e, struct Pix *pix,
    int *degrees, float *conf);
/* Whether the orientation detector loads (comprobarctl doctor); without
 * it pages are turned upright by their ascenders alone. */
bool ocr_engine_has_orientation(struct ocr_engine *e);

#endif
