/*
 * receipts.h — the document and OCR columns of payments (sql/004).
 *
 * The OCR job writes its outcome with one conditional UPDATE: OCR values
 * fill only the fields the client left empty (manual data wins, seed 000),
 * the review flag is only ever raised here, never lowered, and the version
 * moves so that ETags change.
 */
#ifndef CB_RECEIPTS_H
#define CB_RECEIPTS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/payments.h"

struct payment_document {
	const char *key, *name, *type, *sha256;
	int64_t size;
};

/* Attaches a stored document and marks OCR as processing. */
cb_err payments_set_document(struct db_conn *c, int64_t id,
    const struct payment_document *d);

/* What one OCR run concluded.  Strings NULL = not found. */
struct ocr_outcome {
	const char *status;        /* done | failed */
	const char *data;          /* JSON text for ocrData */
	const char *words;         /* JSON text: the words and boxes, or NULL */
	const char *candidates;    /* JSON text: what the extractor weighed */
	bool has_amount;
	int64_t amount_minor;
	const char *currency, *payment_method, *bank_code, *reference,
	    *transaction_date;
	bool review;               /* raise requires_manual_review */
	const char *review_reason; /* all the reasons the payment is to
	                            * have (review_reasons_with_ocr), NULL
	                            * or "" for none */
	int64_t duplicate_of;      /* 0 = none */
};
/* *changed false if the payment vanished. */
cb_err payments_store_ocr(struct db_conn *c, int64_t id,
    const struct ocr_outcome *o, bool *changed);

/* The payment's review reason, its row locked until the transaction
 * ends (so that a reason another job writes meanwhile is not lost); a
 * new string the caller frees, or NULL when none.  CB_ENOTFOUND when
 * the payment is gone. */
cb_err payments_review_reason_locked(struct db_conn *c, int64_t id,
    char **reason);

/* Another payment (not this one, not rejected) with the same document hash,
 * or the same bank + reference + amount, owner's own first; 0 when none.
 * *dup_owner is whose it is. */
cb_err payments_find_duplicate(struct db_conn *c, int64_t id,
    const char *sha256, const char *bank_code, const char *reference,
    bool has_amount, int64_t amount_minor, int64_t owner, int64_t *dup,
    int64_t *dup_owner);

/* Raises the review flag with a reason (a dead OCR job). */
cb_err payments_flag_review(struct db_conn *c, int64_t id, const char *reason,
    const char *ocr_status);

/* A receipt URL's download ended: status "fetched", or "failed" with
 * error (the review flag is raised, with the error as the reason).
 * *changed false unless the payment was still fetching. */
cb_err payments_receipt_result(struct db_conn *c, int64_t id,
    const char *status, const char *error, bool *changed);

/* The stored words (JSON text, malloc'd into *json; NULL when none). */
cb_err payments_ocr_words(struct db_conn *c, int64_t id, char **json);
/* payments.ocr_candidates (jobs/ocr_data.h), malloc'd; NULL when none. */
cb_err payments_ocr_candidates(struct db_conn *c, int64_t id, char **json);

/* *exists true when a payment row references this document key. */
cb_err payments_document_referenced(struct db_conn *c, const char *key,
    bool *exists);

#endif
