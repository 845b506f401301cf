/*
 * jsonx.h — json-c constructors that never hand back NULL.
 *
 * json-c answers an allocation failure with NULL, and json_object_object_add
 * takes a NULL value as JSON null: an unchecked failure becomes a wrong
 * answer ("amount": null), not an error.  Every answer and record this
 * service builds goes through these instead (tests/lint/style.sh refuses the
 * raw constructors elsewhere).  They follow the xmalloc rule: running out of
 * memory while building JSON ends the worker with a log line (jx_oom); the
 * master starts a new one, and a job it was running is retried when its
 * lease expires.  Nothing half-built is ever sent or stored.
 *
 * Ownership is json-c's: jx_add and jx_push take the value's reference.  A
 * NULL value given to jx_add or jx_push is a deliberate JSON null.
 */
#ifndef CB_JSONX_H
#define CB_JSONX_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

json_object *jx_object(void);
json_object *jx_array(void);
json_object *jx_array_ext(int initial_size);
json_object *jx_string(const char *s);
json_object *jx_string_len(const char *s, int len);
json_object *jx_int(int32_t i);
json_object *jx_int64(int64_t i);
json_object *jx_bool(int b);
json_object *jx_double(double d);
json_object *jx_double_s(double d, const char *text);

/* Adds (or replaces) member key of obj. */
void jx_add(json_object *obj, const char *key, json_object *val);
/* Appends val to arr. */
void jx_push(json_object *arr, json_object *val);

/* The one failure path: logs what could not be built and aborts. */
_Noreturn void jx_oom(const char *what);

#endif
