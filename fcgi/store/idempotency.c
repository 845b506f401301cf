/* idempotency.c — see idempotency.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/idempotency.h"

static const char SQL_INSERT[] =
    "INSERT INTO idempotency_keys (api_key_id, method, path, idem_key,"
    " fingerprint, state, locked_until, created_at) VALUES (?, ?, ?, ?, ?,"
    " 'in_flight', UTC_TIMESTAMP(6) + INTERVAL ? SECOND, UTC_TIMESTAMP(6))";
static const char SQL_GET[] =
    "SELECT id, fingerprint, state, locked_until < UTC_TIMESTAMP(6),"
    " response_status, response_body FROM idempotency_keys"
    " WHERE api_key_id = ? AND method = ? AND path = ? AND idem_key = ?";
static const char SQL_TAKE[] =
    "UPDATE idempotency_keys SET locked_until = UTC_TIMESTAMP(6) + INTERVAL ?"
    " SECOND WHERE id = ? AND state = 'in_flight'"
    " AND locked_until < UTC_TIMESTAMP(6)";
static const char SQL_DONE[] =
    "UPDATE idempotency_keys SET state = 'done', response_status = ?,"
    " response_body = ? WHERE id = ?";
static const char SQL_RELEASE[] =
    "DELETE FROM idempotency_keys WHERE id = ? AND state = 'in_flight'";
static const char SQL_PURGE[] =
    "DELETE FROM idempotency_keys WHERE created_at <"
    " UTC_TIMESTAMP(6) - INTERVAL ? HOUR LIMIT ?";

cb_err
idem_insert(struct db_conn *c, const struct idem_scope *sc, const char *fp,
    int lock_seconds, int64_t *id)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_INSERT, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, sc->api_key_id);
	db_bind_str(s, 1, sc->method);
	db_bind_str(s, 2, sc->path);
	db_bind_str(s, 3, sc->key);
	db_bind_str(s, 4, fp);
	db_bind_i64(s, 5, lock_seconds);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	*id = (int64_t)db_insert_id(s);
	return CB_OK;
}

cb_err
idem_get(struct db_conn *c, const struct idem_scope *sc, struct idem_row *r)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	const char *v;
	memset(r, 0, sizeof *r);
	if ((e = db_prepare(c, SQL_GET, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, sc->api_key_id);
	db_bind_str(s, 1, sc->method);
	db_bind_str(s, 2, sc->path);
	db_bind_str(s, 3, sc->key);
	if ((e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, &row)) != CB_OK)
		return e;
	if (!row)
		return CB_ENOTFOUND;
	r->id = db_col_i64(s, 0);
	snprintf(r->fingerprint, sizeof r->fingerprint, "%s",
	    (v = db_col(s, 1)) ? v : "");
	r->done = (v = db_col(s, 2)) && strcmp(v, "done") == 0;
	r->lock_expired = db_col_i64(s, 3) != 0;
	r->status = (int)db_col_i64(s, 4);
	if ((v = db_col(s, 5)) && !(r->body = strdup(v)))
		return CB_ENOMEM;
	return CB_OK;
}

cb_err
idem_take_over(struct db_conn *c, int64_t id, int lock_seconds, bool *taken)
{
	struct db_stmt *s;
	cb_err e;
	*taken = false;
	if ((e = db_prepare(c, SQL_TAKE, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, lock_seconds);
	db_bind_i64(s, 1, id);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	*taken = db_affected(s) == 1;
	return CB_OK;
}

cb_err
idem_complete(struct db_conn *c, int64_t id, int status, const char *body)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_DONE, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, status);
	db_bind_str(s, 1, body);
	db_bind_i64(s, 2, id);
	return db_exec(c, s);
}

cb_err
idem_release(struct db_conn *c, int64_t id)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_RELEASE, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, id);
	return db_exec(c, s);
}

cb_err
idem_purge(struct db_conn *c, int hours, int limit, uint64_t *n)
{
	struct db_stmt *s;
	cb_err e;
	*n = 0;
	if ((e = db_prepare(c, SQL_PURGE, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, hours);
	db_bind_i64(s, 1, limit);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	*n = db_affected(s);
	return CB_OK;
}
