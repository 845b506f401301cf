/*
 * idempotency.h — Idempotency-Key records.  A key is claimed with a
 * unique-index INSERT (in_flight, locked for lock_seconds); the request's
 * own transaction marks it done with the response; a failed request
 * deletes its claim; a claim whose lock expired (its process died) can be
 * taken over.
 */
#ifndef CB_IDEMPOTENCY_STORE_H
#define CB_IDEMPOTENCY_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

struct idem_scope {
	int64_t api_key_id;
	const char *method;
	const char *path;
	const char *key;
};

struct idem_row {
	int64_t id;
	char fingerprint[65];
	bool done;
	bool lock_expired;
	int status;
	char *body; /* owned (free), NULL while in flight */
};

/* CB_EEXIST if the scope already has this key. */
cb_err idem_insert(struct db_conn *c, const struct idem_scope *sc,
    const char *fingerprint, int lock_seconds, int64_t *id);
cb_err idem_get(struct db_conn *c, const struct idem_scope *sc,
    struct idem_row *r);
/* *taken true if the expired in-flight claim is now ours. */
cb_err idem_take_over(struct db_conn *c, int64_t id, int lock_seconds,
    bool *taken);
cb_err idem_complete(struct db_conn *c, int64_t id, int status,
    const char *body);
cb_err idem_release(struct db_conn *c, int64_t id);
/* Deletes up to `limit` records older than `hours`; *n how many. */
cb_err idem_purge(struct db_conn *c, int hours, int limit, uint64_t *n);

#endif
