/* timefmt.c — see timefmt.h. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/timefmt.h"

cb_err
time_db_to_rfc3339(const char *db, char *out, size_t outlen)
{
	if (!db || strlen(db) < 19 || db[10] != ' ' || outlen < 21)
		return CB_EINVAL;
	snprintf(out, outlen, "%.10sT%.8sZ", db, db + 11);
	return CB_OK;
}

void
time_now_db(char *out, size_t outlen)
{
	struct timespec ts;
	struct tm tm;
	char day[24];
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(day, sizeof day, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(out, outlen, "%s.%06ld", day, ts.tv_nsec / 1000);
}
