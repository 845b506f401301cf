/*
 * query.h — pure lookups in an application/x-www-form-urlencoded query
 * string and in a Cookie header.  No allocation: values are decoded into a
 * caller buffer of known size.
 */
#ifndef CB_QUERY_H
#define CB_QUERY_H

#include <stddef.h>

#include "util/err.h"

#define QUERY_MAX_PAIRS 64

/* Finds name in qs ("a=1&b=2").  CB_ENOTFOUND if absent, CB_EINVAL if the
 * string is malformed (bad escape, NUL, too many pairs) or the name appears
 * twice, CB_ETOOBIG if the value does not fit in outlen. */
cb_err query_get(const char *qs, const char *name, char *out, size_t outlen);

/* Checks the whole query string once: every pair decodes and no name
 * repeats.  Lets a handler answer 400 before looking at values. */
cb_err query_validate(const char *qs);

/* Finds a cookie in a Cookie header ("a=1; b=2").  Values are taken as
 * sent (no decoding); quotes around a value are removed. */
cb_err cookie_get(const char *header, const char *name, char *out,
    size_t outlen);

#endif
