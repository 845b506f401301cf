/* users.c — see users.h. */
#include "store/users.h"

static const char SQL_ADD[] =
    "INSERT INTO users (username, role, password_hash, created_at, updated_at)"
    " VALUES (?, ?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))";
static const char SQL_PASSWD[] =
    "UPDATE users SET password_hash = ?, updated_at = UTC_TIMESTAMP(6)"
    " WHERE username = ?";
static const char SQL_DISABLE[] =
    "UPDATE users SET disabled_at = COALESCE(disabled_at, UTC_TIMESTAMP(6)),"
    " updated_at = UTC_TIMESTAMP(6) WHERE username = ?";

cb_err
users_add(struct db_conn *c, const char *username, const char *role,
    const char *hash)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_ADD, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, username);
	db_bind_str(s, 1, role);
	db_bind_str(s, 2, hash);
	return db_exec(c, s);
}

static cb_err
update_one(struct db_conn *c, const char *sql, const char *a, const char *b)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, sql, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, a);
	if (b)
		db_bind_str(s, 1, b);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	return db_affected(s) ? CB_OK : CB_ENOTFOUND;
}

cb_err
users_set_password(struct db_conn *c, const char *username, const char *hash)
{
	return update_one(c, SQL_PASSWD, hash, username);
}

cb_err
users_disable(struct db_conn *c, const char *username)
{
	return update_one(c, SQL_DISABLE, username, NULL);
}
