/*
 * text.h — what reading a document produced: words with their page, line,
 * box (pixels of the page image; PDF points × dpi/72 for text layers) and
 * confidence in [0, 1].  The extractor (extract.h) works only from this,
 * so it is the same for OCR and for PDF text layers, and testable without
 * either.
 */
#ifndef CB_OCR_TEXT_H
#define CB_OCR_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

#define OCR_MAX_PAGES 100

struct ocr_word {
	char *text;              /* owned UTF-8 */
	int x0, y0, x1, y1;
	float conf;              /* 0..1 */
	int page;                /* 0-based */
	int line;                /* document-wide line number */
};

/* A second reading of words w0..w1 (a value the extractor chose): their
 * boxes cut out of the page and read again at another scale.  When the
 * two readings disagree the value is trusted less (features.h). */
struct ocr_reread {
	int w0, w1;              /* word indices, inclusive */
	char text[80];           /* what the second reading says, UTF-8 */
};
#define OCR_MAX_REREADS 12

struct ocr_text {
	struct ocr_word *w;      /* owned */
	size_t n, cap;
	struct ocr_reread rr[OCR_MAX_REREADS];
	size_t nrr;
	int pages;
	int page_w[OCR_MAX_PAGES], page_h[OCR_MAX_PAGES];
	const char *source;      /* static: "ocr" | "text-layer" */
	int rotation;            /* degrees the image was turned to read it */
};

void ocr_text_init(struct ocr_text *t);
void ocr_text_release(struct ocr_text *t);
/* Copies text; empty words are skipped. */
cb_err ocr_text_add(struct ocr_text *t, const char *text, size_t len, int x0,
    int y0, int x1, int y1, float conf, int page, int line);
/* Regroups words [from, n) — one page — into lines by geometry (vertical
 * overlap, then left to right) and numbers them from *line + 1.  PDF text
 * layers list a two-column "Monto: …  Q 1,500.00" as two runs; read this
 * way the label and its value share a line again. */
cb_err ocr_text_relines(struct ocr_text *t, size_t from, int *line);
/* Drops words [mark, n) (and second readings of them). */
void ocr_text_truncate(struct ocr_text *t, size_t mark);
/* Records a second reading of words w0..w1; false when full or out of
 * range (nothing recorded). */
bool ocr_text_add_reread(struct ocr_text *t, int w0, int w1, const char *text);
/* The second reading of exactly words w0..w1, or NULL. */
const struct ocr_reread *ocr_text_reread(const struct ocr_text *t, int w0,
    int w1);
/* Drops words [mark, n) and appends copies of all of src's words (a
 * better reading of the same page replaces the first). */
cb_err ocr_text_replace_from(struct ocr_text *t, size_t mark,
    const struct ocr_text *src);
/* Mean word confidence (0 when empty). */
float ocr_text_mean_conf(const struct ocr_text *t);

#endif
