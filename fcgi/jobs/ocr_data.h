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

/* What the extractor weighed (payments.ocr_candidates), for refitting the
 * model on reviewers' corrections: collected through tr, the best
 * OCR_CANDS_KEPT of each field by score.  The JSON is a line of
 * `ocr_read -C` plus each candidate's score and box:
 * {"features": [names], "source", "docConf", "amount": [[value, [x…],
 * score, [page, x0, y0, x1, y1]], …], "date": …, "reference": …}. */
#define OCR_CANDS_KEPT 12
struct ocr_cands;
struct ocr_cands *ocr_cands_new(void);
/* Points tr at c (borrowed for the extraction). */
void ocr_cands_trace(struct ocr_cands *c, struct ocr_trace *tr);
/* malloc'd JSON text. */
char *ocr_cands_json(const struct ocr_cands *c, const struct ocr_text *t);
void ocr_cands_free(struct ocr_cands *c);

#endif
