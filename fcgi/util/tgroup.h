/*
 * tgroup.h — a count of a group's running threads, so that shutdown waits
 * for them against the monotonic clock.
 *
 * Thread joins take only the wall clock (pthread_timedjoin_np), and a step
 * of it would cut a graceful stop short or stretch it; the monotonic join
 * (pthread_clockjoin_np) is invisible to ThreadSanitizer.  So each thread
 * says when it is done, the stopper waits on a monotonic condition
 * variable, and only then joins, which no longer blocks.
 */
#ifndef CB_TGROUP_H
#define CB_TGROUP_H

#include <pthread.h>
#include <stdbool.h>
#include <time.h>

struct tgroup {
	pthread_mutex_t mu;
	pthread_cond_t cv;   /* CLOCK_MONOTONIC; signalled as each leaves */
	int running;         /* under mu */
};

void tgroup_init(struct tgroup *g);
void tgroup_destroy(struct tgroup *g);
/* Before pthread_create; tgroup_leave undoes it if the create fails. */
void tgroup_enter(struct tgroup *g);
/* The last thing a thread of the group does. */
void tgroup_leave(struct tgroup *g);
/* Waits until every thread left or deadline (CLOCK_MONOTONIC) passed:
 * true if none is running any more, and then joining them is immediate. */
bool tgroup_wait(struct tgroup *g, const struct timespec *deadline);

#endif
