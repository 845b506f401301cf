/*
 * probe.h — checks an uploaded document cheaply at upload time, so that a
 * payment is never created for a file OCR cannot open: image dimensions
 * from the header alone (no decode), a PDF's encryption and page count.
 */
#ifndef CB_OCR_PROBE_H
#define CB_OCR_PROBE_H

#include <stddef.h>

#include "core/document.h"
#include "ocr/limits.h"

enum probe_result {
	PROBE_OK,
	PROBE_BROKEN,           /* not decodable as its type */
	PROBE_TOO_MANY_PIXELS,
	PROBE_ENCRYPTED,
	PROBE_TOO_MANY_PAGES,
};

/* head[0..len) are the first bytes; fd (or -1) the whole file when it did
 * not fit in head.  why receives a sentence for the client. */
enum probe_result ocr_probe(enum doc_type t, const unsigned char *head,
    size_t len, int fd, const struct ocr_limits *lim, char *why, size_t wlen);

#endif
