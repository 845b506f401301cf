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

cb_err
time_db_to_local(const char *db, char *out, size_t outlen)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	if (!db || strlen(db) < 19 || sscanf(db, "%4d-%2d-%2d %2d:%2d:%2d",
	        &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
	        &tm.tm_sec) != 6)
		return CB_EINVAL;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	time_t t = timegm(&tm);
	if (t == (time_t)-1 || !localtime_r(&t, &tm) ||
	    strftime(out, outlen, "%Y-%m-%d %H:%M %Z", &tm) == 0)
		return CB_EINVAL;
	return CB_OK;
}

cb_err
time_local_day_to_db(int y, int m, int d, int plus_days, char *out,
    size_t outlen)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d + plus_days; /* mktime carries it into the month */
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	struct tm u;
	if (t == (time_t)-1 || !gmtime_r(&t, &u) ||
	    strftime(out, outlen, "%Y-%m-%d %H:%M:%S", &u) == 0)
		return CB_EINVAL;
	return CB_OK;
}
