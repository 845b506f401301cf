/*
 * json_diff.h — the {"field": {"old": …, "new": …}} objects payment
 * history events carry, built the same way by every writer (API, review
 * pages, bank matching).
 */
#ifndef CB_JSON_DIFF_H
#define CB_JSON_DIFF_H

#include <json-c/json.h>

/* Adds field to changes when old and now differ (compared as text; NULL
 * is absent).  Takes both values either way. */
void json_diff_add(json_object *changes, const char *field, json_object *old,
    json_object *now);

#endif
