/*
 * date.h — calendar dates at the edges.  Clients send YYYY-MM-DD in the
 * installation's time zone (TZ is set once at start from [server]
 * timezone); storage keeps DATE columns as sent and DATETIMEs in UTC.
 */
#ifndef CB_DATE_H
#define CB_DATE_H

#include <stdbool.h>

#include "util/err.h"

struct ymd {
	int y, m, d;
};

/* Strict "YYYY-MM-DD" naming a real calendar day, years 1900–9999. */
cb_err date_parse(const char *s, struct ymd *out);
/* Today in the installation's time zone. */
void date_today(struct ymd *out);
/* <0, 0, >0 like strcmp. */
int date_cmp(const struct ymd *a, const struct ymd *b);
/* out needs 11 bytes. */
void date_format(const struct ymd *d, char *out);

#endif
