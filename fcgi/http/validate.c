/* validate.c — see validate.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/validate.h"

size_t
utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static void
check_one(json_object *v, const struct field_rule *r, struct problem *p)
{
	char msg[200];
	switch (r->type) {
	case FIELD_STRING: {
		if (!json_object_is_type(v, json_type_string)) {
			problem_field(p, r->name, "invalid", "must be a string");
			return;
		}
		const char *s = json_object_get_string(v);
		if (r->required && !*s) {
			problem_field(p, r->name, "missing", "must not be empty");
			return;
		}
		if (r->max_len && utf8_chars(s) > r->max_len) {
			snprintf(msg, sizeof msg, "at most %zu characters", r->max_len);
			problem_field(p, r->name, "too_long", msg);
			return;
		}
		for (const char *c = s; *c; c++)
			if ((unsigned char)*c < 0x20 && *c != '\n' && *c != '\t' &&
			    *c != '\r') {
				problem_field(p, r->name, "invalid",
				    "contains control characters");
				return;
			}
		if (r->one_of) {
			for (const char *const *o = r->one_of; *o; o++)
				if (strcmp(*o, s) == 0)
					return;
			size_t used = (size_t)snprintf(msg, sizeof msg, "must be one of");
			for (const char *const *o = r->one_of; *o && used < sizeof msg;
			     o++)
				used += (size_t)snprintf(msg + used, sizeof msg - used,
				    "%s %s", o == r->one_of ? "" : ",", *o);
			problem_field(p, r->name, "not_allowed", msg);
		}
		return;
	}
	case FIELD_INT: {
		if (!json_object_is_type(v, json_type_int)) {
			problem_field(p, r->name, "invalid", "must be an integer");
			return;
		}
		errno = 0;
		int64_t n = json_object_get_int64(v);
		if (errno == EINVAL || (r->min < r->max && (n < r->min || n > r->max))) {
			snprintf(msg, sizeof msg, "must be between %lld and %lld",
			    (long long)r->min, (long long)r->max);
			problem_field(p, r->name, "out_of_range", msg);
		}
		return;
	}
	case FIELD_ANY:
		break;
	case FIELD_BOOL:
		if (!json_object_is_type(v, json_type_boolean))
			problem_field(p, r->name, "invalid", "must be true or false");
		return;
	}
}

void
validate_object(json_object *obj, const struct field_rule *rules, size_t n,
    struct problem *p)
{
	for (size_t i = 0; i < n; i++) {
		json_object *v = NULL;
		if (!json_object_object_get_ex(obj, rules[i].name, &v) ||
		    json_object_is_type(v, json_type_null)) {
			if (rules[i].required)
				problem_field(p, rules[i].name, "missing", "is required");
			continue;
		}
		check_one(v, &rules[i], p);
	}
	json_object_object_foreach(obj, key, val) {
		(void)val;
		bool known = false;
		for (size_t i = 0; i < n && !known; i++)
			known = strcmp(rules[i].name, key) == 0;
		if (!known) {
			char field[100];
			snprintf(field, sizeof field, "%s", key);
			problem_field(p, field, "unknown_field",
			    "is not a member this endpoint accepts");
		}
	}
}
