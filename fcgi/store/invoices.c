/* invoices.c — see invoices.h. */
#include <stdio.h>
#include <string.h>

#include "store/invoices.h"

/* An invoice is its customer's owner's (core/ownership.h). */
#define COLS "i.id, i.customer_id, i.number, i.currency, i.amount_minor," \
	" i.balance_minor, i.issue_date, i.due_date, i.concept, i.created_at," \
	" i.public_ref, i.payable_type, c.owner_key_id"
#define FROM " FROM invoices i JOIN customers c ON c.id = i.customer_id"
#define OWNED "(? = 0 OR c.owner_key_id = ?)"
static const char SQL_INSERT[] =
    "INSERT INTO invoices (customer_id, number, currency, amount_minor,"
    " balance_minor, issue_date, due_date, concept, created_at, updated_at,"
    " public_ref, payable_type)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), ?, ?)";
static const char SQL_GET[] = "SELECT " COLS FROM " WHERE i.id = ? AND " OWNED;
static const char SQL_LIST[] = "SELECT " COLS FROM " WHERE " OWNED
    " AND (? = 0 OR i.customer_id = ?) AND (? = 0 OR i.id < ?)"
    " ORDER BY i.id DESC LIMIT ?";
static const char SQL_ADJUST[] =
    "UPDATE invoices SET balance_minor = balance_minor + ?,"
    " updated_at = UTC_TIMESTAMP(6) WHERE id = ?";

static cb_err
fill(const struct db_stmt *s, void *out)
{
	struct invoice_row *r = out;
	const char *v;
	memset(r, 0, sizeof *r);
	r->id = db_col_i64(s, 0);
	r->customer_id = db_col_i64(s, 1);
	snprintf(r->number, sizeof r->number, "%s", (v = db_col(s, 2)) ? v : "");
	snprintf(r->currency, sizeof r->currency, "%s", (v = db_col(s, 3)) ? v : "");
	r->amount_minor = db_col_i64(s, 4);
	r->balance_minor = db_col_i64(s, 5);
	snprintf(r->issue_date, sizeof r->issue_date, "%s",
	    (v = db_col(s, 6)) ? v : "");
	snprintf(r->due_date, sizeof r->due_date, "%s", (v = db_col(s, 7)) ? v : "");
	snprintf(r->concept, sizeof r->concept, "%s", (v = db_col(s, 8)) ? v : "");
	snprintf(r->public_ref, sizeof r->public_ref, "%s",
	    (v = db_col(s, 10)) ? v : "");
	snprintf(r->payable_type, sizeof r->payable_type, "%s",
	    (v = db_col(s, 11)) ? v : "");
	snprintf(r->created_at, sizeof r->created_at, "%s",
	    (v = db_col(s, 9)) ? v : "");
	r->owner = db_col_i64(s, 12);
	return CB_OK;
}

cb_err
invoices_insert(struct db_conn *c, const struct invoice_new *n, int64_t *id)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_INSERT, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, n->customer_id);
	db_bind_str(s, 1, n->number);
	db_bind_str(s, 2, n->currency);
	db_bind_i64(s, 3, n->amount_minor);
	db_bind_i64(s, 4, n->amount_minor);
	db_bind_str(s, 5, n->issue_date);
	db_bind_str(s, 6, n->due_date);
	db_bind_str(s, 7, n->concept);
	db_bind_str(s, 8, n->public_ref);
	db_bind_str(s, 9, n->payable_type);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	*id = (int64_t)db_insert_id(s);
	return CB_OK;
}

cb_err
invoices_get(struct db_conn *c, int64_t id, int64_t owner,
    struct invoice_row *r)
{
	return db_get_owned(c, SQL_GET, id, owner, fill, r);
}

cb_err
invoices_list(struct db_conn *c, int64_t owner, int64_t customer_id,
    int64_t before, int limit,
    cb_err (*fn)(const struct invoice_row *, void *), void *arg)
{
	struct db_stmt *s;
	struct invoice_row r;
	bool row;
	cb_err e;
	if ((e = db_prepare(c, SQL_LIST, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, owner);
	db_bind_i64(s, 1, owner);
	db_bind_i64(s, 2, customer_id);
	db_bind_i64(s, 3, customer_id);
	db_bind_i64(s, 4, before);
	db_bind_i64(s, 5, before);
	db_bind_i64(s, 6, limit);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	while ((e = db_next(c, s, &row)) == CB_OK && row) {
		if ((e = fill(s, &r)) != CB_OK || (e = fn(&r, arg)) != CB_OK)
			return e;
	}
	return e;
}

cb_err
invoices_adjust_balance(struct db_conn *c, int64_t id, int64_t delta)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_ADJUST, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, delta);
	db_bind_i64(s, 1, id);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	return db_affected(s) == 1 ? CB_OK : CB_ENOTFOUND;
}
