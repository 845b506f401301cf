/* json_diff.c — see json_diff.h. */
#include <string.h>

#include "util/json_diff.h"
#include "util/jsonx.h"

void
json_diff_add(json_object *changes, const char *field, json_object *old,
    json_object *now)
{
	const char *a = old ? json_object_get_string(old) : NULL;
	const char *b = now ? json_object_get_string(now) : NULL;
	if ((!a && !b) || (a && b && strcmp(a, b) == 0)) {
		json_object_put(old);
		json_object_put(now);
		return;
	}
	json_object *c = jx_object();
	jx_add(c, "old", old);
	jx_add(c, "new", now);
	jx_add(changes, field, c);
}
