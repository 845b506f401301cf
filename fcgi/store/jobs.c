/* jobs.c — see jobs.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/jobs.h"

static const char SQL_ENQUEUE[] =
    "INSERT INTO jobs (kind, payload, state, run_at, max_attempts, created_at,"
    " updated_at) VALUES (?, ?, 'queued', UTC_TIMESTAMP(6) + INTERVAL ? SECOND,"
    " ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))";
static const char SQL_PICK[] =
    "SELECT id, kind, payload, attempts, max_attempts FROM jobs"
    " WHERE (state = 'queued' AND run_at <= UTC_TIMESTAMP(6))"
    " OR (state = 'running' AND lease_expires < UTC_TIMESTAMP(6))"
    " ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED";
static const char SQL_TAKE[] =
    "UPDATE jobs SET state = 'running', attempts = attempts + 1,"
    " lease_owner = ?, lease_expires = UTC_TIMESTAMP(6) + INTERVAL ? SECOND,"
    " updated_at = UTC_TIMESTAMP(6) WHERE id = ?";
static const char SQL_EXTEND[] =
    "UPDATE jobs SET lease_expires = UTC_TIMESTAMP(6) + INTERVAL ? SECOND"
    " WHERE id = ? AND state = 'running' AND lease_owner = ?";
static const char SQL_DONE[] =
    "UPDATE jobs SET state = 'done', lease_owner = NULL, lease_expires = NULL,"
    " updated_at = UTC_TIMESTAMP(6) WHERE id = ? AND state = 'running'"
    " AND lease_owner = ?";
static const char SQL_FAIL[] =
    "UPDATE jobs SET state = IF(? OR attempts >= max_attempts, 'dead', 'queued'),"
    " run_at = UTC_TIMESTAMP(6) + INTERVAL ? SECOND, last_error = ?,"
    " lease_owner = NULL, lease_expires = NULL, updated_at = UTC_TIMESTAMP(6)"
    " WHERE id = ? AND state = 'running' AND lease_owner = ?";
static const char SQL_RESCHEDULE[] =
    "UPDATE jobs SET state = 'queued', attempts = 0, last_error = ?,"
    " run_at = UTC_TIMESTAMP(6) + INTERVAL ? SECOND, lease_owner = NULL,"
    " lease_expires = NULL, updated_at = UTC_TIMESTAMP(6)"
    " WHERE id = ? AND state = 'running' AND lease_owner = ?";
static const char SQL_SINGLETON[] =
    "INSERT IGNORE INTO jobs (kind, state, run_at, max_attempts, singleton,"
    " created_at, updated_at) VALUES (?, 'queued', UTC_TIMESTAMP(6), 1, ?,"
    " UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))";
static const char SQL_NUDGE[] =
    "UPDATE jobs SET run_at = LEAST(run_at, UTC_TIMESTAMP(6) + INTERVAL ?"
    " SECOND) WHERE singleton = ? AND state = 'queued'";
static const char SQL_COUNTS[] =
    "SELECT kind, state, COUNT(*) FROM jobs GROUP BY kind, state";
static const char SQL_STATE[] =
    "SELECT state, attempts, max_attempts, last_error, kind FROM jobs WHERE id = ?";

void
job_release(struct job *j)
{
	if (j) {
		free(j->payload);
		j->payload = NULL;
	}
}

cb_err
jobs_enqueue(struct db_conn *c, const char *kind, const char *payload,
    int delay_seconds, unsigned max_attempts, int64_t *id)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_ENQUEUE, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, kind);
	db_bind_str(s, 1, payload);
	db_bind_i64(s, 2, delay_seconds);
	db_bind_i64(s, 3, max_attempts);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	*id = (int64_t)db_insert_id(s);
	return CB_OK;
}

cb_err
jobs_claim(struct db_conn *c, const char *owner, int lease_seconds,
    struct job *j, bool *got)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	const char *v;

	*got = false;
	memset(j, 0, sizeof *j);
	if ((e = db_begin(c)) != CB_OK)
		return e;
	if ((e = db_prepare(c, SQL_PICK, &s)) != CB_OK ||
	    (e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, &row)) != CB_OK)
		goto fail;
	if (!row) {
		db_rollback(c);
		return CB_OK;
	}
	j->id = db_col_i64(s, 0);
	snprintf(j->kind, sizeof j->kind, "%s", (v = db_col(s, 1)) ? v : "");
	if ((v = db_col(s, 2)) && !(j->payload = strdup(v))) {
		e = CB_ENOMEM;
		goto fail;
	}
	j->attempts = (unsigned)db_col_i64(s, 3) + 1;
	j->max_attempts = (unsigned)db_col_i64(s, 4);
	if ((e = db_prepare(c, SQL_TAKE, &s)) != CB_OK)
		goto fail;
	db_bind_str(s, 0, owner);
	db_bind_i64(s, 1, lease_seconds);
	db_bind_i64(s, 2, j->id);
	if ((e = db_exec(c, s)) != CB_OK || (e = db_commit(c)) != CB_OK)
		goto fail;
	*got = true;
	return CB_OK;
fail:
	db_rollback(c);
	job_release(j);
	return e;
}

cb_err
jobs_extend(struct db_conn *c, int64_t id, const char *owner, int lease_seconds,
    bool *kept)
{
	struct db_stmt *s;
	cb_err e;
	*kept = false;
	if ((e = db_prepare(c, SQL_EXTEND, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, lease_seconds);
	db_bind_i64(s, 1, id);
	db_bind_str(s, 2, owner);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	*kept = db_affected(s) == 1;
	return CB_OK;
}

cb_err
jobs_complete(struct db_conn *c, int64_t id, const char *owner)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_DONE, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, id);
	db_bind_str(s, 1, owner);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	return db_affected(s) == 1 ? CB_OK : CB_ECONFLICT;
}

cb_err
jobs_fail(struct db_conn *c, int64_t id, const char *owner, const char *error,
    int retry_seconds, bool dead, bool *is_dead)
{
	struct db_stmt *s;
	struct job_status st;
	cb_err e;
	*is_dead = false;
	if ((e = db_prepare(c, SQL_FAIL, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, dead);
	db_bind_i64(s, 1, retry_seconds);
	db_bind_str(s, 2, error);
	db_bind_i64(s, 3, id);
	db_bind_str(s, 4, owner);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	if (db_affected(s) != 1)
		return CB_ECONFLICT;
	if ((e = jobs_get(c, id, &st)) != CB_OK)
		return e;
	*is_dead = strcmp(st.state, "dead") == 0;
	return CB_OK;
}

cb_err
jobs_get(struct db_conn *c, int64_t id, struct job_status *st)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	const char *v;
	memset(st, 0, sizeof *st);
	if ((e = db_prepare(c, SQL_STATE, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, id);
	if ((e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, &row)) != CB_OK)
		return e;
	if (!row)
		return CB_ENOTFOUND;
	snprintf(st->state, sizeof st->state, "%s", (v = db_col(s, 0)) ? v : "");
	st->attempts = (unsigned)db_col_i64(s, 1);
	st->max_attempts = (unsigned)db_col_i64(s, 2);
	snprintf(st->last_error, sizeof st->last_error, "%s", (v = db_col(s, 3)) ? v : "");
	snprintf(st->kind, sizeof st->kind, "%s", (v = db_col(s, 4)) ? v : "");
	return CB_OK;
}

cb_err
jobs_reschedule(struct db_conn *c, int64_t id, const char *owner,
    const char *error, int seconds)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_RESCHEDULE, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, error);
	db_bind_i64(s, 1, seconds);
	db_bind_i64(s, 2, id);
	db_bind_str(s, 3, owner);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	return db_affected(s) == 1 ? CB_OK : CB_ECONFLICT;
}

cb_err
jobs_ensure_singleton(struct db_conn *c, const char *kind)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_SINGLETON, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, kind);
	db_bind_str(s, 1, kind);
	return db_exec(c, s);
}

cb_err
jobs_nudge(struct db_conn *c, const char *kind, int within_seconds)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_NUDGE, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, within_seconds);
	db_bind_str(s, 1, kind);
	return db_exec(c, s);
}

cb_err
jobs_counts(struct db_conn *c,
    cb_err (*fn)(const char *kind, const char *state, int64_t n, void *arg),
    void *arg)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	if ((e = db_prepare(c, SQL_COUNTS, &s)) != CB_OK || (e = db_exec(c, s)) !=
	    CB_OK)
		return e;
	while ((e = db_next(c, s, &row)) == CB_OK && row)
		if ((e = fn(db_col(s, 0), db_col(s, 1), db_col_i64(s, 2), arg)) !=
		    CB_OK)
			break;
	return e;
}
