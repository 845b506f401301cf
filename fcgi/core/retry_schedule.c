/* retry_schedule.c — see retry_schedule.h. */
#include <stdlib.h>
#include <string.h>

#include "core/retry_schedule.h"

cb_err
retry_schedule_parse(const char *text, struct retry_schedule *out)
{
	memset(out, 0, sizeof *out);
	const char *s = text;
	for (;;) {
		while (*s == ' ')
			s++;
		if (*s < '0' || *s > '9' || out->n == RETRY_SCHEDULE_MAX)
			return CB_EINVAL;
		char *end;
		long v = strtol(s, &end, 10);
		if (v < 0 || v > 30L * 86400)
			return CB_EINVAL;
		out->delay[out->n++] = v;
		s = end;
		while (*s == ' ')
			s++;
		if (!*s)
			return CB_OK;
		if (*s++ != ',')
			return CB_EINVAL;
	}
}

bool
retry_schedule_next(const struct retry_schedule *s, int done, double jitter,
    int jitter_percent, long retry_after, long retry_after_max, double *seconds)
{
	if (done < 0 || done >= s->n)
		return false;
	if (jitter < -1)
		jitter = -1;
	if (jitter > 1)
		jitter = 1;
	double d = (double)s->delay[done];
	d += d * jitter * jitter_percent / 100.0;
	if (retry_after >= 0) {
		long ra = retry_after < retry_after_max ? retry_after : retry_after_max;
		if (d < (double)ra)
			d = (double)ra;
	}
	*seconds = d < 0 ? 0 : d;
	return true;
}
