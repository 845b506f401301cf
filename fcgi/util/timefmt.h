/*
 * timefmt.h — time at the edges.  Storage is UTC "YYYY-MM-DD HH:MM:SS[.f]"
 * (MariaDB DATETIME); the API speaks RFC 3339 in UTC with a Z.
 */
#ifndef CB_TIMEFMT_H
#define CB_TIMEFMT_H

#include <stddef.h>

#include "util/err.h"

/* "2026-03-03 15:30:00.123456" → "2026-03-03T15:30:00Z".  out ≥ 21 bytes. */
cb_err time_db_to_rfc3339(const char *db, char *out, size_t outlen);

/* "2026-03-03 15:30:00" (UTC) → "2026-03-03 09:30 CST" in the process's
 * time zone (TZ is the installation's, set at start), for pages. */
cb_err time_db_to_local(const char *db, char *out, size_t outlen);

/* The UTC instant ("YYYY-MM-DD HH:MM:SS", out ≥ 20 bytes) at which the
 * local day y-m-d plus plus_days begins in the process's time zone: a day
 * a person picks on a page, as the bound of a query on UTC storage. */
cb_err time_local_day_to_db(int y, int m, int d, int plus_days, char *out,
    size_t outlen);

/* The current UTC time as "YYYY-MM-DD HH:MM:SS.ffffff"; out ≥ 27 bytes.
 * Used where a row's timestamp must be known without reading it back. */
void time_now_db(char *out, size_t outlen);

#endif
