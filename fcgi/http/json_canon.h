/*
 * json_canon.h — a canonical JSON text for fingerprints: object members
 * sorted by name, no whitespace, numbers as their literal text, strings
 * escaped by json-c.  Two requests that mean the same thing hash the same.
 */
#ifndef CB_JSON_CANON_H
#define CB_JSON_CANON_H

#include <json-c/json.h>

#include "util/buf.h"

/* Appends the canonical text of v to out; members named `skip` at the top
 * level are left out (NULL = none). */
cb_err json_canonical(json_object *v, const char *skip, struct buf *out);

#endif
