/* ocr_corrections.c — see ocr_corrections.h. */
#include <stdio.h>

#include "core/money.h"
#include "store/ocr_corrections.h"

static const char SQL_ADD[] =
    "INSERT INTO ocr_corrections (payment_id, field, ocr_value, value, how,"
    " reviewer_id, created_at) VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6))";
static const char SQL_EACH[] =
    "SELECT p.id, p.ocr_candidates, p.amount_minor, p.currency,"
    " p.transaction_date, p.reference FROM payments p"
    " WHERE p.ocr_candidates IS NOT NULL AND EXISTS"
    " (SELECT 1 FROM ocr_corrections c WHERE c.payment_id = p.id)"
    " ORDER BY p.id";

cb_err
ocr_corrections_add(struct db_conn *c, int64_t payment_id, const char *field,
    const char *ocr_value, const char *value, const char *how,
    int64_t reviewer_id)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_ADD, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, payment_id);
	db_bind_str(s, 1, field);
	db_bind_str(s, 2, ocr_value);
	db_bind_str(s, 3, value);
	db_bind_str(s, 4, how);
	if (reviewer_id)
		db_bind_i64(s, 5, reviewer_id);
	else
		db_bind_null(s, 5);
	return db_exec(c, s);
}

cb_err
ocr_corrections_each(struct db_conn *c,
    cb_err (*fn)(const struct ocr_reviewed *r, void *arg), void *arg)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	if ((e = db_prepare(c, SQL_EACH, &s)) != CB_OK ||
	    (e = db_exec(c, s)) != CB_OK)
		return e;
	while ((e = db_next(c, s, &row)) == CB_OK && row) {
		/* As OCR writes amounts: two decimals, whatever the currency's
		 * exponent (0..2). */
		char amount[48] = "";
		const char *cur = db_col(s, 3);
		int ex = cur ? currency_exponent(cur) : -1;
		if (db_col(s, 2) && ex >= 0 && ex <= 2) {
			int64_t m = db_col_i64(s, 2);
			for (int k = ex; k < 2; k++)
				m *= 10;
			money_format(m, 2, amount, sizeof amount);
		}
		struct ocr_reviewed r = {.payment_id = db_col_i64(s, 0),
		    .candidates = db_col(s, 1), .amount = amount[0] ? amount : NULL,
		    .date = db_col(s, 4), .reference = db_col(s, 5)};
		if ((e = fn(&r, arg)) != CB_OK)
			return e;
	}
	return e;
}
