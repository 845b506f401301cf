/*
 * ocr_view.h — a payment's stored OCR outcome (jobs/ocr_data.h) in seed
 * 000's shape: `payment.ocrData` (extractedAmount, extractedDate,
 * extractedReference and confidence.{amount,date,reference}, plus the same
 * for currency, bank code and method, and where each was read) and the
 * envelope's `ocrResult`.
 */
#ifndef CB_OCR_VIEW_H
#define CB_OCR_VIEW_H

#include <json-c/json.h>

#include "store/payments.h"

/* NULL (JSON null) when the payment has no OCR outcome yet. */
json_object *ocr_view_data(const struct payment_row *r);
/* NULL when the payment has no document. */
json_object *ocr_view_result(const struct payment_row *r);
/* requiresManualReview as the API says it: true or false once known, and
 * JSON null while the receipt is still being fetched or read and nothing
 * has asked for a person yet (a false then would be a guess). */
json_object *ocr_view_review_flag(const struct payment_row *r);
/* The whole stored outcome, words included (GET …/ocr); NULL if none. */
json_object *ocr_view_full(const struct payment_row *r);

#endif
