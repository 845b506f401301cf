/*
 * jsonx.c — the checked json-c constructors of jsonx.h.
 */
#include "util/jsonx.h"

#include <stdlib.h>

#include "util/log.h"

void
jx_oom(const char *what)
{
	log_error("out of memory building JSON (%s): this worker stops", what);
	abort();
}

static json_object *
must(json_object *o, const char *what)
{
	if (!o)
		jx_oom(what);
	return o;
}

json_object *jx_object(void) { return must(json_object_new_object(), "object"); }
json_object *jx_array(void) { return must(json_object_new_array(), "array"); }

json_object *
jx_array_ext(int initial_size)
{
	return must(json_object_new_array_ext(initial_size), "array");
}

json_object *
jx_string(const char *s)
{
	return must(json_object_new_string(s), "string");
}

json_object *
jx_string_len(const char *s, int len)
{
	return must(json_object_new_string_len(s, len), "string");
}

json_object *jx_int(int32_t i) { return must(json_object_new_int(i), "int"); }
json_object *jx_int64(int64_t i) { return must(json_object_new_int64(i), "int"); }
json_object *jx_bool(int b) { return must(json_object_new_boolean(b), "boolean"); }
json_object *jx_double(double d) { return must(json_object_new_double(d), "number"); }

json_object *
jx_double_s(double d, const char *text)
{
	return must(json_object_new_double_s(d, text), "number");
}

void
jx_add(json_object *obj, const char *key, json_object *val)
{
	if (json_object_object_add(obj, key, val) != 0)
		jx_oom("member");
}

void
jx_push(json_object *arr, json_object *val)
{
	if (json_object_array_add(arr, val) != 0)
		jx_oom("element");
}
