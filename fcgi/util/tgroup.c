/*
 * tgroup.c — the running-thread count of tgroup.h.
 */
#include "util/tgroup.h"

#include <errno.h>

void
tgroup_init(struct tgroup *g)
{
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&g->mu, NULL);
	pthread_cond_init(&g->cv, &ca);
	pthread_condattr_destroy(&ca);
	g->running = 0;
}

void
tgroup_destroy(struct tgroup *g)
{
	pthread_mutex_destroy(&g->mu);
	pthread_cond_destroy(&g->cv);
}

void
tgroup_enter(struct tgroup *g)
{
	pthread_mutex_lock(&g->mu);
	g->running++;
	pthread_mutex_unlock(&g->mu);
}

void
tgroup_leave(struct tgroup *g)
{
	pthread_mutex_lock(&g->mu);
	g->running--;
	pthread_cond_broadcast(&g->cv);
	pthread_mutex_unlock(&g->mu);
}

bool
tgroup_wait(struct tgroup *g, const struct timespec *deadline)
{
	pthread_mutex_lock(&g->mu);
	while (g->running > 0 &&
	    pthread_cond_timedwait(&g->cv, &g->mu, deadline) != ETIMEDOUT)
		;
	bool none = g->running == 0;
	pthread_mutex_unlock(&g->mu);
	return none;
}
