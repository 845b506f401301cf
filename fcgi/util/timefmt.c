/* timefmt.c — see timefmt.h. */
#include <stdio.h>
#include <string.h>

#include "util/timefmt.h"

cb_err
time_db_to_rfc3339(const char *db, char *out, size_t outlen)
{
	if (!db || strlen(db) < 19 || db[10] != ' ' || outlen < 21)
		return CB_EINVAL;
	snprintf(out, outlen, "%.10sT%.8sZ", db, db + 11);
	return CB_OK;
}
