/* claims.c — see claims.h.  One statement decides: the row is replaced only
 * when it is ours or has expired, so two reviewers opening an item at once
 * cannot both get it. */
#include <stdio.h>
#include <string.h>

#include "store/claims.h"

static const char SQL_TAKE[] =
    "INSERT INTO review_claims (payment_id, user_id, username, until)"
    " VALUES (?, ?, ?, UTC_TIMESTAMP(6) + INTERVAL ? SECOND)"
    " ON DUPLICATE KEY UPDATE"
    /* Assignments see the ones before them: until goes last, after
     * user_id says whether the claim changed hands. */
    " username = IF(user_id = VALUES(user_id) OR until < UTC_TIMESTAMP(6),"
    "   VALUES(username), username),"
    " user_id = IF(user_id = VALUES(user_id) OR until < UTC_TIMESTAMP(6),"
    "   VALUES(user_id), user_id),"
    /* Renewed only once half of it has run: opening the item again and
     * again then writes nothing (no redo, no log flush at commit). */
    " until = IF(user_id = VALUES(user_id) AND"
    "   until < VALUES(until) - INTERVAL ? SECOND, VALUES(until), until)";
/* Col 3: nothing to write (a live claim of another, or mine with more
 * than half of it left). */
static const char SQL_GET[] =
    "SELECT user_id, username, until, IF(user_id = ?,"
    " until > UTC_TIMESTAMP(6) + INTERVAL ? SECOND, until > UTC_TIMESTAMP(6))"
    " FROM review_claims WHERE payment_id = ?";

/* The claim as it stands; *settled when taking it would change nothing. */
static cb_err
claim_get(struct db_conn *c, int64_t payment_id, int64_t user_id, int seconds,
    struct claim *out, bool *settled)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	const char *v;
	*settled = false;
	if ((e = db_prepare(c, SQL_GET, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, user_id);
	db_bind_i64(s, 1, seconds / 2);
	db_bind_i64(s, 2, payment_id);
	if ((e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, &row)) != CB_OK)
		return e;
	if (!row)
		return CB_ENOTFOUND;
	out->user_id = db_col_i64(s, 0);
	snprintf(out->username, sizeof out->username, "%s",
	    (v = db_col(s, 1)) ? v : "");
	snprintf(out->until, sizeof out->until, "%s", (v = db_col(s, 2)) ? v : "");
	out->mine = out->user_id == user_id;
	*settled = db_col_i64(s, 3) != 0;
	return CB_OK;
}

cb_err
claims_take(struct db_conn *c, int64_t payment_id, int64_t user_id,
    const char *username, int seconds, struct claim *out)
{
	struct db_stmt *s;
	bool settled;
	cb_err e;
	memset(out, 0, sizeof *out);
	/* Reading first: an item opened again and again is not a write. */
	e = claim_get(c, payment_id, user_id, seconds, out, &settled);
	if ((e == CB_OK && settled) || (e != CB_OK && e != CB_ENOTFOUND))
		return e;
	if ((e = db_prepare(c, SQL_TAKE, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, payment_id);
	db_bind_i64(s, 1, user_id);
	db_bind_str(s, 2, username);
	db_bind_i64(s, 3, seconds);
	db_bind_i64(s, 4, seconds / 2);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	return claim_get(c, payment_id, user_id, seconds, out, &settled);
}

static const char SQL_RELEASE[] =
    "DELETE FROM review_claims WHERE payment_id = ? AND user_id = ?";

cb_err
claims_release(struct db_conn *c, int64_t payment_id, int64_t user_id)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_RELEASE, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, payment_id);
	db_bind_i64(s, 1, user_id);
	return db_exec(c, s);
}
