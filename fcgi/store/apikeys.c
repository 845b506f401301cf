/* apikeys.c — see apikeys.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "store/apikeys.h"

static const char SQL_INSERT[] =
    "INSERT INTO api_keys (name, role, key_prefix, key_hash, created_at)"
    " VALUES (?, ?, ?, ?, UTC_TIMESTAMP(6))";
static const char SQL_GET[] =
    "SELECT id, name, role, key_prefix, created_at, revoked_at"
    " FROM api_keys WHERE id = ?";
static const char SQL_AUTH[] =
    "SELECT id, name, role FROM api_keys"
    " WHERE key_hash = ? AND revoked_at IS NULL";
static const char SQL_REVOKE[] =
    "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, UTC_TIMESTAMP(6))"
    " WHERE id = ?";
static const char SQL_LIST[] =
    "SELECT id, name, role, key_prefix, created_at, revoked_at"
    " FROM api_keys ORDER BY id DESC";

static void
fill_row(const struct db_stmt *s, struct apikey_row *r)
{
	const char *v;
	memset(r, 0, sizeof *r);
	r->id = db_col_i64(s, 0);
	snprintf(r->name, sizeof r->name, "%s", (v = db_col(s, 1)) ? v : "");
	r->role = role_parse(db_col(s, 2));
	snprintf(r->prefix, sizeof r->prefix, "%s", (v = db_col(s, 3)) ? v : "");
	snprintf(r->created_at, sizeof r->created_at, "%s",
	    (v = db_col(s, 4)) ? v : "");
	snprintf(r->revoked_at, sizeof r->revoked_at, "%s",
	    (v = db_col(s, 5)) ? v : "");
}

cb_err
apikey_create(struct db_conn *c, const char *name, enum role role,
    struct apikey_row *row, char **key_out)
{
	char hash[SHA256_HEX_LEN + 1], prefix[13];
	char *key = NULL;
	struct db_stmt *s;
	bool found;
	cb_err e;

	*key_out = NULL;
	if (role == ROLE_NONE || !name || !*name ||
	    strlen(name) > APIKEY_NAME_MAX)
		return CB_EINVAL;
	if ((e = crypto_token_new(APIKEY_PREFIX, APIKEY_RANDOM_BYTES, &key)) !=
	    CB_OK)
		return e;
	if ((e = crypto_sha256_hex(key, strlen(key), hash)) != CB_OK)
		goto fail;
	snprintf(prefix, sizeof prefix, "%.12s", key);
	if ((e = db_prepare(c, SQL_INSERT, &s)) != CB_OK)
		goto fail;
	db_bind_str(s, 0, name);
	db_bind_str(s, 1, role_name(role));
	db_bind_str(s, 2, prefix);
	db_bind_str(s, 3, hash);
	if ((e = db_exec(c, s)) != CB_OK)
		goto fail;
	int64_t id = (int64_t)db_insert_id(s);
	if ((e = db_prepare(c, SQL_GET, &s)) != CB_OK)
		goto fail;
	db_bind_i64(s, 0, id);
	if ((e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, &found)) != CB_OK)
		goto fail;
	if (!found) {
		e = CB_ENOTFOUND;
		goto fail;
	}
	fill_row(s, row);
	*key_out = key;
	return CB_OK;
fail:
	free(key);
	return e;
}

cb_err
apikey_authenticate(struct db_conn *c, const char *key, struct principal *who)
{
	char hash[SHA256_HEX_LEN + 1];
	struct db_stmt *s;
	bool found;
	cb_err e;

	memset(who, 0, sizeof *who);
	size_t len = strlen(key);
	/* Shape check first: no database trip for obvious garbage. */
	if (len < sizeof APIKEY_PREFIX || len > APIKEY_MAX_LEN ||
	    strncmp(key, APIKEY_PREFIX, sizeof APIKEY_PREFIX - 1) != 0)
		return CB_ENOTFOUND;
	if ((e = crypto_sha256_hex(key, len, hash)) != CB_OK)
		return e;
	if ((e = db_prepare(c, SQL_AUTH, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, hash);
	if ((e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, &found)) != CB_OK)
		return e;
	if (!found)
		return CB_ENOTFOUND;
	who->key_id = db_col_i64(s, 0);
	snprintf(who->name, sizeof who->name, "%s", db_col(s, 1));
	who->role = role_parse(db_col(s, 2));
	return who->role == ROLE_NONE ? CB_ENOTFOUND : CB_OK;
}

cb_err
apikey_revoke(struct db_conn *c, int64_t id)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_REVOKE, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, id);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	/* CLIENT_FOUND_ROWS: matched rows, so a second revoke still counts. */
	return db_affected(s) ? CB_OK : CB_ENOTFOUND;
}

cb_err
apikey_list(struct db_conn *c,
    cb_err (*fn)(const struct apikey_row *, void *), void *arg)
{
	struct db_stmt *s;
	struct apikey_row r;
	bool row;
	cb_err e;
	if ((e = db_prepare(c, SQL_LIST, &s)) != CB_OK ||
	    (e = db_exec(c, s)) != CB_OK)
		return e;
	for (;;) {
		if ((e = db_next(c, s, &row)) != CB_OK)
			return e;
		if (!row)
			return CB_OK;
		fill_row(s, &r);
		if ((e = fn(&r, arg)) != CB_OK)
			return e;
	}
}

cb_err
apikey_get(struct db_conn *c, int64_t id, struct apikey_row *row)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_GET, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, id);
	if ((e = db_exec_one(c, s)) != CB_OK)
		return e;
	fill_row(s, row);
	return CB_OK;
}
