/*
 * payment_rows.h — for the store files that read whole payment rows (the
 * payments themselves, the review queue): the column list and the row
 * reader, so that every SELECT fills struct payment_row the same way.
 */
#ifndef CB_PAYMENT_ROWS_H
#define CB_PAYMENT_ROWS_H

#include "store/payments.h"

/* Columns 0–43 in the order payments_fill reads them; a SELECT may add
 * its own after them. */
#define PAYMENT_COLS "id, customer_id, invoice_id, amount_minor, currency," \
	" payment_method, bank_code, reference, transaction_date, notes, status," \
	" previous_status, requires_manual_review, registered_by, created_at," \
	" updated_at, version, document_key, document_name, document_type," \
	" document_size, document_sha256, ocr_status, ocr_data, review_reason," \
	" duplicate_of, review_kind, bank_account_id," \
	" (SELECT public_id FROM bank_accounts ba" \
	"  WHERE ba.id = payments.bank_account_id), bank_operation_number," \
	" bank_validation, voucher_amount_minor, voucher_date, webhook_url," \
	" receipt_url, receipt_status, receipt_error, surface, request_id," \
	" client_order_id, extra, public_ref, exchange_rate, exchange_currency," \
	" currency_default"
#define PAYMENT_NCOLS 45

/* Fills a struct payment_row (out) from the current row of s. */
cb_err payments_fill(const struct db_stmt *s, void *out);
/* Runs s and hands every row to fn. */
cb_err payments_each(struct db_conn *c, struct db_stmt *s,
    cb_err (*fn)(const struct payment_row *, void *), void *arg);

#endif
