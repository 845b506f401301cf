/*
 * review.h — does a payment read by OCR need a human?  Seed 000's rule,
 * made precise: yes when a required field (amount, date, reference) has
 * neither a manual value nor an OCR value at ≥ OCR_TRUST, or when OCR
 * read a value that disagrees with the manual one.
 */
#ifndef CB_OCR_REVIEW_H
#define CB_OCR_REVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ocr/extract.h"

#define OCR_TRUST 0.85f

/* What the client sent with the document (strings "" = none). */
struct manual_values {
	bool has_amount;
	int64_t amount_minor;
	const char *currency, *date, *reference, *bank_code, *method;
};

/* true when review is needed; reasons gets "; "-joined sentences. */
bool ocr_review(const struct ocr_fields *f, const struct manual_values *m,
    char *reasons, size_t len);

#endif
