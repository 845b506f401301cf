/*
 * common.h — what several handlers share: reading ids from paths and query
 * strings, page size and cursors, JSON for money, dates and times, the
 * actor of an event, transactions that answer 5xx themselves, and the
 * test-only pause inside a transaction.
 */
#ifndef CB_API_COMMON_H
#define CB_API_COMMON_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "http/request.h"
#include "http/response.h"

#define PAGE_DEFAULT 50
#define PAGE_MAX 200

/* The {name} path parameter as a positive id; answers 404 if it is not
 * one (a malformed id names no resource) and returns false. */
bool api_path_id(struct http_req *req, const char *name, int64_t *id);
struct payment_row;
/* The payment named by the path's {id}, if the caller may see it
 * (core/ownership.h): false after answering (400/404/
 * 503); true with *row filled (release with payment_row_release). */
bool api_path_payment(struct http_req *req, int64_t *id,
    struct payment_row *row);

/* A positive id from text ("42"); false for anything else. */
bool api_parse_id(const char *s, int64_t *id);
/* The query parameter `name` as a positive id; 0 when absent; adds an
 * error to p when present but not an id. */
void api_query_id(struct http_req *req, const char *name, int64_t *id,
    struct problem *p);

/* A positive integer from JSON (number or, for form fields, a string of
 * digits).  false if absent-or-null (*present false) or invalid. */
bool api_json_id(json_object *v, int64_t *id);

/* limit (1..200, default 50) and cursor (opaque) from the query; adds
 * errors to p.  *before is the keyset position, 0 = from the newest. */
void api_page_params(struct http_req *req, int *limit, int64_t *before,
    struct problem *p);
/* A keyset page being filled: ask the store for limit + 1 rows; the
 * extra one only says that there is a next page. */
struct api_page {
	json_object *items;  /* owned until api_page_send */
	int limit, n;
	int64_t last_id;
	bool more;
};
void api_page_init(struct api_page *pg, int limit);
/* After api_page_params and any other query checks into p: a 422 naming
 * every bad parameter and false (p sent), or p freed and pg ready. */
bool api_page_ready(struct http_req *req, struct problem *p,
    struct api_page *pg, int limit);
/* Takes item (even when it is the extra row, which is dropped). */
cb_err api_page_add(struct api_page *pg, int64_t id, json_object *item);
/* {"success": true, <key>: […], "nextCursor": "…" | null}, or the error
 * e the listing ended with; frees items either way. */
void api_page_send(struct http_req *req, struct api_page *pg, cb_err e,
    const char *key);
void api_page_free(struct api_page *pg);

/* A money value as a JSON number with exactly the currency's digits
 * (1500.00, never 1500 or 1500.0000001). */
json_object *api_money(int64_t minor, const char *currency);
/* "2026-03-03 15:30:00.123456" (UTC) → "2026-03-03T15:30:00Z", or null. */
json_object *api_time(const char *db_time);
/* Where a payment's receipt is downloaded: base ([server] public_url)
 * + "/api/payments/{id}/document", or the path alone when base is "". */
json_object *api_document_url(const char *base, int64_t id);
/* A string, or JSON null for NULL or "". */
json_object *api_str_or_null(const char *s);

/* Fills an event's actor fields from the request's principal; strings
 * point into *buf. */
struct payment_event;
void api_event_actor(struct http_req *req, struct payment_event *ev,
    char *buf, size_t buflen);

/* The owner whose rows a request may see (owner_scope): a client key's
 * own id; 0 (every client's) for an admin or a reviewer. */
int64_t api_client_scope(const struct http_req *req);

/* A listing's query string: false after answering 400 when it is malformed
 * or repeats a parameter; else p is a 422 problem ready for the
 * parameters' complaints. */
bool api_query_begin(struct http_req *req, struct problem *p);

/* Begin / commit; on failure they roll back and answer (503 / 500). */
bool api_begin(struct http_req *req);
bool api_commit(struct http_req *req);
void api_rollback(struct http_req *req);

/* Tests only ([server] debug_routes): X-Debug-Delay-Ms pauses inside the
 * transaction, so that a test can kill the worker mid-request. */
void api_debug_pause(struct http_req *req);

/* {"success": true, key: v} (takes v). */
json_object *api_wrap(const char *key, json_object *v);
/* A unique key said no: the idempotency key is released, field named. */
struct idem;
void api_taken(struct http_req *req, struct idem *st, struct problem *p,
    const char *field, const char *detail);
/* Commits a create: activity on "<kind>:<id>", Location, 201. */
void api_created(struct http_req *req, struct idem *st, const char *kind,
    const char *collection, int64_t id, json_object *resp);
/* A non-empty string member, or NULL. */
const char *api_member(json_object *in, const char *k);
/* A text member a client sent: NULL if absent, null or "" (forms send
 * empty fields); *bad set when it is there but not a string of UTF-8
 * without control characters (newlines and tabs when allow_newlines). */
const char *api_text(json_object *in, const char *name, bool allow_newlines,
    bool *bad);

/* If-Match on a versioned resource: absent or "*" → 0 (no condition);
 * "vN" → N; anything else → -1, which no version matches (answer with
 * api_bad_if_match: 412 saying what we take). */
long api_if_match(struct http_req *req);
void api_bad_if_match(struct http_req *req);

#endif
