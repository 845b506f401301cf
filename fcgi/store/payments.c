/* payments.c — see payments.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "store/payment_rows.h"
#include "store/payments.h"
#include "util/codec.h"
#include "util/jsonx.h"

#define COLS PAYMENT_COLS

static const char SQL_INSERT[] =
    "INSERT INTO payments (customer_id, invoice_id, amount_minor, currency,"
    " payment_method, bank_code, reference, transaction_date, notes, status,"
    " requires_manual_review, registered_by, created_at, updated_at, version,"
    " bank_account_id, bank_validation, webhook_url, receipt_url,"
    " receipt_status, surface, request_id, client_order_id, extra, public_ref,"
    " exchange_rate, exchange_currency, currency_default)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pendiente', ?, ?, ?, ?, 1, ?, ?, ?, ?,"
    " IF(? IS NULL, NULL, 'fetching'), ?, ?, ?, ?, ?, ?, ?, ?)";
/* A bank account given to one client (sql/013) is that client's; one
 * given to nobody is everybody's.  Binds: owner, owner. */
#define ACCOUNT_OURS " AND (? = 0 OR client_key_id IS NULL OR client_key_id = ?)"
static const char SQL_REFS[] =
    "SELECT (SELECT COUNT(*) FROM customers WHERE id = ?"
    "   AND (? = 0 OR owner_key_id = ?)),"
    " (SELECT code FROM banks WHERE code = ?),"
    " (SELECT i.customer_id FROM invoices i JOIN customers c"
    "   ON c.id = i.customer_id WHERE i.id = ? AND (? = 0 OR c.owner_key_id = ?)),"
    " (SELECT i.currency FROM invoices i JOIN customers c"
    "   ON c.id = i.customer_id WHERE i.id = ? AND (? = 0 OR c.owner_key_id = ?)),"
    " (SELECT id FROM bank_accounts WHERE public_id = ? AND active = 1" ACCOUNT_OURS "),"
    " (SELECT currency FROM bank_accounts WHERE public_id = ? AND active = 1" ACCOUNT_OURS "),"
    " (SELECT public_id FROM bank_accounts WHERE public_id = ? AND active = 1" ACCOUNT_OURS ")";
static const char SQL_GET[] = "SELECT " COLS " FROM payments WHERE id = ?";
static const char SQL_BY_REQUEST[] = "SELECT " COLS " FROM payments"
    " WHERE request_id = ? AND (? = 0 OR registered_by = ?)";
static const char SQL_BY_PUBLIC[] = "SELECT " COLS " FROM payments"
    " WHERE public_ref = ? AND (? = 0 OR registered_by = ?)";
static const char SQL_SAME_OWNER[] = "SELECT COUNT(*) = 2 AND"
    " COUNT(DISTINCT registered_by) = 1 FROM payments WHERE id IN (?, ?)";
static const char SQL_PAID_AT[] = "SELECT MIN(at) FROM payment_events"
    " WHERE payment_id = ? AND to_status IN ('conciliado', 'aplicado')";
static const char SQL_BY_ORDER[] = "SELECT " COLS " FROM payments"
    " WHERE registered_by = ? AND client_order_id = ?";
static const char SQL_LIST[] = "SELECT " COLS " FROM payments"
    " WHERE (? = 0 OR registered_by = ?) AND (? IS NULL OR status = ?)"
    " AND (? = 0 OR customer_id = ?)"
    " AND (? = 0 OR invoice_id = ?)"
    " AND (? IS NULL OR transaction_date >= ?)"
    " AND (? IS NULL OR transaction_date <= ?)"
    " AND (? < 0 OR requires_manual_review = ?)"
    " AND (? = 0 OR id < ?)"
    " ORDER BY id DESC LIMIT ?";
static const char SQL_TRANSITION[] =
    "UPDATE payments SET previous_status = status, status = ?,"
    " version = version + 1, updated_at = UTC_TIMESTAMP(6)"
    " WHERE id = ? AND status IN (?, ?, ?, ?)"
    " AND (? IS NULL OR status = ?) AND (? = 0 OR version = ?)";
static const char SQL_CORRECT[] =
    "UPDATE payments SET invoice_id = ?,"
    " currency_default = currency_default AND currency <=> ?,"
    " amount_minor = ?, currency = ?,"
    " payment_method = ?, bank_code = ?, reference = ?, transaction_date = ?,"
    " notes = ?, bank_account_id = ?, version = version + 1,"
    " updated_at = UTC_TIMESTAMP(6)"
    " WHERE id = ? AND status = 'pendiente' AND version = ?";
static const char SQL_EVENT[] =
    "INSERT INTO payment_events (payment_id, at, kind, actor_type, actor_id,"
    " actor_name, remote_addr, request_id, from_status, to_status, reason,"
    " changes, version) VALUES (?, UTC_TIMESTAMP(6), ?, ?, ?, ?, ?, ?, ?, ?, ?,"
    " ?, ?)";
/* Many events in one statement: a JSON array of them as the parameter. */
static const char SQL_EVENT_MANY[] =
    "INSERT INTO payment_events (payment_id, at, kind, actor_type, actor_id,"
    " actor_name, remote_addr, request_id, from_status, to_status, reason,"
    " changes, version) SELECT payment_id, UTC_TIMESTAMP(6), kind, actor_type,"
    " actor_id, actor_name, remote_addr, request_id, from_status, to_status,"
    " reason, changes, version FROM JSON_TABLE(?, '$[*]' COLUMNS ("
    " payment_id BIGINT UNSIGNED PATH '$.p', kind VARCHAR(16) PATH '$.k',"
    " actor_type VARCHAR(16) PATH '$.at', actor_id VARCHAR(64) PATH '$.ai',"
    " actor_name VARCHAR(100) PATH '$.an', remote_addr VARCHAR(64) PATH '$.ra',"
    " request_id VARCHAR(64) PATH '$.ri', from_status VARCHAR(16) PATH '$.f',"
    " to_status VARCHAR(16) PATH '$.t', reason VARCHAR(500) PATH '$.r',"
    " changes TEXT PATH '$.c', version INT UNSIGNED PATH '$.v')) AS e";
static const char SQL_EVENTS[] =
    "SELECT id, at, kind, actor_type, actor_id, actor_name, remote_addr,"
    " request_id, from_status, to_status, reason, changes, version"
    " FROM payment_events WHERE payment_id = ? ORDER BY id";

void
payment_row_release(struct payment_row *r)
{
	if (r) {
		free(r->notes);
		free(r->ocr_data);
		free(r->webhook_url);
		free(r->receipt_url);
		free(r->extra);
		r->extra = NULL;
		r->notes = NULL;
		r->ocr_data = NULL;
		r->webhook_url = NULL;
		r->receipt_url = NULL;
	}
}

cb_err
payments_fill(const struct db_stmt *s, void *out)
{
	struct payment_row *r = out;
	const char *v;
	memset(r, 0, sizeof *r);
	r->id = db_col_i64(s, 0);
	r->customer_id = db_col_i64(s, 1);
	r->invoice_id = db_col_i64(s, 2);
	r->has_amount = db_col(s, 3) != NULL;
	r->amount_minor = db_col_i64(s, 3);
	snprintf(r->currency, sizeof r->currency, "%s", (v = db_col(s, 4)) ? v : "");
	snprintf(r->payment_method, sizeof r->payment_method, "%s",
	    (v = db_col(s, 5)) ? v : "");
	snprintf(r->bank_code, sizeof r->bank_code, "%s", (v = db_col(s, 6)) ? v : "");
	snprintf(r->reference, sizeof r->reference, "%s", (v = db_col(s, 7)) ? v : "");
	snprintf(r->transaction_date, sizeof r->transaction_date, "%s",
	    (v = db_col(s, 8)) ? v : "");
	if ((v = db_col(s, 9)) && !(r->notes = strdup(v)))
		return CB_ENOMEM;
	snprintf(r->status, sizeof r->status, "%s", (v = db_col(s, 10)) ? v : "");
	snprintf(r->previous_status, sizeof r->previous_status, "%s",
	    (v = db_col(s, 11)) ? v : "");
	r->requires_manual_review = db_col_i64(s, 12) != 0;
	r->registered_by = db_col_i64(s, 13);
	snprintf(r->created_at, sizeof r->created_at, "%s",
	    (v = db_col(s, 14)) ? v : "");
	snprintf(r->updated_at, sizeof r->updated_at, "%s",
	    (v = db_col(s, 15)) ? v : "");
	r->version = (unsigned)db_col_i64(s, 16);
	snprintf(r->document_key, sizeof r->document_key, "%s",
	    (v = db_col(s, 17)) ? v : "");
	snprintf(r->document_name, sizeof r->document_name, "%s",
	    (v = db_col(s, 18)) ? v : "");
	snprintf(r->document_type, sizeof r->document_type, "%s",
	    (v = db_col(s, 19)) ? v : "");
	r->document_size = db_col_i64(s, 20);
	snprintf(r->document_sha256, sizeof r->document_sha256, "%s",
	    (v = db_col(s, 21)) ? v : "");
	snprintf(r->ocr_status, sizeof r->ocr_status, "%s",
	    (v = db_col(s, 22)) ? v : "");
	if ((v = db_col(s, 23)) && !(r->ocr_data = strdup(v)))
		return CB_ENOMEM;
	utf8_copy(r->review_reason, sizeof r->review_reason,
	    (v = db_col(s, 24)) ? v : "");
	r->duplicate_of = db_col_i64(s, 25);
	snprintf(r->review_kind, sizeof r->review_kind, "%s",
	    (v = db_col(s, 26)) ? v : "");
	r->bank_account_id = db_col_i64(s, 27);
	snprintf(r->bank_account, sizeof r->bank_account, "%s",
	    (v = db_col(s, 28)) ? v : "");
	snprintf(r->bank_operation_number, sizeof r->bank_operation_number, "%s",
	    (v = db_col(s, 29)) ? v : "");
	r->bank_validation = db_col_i64(s, 30) != 0;
	r->has_voucher_amount = db_col(s, 31) != NULL;
	r->voucher_amount_minor = db_col_i64(s, 31);
	snprintf(r->voucher_date, sizeof r->voucher_date, "%s",
	    (v = db_col(s, 32)) ? v : "");
	if (((v = db_col(s, 33)) && !(r->webhook_url = strdup(v))) ||
	    ((v = db_col(s, 34)) && !(r->receipt_url = strdup(v))))
		return CB_ENOMEM;
	snprintf(r->receipt_status, sizeof r->receipt_status, "%s",
	    (v = db_col(s, 35)) ? v : "");
	snprintf(r->receipt_error, sizeof r->receipt_error, "%s",
	    (v = db_col(s, 36)) ? v : "");
	snprintf(r->surface, sizeof r->surface, "%s", (v = db_col(s, 37)) ? v : "");
	snprintf(r->request_id, sizeof r->request_id, "%s",
	    (v = db_col(s, 38)) ? v : "");
	snprintf(r->client_order_id, sizeof r->client_order_id, "%s",
	    (v = db_col(s, 39)) ? v : "");
	if ((v = db_col(s, 40)) && !(r->extra = strdup(v)))
		return CB_ENOMEM;
	snprintf(r->public_ref, sizeof r->public_ref, "%s",
	    (v = db_col(s, 41)) ? v : "");
	snprintf(r->exchange_rate, sizeof r->exchange_rate, "%s",
	    (v = db_col(s, 42)) ? v : "");
	snprintf(r->exchange_currency, sizeof r->exchange_currency, "%s",
	    (v = db_col(s, 43)) ? v : "");
	r->currency_default = db_col_i64(s, 44) != 0;
	return CB_OK;
}

static void
bind_id_or_null(struct db_stmt *s, unsigned i, int64_t v)
{
	if (v)
		db_bind_i64(s, i, v);
	else
		db_bind_null(s, i);
}

cb_err
payments_insert(struct db_conn *c, const struct payment_fields *f,
    int64_t registered_by, const char *now, struct payment_row *row)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_INSERT, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, f->customer_id);
	bind_id_or_null(s, 1, f->invoice_id);
	if (f->has_amount)
		db_bind_i64(s, 2, f->amount_minor);
	else
		db_bind_null(s, 2);
	db_bind_str(s, 3, f->currency);
	db_bind_str(s, 4, f->payment_method);
	db_bind_str(s, 5, f->bank_code);
	db_bind_str(s, 6, f->reference);
	db_bind_str(s, 7, f->transaction_date);
	db_bind_str(s, 8, f->notes);
	db_bind_i64(s, 9, f->requires_manual_review);
	db_bind_i64(s, 10, registered_by);
	db_bind_str(s, 11, now);
	db_bind_str(s, 12, now);
	bind_id_or_null(s, 13, f->bank_account_id);
	db_bind_i64(s, 14, f->bank_validation);
	db_bind_str(s, 15, f->webhook_url);
	db_bind_str(s, 16, f->receipt_url);
	db_bind_str(s, 17, f->receipt_url);
	db_bind_str(s, 18, f->surface);
	db_bind_str(s, 19, f->request_id);
	db_bind_str(s, 20, f->client_order_id);
	db_bind_str(s, 21, f->extra);
	db_bind_str(s, 22, f->public_ref);
	db_bind_str(s, 23, f->exchange_rate);
	db_bind_str(s, 24, f->exchange_currency);
	db_bind_i64(s, 25, f->currency_default);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	memset(row, 0, sizeof *row);
	row->id = (int64_t)db_insert_id(s);
	row->customer_id = f->customer_id;
	row->invoice_id = f->invoice_id;
	row->has_amount = f->has_amount;
	row->amount_minor = f->amount_minor;
#define COPY(dst, src) snprintf(dst, sizeof dst, "%s", (src) ? (src) : "")
	COPY(row->currency, f->currency);
	COPY(row->payment_method, f->payment_method);
	COPY(row->bank_code, f->bank_code);
	COPY(row->reference, f->reference);
	COPY(row->transaction_date, f->transaction_date);
	COPY(row->status, "pendiente");
	COPY(row->bank_account, f->bank_account);
	row->bank_account_id = f->bank_account_id;
	row->bank_validation = f->bank_validation;
	COPY(row->created_at, now);
	COPY(row->updated_at, now);
#undef COPY
#define COPY_RECEIPT_STATUS(r) snprintf((r)->receipt_status, \
	sizeof (r)->receipt_status, "fetching")
	if ((f->notes && !(row->notes = strdup(f->notes))) ||
	    (f->webhook_url && !(row->webhook_url = strdup(f->webhook_url))) ||
	    (f->receipt_url && !(row->receipt_url = strdup(f->receipt_url))))
		return CB_ENOMEM;
	if (f->receipt_url)
		COPY_RECEIPT_STATUS(row);
	snprintf(row->surface, sizeof row->surface, "%s",
	    f->surface ? f->surface : "");
	snprintf(row->request_id, sizeof row->request_id, "%s",
	    f->request_id ? f->request_id : "");
	snprintf(row->client_order_id, sizeof row->client_order_id, "%s",
	    f->client_order_id ? f->client_order_id : "");
	if (f->extra && !(row->extra = strdup(f->extra)))
		return CB_ENOMEM;
	snprintf(row->public_ref, sizeof row->public_ref, "%s",
	    f->public_ref ? f->public_ref : "");
	snprintf(row->exchange_rate, sizeof row->exchange_rate, "%s",
	    f->exchange_rate ? f->exchange_rate : "");
	snprintf(row->exchange_currency, sizeof row->exchange_currency, "%s",
	    f->exchange_currency ? f->exchange_currency : "");
	row->requires_manual_review = f->requires_manual_review;
	row->registered_by = registered_by;
	row->version = 1;
	return CB_OK;
}

cb_err
payments_lookup_refs(struct db_conn *c, int64_t owner, int64_t customer_id,
    const char *bank_code, int64_t invoice_id, const char *bank_account,
    struct payment_refs *out)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	const char *v;
	memset(out, 0, sizeof *out);
	if ((e = db_prepare(c, SQL_REFS, &s)) != CB_OK)
		return e;
	unsigned i = 0;
	const char *acct = bank_account ? bank_account : "";
	db_bind_i64(s, i++, customer_id);
	db_bind_i64(s, i++, owner);
	db_bind_i64(s, i++, owner);
	db_bind_str(s, i++, bank_code ? bank_code : "");
	for (int k = 0; k < 2; k++) {
		db_bind_i64(s, i++, invoice_id);
		db_bind_i64(s, i++, owner);
		db_bind_i64(s, i++, owner);
	}
	for (int k = 0; k < 3; k++) {
		db_bind_str(s, i++, acct);
		db_bind_i64(s, i++, owner);
		db_bind_i64(s, i++, owner);
	}
	if ((e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, &row)) != CB_OK)
		return e;
	if (!row)
		return CB_EDB;
	out->bank_account_id = db_col_i64(s, 4);
	snprintf(out->bank_account_currency, sizeof out->bank_account_currency,
	    "%s", (v = db_col(s, 5)) ? v : "");
	snprintf(out->bank_account, sizeof out->bank_account, "%s",
	    (v = db_col(s, 6)) ? v : "");
	out->customer_exists = db_col_i64(s, 0) > 0;
	if ((v = db_col(s, 1))) {
		out->bank_exists = true;
		snprintf(out->bank_code, sizeof out->bank_code, "%s", v);
	}
	if (db_col(s, 2)) {
		out->invoice_exists = true;
		out->invoice_customer = db_col_i64(s, 2);
		snprintf(out->invoice_currency, sizeof out->invoice_currency, "%s",
		    (v = db_col(s, 3)) ? v : "");
	}
	return CB_OK;
}

cb_err
payments_each(struct db_conn *c, struct db_stmt *s,
    cb_err (*fn)(const struct payment_row *, void *), void *arg)
{
	struct payment_row r;
	bool row;
	cb_err e;
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	while ((e = db_next(c, s, &row)) == CB_OK && row) {
		if ((e = payments_fill(s, &r)) != CB_OK) {
			payment_row_release(&r);
			return e;
		}
		e = fn(&r, arg);
		payment_row_release(&r);
		if (e != CB_OK)
			return e;
	}
	return e;
}

cb_err
payments_get(struct db_conn *c, int64_t id, struct payment_row *r)
{
	memset(r, 0, sizeof *r);
	return db_get_by_id(c, SQL_GET, id, payments_fill, r);
}

/* The first row of s (parameters bound) into r; CB_ENOTFOUND if none. */
static cb_err
first_row(struct db_conn *c, struct db_stmt *s, struct payment_row *r)
{
	cb_err e;
	memset(r, 0, sizeof *r);
	if ((e = db_exec_one(c, s)) != CB_OK)
		return e;
	if ((e = payments_fill(s, r)) != CB_OK)
		payment_row_release(r);
	return e;
}

cb_err
payments_by_request_id(struct db_conn *c, const char *request_id,
    int64_t api_key_id, struct payment_row *r)
{
	struct db_stmt *s;
	cb_err e;
	memset(r, 0, sizeof *r);
	if ((e = db_prepare(c, SQL_BY_REQUEST, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, request_id);
	db_bind_i64(s, 1, api_key_id);
	db_bind_i64(s, 2, api_key_id);
	return first_row(c, s, r);
}

cb_err
payments_by_public_ref(struct db_conn *c, const char *ref, int64_t api_key_id,
    struct payment_row *r)
{
	struct db_stmt *s;
	cb_err e;
	memset(r, 0, sizeof *r);
	if ((e = db_prepare(c, SQL_BY_PUBLIC, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, ref);
	db_bind_i64(s, 1, api_key_id);
	db_bind_i64(s, 2, api_key_id);
	return first_row(c, s, r);
}

cb_err
payments_paid_at(struct db_conn *c, int64_t id, char out[32])
{
	struct db_stmt *s;
	cb_err e;
	out[0] = '\0';
	if ((e = db_prepare(c, SQL_PAID_AT, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, id);
	if ((e = db_exec_one(c, s)) != CB_OK) /* MIN(): always a row */
		return e;
	if (db_col(s, 0))
		snprintf(out, 32, "%s", db_col(s, 0));
	return CB_OK;
}

cb_err
payments_by_order_id(struct db_conn *c, int64_t api_key_id,
    const char *order_id, struct payment_row *r)
{
	struct db_stmt *s;
	cb_err e;
	memset(r, 0, sizeof *r);
	if ((e = db_prepare(c, SQL_BY_ORDER, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, api_key_id);
	db_bind_str(s, 1, order_id);
	return first_row(c, s, r);
}

cb_err
payments_list(struct db_conn *c, const struct payment_filter *f,
    cb_err (*fn)(const struct payment_row *, void *), void *arg)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_LIST, &s)) != CB_OK)
		return e;
	unsigned i = 0;
	db_bind_i64(s, i++, f->owner);
	db_bind_i64(s, i++, f->owner);
	db_bind_str(s, i++, f->status);
	db_bind_str(s, i++, f->status);
	db_bind_i64(s, i++, f->customer_id);
	db_bind_i64(s, i++, f->customer_id);
	db_bind_i64(s, i++, f->invoice_id);
	db_bind_i64(s, i++, f->invoice_id);
	db_bind_str(s, i++, f->date_from);
	db_bind_str(s, i++, f->date_from);
	db_bind_str(s, i++, f->date_to);
	db_bind_str(s, i++, f->date_to);
	db_bind_i64(s, i++, f->review);
	db_bind_i64(s, i++, f->review);
	db_bind_i64(s, i++, f->before_id);
	db_bind_i64(s, i++, f->before_id);
	db_bind_i64(s, i++, f->limit);
	return payments_each(c, s, fn, arg);
}

cb_err
payments_transition(struct db_conn *c, int64_t id, enum pay_status to,
    const char *expected_status, unsigned expected_version, bool *changed)
{
	enum pay_status from[4];
	struct db_stmt *s;
	cb_err e;
	*changed = false;
	size_t n = pay_status_sources(to, from, 4);
	if ((e = db_prepare(c, SQL_TRANSITION, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, pay_status_name(to));
	db_bind_i64(s, 1, id);
	for (unsigned i = 0; i < 4; i++)
		if (i < n)
			db_bind_str(s, 2 + i, pay_status_name(from[i]));
		else
			db_bind_null(s, 2 + i); /* IN (NULL) never matches */
	db_bind_str(s, 6, expected_status);
	db_bind_str(s, 7, expected_status);
	db_bind_i64(s, 8, expected_version);
	db_bind_i64(s, 9, expected_version);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	*changed = db_affected(s) == 1;
	return CB_OK;
}

cb_err
payments_correct(struct db_conn *c, int64_t id, unsigned version,
    const struct payment_fields *f, bool *changed)
{
	struct db_stmt *s;
	cb_err e;
	*changed = false;
	if ((e = db_prepare(c, SQL_CORRECT, &s)) != CB_OK)
		return e;
	bind_id_or_null(s, 0, f->invoice_id);
	/* A currency left as it was is still only the default. */
	db_bind_str(s, 1, f->currency);
	if (f->has_amount)
		db_bind_i64(s, 2, f->amount_minor);
	else
		db_bind_null(s, 2);
	db_bind_str(s, 3, f->currency);
	db_bind_str(s, 4, f->payment_method);
	db_bind_str(s, 5, f->bank_code);
	db_bind_str(s, 6, f->reference);
	db_bind_str(s, 7, f->transaction_date);
	db_bind_str(s, 8, f->notes);
	bind_id_or_null(s, 9, f->bank_account_id);
	db_bind_i64(s, 10, id);
	db_bind_i64(s, 11, version);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	*changed = db_affected(s) == 1;
	return CB_OK;
}

cb_err
payment_events_insert(struct db_conn *c, const struct payment_event *ev)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_EVENT, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, ev->payment_id);
	db_bind_str(s, 1, ev->kind);
	db_bind_str(s, 2, ev->actor_type);
	db_bind_str(s, 3, ev->actor_id);
	db_bind_str(s, 4, ev->actor_name);
	db_bind_str(s, 5, ev->remote_addr);
	db_bind_str(s, 6, ev->request_id);
	db_bind_str(s, 7, ev->from_status);
	db_bind_str(s, 8, ev->to_status);
	db_bind_str(s, 9, ev->reason);
	db_bind_str(s, 10, ev->changes);
	db_bind_i64(s, 11, ev->version);
	return db_exec(c, s);
}

static void
add_str(json_object *o, const char *k, const char *v)
{
	if (v)
		jx_add(o, k, jx_string(v));
}

cb_err
payment_events_insert_many(struct db_conn *c, const struct payment_event *ev,
    size_t n)
{
	struct db_stmt *s;
	cb_err e;
	if (!n)
		return CB_OK;
	json_object *a = jx_array_ext((int)n);
	for (size_t i = 0; i < n; i++) {
		json_object *o = jx_object();
		jx_add(o, "p", jx_int64(ev[i].payment_id));
		add_str(o, "k", ev[i].kind);
		add_str(o, "at", ev[i].actor_type);
		add_str(o, "ai", ev[i].actor_id);
		add_str(o, "an", ev[i].actor_name);
		add_str(o, "ra", ev[i].remote_addr);
		add_str(o, "ri", ev[i].request_id);
		add_str(o, "f", ev[i].from_status);
		add_str(o, "t", ev[i].to_status);
		add_str(o, "r", ev[i].reason);
		add_str(o, "c", ev[i].changes);
		jx_add(o, "v", jx_int64(ev[i].version));
		jx_push(a, o);
	}
	if ((e = db_prepare(c, SQL_EVENT_MANY, &s)) == CB_OK) {
		db_bind_str(s, 0, json_object_to_json_string_ext(a,
		    JSON_C_TO_STRING_PLAIN));
		e = db_exec(c, s);
		if (e == CB_OK && db_affected(s) != (uint64_t)n)
			e = CB_EINVAL;
	}
	json_object_put(a);
	return e;
}

cb_err
payment_events_list(struct db_conn *c, int64_t payment_id,
    cb_err (*fn)(const struct payment_event_row *, void *), void *arg)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	if ((e = db_prepare(c, SQL_EVENTS, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, payment_id);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	while ((e = db_next(c, s, &row)) == CB_OK && row) {
		struct payment_event_row r = {
			.id = db_col_i64(s, 0), .at = db_col(s, 1), .kind = db_col(s, 2),
			.actor_type = db_col(s, 3), .actor_id = db_col(s, 4),
			.actor_name = db_col(s, 5), .remote_addr = db_col(s, 6),
			.request_id = db_col(s, 7), .from_status = db_col(s, 8),
			.to_status = db_col(s, 9), .reason = db_col(s, 10),
			.changes = db_col(s, 11), .version = (unsigned)db_col_i64(s, 12),
		};
		if ((e = fn(&r, arg)) != CB_OK)
			return e;
	}
	return e;
}

cb_err
payments_same_owner(struct db_conn *c, int64_t a, int64_t b, bool *same)
{
	struct db_stmt *s;
	cb_err e;
	*same = false;
	if ((e = db_prepare(c, SQL_SAME_OWNER, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, a);
	db_bind_i64(s, 1, b);
	if ((e = db_exec_one(c, s)) != CB_OK)
		return e;
	*same = db_col_i64(s, 0) == 1;
	return CB_OK;
}
