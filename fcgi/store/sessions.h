/*
 * sessions.h — server-side sessions of the review pages (sql/005) and the
 * failed-login record that throttles guessing.
 */
#ifndef CB_SESSIONS_H
#define CB_SESSIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

struct session {
	int64_t user_id;
	char username[65];
	char role[16];
	char csrf[65];
};

/* An enabled user by name with its password hash (NUL-terminated, at most
 * 255 bytes).  CB_ENOTFOUND if absent or disabled. */
cb_err users_lookup(struct db_conn *c, const char *username, int64_t *id,
    char role[16], char hash[256]);

cb_err sessions_create(struct db_conn *c, const char *id_hash, int64_t user_id,
    const char *csrf, const char *remote_addr, const char *user_agent);
/* The live session with this id: idle for less than idle_s and younger
 * than absolute_s, of an enabled user; its last_seen is renewed.
 * CB_ENOTFOUND otherwise. */
cb_err sessions_get(struct db_conn *c, const char *id_hash, int idle_s,
    int absolute_s, struct session *s);
cb_err sessions_delete(struct db_conn *c, const char *id_hash);

/* The sign-in form's pre-session: made with the form (the cookie's hash
 * and the form's token), taken once when the form comes back.  take gives
 * the token and deletes the row; CB_ENOTFOUND if unknown or expired. */
cb_err login_pre_create(struct db_conn *c, const char *id_hash,
    const char *csrf);
cb_err login_pre_take(struct db_conn *c, const char *id_hash, char csrf[65]);
/* Removes at most batch pre-sessions past their hour (the janitor). */
cb_err login_pre_purge(struct db_conn *c, int batch, uint64_t *n);

cb_err login_failure_add(struct db_conn *c, const char *username,
    const char *remote_addr);
/* Failures in the last window_s seconds for this name and this address. */
cb_err login_failures_count(struct db_conn *c, const char *username,
    const char *remote_addr, int window_s, long *by_user, long *by_addr);
cb_err login_failures_clear(struct db_conn *c, const char *username);

#endif
