/*
 * limits.h — the bounds a document must respect before any decoder spends
 * memory or time on it (decompression bombs, endless PDFs).
 */
#ifndef CB_OCR_LIMITS_H
#define CB_OCR_LIMITS_H

#include <stdbool.h>

struct ocr_limits {
	long max_pixels;        /* width × height of an image or rendered page */
	int pdf_max_pages;      /* pages of a PDF */
	int time_limit;         /* seconds for one document's OCR */
	int pdf_dpi;            /* scanned pages are rendered at this */
	/* Called now and then during long work (about once a second); false
	 * stops it (the job lost its lease).  May be NULL. */
	bool (*tick)(void *arg);
	void *tick_arg;
};

#endif
