/*
 * activity.h — the append-only activity log: every mutating call records an
 * action name (API_KEY_CREATE, USER_ADD …), who, the target and the request.
 */
#ifndef CB_ACTIVITY_H
#define CB_ACTIVITY_H

#include "store/db.h"

/* principal_type: "api_key", "user", "cli" or "system".  Any of
 * principal_id, target, request_id, detail may be NULL. */
cb_err activity_record(struct db_conn *c, const char *action,
    const char *principal_type, const char *principal_id, const char *target,
    const char *request_id, const char *detail);

/* Many lines of one action by one principal: targets_details is a JSON
 * array of [target, detail] pairs. */
cb_err activity_record_many(struct db_conn *c, const char *action,
    const char *principal_type, const char *principal_id,
    const char *targets_details);

struct activity_row {
	int64_t id;
	char at[32];               /* "YYYY-MM-DD HH:MM:SS.ffffff" UTC */
	char action[65];
	char principal_type[9];
	char principal_id[65];     /* "" = none */
	char target[129];
	char request_id[65];
	const char *detail;        /* borrowed for the callback; NULL = none */
};

/* What a listing keeps; NULL / 0 = any. */
struct activity_filter {
	const char *action;
	const char *principal_type;
	const char *principal_id;
	const char *target;        /* exactly, or "payment:" … as a prefix */
	const char *from, *to;     /* at ≥ from, at < to: "YYYY-MM-DD[ HH:MM:SS]" */
	int64_t before_id;         /* keyset: ids below; 0 = newest */
	int limit;
};

/* Newest first. */
cb_err activity_list(struct db_conn *c, const struct activity_filter *f,
    cb_err (*fn)(const struct activity_row *, void *), void *arg);

#endif
