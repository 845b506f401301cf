/*
 * pool.h — the job threads of a worker process.
 *
 * DESIGN: each worker runs `[jobs] threads` job threads beside its request
 * threads.  A job thread owns a database connection, claims one due job at
 * a time (store/jobs.h), runs the handler registered for its kind, and
 * records the outcome under its lease.  Failures retry with exponential
 * backoff and jitter; after max_attempts the job is dead and the kind's
 * on_dead hook runs (e.g. flag a payment for review).  Idle threads sleep
 * on a condition variable: job_pool_wake (called by a request thread after
 * committing an enqueue) starts work at once in this process; other
 * processes find it at their next poll.
 */
#ifndef CB_JOB_POOL_H
#define CB_JOB_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "conf/config.h"
#include "store/db.h"
#include "store/jobs.h"

enum job_result {
	JOB_DONE,   /* finished */
	JOB_RETRY,  /* failed; try again later (until max_attempts) */
	JOB_DEAD,   /* failed for good (bad payload, unsupported input) */
};

struct job_pool;
struct storage;

/* What job handlers share with the rest of the process (all borrowed). */
struct metrics;
struct ocr_model;
struct job_env {
	struct storage *storage;
	struct metrics *metrics;   /* OCR seconds, webhook outcomes; or NULL */
	const struct ocr_model *ocr_model; /* [ocr] model; NULL: built in */
};

struct job_ctx {
	struct db_conn *db;        /* the job thread's own connection */
	const struct config *cfg;  /* borrowed */
	const struct job_env *env; /* borrowed */
	void *state;               /* the kind's per-thread state, or NULL */
	const struct job *job;     /* borrowed for the run */
	const char *owner;         /* lease owner id */
	char error[512];           /* why it failed, for last_error */
	struct job_pool *pool;     /* borrowed: see job_stopping */
};

struct job_kind {
	const char *kind;
	enum job_result (*run)(struct job_ctx *ctx);
	/* After the job is marked dead; may be NULL. */
	void (*on_dead)(struct job_ctx *ctx);
	/* Per-thread state (an OCR engine), made on the thread's first job of
	 * this kind and kept for the next ones; may be NULL.  A NULL result
	 * makes the run fail (retried). */
	void *(*state_new)(const struct config *cfg);
	void (*state_free)(void *state);
	/* Non-NULL: a periodic kind with one row forever
	 * (jobs_ensure_singleton), run again this many seconds after each run. */
	int (*period)(const struct config *cfg);
};

/* Renews the lease of a long-running job; false if it was lost (another
 * worker owns the job now: stop without writing results). */
bool job_heartbeat(struct job_ctx *ctx);

/* True once the process is shutting down: a job that loops (the webhook
 * dispatcher) stops taking new work and finishes what it holds. */
bool job_stopping(const struct job_ctx *ctx);

/* kinds and env: borrowed, must outlive the pool.  threads 0 starts no
 * thread. */
cb_err job_pool_start(const struct config *cfg, const struct job_kind *kinds,
    size_t nkinds, const struct job_env *env, struct job_pool **out);
void job_pool_wake(struct job_pool *p);
/* Sleeps until a job of this process finishes or until deadline
 * (CLOCK_MONOTONIC), whichever is first: for a request waiting on its job,
 * which re-reads the job's outcome after each wake-up. */
void job_pool_wait_any(struct job_pool *p, const struct timespec *deadline);
/* Stops claiming; waits for running jobs until deadline (CLOCK_MONOTONIC).
 * false if a job was still running then: its threads are left unjoined,
 * and job_pool_free must not be called (the caller exits). */
bool job_pool_stop(struct job_pool *p, const struct timespec *deadline);
void job_pool_free(struct job_pool *p);

#endif
