/* pool.c — see pool.h. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mysql.h>

#include "crypto/crypto.h"
#include "jobs/pool.h"
#include "util/log.h"
#include "util/tgroup.h"

struct jthread {
	struct job_pool *pool;
	pthread_t tid;
	int index;
	bool started;
};

struct job_pool {
	const struct config *cfg;
	const struct job_kind *kinds;
	size_t nkinds;
	const struct job_env *env;
	pthread_cond_t done_cv;  /* broadcast when any job run ends */
	struct tgroup group;     /* job threads not yet returned */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stopping;     /* under mu */
	unsigned wakeups;  /* under mu: pending wake-ups */
	struct jthread *threads;
	int nthreads;
};

static const struct job_kind *
find_kind(const struct job_pool *p, const char *kind)
{
	for (size_t i = 0; i < p->nkinds; i++)
		if (strcmp(p->kinds[i].kind, kind) == 0)
			return &p->kinds[i];
	return NULL;
}

bool
job_heartbeat(struct job_ctx *ctx)
{
	bool kept = false;
	if (jobs_extend(ctx->db, ctx->job->id, ctx->owner,
	        ctx->cfg->job_lease_seconds, &kept) != CB_OK)
		return true; /* unknown: keep working, the outcome write checks */
	return kept;
}

bool
job_stopping(const struct job_ctx *ctx)
{
	struct job_pool *p = ctx->pool;
	if (!p)
		return false;
	pthread_mutex_lock(&p->mu);
	bool stop = p->stopping;
	pthread_mutex_unlock(&p->mu);
	return stop;
}

/* base × 2^(attempt-1), capped at an hour, ±20% jitter so that a burst of
 * failures does not come back as a burst. */
static int
backoff(const struct config *cfg, unsigned attempt)
{
	long s = cfg->job_retry_base_seconds;
	for (unsigned i = 1; i < attempt && s < 3600; i++)
		s *= 2;
	if (s > 3600)
		s = 3600;
	unsigned char r = 0;
	crypto_random(&r, 1);
	long jitter = s / 5;
	if (jitter)
		s += (long)(r % (2 * jitter + 1)) - jitter;
	return (int)s;
}

static void
run_one(struct job_pool *p, struct db_conn *db, const char *owner,
    struct job *j, void **states)
{
	struct job_ctx ctx = {.db = db, .cfg = p->cfg, .env = p->env, .job = j,
	    .owner = owner, .pool = p};
	const struct job_kind *k = find_kind(p, j->kind);
	enum job_result r;
	bool dead = false;
	cb_err e;

	if (k && k->state_new) {
		size_t ki = (size_t)(k - p->kinds);
		if (!states[ki])
			states[ki] = k->state_new(p->cfg);
		ctx.state = states[ki];
	}
	if (k && k->period) {
		r = k->run(&ctx);
		e = jobs_reschedule(db, j->id, owner,
		    r == JOB_DONE ? NULL : ctx.error, k->period(p->cfg));
		if (e != CB_OK)
			log_warn("job %lld (%s): not rescheduled (%s)", (long long)j->id,
			    j->kind, cb_strerror(e));
		return;
	}
	if (!k) {
		snprintf(ctx.error, sizeof ctx.error, "no handler for job kind '%s'",
		    j->kind);
		r = JOB_DEAD;
	} else if (j->attempts > j->max_attempts) {
		/* Its last worker died holding it: out of attempts. */
		snprintf(ctx.error, sizeof ctx.error,
		    "gave up after %u attempts (the last one never finished)",
		    j->max_attempts);
		r = JOB_DEAD;
	} else if (k->state_new && !ctx.state) {
		snprintf(ctx.error, sizeof ctx.error,
		    "the %s engine could not be initialised", j->kind);
		r = JOB_RETRY;
	} else
		r = k->run(&ctx);
	if (r == JOB_DONE) {
		e = jobs_complete(db, j->id, owner);
		if (e == CB_OK)
			log_info("job %lld (%s) done, attempt %u", (long long)j->id,
			    j->kind, j->attempts);
		else
			log_warn("job %lld (%s): outcome not recorded (%s)",
			    (long long)j->id, j->kind, cb_strerror(e));
		return;
	}
	if (!ctx.error[0])
		snprintf(ctx.error, sizeof ctx.error, "failed");
	e = jobs_fail(db, j->id, owner, ctx.error, backoff(p->cfg, j->attempts),
	    r == JOB_DEAD, &dead);
	if (e != CB_OK) {
		log_warn("job %lld (%s): failure not recorded (%s)", (long long)j->id,
		    j->kind, cb_strerror(e));
		return;
	}
	if (dead) {
		log_warn("job %lld (%s) is dead after %u attempts: %s",
		    (long long)j->id, j->kind, j->attempts, ctx.error);
		if (k && k->on_dead)
			k->on_dead(&ctx);
	} else
		log_info("job %lld (%s) failed, attempt %u of %u: %s",
		    (long long)j->id, j->kind, j->attempts, j->max_attempts, ctx.error);
}

static void *
job_thread(void *arg)
{
	struct jthread *t = arg;
	struct job_pool *p = t->pool;
	struct db_conn db;
	char host[64] = "", owner[JOB_OWNER_MAX + 1];

	void **states = calloc(p->nkinds ? p->nkinds : 1, sizeof *states);
	if (!states) {
		log_error("job thread %d: out of memory", t->index);
		tgroup_leave(&p->group);
		return NULL;
	}
	mysql_thread_init();
	db_conn_init(&db, p->cfg);
	if (t->index == 0 && db_ready(&db) == CB_OK)
		for (size_t i = 0; i < p->nkinds; i++)
			if (p->kinds[i].period &&
			    jobs_ensure_singleton(&db, p->kinds[i].kind) != CB_OK)
				log_warn("cannot create the periodic job %s",
				    p->kinds[i].kind);
	gethostname(host, sizeof host - 1);
	snprintf(owner, sizeof owner, "%.60s:%ld:%d", host, (long)getpid(), t->index);
	for (;;) {
		pthread_mutex_lock(&p->mu);
		bool stop = p->stopping;
		pthread_mutex_unlock(&p->mu);
		if (stop)
			break;
		struct job j;
		bool got = false;
		cb_err e = db_ready(&db);
		if (e == CB_OK)
			e = jobs_claim(&db, owner, p->cfg->job_lease_seconds, &j, &got);
		if (e != CB_OK && e != CB_EUNAVAILABLE)
			log_warn("job thread %d: claim failed: %s", t->index,
			    cb_strerror(e));
		if (got) {
			run_one(p, &db, owner, &j, states);
			job_release(&j);
			pthread_mutex_lock(&p->mu);
			pthread_cond_broadcast(&p->done_cv);
			pthread_mutex_unlock(&p->mu);
			continue; /* there may be more */
		}
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		long ms = p->cfg->job_poll_ms;
		until.tv_sec += ms / 1000;
		until.tv_nsec += (ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_mutex_lock(&p->mu);
		while (!p->stopping && !p->wakeups &&
		    pthread_cond_timedwait(&p->cv, &p->mu, &until) != ETIMEDOUT)
			;
		if (p->wakeups)
			p->wakeups--;
		pthread_mutex_unlock(&p->mu);
	}
	for (size_t i = 0; i < p->nkinds; i++)
		if (states[i] && p->kinds[i].state_free)
			p->kinds[i].state_free(states[i]);
	free(states);
	db_conn_close(&db);
	mysql_thread_end();
	tgroup_leave(&p->group);
	return NULL;
}

cb_err
job_pool_start(const struct config *cfg, const struct job_kind *kinds,
    size_t nkinds, const struct job_env *env, struct job_pool **out)
{
	struct job_pool *p = calloc(1, sizeof *p);
	*out = NULL;
	if (!p)
		return CB_ENOMEM;
	p->cfg = cfg;
	p->kinds = kinds;
	p->nkinds = nkinds;
	p->env = env;
	/* Timed waits on the monotonic clock: a step of the wall clock
	 * must neither stall the pollers nor wake them all at once. */
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, &ca);
	pthread_cond_init(&p->done_cv, &ca);
	pthread_condattr_destroy(&ca);
	tgroup_init(&p->group);
	p->nthreads = cfg->job_threads;
	if (p->nthreads && !(p->threads = calloc((size_t)p->nthreads,
	                         sizeof *p->threads))) {
		job_pool_free(p);
		return CB_ENOMEM;
	}
	for (int i = 0; i < p->nthreads; i++) {
		p->threads[i].pool = p;
		p->threads[i].index = i;
		tgroup_enter(&p->group);
		if (pthread_create(&p->threads[i].tid, NULL, job_thread,
		        &p->threads[i]) != 0) {
			tgroup_leave(&p->group);
			log_error("cannot start job thread %d", i);
			break;
		}
		p->threads[i].started = true;
	}
	*out = p;
	return CB_OK;
}

void
job_pool_wake(struct job_pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->wakeups++;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void
job_pool_wait_any(struct job_pool *p, const struct timespec *deadline)
{
	if (!p || !p->nthreads) {
		/* No threads here: the job runs elsewhere; just pause. */
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, deadline, NULL);
		return;
	}
	pthread_mutex_lock(&p->mu);
	if (!p->stopping)
		pthread_cond_timedwait(&p->done_cv, &p->mu, deadline);
	pthread_mutex_unlock(&p->mu);
}

bool
job_pool_stop(struct job_pool *p, const struct timespec *deadline)
{
	if (!p)
		return true;
	pthread_mutex_lock(&p->mu);
	p->stopping = true;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	if (!tgroup_wait(&p->group, deadline))
		return false;
	for (int i = 0; i < p->nthreads; i++)
		if (p->threads[i].started) {
			pthread_join(p->threads[i].tid, NULL);
			p->threads[i].started = false;
		}
	return true;
}

void
job_pool_free(struct job_pool *p)
{
	if (!p)
		return;
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	pthread_cond_destroy(&p->done_cv);
	tgroup_destroy(&p->group);
	free(p->threads);
	free(p);
}
