/*
 * ocr_data.h — what an OCR run stores in payments.ocr_data: a JSON
 * document (our own format, versioned) with the fields, their confidences
 * and boxes, every word with its box, and the review decision.  The API
 * renders it in seed 000's shape (api/ocr_view.c); the review pages draw
 * the boxes.
 */
#ifndef CB_OCR_DATA_H
#define CB_OCR_DATA_H

#include <stdbool.h>
#include <stdint.h>

#include "ocr/extract.h"
#include "ocr/text.h"

/* A malloc'd JSON text, or NULL when out of memory.  t may be NULL (a
 * failed run), error NULL when it did not fail.  The words go apart
 * (ocr_words_json: payments.ocr_words), so that lists never carry them. */
char *ocr_data_json(const struct ocr_text *t, const struct ocr_fields *f,
    const char *status, bool review, const char *reasons, int64_t duplicate_of,
    const char *error, double seconds);
/* [[text, page, x0, y0, x1, y1, confidence], …] (malloc'd), or NULL. */
char *ocr_words_json(const struct ocr_text *t);

#endif
