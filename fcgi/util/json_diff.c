/* json_diff.c — see json_diff.h. */
#include <string.h>

#include "util/json_diff.h"

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
	json_object *c = json_object_new_object();
	json_object_object_add(c, "old", old);
	json_object_object_add(c, "new", now);
	json_object_object_add(changes, field, c);
}
