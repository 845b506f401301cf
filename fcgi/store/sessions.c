/* sessions.c — see sessions.h. */
#include <stdio.h>
#include <string.h>

#include "store/sessions.h"

static const char SQL_USER[] =
    "SELECT id, role, password_hash FROM users WHERE username = ?"
    " AND disabled_at IS NULL";
static const char SQL_CREATE[] =
    "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at,"
    " last_seen, remote_addr, user_agent) VALUES (?, ?, ?, UTC_TIMESTAMP(6),"
    " UTC_TIMESTAMP(6), ?, LEFT(?, 255))";
static const char SQL_GET[] =
    "SELECT s.user_id, u.username, u.role, s.csrf_token,"
    " s.last_seen < UTC_TIMESTAMP(6) - INTERVAL 60 SECOND FROM sessions s"
    " JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?"
    " AND u.disabled_at IS NULL"
    " AND s.last_seen > UTC_TIMESTAMP(6) - INTERVAL ? SECOND"
    " AND s.created_at > UTC_TIMESTAMP(6) - INTERVAL ? SECOND";
/* Renewed at most once a minute: a page view is not a write. */
static const char SQL_TOUCH[] =
    "UPDATE sessions SET last_seen = UTC_TIMESTAMP(6) WHERE id_hash = ?"
    " AND last_seen < UTC_TIMESTAMP(6) - INTERVAL 60 SECOND";
static const char SQL_DELETE[] = "DELETE FROM sessions WHERE id_hash = ?";
static const char SQL_FAIL[] =
    "INSERT INTO login_failures (at, username, remote_addr)"
    " VALUES (UTC_TIMESTAMP(6), LEFT(?, 64), LEFT(?, 64))";
static const char SQL_FAILS[] =
    "SELECT (SELECT COUNT(*) FROM login_failures WHERE username = LEFT(?, 64)"
    " AND at > UTC_TIMESTAMP(6) - INTERVAL ? SECOND),"
    " (SELECT COUNT(*) FROM login_failures WHERE remote_addr = LEFT(?, 64)"
    " AND at > UTC_TIMESTAMP(6) - INTERVAL ? SECOND)";
/* An hour for the form; the janitor removes older ones. */
static const char SQL_PRE_PURGE[] =
    "DELETE FROM login_pre_sessions WHERE created_at < UTC_TIMESTAMP(6)"
    " - INTERVAL 1 HOUR LIMIT ?";
static const char SQL_PRE_CREATE[] =
    "INSERT INTO login_pre_sessions (id_hash, csrf_token, created_at)"
    " VALUES (?, ?, UTC_TIMESTAMP(6))";
static const char SQL_PRE_GET[] =
    "SELECT csrf_token FROM login_pre_sessions WHERE id_hash = ?"
    " AND created_at > UTC_TIMESTAMP(6) - INTERVAL 1 HOUR";
static const char SQL_PRE_DELETE[] =
    "DELETE FROM login_pre_sessions WHERE id_hash = ?";
static const char SQL_CLEAR[] =
    "DELETE FROM login_failures WHERE username = LEFT(?, 64)";

cb_err
users_lookup(struct db_conn *c, const char *username, int64_t *id,
    char role[16], char hash[256])
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	const char *v;
	if ((e = db_prepare(c, SQL_USER, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, username);
	if ((e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, &row)) != CB_OK)
		return e;
	if (!row)
		return CB_ENOTFOUND;
	*id = db_col_i64(s, 0);
	snprintf(role, 16, "%s", (v = db_col(s, 1)) ? v : "");
	snprintf(hash, 256, "%s", (v = db_col(s, 2)) ? v : "");
	return CB_OK;
}

cb_err
sessions_create(struct db_conn *c, const char *id_hash, int64_t user_id,
    const char *csrf, const char *remote_addr, const char *user_agent)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_CREATE, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, id_hash);
	db_bind_i64(s, 1, user_id);
	db_bind_str(s, 2, csrf);
	db_bind_str(s, 3, remote_addr);
	db_bind_str(s, 4, user_agent ? user_agent : "");
	return db_exec(c, s);
}

cb_err
sessions_get(struct db_conn *c, const char *id_hash, int idle_s,
    int absolute_s, struct session *out)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	const char *v;
	memset(out, 0, sizeof *out);
	if ((e = db_prepare(c, SQL_GET, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, id_hash);
	db_bind_i64(s, 1, idle_s);
	db_bind_i64(s, 2, absolute_s);
	if ((e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, &row)) != CB_OK)
		return e;
	if (!row)
		return CB_ENOTFOUND;
	out->user_id = db_col_i64(s, 0);
	snprintf(out->username, sizeof out->username, "%s",
	    (v = db_col(s, 1)) ? v : "");
	snprintf(out->role, sizeof out->role, "%s", (v = db_col(s, 2)) ? v : "");
	snprintf(out->csrf, sizeof out->csrf, "%s", (v = db_col(s, 3)) ? v : "");
	if (db_col_i64(s, 4) == 0) /* touched within the minute */
		return CB_OK;
	if ((e = db_prepare(c, SQL_TOUCH, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, id_hash);
	return db_exec(c, s);
}

cb_err
sessions_delete(struct db_conn *c, const char *id_hash)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_DELETE, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, id_hash);
	return db_exec(c, s);
}

cb_err
login_failure_add(struct db_conn *c, const char *username,
    const char *remote_addr)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_FAIL, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, username);
	db_bind_str(s, 1, remote_addr ? remote_addr : "");
	return db_exec(c, s);
}

cb_err
login_failures_count(struct db_conn *c, const char *username,
    const char *remote_addr, int window_s, long *by_user, long *by_addr)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	*by_user = *by_addr = 0;
	if ((e = db_prepare(c, SQL_FAILS, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, username);
	db_bind_i64(s, 1, window_s);
	db_bind_str(s, 2, remote_addr ? remote_addr : "");
	db_bind_i64(s, 3, window_s);
	if ((e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, &row)) != CB_OK)
		return e;
	if (row) {
		*by_user = (long)db_col_i64(s, 0);
		*by_addr = (long)db_col_i64(s, 1);
	}
	return CB_OK;
}

cb_err
login_failures_clear(struct db_conn *c, const char *username)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_CLEAR, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, username);
	return db_exec(c, s);
}

cb_err
login_pre_create(struct db_conn *c, const char *id_hash, const char *csrf)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_PRE_CREATE, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, id_hash);
	db_bind_str(s, 1, csrf);
	return db_exec(c, s);
}

cb_err
login_pre_take(struct db_conn *c, const char *id_hash, char csrf[65])
{
	struct db_stmt *s;
	cb_err e;
	const char *v;
	csrf[0] = '\0';
	if ((e = db_prepare(c, SQL_PRE_GET, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, id_hash);
	if ((e = db_exec_one(c, s)) != CB_OK)
		return e;
	snprintf(csrf, 65, "%s", (v = db_col(s, 0)) ? v : "");
	if ((e = db_prepare(c, SQL_PRE_DELETE, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, id_hash);
	return db_exec(c, s);
}

cb_err
login_pre_purge(struct db_conn *c, int batch, uint64_t *n)
{
	struct db_stmt *s;
	cb_err e;
	*n = 0;
	if ((e = db_prepare(c, SQL_PRE_PURGE, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, batch);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	*n = db_affected(s);
	return CB_OK;
}
