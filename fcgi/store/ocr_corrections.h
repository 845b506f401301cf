/*
 * ocr_corrections.h — what reviewers said OCR should have read
 * (sql/014_ocr_corrections.sql), and the reviewed documents with what the
 * extractor weighed, for refitting the model on an installation's own
 * vouchers (comprobarctl ocr export-corrections).
 */
#ifndef CB_STORE_OCR_CORRECTIONS_H
#define CB_STORE_OCR_CORRECTIONS_H

#include <stdint.h>

#include "store/db.h"

/* ocr_value NULL: OCR read nothing.  how: "typed" or "clicked". */
cb_err ocr_corrections_add(struct db_conn *c, int64_t payment_id,
    const char *field, const char *ocr_value, const char *value,
    const char *how, int64_t reviewer_id);

/* A corrected payment as the reviewer left it; borrowed for the call. */
struct ocr_reviewed {
	int64_t payment_id;
	const char *candidates;    /* payments.ocr_candidates JSON */
	const char *amount;        /* "1500.00" in major units, or NULL */
	const char *date;          /* "YYYY-MM-DD", or NULL */
	const char *reference;     /* or NULL */
};
/* Every payment with at least one correction and stored candidates, in id
 * order; stops at the first error fn returns. */
cb_err ocr_corrections_each(struct db_conn *c,
    cb_err (*fn)(const struct ocr_reviewed *r, void *arg), void *arg);

#endif
