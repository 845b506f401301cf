/* pdf_page.c — see pdf_page.h. */
#include <math.h>
#include <unistd.h>

#include "ocr/pdf_page.h"

cairo_surface_t *
pdf_page_surface(PopplerPage *pg, int dpi, long max_pixels)
{
	double pw, ph;
	poppler_page_get_size(pg, &pw, &ph);
	double s = dpi / 72.0;
	long w = (long)(pw * s), h = (long)(ph * s);
	if (w <= 0 || h <= 0)
		return NULL;
	if (w * h > max_pixels) {
		/* A huge page is drawn smaller rather than refused. */
		s *= sqrt((double)max_pixels / (double)(w * h));
		w = (long)(pw * s);
		h = (long)(ph * s);
		if (w <= 0 || h <= 0)
			return NULL;
	}
	cairo_surface_t *cs = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
	    (int)w, (int)h);
	if (cairo_surface_status(cs) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(cs);
		return NULL;
	}
	cairo_t *cr = cairo_create(cs);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, s, s);
	poppler_page_render(pg, cr);
	cairo_destroy(cr);
	cairo_surface_flush(cs);
	return cs;
}

static cairo_status_t
png_out(void *closure, const unsigned char *data, unsigned int len)
{
	return buf_append(closure, data, len) == CB_OK ? CAIRO_STATUS_SUCCESS :
	    CAIRO_STATUS_NO_MEMORY;
}

cb_err
pdf_page_png(int fd, int page, int dpi, long max_pixels, struct buf *png)
{
	GError *gerr = NULL;
	int dfd = dup(fd);
	if (dfd < 0)
		return CB_EIO;
	lseek(dfd, 0, SEEK_SET);
	/* poppler owns dfd from here and closes it with the document. */
	PopplerDocument *doc = poppler_document_new_from_fd(dfd, NULL, &gerr);
	if (!doc) {
		if (gerr)
			g_error_free(gerr);
		return CB_EINVAL;
	}
	cb_err e = CB_ENOTFOUND;
	if (page >= 0 && page < poppler_document_get_n_pages(doc)) {
		PopplerPage *pg = poppler_document_get_page(doc, page);
		cairo_surface_t *cs = pg ? pdf_page_surface(pg, dpi, max_pixels) :
		    NULL;
		e = !cs ? CB_EINVAL :
		    cairo_surface_write_to_png_stream(cs, png_out, png) ==
		    CAIRO_STATUS_SUCCESS ? CB_OK : CB_ENOMEM;
		if (cs)
			cairo_surface_destroy(cs);
		if (pg)
			g_object_unref(pg);
	}
	g_object_unref(doc);
	return e;
}
