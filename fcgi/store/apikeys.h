/*
 * apikeys.h — API keys in the database.
 *
 * A key is "cbk_" + base64url of 32 random bytes (256 bits).  Only its
 * SHA-256 is stored (a fast hash is right for 256-bit random secrets: there
 * is nothing to brute-force); the key is returned once, at creation.
 */
#ifndef CB_APIKEYS_H
#define CB_APIKEYS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/role.h"
#include "store/db.h"

#define APIKEY_PREFIX "cbk_"
#define APIKEY_RANDOM_BYTES 32
#define APIKEY_MAX_LEN 128
#define APIKEY_NAME_MAX 100

struct apikey_row {
	int64_t id;
	char name[APIKEY_NAME_MAX + 1];
	enum role role;
	char prefix[13];
	char created_at[32]; /* "YYYY-MM-DD HH:MM:SS.ffffff" UTC */
	char revoked_at[32]; /* "" when active */
};

/* Creates a key; *key_out (malloc'd, caller frees) is the only copy. */
cb_err apikey_create(struct db_conn *c, const char *name, enum role role,
    struct apikey_row *row, char **key_out);

/* Finds an active key.  CB_ENOTFOUND for unknown or revoked keys. */
cb_err apikey_authenticate(struct db_conn *c, const char *key,
    struct principal *who);

/* The key with this id, revoked or not; CB_ENOTFOUND if none. */
cb_err apikey_get(struct db_conn *c, int64_t id, struct apikey_row *row);

/* CB_ENOTFOUND if no such key; revoking twice is not an error. */
cb_err apikey_revoke(struct db_conn *c, int64_t id);

/* Calls fn for each key, newest first. */
cb_err apikey_list(struct db_conn *c,
    cb_err (*fn)(const struct apikey_row *row, void *arg), void *arg);

#endif
