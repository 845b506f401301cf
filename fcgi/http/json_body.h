/*
 * json_body.h — strict JSON request bodies, pure (bytes in, object out).
 *
 * Rules: valid UTF-8; one JSON value and nothing after it but whitespace;
 * json-c's strict mode (no comments, no single quotes, no trailing commas,
 * no bare words); nesting at most JSON_MAX_DEPTH; the top level must be an
 * object; no member name twice in one object and no unpaired UTF-16
 * surrogate escape (json-c would keep the last and write U+FFFD).
 * Numbers keep their literal text in json-c, which the money code needs
 * (never read amounts as double).
 */
#ifndef CB_JSON_BODY_H
#define CB_JSON_BODY_H

#include <stddef.h>

#include <json-c/json.h>

#include "util/err.h"

#define JSON_MAX_DEPTH 32

/* On success *out is a new object the caller puts.  On CB_EINVAL, why gets
 * a short reason for the 400 problem. */
cb_err json_body_parse(const char *data, size_t len, json_object **out,
    char *why, size_t whylen);

#endif
