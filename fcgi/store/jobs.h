/*
 * jobs.h — the job queue's table (sql/003_jobs.sql).
 *
 * A job is claimed in a short transaction: SELECT … FOR UPDATE SKIP LOCKED
 * on a due queued job or a running one whose lease expired, then UPDATE to
 * running with this owner and a lease.  Completion and failure are
 * conditional on still owning the lease, so a worker that lost its lease
 * (took too long, was presumed dead) never overwrites its successor.
 */
#ifndef CB_JOBS_STORE_H
#define CB_JOBS_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

#define JOB_KIND_MAX 48
#define JOB_OWNER_MAX 96

struct job {
	int64_t id;
	char kind[JOB_KIND_MAX + 1];
	char *payload;           /* owned JSON text, NULL if none */
	unsigned attempts;       /* including this one */
	unsigned max_attempts;
};

void job_release(struct job *j);

/* Inside the caller's transaction, so that the job exists exactly when the
 * change that asked for it does (outbox). */
cb_err jobs_enqueue(struct db_conn *c, const char *kind, const char *payload,
    int delay_seconds, unsigned max_attempts, int64_t *id);
/* *got false when nothing is due. */
cb_err jobs_claim(struct db_conn *c, const char *owner, int lease_seconds,
    struct job *j, bool *got);
/* *kept false when the lease was lost. */
cb_err jobs_extend(struct db_conn *c, int64_t id, const char *owner,
    int lease_seconds, bool *kept);
cb_err jobs_complete(struct db_conn *c, int64_t id, const char *owner);
/* Back to queued after retry_seconds, or dead when out of attempts (or
 * dead = true).  *is_dead tells which. */
cb_err jobs_fail(struct db_conn *c, int64_t id, const char *owner,
    const char *error, int retry_seconds, bool dead, bool *is_dead);

/* A periodic job's run ended (well or not): queued again after seconds,
 * with its attempts reset.  error NULL after a success. */
cb_err jobs_reschedule(struct db_conn *c, int64_t id, const char *owner,
    const char *error, int seconds);
/* Creates the one row of a periodic kind unless it exists (any worker may
 * call this at start; the unique singleton key makes it happen once). */
cb_err jobs_ensure_singleton(struct db_conn *c, const char *kind);

/* Brings a periodic kind's next run forward to within within_seconds
 * (never later than it was): many changes in a burst, one run. */
cb_err jobs_nudge(struct db_conn *c, const char *kind, int within_seconds);

struct job_status {
	char state[8];
	unsigned attempts, max_attempts;
	char last_error[1001];
	char kind[JOB_KIND_MAX + 1];
};
cb_err jobs_get(struct db_conn *c, int64_t id, struct job_status *st);

/* fn(kind, state, count) for every kind and state present (/metrics). */
cb_err jobs_counts(struct db_conn *c,
    cb_err (*fn)(const char *kind, const char *state, int64_t n, void *arg),
    void *arg);

#endif
