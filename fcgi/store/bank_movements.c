/* bank_movements.c — reading stored movements back, filtered and by
 * keyset pages, for the movements routes and pages (see bank.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/bank.h"

#define MCOLS "id, account_id, statement_id, COALESCE(payment_id, 0)," \
	" COALESCE(reversed_by, 0), booking_date, value_date, amount," \
	" amount_minor, currency, status, credit, reversal, svcr_ref, entry_ref," \
	" end_to_end, tx_id, party_name, party_id, party_account, info, tx_code," \
	" raw, created_at, entry_svcr_ref, creditor_ref"

/* Every filter is a parameter pair "(? unset OR condition)": one
 * prepared statement serves them all. */
static const char SQL_MOV_LIST[] = "SELECT " MCOLS " FROM bank_movements"
    " WHERE (? = 0 OR statement_id IN (SELECT id FROM bank_statements"
    " WHERE import_id = ?)) AND (? = 0 OR account_id = ?)"
    " AND (? IS NULL OR booking_date >= ?) AND (? IS NULL OR booking_date <= ?)"
    " AND (? < 0 OR credit = ?) AND (? < 0 OR (payment_id IS NOT NULL) = ?)"
    " AND (? IS NULL OR CONCAT_WS(' ', svcr_ref, entry_svcr_ref, entry_ref,"
    " end_to_end, creditor_ref, tx_id, party_name, party_account, info)"
    " LIKE CONCAT('%', ?, '%'))"
    " AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?";

static void
col(char *out, size_t len, const struct db_stmt *s, unsigned i)
{
	const char *v = db_col(s, i);
	snprintf(out, len, "%s", v ? v : "");
}

static void
fill(const struct db_stmt *s, struct bank_movement_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = db_col_i64(s, 0);
	r->account_id = db_col_i64(s, 1);
	r->statement_id = db_col_i64(s, 2);
	r->payment_id = db_col_i64(s, 3);
	r->reversed_by = db_col_i64(s, 4);
	col(r->booking_date, sizeof r->booking_date, s, 5);
	col(r->value_date, sizeof r->value_date, s, 6);
	col(r->amount, sizeof r->amount, s, 7);
	r->has_minor = db_col(s, 8) != NULL;
	r->amount_minor = db_col_i64(s, 8);
	col(r->currency, sizeof r->currency, s, 9);
	col(r->status, sizeof r->status, s, 10);
	r->credit = db_col_i64(s, 11) != 0;
	r->reversal = db_col_i64(s, 12) != 0;
	col(r->svcr_ref, sizeof r->svcr_ref, s, 13);
	col(r->entry_ref, sizeof r->entry_ref, s, 14);
	col(r->end_to_end, sizeof r->end_to_end, s, 15);
	col(r->tx_id, sizeof r->tx_id, s, 16);
	col(r->party_name, sizeof r->party_name, s, 17);
	col(r->party_id, sizeof r->party_id, s, 18);
	col(r->party_account, sizeof r->party_account, s, 19);
	col(r->info, sizeof r->info, s, 20);
	col(r->tx_code, sizeof r->tx_code, s, 21);
	col(r->raw, sizeof r->raw, s, 22);
	col(r->created_at, sizeof r->created_at, s, 23);
	col(r->entry_svcr_ref, sizeof r->entry_svcr_ref, s, 24);
	col(r->creditor_ref, sizeof r->creditor_ref, s, 25);
}

cb_err
bank_movements_list(struct db_conn *c, const struct bank_movement_filter *f,
    int64_t before, int limit,
    cb_err (*fn)(const struct bank_movement_row *r, void *arg), void *arg)
{
	struct db_stmt *s;
	struct bank_movement_row *r;
	bool row;
	cb_err e;
	if ((e = db_prepare(c, SQL_MOV_LIST, &s)) != CB_OK)
		return e;
	unsigned i = 0;
	db_bind_i64(s, i++, f->import_id);
	db_bind_i64(s, i++, f->import_id);
	db_bind_i64(s, i++, f->account_id);
	db_bind_i64(s, i++, f->account_id);
	db_bind_str(s, i++, f->from);
	db_bind_str(s, i++, f->from);
	db_bind_str(s, i++, f->to);
	db_bind_str(s, i++, f->to);
	db_bind_i64(s, i++, f->credit);
	db_bind_i64(s, i++, f->credit);
	db_bind_i64(s, i++, f->matched);
	db_bind_i64(s, i++, f->matched);
	db_bind_str(s, i++, f->text);
	db_bind_str(s, i++, f->text);
	db_bind_i64(s, i++, before);
	db_bind_i64(s, i++, before);
	db_bind_i64(s, i++, limit);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	/* A row is 3 KB: on the heap, not the stack of a worker thread. */
	if (!(r = malloc(sizeof *r)))
		return CB_ENOMEM;
	while ((e = db_next(c, s, &row)) == CB_OK && row) {
		fill(s, r);
		if ((e = fn(r, arg)) != CB_OK)
			break;
	}
	free(r);
	return e;
}
