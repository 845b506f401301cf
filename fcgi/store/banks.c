/* banks.c — see banks.h. */
#include <stdio.h>

#include "store/banks.h"

static const char SQL_LIST[] =
    "SELECT code, country, aliases FROM banks ORDER BY code";

cb_err
banks_list(struct db_conn *c,
    cb_err (*fn)(const char *, const char *, const char *, void *), void *arg)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	if ((e = db_prepare(c, SQL_LIST, &s)) != CB_OK || (e = db_exec(c, s)) != CB_OK)
		return e;
	while ((e = db_next(c, s, &row)) == CB_OK && row)
		if ((e = fn(db_col(s, 0), db_col(s, 1), db_col(s, 2), arg)) != CB_OK)
			return e;
	return e;
}

static const char SQL_CANON[] = "SELECT code FROM banks WHERE code = ?";

cb_err
banks_canonical(struct db_conn *c, const char *code, char out[17])
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	const char *v;
	out[0] = '\0';
	if ((e = db_prepare(c, SQL_CANON, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, code);
	if ((e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, &row)) != CB_OK)
		return e;
	if (!row)
		return CB_ENOTFOUND;
	snprintf(out, 17, "%s", (v = db_col(s, 0)) ? v : "");
	return CB_OK;
}
