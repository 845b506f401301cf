/* customers.c — see customers.h. */
#include <stdio.h>
#include <string.h>

#include "store/customers.h"

#define COLS "id, name, document_type, document_id, email, created_at," \
	" public_ref, deleted_at, owner_key_id"
/* Every lookup is limited to an owner's rows; ? = 0 lifts the limit. */
#define OWNED "(? = 0 OR owner_key_id = ?)"
static const char SQL_INSERT[] =
    "INSERT INTO customers (name, document_type, document_id, email, created_at,"
    " created_by, owner_key_id) VALUES (?, ?, ?, ?, UTC_TIMESTAMP(6), ?, ?)";
static const char SQL_GET[] = "SELECT " COLS " FROM customers WHERE id = ?"
    " AND " OWNED;
static const char SQL_BY_REF[] = "SELECT " COLS " FROM customers"
    " WHERE public_ref = ? AND " OWNED;
static const char SQL_BY_DOC_ROW[] = "SELECT " COLS " FROM customers"
    " WHERE owner_key_id = ? AND document_type = ? AND document_id = ? FOR UPDATE";
static const char SQL_SET_REF[] = "UPDATE customers SET public_ref = ?"
    " WHERE id = ? AND public_ref IS NULL";
static const char SQL_SOFT_DELETE[] = "UPDATE customers SET"
    " deleted_at = COALESCE(deleted_at, UTC_TIMESTAMP(6)) WHERE public_ref = ?"
    " AND " OWNED;
static const char SQL_LIST_REFS[] = "SELECT " COLS " FROM customers"
    " WHERE public_ref IS NOT NULL AND " OWNED " AND (? = 0 OR id < ?)"
    " ORDER BY id DESC LIMIT ?";
static const char SQL_LIST[] = "SELECT " COLS " FROM customers"
    " WHERE " OWNED " AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?";

static cb_err
fill(const struct db_stmt *s, void *out)
{
	struct customer_row *r = out;
	const char *v;
	memset(r, 0, sizeof *r);
	r->id = db_col_i64(s, 0);
	snprintf(r->name, sizeof r->name, "%s", (v = db_col(s, 1)) ? v : "");
	snprintf(r->document_type, sizeof r->document_type, "%s",
	    (v = db_col(s, 2)) ? v : "");
	snprintf(r->document_id, sizeof r->document_id, "%s",
	    (v = db_col(s, 3)) ? v : "");
	snprintf(r->email, sizeof r->email, "%s", (v = db_col(s, 4)) ? v : "");
	snprintf(r->created_at, sizeof r->created_at, "%s",
	    (v = db_col(s, 5)) ? v : "");
	snprintf(r->public_ref, sizeof r->public_ref, "%s",
	    (v = db_col(s, 6)) ? v : "");
	snprintf(r->deleted_at, sizeof r->deleted_at, "%s",
	    (v = db_col(s, 7)) ? v : "");
	r->owner = db_col_i64(s, 8);
	return CB_OK;
}

static cb_err
one(struct db_conn *c, struct db_stmt *s, struct customer_row *r)
{
	cb_err e = db_exec_one(c, s);
	return e == CB_OK ? fill(s, r) : e;
}

cb_err
customers_insert(struct db_conn *c, const char *name, const char *doc_type,
    const char *doc_id, const char *email, int64_t created_by, int64_t *id)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_INSERT, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, name);
	db_bind_str(s, 1, doc_type);
	db_bind_str(s, 2, doc_id);
	db_bind_str(s, 3, email);
	db_bind_i64(s, 4, created_by);
	db_bind_i64(s, 5, created_by);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	*id = (int64_t)db_insert_id(s);
	return CB_OK;
}

cb_err
customers_get(struct db_conn *c, int64_t id, int64_t owner,
    struct customer_row *r)
{
	return db_get_owned(c, SQL_GET, id, owner, fill, r);
}

/* One page of a keyset listing (newest first, ids below before; 0: from
 * the newest), each row handed to fn. */
static cb_err
list_page(struct db_conn *c, const char *sql, int64_t owner, int64_t before,
    int limit,
    cb_err (*fn)(const struct customer_row *, void *), void *arg)
{
	struct db_stmt *s;
	struct customer_row r;
	bool row;
	cb_err e;
	if ((e = db_prepare(c, sql, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, owner);
	db_bind_i64(s, 1, owner);
	db_bind_i64(s, 2, before);
	db_bind_i64(s, 3, before);
	db_bind_i64(s, 4, limit);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	while ((e = db_next(c, s, &row)) == CB_OK && row) {
		if ((e = fill(s, &r)) != CB_OK || (e = fn(&r, arg)) != CB_OK)
			return e;
	}
	return e;
}

cb_err
customers_list(struct db_conn *c, int64_t owner, int64_t before, int limit,
    cb_err (*fn)(const struct customer_row *, void *), void *arg)
{
	return list_page(c, SQL_LIST, owner, before, limit, fn, arg);
}

cb_err
customers_find_or_insert(struct db_conn *c, const char *name,
    const char *doc_type, const char *doc_id, int64_t created_by, int64_t *id)
{
	struct customer_row r;
	cb_err e;
	for (int attempt = 0; attempt < 2; attempt++) {
		/* A locking read: it sees a row another transaction just
		 * committed. */
		if ((e = customers_by_document(c, created_by, doc_type, doc_id,
		         &r)) == CB_OK) {
			*id = r.id;
			return CB_OK;
		}
		if (e != CB_ENOTFOUND)
			return e;
		e = customers_insert(c, name, doc_type, doc_id, NULL, created_by, id);
		if (e != CB_EEXIST)
			return e;
		/* Another request registered it meanwhile: read that one. */
	}
	return CB_ECONFLICT;
}

cb_err
customers_by_ref(struct db_conn *c, const char *ref, int64_t owner,
    struct customer_row *r)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_BY_REF, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, ref);
	db_bind_i64(s, 1, owner);
	db_bind_i64(s, 2, owner);
	return one(c, s, r);
}

cb_err
customers_by_document(struct db_conn *c, int64_t owner, const char *doc_type,
    const char *doc_id, struct customer_row *r)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_BY_DOC_ROW, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, owner);
	db_bind_str(s, 1, doc_type);
	db_bind_str(s, 2, doc_id);
	return one(c, s, r);
}

cb_err
customers_set_ref(struct db_conn *c, int64_t id, const char *ref)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_SET_REF, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, ref);
	db_bind_i64(s, 1, id);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	return db_affected(s) ? CB_OK : CB_ECONFLICT;
}

cb_err
customers_soft_delete(struct db_conn *c, const char *ref, int64_t owner)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_SOFT_DELETE, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, ref);
	db_bind_i64(s, 1, owner);
	db_bind_i64(s, 2, owner);
	return db_exec(c, s);
}

cb_err
customers_list_refs(struct db_conn *c, int64_t owner, int64_t before,
    int limit, cb_err (*fn)(const struct customer_row *, void *), void *arg)
{
	return list_page(c, SQL_LIST_REFS, owner, before, limit, fn, arg);
}
