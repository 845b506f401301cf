/* json_canon.c — see json_canon.h. */
#include <stdlib.h>
#include <string.h>

#include "http/json_canon.h"
#include "util/jsonx.h"

#define MAX_MEMBERS 256

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static cb_err
canon(json_object *v, const char *skip, struct buf *out, int depth)
{
	cb_err e;
	if (depth > 64)
		return CB_EINVAL;
	switch (json_object_get_type(v)) {
	case json_type_object: {
		const char *keys[MAX_MEMBERS];
		size_t n = 0;
		json_object_object_foreach(v, k, val) {
			(void)val;
			if (skip && strcmp(k, skip) == 0)
				continue;
			if (n == MAX_MEMBERS)
				return CB_ETOOBIG;
			keys[n++] = k;
		}
		qsort(keys, n, sizeof keys[0], cmp_str);
		if ((e = buf_puts(out, "{")) != CB_OK)
			return e;
		for (size_t i = 0; i < n; i++) {
			json_object *key = jx_string(keys[i]);
			e = buf_printf(out, "%s%s:", i ? "," : "",
			    json_object_to_json_string_ext(key, JSON_C_TO_STRING_PLAIN));
			json_object_put(key);
			if (e != CB_OK)
				return e;
			if ((e = canon(json_object_object_get(v, keys[i]), NULL, out,
			         depth + 1)) != CB_OK)
				return e;
		}
		return buf_puts(out, "}");
	}
	case json_type_array: {
		if ((e = buf_puts(out, "[")) != CB_OK)
			return e;
		size_t n = json_object_array_length(v);
		for (size_t i = 0; i < n; i++) {
			if (i && (e = buf_puts(out, ",")) != CB_OK)
				return e;
			if ((e = canon(json_object_array_get_idx(v, i), NULL, out,
			         depth + 1)) != CB_OK)
				return e;
		}
		return buf_puts(out, "]");
	}
	default:
		return buf_puts(out, json_object_to_json_string_ext(v,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	}
}

cb_err
json_canonical(json_object *v, const char *skip, struct buf *out)
{
	return canon(v, skip, out, 0);
}
