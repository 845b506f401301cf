/* idempotency.c — see idempotency.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/common.h"
#include "api/idempotency.h"
#include "crypto/crypto.h"
#include "http/json_canon.h"
#include "http/json_body.h"
#include "http/response.h"
#include "store/idempotency.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/jsonx.h"

static bool
key_ok(const char *k)
{
	size_t n = strlen(k);
	if (n < IDEM_KEY_MIN || n > IDEM_KEY_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)k[i] < 0x21 || (unsigned char)k[i] > 0x7e)
			return false;
	return true;
}

static void
bad_key(struct http_req *req, const char *field, const char *code,
    const char *detail)
{
	struct problem p;
	problem_init(&p, 422, "validation", "Unprocessable Content",
	    "the idempotency key is not usable");
	problem_field(&p, field, code, detail);
	http_send_problem(req, &p, NULL);
}

static void
replay(struct http_req *req, const struct idem_row *r, enum idem_kind kind)
{
	static const char hdr[] = "Idempotent-Replayed: true\r\n";
	json_object *o = NULL;
	char why[64];
	if (r->body)
		json_body_parse(r->body, strlen(r->body), &o, why, sizeof why);
	if (!o) {
		http_send(req, r->status, "application/json; charset=utf-8", hdr,
		    r->body ? r->body : "", r->body ? strlen(r->body) : 0);
		return;
	}
	int status = r->status;
	if (kind == IDEM_CREATE) {
		/* Seed 001: a cached create is 200 with "cached": true. */
		jx_add(o, "cached", jx_bool(1));
		status = 200;
	}
	http_json(req, status, o, hdr);
	json_object_put(o);
}

bool
idem_begin(struct http_req *req, json_object *body, enum idem_kind kind,
    struct idem *st)
{
	const char *hkey = http_header(req, "Idempotency-Key");
	json_object *bk = NULL;
	const char *key = NULL;
	char fp[SHA256_HEX_LEN + 1];
	struct buf canon;
	cb_err e;

	st->id = 0;
	st->kind = kind;
	if (body && json_object_object_get_ex(body, "idempotencyKey", &bk) &&
	    !json_object_is_type(bk, json_type_null)) {
		if (!json_object_is_type(bk, json_type_string)) {
			bad_key(req, "idempotencyKey", "invalid", "must be a string");
			return false;
		}
		key = json_object_get_string(bk);
		if (!key_ok(key)) {
			bad_key(req, "idempotencyKey", "invalid",
			    "8 to 255 printable ASCII characters");
			return false;
		}
	}
	if (hkey) {
		if (!key_ok(hkey)) {
			bad_key(req, "Idempotency-Key", "invalid",
			    "the header takes 8 to 255 printable ASCII characters");
			return false;
		}
		if (key && strcmp(key, hkey) != 0) {
			bad_key(req, "idempotencyKey", "conflict",
			    "differs from the Idempotency-Key header");
			return false;
		}
		key = hkey;
	}
	if (!key)
		return true;

	/* The fingerprint: method, path and the canonical body. */
	buf_init(&canon, 4u << 20);
	if ((e = buf_printf(&canon, "%s %s\n", req->method, req->path)) != CB_OK ||
	    (body && (e = json_canonical(body, "idempotencyKey", &canon)) != CB_OK) ||
	    (e = crypto_sha256_hex(canon.data, canon.len, fp)) != CB_OK) {
		buf_free(&canon);
		http_fail(req, e);
		return false;
	}
	buf_free(&canon);

	struct idem_scope sc = {req->who.key_id, req->method, req->path, key};
	int lock = req->cfg->idem_lock_seconds;
	for (int attempt = 0; attempt < 3; attempt++) {
		e = idem_insert(req->db, &sc, fp, lock, &st->id);
		if (e == CB_OK) {
			/* Housekeeping without a timer: every 256th claim purges a
			 * batch of keys older than the retention. */
			if (st->id % 256 == 0) {
				uint64_t n;
				if (idem_purge(req->db, req->cfg->idem_retention_hours, 1000,
				        &n) == CB_OK && n)
					log_info("purged %llu idempotency keys",
					    (unsigned long long)n);
			}
			return true;
		}
		if (e != CB_EEXIST) {
			http_fail(req, e);
			return false;
		}
		struct idem_row r;
		e = idem_get(req->db, &sc, &r);
		if (e == CB_ENOTFOUND)
			continue; /* released between our insert and read */
		if (e != CB_OK) {
			http_fail(req, e);
			return false;
		}
		if (strcmp(r.fingerprint, fp) != 0) {
			free(r.body);
			bad_key(req, "Idempotency-Key", "mismatch",
			    "this key was used with a different request");
			return false;
		}
		if (r.done) {
			replay(req, &r, kind);
			free(r.body);
			return false;
		}
		free(r.body);
		if (r.lock_expired) {
			bool taken;
			if ((e = idem_take_over(req->db, r.id, lock, &taken)) != CB_OK) {
				http_fail(req, e);
				return false;
			}
			if (taken) {
				st->id = r.id;
				log_info("rid=%s: took over the expired idempotency claim %lld",
				    req->request_id, (long long)r.id);
				return true;
			}
		}
		http_problem(req, 409, "idempotency-in-flight", "Conflict",
		    "a request with this Idempotency-Key is still in progress;"
		    " retry later");
		return false;
	}
	http_problem(req, 409, "idempotency-in-flight", "Conflict",
	    "a request with this Idempotency-Key is still in progress");
	return false;
}

cb_err
idem_store(struct http_req *req, const struct idem *st, int status,
    json_object *response)
{
	if (!st->id)
		return CB_OK;
	const char *text = json_object_to_json_string_ext(response,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	return idem_complete(req->db, st->id, status, text);
}

void
idem_abandon(struct http_req *req, struct idem *st)
{
	if (!st->id)
		return;
	cb_err e = idem_release(req->db, st->id);
	if (e != CB_OK)
		log_warn("rid=%s: could not release idempotency claim %lld: %s"
		         " (it expires on its own)", req->request_id,
		    (long long)st->id, cb_strerror(e));
	st->id = 0;
}

bool
idem_txn_begin(struct http_req *req, json_object *body, enum idem_kind kind,
    struct idem *st)
{
	if (!idem_begin(req, body, kind, st))
		return false;
	if (!api_begin(req)) {
		idem_abandon(req, st);
		return false;
	}
	return true;
}

void
idem_txn_abort(struct http_req *req, struct idem *st, cb_err e)
{
	api_rollback(req);
	idem_abandon(req, st);
	if (e != CB_OK)
		http_fail(req, e);
}

void
idem_txn_finish(struct http_req *req, struct idem *st, const char *target,
    const char *detail, int status, json_object *response, const char *headers)
{
	api_activity(req, target, detail);
	cb_err e = idem_store(req, st, status, response);
	if (e != CB_OK) {
		idem_txn_abort(req, st, e);
		return;
	}
	api_debug_pause(req);
	if (!api_commit(req)) {
		idem_abandon(req, st);
		return;
	}
	http_json(req, status, response, headers);
}
