/*
 * convert.h — receipts in the other image formats seed 002 accepts by URL
 * (GIF, BMP, WebP, TIFF) turned into PNG, so that they are stored, shown
 * and read like any upload.  The size is judged from the header before
 * anything is decoded, as for uploads.
 */
#ifndef CB_OCR_CONVERT_H
#define CB_OCR_CONVERT_H

#include <stddef.h>

#include "util/err.h"

/* The format's name when the bytes are one of those we convert, else
 * NULL. */
const char *ocr_convertible(const unsigned char *head, size_t n);

/* PNG bytes of the image (malloc'd into *png, caller frees).  CB_ETOOBIG
 * over max_pixels, CB_EINVAL for a damaged image; why says which. */
cb_err ocr_convert_png(const unsigned char *data, size_t n, long max_pixels,
    unsigned char **png, size_t *pnglen, char *why, size_t whylen);

#endif
