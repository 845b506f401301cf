/*
 * validate.h — declared inputs (kcgi's kvalid): a handler lists the members
 * its JSON body may carry, each with its type and limits, in one static
 * table; validate_object checks all of them at once and records every
 * failure in the problem, so that a 422 names every bad field.  Members not
 * in the table are errors too (code "unknown_field").
 */
#ifndef CB_VALIDATE_H
#define CB_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "http/response.h"

/* FIELD_ANY: known, its type checked by the caller (arrays, objects). */
enum field_type { FIELD_STRING, FIELD_INT, FIELD_BOOL, FIELD_ANY };

struct field_rule {
	const char *name;
	enum field_type type;
	bool required;
	size_t max_len;            /* strings: characters; 0 = no limit */
	const char *const *one_of; /* strings: NULL-terminated allowed values */
	int64_t min, max;          /* integers, when min < max */
};

void validate_object(json_object *obj, const struct field_rule *rules,
    size_t n, struct problem *p);
/* validate_object over a whole static rules[] table, counted by the
 * compiler: a rule added to the table can never be left out of the count. */
#define VALIDATE_OBJECT(obj, rules, p) \
	validate_object((obj), (rules), sizeof(rules) / sizeof((rules)[0]), (p))

/* Codepoints in a valid UTF-8 string. */
size_t utf8_chars(const char *s);

#endif
