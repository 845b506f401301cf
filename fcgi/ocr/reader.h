/*
 * reader.h — a stored document to words: images decoded with Leptonica
 * and prepared the way phone photos need, PDFs through poppler (their text
 * layer when they have one, else each page rendered and OCRed).
 */
#ifndef CB_OCR_READER_H
#define CB_OCR_READER_H

#include <stddef.h>

#include "core/document.h"
#include "ocr/engine.h"
#include "ocr/limits.h"
#include "ocr/text.h"

/* Reads the whole document at fd.  On failure why says what went wrong in
 * a sentence; CB_EINVAL means the document itself is at fault (retrying
 * will not help), anything else may be transient. */
cb_err ocr_read_document(struct ocr_engine *e, enum doc_type t, int fd,
    const struct ocr_limits *lim, struct ocr_text *out, char *why,
    size_t wlen);

/* The image half, for tools and tests: data is a whole JPEG or PNG. */
cb_err ocr_read_image(struct ocr_engine *e, const unsigned char *data,
    size_t len, const struct ocr_limits *lim, struct ocr_text *out, char *why,
    size_t wlen);

#endif
