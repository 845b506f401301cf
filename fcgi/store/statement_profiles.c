/* statement_profiles.c — see statement_profiles.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/statement_profiles.h"

static const char SQL_INSERT[] =
    "INSERT INTO bank_statement_profiles (name, body, created_by, created_at)"
    " VALUES (?, ?, ?, UTC_TIMESTAMP(6))";
static const char SQL_GET[] = "SELECT id, name, body, created_at FROM"
    " bank_statement_profiles WHERE name = ?";
static const char SQL_LIST[] = "SELECT id, name, body, created_at FROM"
    " bank_statement_profiles ORDER BY name";
static const char SQL_DELETE[] =
    "DELETE FROM bank_statement_profiles WHERE name = ?";

static cb_err
fill(const struct db_stmt *s, struct statement_profile_row *r)
{
	const char *v;
	memset(r, 0, sizeof *r);
	r->id = db_col_i64(s, 0);
	snprintf(r->name, sizeof r->name, "%s", (v = db_col(s, 1)) ? v : "");
	if (!(r->body = strdup((v = db_col(s, 2)) ? v : "")))
		return CB_ENOMEM;
	snprintf(r->created_at, sizeof r->created_at, "%s", (v = db_col(s, 3)) ?
	    v : "");
	return CB_OK;
}

cb_err
statement_profiles_insert(struct db_conn *c, const char *name,
    const char *body, int64_t created_by, int64_t *id)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_INSERT, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, name);
	db_bind_str(s, 1, body);
	if (created_by)
		db_bind_i64(s, 2, created_by);
	else
		db_bind_null(s, 2);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	*id = (int64_t)db_insert_id(s);
	return CB_OK;
}

cb_err
statement_profiles_get(struct db_conn *c, const char *name,
    struct statement_profile_row *r)
{
	struct db_stmt *s;
	cb_err e;
	memset(r, 0, sizeof *r);
	if ((e = db_prepare(c, SQL_GET, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, name);
	if ((e = db_exec_one(c, s)) != CB_OK)
		return e;
	return fill(s, r);
}

cb_err
statement_profiles_list(struct db_conn *c,
    cb_err (*fn)(const struct statement_profile_row *r, void *arg), void *arg)
{
	struct db_stmt *s;
	struct statement_profile_row r;
	bool row;
	cb_err e;
	if ((e = db_prepare(c, SQL_LIST, &s)) != CB_OK || (e = db_exec(c, s)) !=
	    CB_OK)
		return e;
	while ((e = db_next(c, s, &row)) == CB_OK && row) {
		if ((e = fill(s, &r)) == CB_OK)
			e = fn(&r, arg);
		statement_profile_row_release(&r);
		if (e != CB_OK)
			break;
	}
	return e;
}

cb_err
statement_profiles_delete(struct db_conn *c, const char *name)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_DELETE, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, name);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	return db_affected(s) ? CB_OK : CB_ENOTFOUND;
}

void
statement_profile_row_release(struct statement_profile_row *r)
{
	if (r) {
		free(r->body);
		r->body = NULL;
	}
}
