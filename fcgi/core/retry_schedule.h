/*
 * retry_schedule.h — when a webhook delivery is tried again: the delays of
 * API-CONVENTIONS ("now, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h"), from
 * [webhooks] schedule, with jitter so that many deliveries failing at once
 * do not all come back at the same second, and the receiver's Retry-After
 * honoured.  Pure: the random part is passed in.
 */
#ifndef CB_RETRY_SCHEDULE_H
#define CB_RETRY_SCHEDULE_H

#include <stdbool.h>

#include "util/err.h"

#define RETRY_SCHEDULE_MAX 16

struct retry_schedule {
	long delay[RETRY_SCHEDULE_MAX]; /* seconds before attempt i+1 */
	int n;
};

/* "0,5,300": 1..RETRY_SCHEDULE_MAX non-negative integers. */
cb_err retry_schedule_parse(const char *text, struct retry_schedule *out);

/* After `done` attempts of a round have failed: false when the schedule
 * is spent (the delivery has failed for good); otherwise *seconds until
 * the next one.  jitter in [-1, 1] scales ± jitter_percent of the delay;
 * retry_after ≥ 0 (seconds the receiver asked for, capped at
 * retry_after_max) is waited at least. */
bool retry_schedule_next(const struct retry_schedule *s, int done,
    double jitter, int jitter_percent, long retry_after, long retry_after_max,
    double *seconds);

#endif
