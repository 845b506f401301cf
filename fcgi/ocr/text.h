/*
 * text.h — what reading a document produced: words with their page, line,
 * box (pixels of the page image; PDF points × dpi/72 for text layers) and
 * confidence in [0, 1].  The extractor (extract.h) works only from this,
 * so it is the same for OCR and for PDF text layers, and testable without
 * either.
 */
#ifndef CB_OCR_TEXT_H
#define CB_OCR_TEXT_H

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

struct ocr_text {
	struct ocr_word *w;      /* owned */
	size_t n, cap;
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
/* Drops words [mark, n). */
void ocr_text_truncate(struct ocr_text *t, size_t mark);
/* Drops words [mark, n) and appends copies of all of src's words (a
 * better reading of the same page replaces the first). */
cb_err ocr_text_replace_from(struct ocr_text *t, size_t mark,
    const struct ocr_text *src);
/* Mean word confidence (0 when empty). */
float ocr_text_mean_conf(const struct ocr_text *t);

#endif
