/*
 * pdf_page.h — one PDF page drawn at a resolution: for OCR (reader.c turns
 * the surface into a gray Pix) and for the review pages (a PNG the
 * reviewer sees under the OCR boxes).  The same drawing for both keeps
 * the boxes where the words are.
 */
#ifndef CB_PDF_PAGE_H
#define CB_PDF_PAGE_H

#include <cairo.h>
#include <poppler.h>

#include "util/buf.h"
#include "util/err.h"

/* An RGB24 surface (white behind the page) at dpi, or smaller when the
 * page would exceed max_pixels; NULL on failure.  Destroy it. */
cairo_surface_t *pdf_page_surface(PopplerPage *pg, int dpi, long max_pixels);

/* Page (0-based) of the PDF in fd as PNG bytes appended to png.
 * CB_ENOTFOUND for a page the document does not have, CB_EINVAL for a
 * damaged or encrypted document.  fd is not closed. */
cb_err pdf_page_png(int fd, int page, int dpi, long max_pixels,
    struct buf *png);

#endif
