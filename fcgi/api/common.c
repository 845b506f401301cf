/* common.c — see common.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/common.h"
#include "api/idempotency.h"
#include "core/money.h"
#include "core/ownership.h"
#include "http/query.h"
#include "store/payments.h"
#include "util/codec.h"
#include "util/timefmt.h"
#include "util/jsonx.h"

bool
api_parse_id(const char *s, int64_t *id)
{
	char *end;
	if (!s || !*s || *s == '+' || *s == '-' || *s == ' ' || strlen(s) > 18)
		return false;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || v <= 0)
		return false;
	*id = v;
	return true;
}

bool
api_path_id(struct http_req *req, const char *name, int64_t *id)
{
	if (api_parse_id(route_param(&req->params, name), id))
		return true;
	http_problem(req, 404, "not-found", "Not Found", "no such resource");
	return false;
}

bool
api_json_id(json_object *v, int64_t *id)
{
	if (json_object_is_type(v, json_type_int)) {
		errno = 0;
		int64_t n = json_object_get_int64(v);
		if (errno || n <= 0)
			return false;
		*id = n;
		return true;
	}
	if (json_object_is_type(v, json_type_string))
		return api_parse_id(json_object_get_string(v), id);
	return false;
}

void
api_page_params(struct http_req *req, int *limit, int64_t *before,
    struct problem *p)
{
	char v[64];
	*limit = PAGE_DEFAULT;
	*before = 0;
	cb_err e = query_get(req->query, "limit", v, sizeof v);
	if (e == CB_OK) {
		char *end;
		errno = 0;
		long n = strtol(v, &end, 10);
		if (errno || *end || n < 1 || n > PAGE_MAX)
			problem_field(p, "limit", "out_of_range", "between 1 and 200");
		else
			*limit = (int)n;
	} else if (e != CB_ENOTFOUND)
		problem_field(p, "limit", "invalid", "between 1 and 200");
	e = query_get(req->query, "cursor", v, sizeof v);
	if (e == CB_OK) {
		/* The cursor is "c" + the last id; opaque to clients. */
		if (v[0] != 'c' || !api_parse_id(v + 1, before))
			problem_field(p, "cursor", "invalid",
			    "use the nextCursor of the previous page");
	} else if (e != CB_ENOTFOUND)
		problem_field(p, "cursor", "invalid",
		    "use the nextCursor of the previous page");
}

bool
api_page_ready(struct http_req *req, struct problem *p, struct api_page *pg,
    int limit)
{
	if (problem_count(p)) {
		http_send_problem(req, p, NULL);
		return false;
	}
	problem_free(p);
	api_page_init(pg, limit);
	return true;
}

void
api_query_id(struct http_req *req, const char *name, int64_t *id,
    struct problem *p)
{
	char v[32];
	*id = 0;
	cb_err e = query_get(req->query, name, v, sizeof v);
	if (e == CB_ENOTFOUND)
		return;
	if (e != CB_OK || !api_parse_id(v, id)) {
		*id = 0;
		problem_field(p, name, "invalid", "a positive integer");
	}
}

void
api_page_init(struct api_page *pg, int limit)
{
	memset(pg, 0, sizeof *pg);
	pg->items = jx_array();
	pg->limit = limit;
}

cb_err
api_page_add(struct api_page *pg, int64_t id, json_object *item)
{
	if (pg->n == pg->limit) {
		json_object_put(item);
		pg->more = true;
		return CB_OK;
	}
	pg->n++;
	pg->last_id = id;
	jx_push(pg->items, item);
	return CB_OK;
}

void
api_page_send(struct http_req *req, struct api_page *pg, cb_err e,
    const char *key)
{
	char cursor[32];
	if (e != CB_OK) {
		api_page_free(pg);
		http_fail(req, e);
		return;
	}
	json_object *o = jx_object();
	jx_add(o, "success", jx_bool(1));
	jx_add(o, key, pg->items);
	pg->items = NULL;
	/* The cursor is "c" + the last id; opaque to clients. */
	snprintf(cursor, sizeof cursor, "c%lld", (long long)pg->last_id);
	jx_add(o, "nextCursor",
	    pg->more ? jx_string(cursor) : NULL);
	http_json(req, 200, o, NULL);
	json_object_put(o);
}

void
api_page_free(struct api_page *pg)
{
	json_object_put(pg->items);
	pg->items = NULL;
}

json_object *
api_money(int64_t minor, const char *currency)
{
	char text[32];
	money_format(minor, currency_exponent(currency), text, sizeof text);
	/* json-c writes the given text verbatim; the double is never read. */
	return jx_double_s((double)minor, text);
}

json_object *
api_time(const char *db_time)
{
	char out[32];
	if (!db_time || time_db_to_rfc3339(db_time, out, sizeof out) != CB_OK)
		return NULL;
	return jx_string(out);
}

json_object *
api_document_url(const char *base, int64_t id)
{
	char url[600];
	snprintf(url, sizeof url, "%.500s/api/payments/%lld/document",
	    base ? base : "", (long long)id);
	return jx_string(url);
}

json_object *
api_str_or_null(const char *s)
{
	return s && *s ? jx_string(s) : NULL;
}

void
api_event_actor(struct http_req *req, struct payment_event *ev, char *buf,
    size_t buflen)
{
	bool user = req->who.user_id != 0;
	snprintf(buf, buflen, "%lld", (long long)(user ? req->who.user_id :
	    req->who.key_id));
	ev->actor_type = user ? "user" : "api_key";
	ev->actor_id = buf;
	ev->actor_name = req->who.name;
	ev->remote_addr = http_param(req, "REMOTE_ADDR");
	ev->request_id = req->request_id;
}

bool
api_query_begin(struct http_req *req, struct problem *p)
{
	if (query_validate(req->query) != CB_OK) {
		http_problem(req, 400, "bad-request", "Bad Request",
		    "the query string is malformed or repeats a parameter");
		return false;
	}
	problem_init(p, 422, "validation", "Unprocessable Content",
	    "some query parameters are invalid; see errors");
	return true;
}

int64_t
api_client_scope(const struct http_req *req)
{
	return owner_scope(&req->who);
}

bool
api_begin(struct http_req *req)
{
	cb_err e = db_begin(req->db);
	if (e != CB_OK) {
		http_fail(req, e);
		return false;
	}
	return true;
}

bool
api_commit(struct http_req *req)
{
	cb_err e = db_commit(req->db);
	if (e != CB_OK) {
		db_rollback(req->db);
		http_fail(req, e == CB_ECONFLICT ? CB_EUNAVAILABLE : e);
		return false;
	}
	return true;
}

void
api_rollback(struct http_req *req)
{
	db_rollback(req->db);
}

void
api_debug_pause(struct http_req *req)
{
	if (!req->cfg->debug_routes)
		return;
	const char *v = http_header(req, "X-Debug-Delay-Ms");
	if (!v)
		return;
	long ms = strtol(v, NULL, 10);
	if (ms <= 0 || ms > 30000)
		return;
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

bool
api_path_payment(struct http_req *req, int64_t *id, struct payment_row *row)
{
	if (!api_path_id(req, "id", id))
		return false;
	cb_err e = payments_get(req->db, *id, row);
	if (e == CB_OK && !owner_sees(&req->who, row->registered_by)) {
		payment_row_release(row);
		e = CB_ENOTFOUND;
	}
	if (e != CB_OK) {
		http_fail(req, e);
		return false;
	}
	return true;
}

json_object *
api_wrap(const char *key, json_object *v)
{
	json_object *o = jx_object();
	jx_add(o, "success", jx_bool(1));
	jx_add(o, key, v);
	return o;
}

void
api_taken(struct http_req *req, struct idem *st, struct problem *p,
    const char *field, const char *detail)
{
	idem_txn_abort(req, st, CB_OK);
	problem_field(p, field, "taken", detail);
	http_send_problem(req, p, NULL);
}

void
api_created(struct http_req *req, struct idem *st, const char *kind,
    const char *collection, int64_t id, json_object *resp)
{
	char target[40], loc[80];
	snprintf(target, sizeof target, "%s:%lld", kind, (long long)id);
	snprintf(loc, sizeof loc, "Location: /api/%s/%lld\r\n", collection,
	    (long long)id);
	idem_txn_finish(req, st, target, NULL, 201, resp, loc);
}

const char *
api_member(json_object *in, const char *k)
{
	json_object *v;
	if (!json_object_object_get_ex(in, k, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	const char *s = json_object_get_string(v);
	return *s ? s : NULL;
}

long
api_if_match(struct http_req *req)
{
	const char *h = http_header(req, "If-Match");
	unsigned v;
	int used = 0;
	if (!h || strcmp(h, "*") == 0)
		return 0;
	if (sscanf(h, " \"v%u\"%n", &v, &used) == 1 && used > 0 && v > 0)
		return (long)v;
	return -1;
}

void
api_bad_if_match(struct http_req *req)
{
	http_problem(req, 412, "precondition-failed", "Precondition Failed",
	    "If-Match must be an ETag of this resource such as \"v3\"");
}

/* A text member: NULL if absent, null or "" (forms send empty fields).
 * *bad set when present but not usable text. */
const char *
api_text(json_object *in, const char *name, bool allow_newlines, bool *bad)
{
	json_object *v;
	*bad = false;
	if (!json_object_object_get_ex(in, name, &v) ||
	    json_object_is_type(v, json_type_null))
		return NULL;
	if (!json_object_is_type(v, json_type_string)) {
		*bad = true;
		return NULL;
	}
	const char *s = json_object_get_string(v);
	size_t n = (size_t)json_object_get_string_len(v);
	if (strlen(s) != n || !utf8_valid(s, n)) {
		*bad = true;
		return NULL;
	}
	for (const char *c = s; *c; c++)
		if (((unsigned char)*c < 0x20 &&
		        !(allow_newlines && (*c == '\n' || *c == '\r' || *c == '\t'))) ||
		    *c == 0x7f) {
			*bad = true;
			return NULL;
		}
	return *s ? s : NULL;
}
