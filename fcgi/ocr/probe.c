/* probe.c — see probe.h. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <leptonica/allheaders.h>
#include <poppler.h>

#include "ocr/probe.h"

static enum probe_result
probe_image(const unsigned char *head, size_t len, const struct ocr_limits *lim,
    char *why, size_t wlen)
{
	l_int32 format, w = 0, h = 0, bps, spp, iscmap;
	if (pixReadHeaderMem(head, len, &format, &w, &h, &bps, &spp, &iscmap) != 0 ||
	    w <= 0 || h <= 0) {
		snprintf(why, wlen, "the image header cannot be read");
		return PROBE_BROKEN;
	}
	if ((long long)w * h > lim->max_pixels) {
		snprintf(why, wlen, "the image is %d × %d pixels; at most %ld pixels"
		    " are accepted", w, h, lim->max_pixels);
		return PROBE_TOO_MANY_PIXELS;
	}
	return PROBE_OK;
}

static enum probe_result
probe_pdf(const unsigned char *head, size_t len, int fd,
    const struct ocr_limits *lim, char *why, size_t wlen)
{
	GError *err = NULL;
	PopplerDocument *doc;
	GBytes *bytes = NULL;
	if (fd >= 0) {
		int dup_fd = dup(fd);
		if (dup_fd < 0) {
			snprintf(why, wlen, "the PDF cannot be read");
			return PROBE_BROKEN;
		}
		lseek(dup_fd, 0, SEEK_SET);
		/* poppler owns dup_fd from here, also on failure. */
		doc = poppler_document_new_from_fd(dup_fd, NULL, &err);
	} else {
		bytes = g_bytes_new(head, len);
		doc = poppler_document_new_from_bytes(bytes, NULL, &err);
	}
	enum probe_result r = PROBE_OK;
	if (!doc) {
		if (err && err->domain == POPPLER_ERROR &&
		    err->code == POPPLER_ERROR_ENCRYPTED) {
			snprintf(why, wlen, "the PDF is encrypted (password protected);"
			    " upload an unprotected copy");
			r = PROBE_ENCRYPTED;
		} else {
			snprintf(why, wlen, "the PDF is damaged: %.200s",
			    err ? err->message : "unreadable");
			r = PROBE_BROKEN;
		}
	} else {
		int pages = poppler_document_get_n_pages(doc);
		if (pages <= 0) {
			snprintf(why, wlen, "the PDF has no pages");
			r = PROBE_BROKEN;
		} else if (pages > lim->pdf_max_pages) {
			snprintf(why, wlen, "the PDF has %d pages; at most %d are"
			    " accepted", pages, lim->pdf_max_pages);
			r = PROBE_TOO_MANY_PAGES;
		}
		/* Every page must open now, not when a reviewer asks for it: a
		 * page tree that loops counts pages it cannot give. */
		for (int i = 0; r == PROBE_OK && i < pages; i++) {
			PopplerPage *pg = poppler_document_get_page(doc, i);
			double w = 0, h = 0;
			if (pg)
				poppler_page_get_size(pg, &w, &h);
			if (!pg || !(w > 0 && h > 0)) {
				snprintf(why, wlen, "the PDF is damaged: page %d of %d"
				    " cannot be opened", i + 1, pages);
				r = PROBE_BROKEN;
			}
			if (pg)
				g_object_unref(pg);
		}
		/* A PDF with only an owner password opens without one (it only
		 * restricts printing or copying): it is read like any other.
		 * One that needs a password to open is refused above. */
		g_object_unref(doc);
	}
	if (err)
		g_error_free(err);
	if (bytes)
		g_bytes_unref(bytes);
	return r;
}

enum probe_result
ocr_probe(enum doc_type t, const unsigned char *head, size_t len, int fd,
    const struct ocr_limits *lim, char *why, size_t wlen)
{
	switch (t) {
	case DOC_JPEG:
	case DOC_PNG:
		return probe_image(head, len, lim, why, wlen);
	case DOC_PDF:
		return probe_pdf(head, len, fd, lim, why, wlen);
	default:
		snprintf(why, wlen, "unsupported type");
		return PROBE_BROKEN;
	}
}
