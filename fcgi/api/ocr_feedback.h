/*
 * ocr_feedback.h — a reviewer's approval as training data: each of amount,
 * date and reference whose approved value is not what OCR read is recorded
 * (store/ocr_corrections.h), beside the candidates the extractor weighed
 * (payments.ocr_candidates), for comprobarctl ocr export-corrections.
 */
#ifndef CB_API_OCR_FEEDBACK_H
#define CB_API_OCR_FEEDBACK_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/payments.h"

/* Which fields the reviewer filled by clicking one of OCR's readings (a
 * candidate or a word on the receipt) rather than typing. */
struct ocr_feedback_how { bool amount, date, reference; };

/* approved: the payment as the reviewer approved it (its ocr_data read);
 * how may be NULL (all typed).  Nothing is recorded for a payment OCR
 * never read. */
cb_err ocr_feedback_record(struct db_conn *db,
    const struct payment_row *approved, int64_t reviewer_id,
    const struct ocr_feedback_how *how);

#endif
