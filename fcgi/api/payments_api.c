/*
 * payments_api.c — /api/payments, seed 000's contract: the
 * {"success": true, "payment": {…}, "ocrResult": …} envelope, Spanish
 * statuses, camelCase members, amounts with the currency's exact digits.
 * Creation takes JSON or multipart/form-data; status changes are checked
 * transitions done as one conditional UPDATE (store/payments.h); every
 * change writes an event and an activity-log line in the same transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "api/common.h"
#include "api/documents.h"
#include "api/ocr_view.h"
#include "api/idempotency.h"
#include "api/payment_change.h"
#include "api/payment_input.h"
#include "api/payment_view.h"
#include "core/date.h"
#include "core/lifecycle.h"
#include "http/form.h"
#include "http/query.h"
#include "http/validate.h"
#include "jobs/match_job.h"
#include "jobs/ocr_job.h"
#include "jobs/pool.h"
#include "jobs/receipt_job.h"
#include "storage/storage.h"
#include "store/jobs.h"
#include "store/receipts.h"
#include "store/invoices.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/timefmt.h"
#include "util/jsonx.h"

static void
etag_header(const struct payment_row *r, char *out, size_t len)
{
	snprintf(out, len, "ETag: \"v%u\"\r\n", r->version);
}

/* ---- create -------------------------------------------------------- */

/* Turns form fields into the same members a JSON body has. */
static json_object *
form_members(const struct form *f, const struct form_field **doc,
    struct problem *p)
{
	json_object *in = jx_object();
	*doc = NULL;
	for (size_t i = 0; i < f->n; i++) {
		const struct form_field *fl = &f->fields[i];
		if (strcmp(fl->name, "document") == 0) {
			if (!fl->is_file)
				problem_field(p, "document", "invalid",
				    "must be a file part (filename=…)");
			else
				*doc = fl;
			continue;
		}
		if (fl->is_file) {
			problem_field(p, fl->name, "unknown_field",
			    "is not a file this endpoint accepts");
			continue;
		}
		jx_add(in, fl->name, jx_string_len(
		    fl->data.data ? fl->data.data : "", (int)fl->data.len));
	}
	return in;
}

/* How long this request may wait for its OCR (RFC 7240 Prefer: wait=N,
 * respond-async); *async is set when the client asked not to wait. */
static int
wait_budget(struct http_req *req, bool *async)
{
	const char *h = http_header(req, "Prefer");
	int wait = req->cfg->ocr_wait_seconds;
	*async = false;
	for (const char *p = h; p && *p;) {
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (strncasecmp(p, "respond-async", 13) == 0)
			*async = true;
		else if (strncasecmp(p, "wait=", 5) == 0) {
			long v = strtol(p + 5, NULL, 10);
			wait = v < 0 ? 0 : v > 60 ? 60 : (int)v;
		}
		p += strcspn(p, ",");
	}
	return *async ? 0 : wait;
}

/* Waits until the payment's OCR is no longer processing or the budget is
 * spent; re-reads the row into *row. */
static void
await_ocr(struct http_req *req, int64_t id, int seconds,
    struct payment_row *row)
{
	struct timespec deadline, now, step;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += seconds;
	for (;;) {
		struct payment_row fresh;
		if (payments_get(req->db, id, &fresh) == CB_OK) {
			payment_row_release(row);
			*row = fresh;
		}
		if (strcmp(row->ocr_status, "processing") != 0)
			return;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > deadline.tv_sec || (now.tv_sec == deadline.tv_sec &&
		    now.tv_nsec >= deadline.tv_nsec))
			return;
		/* Woken when a job of this process ends; the job may run in
		 * another process, so look again at least every 250 ms. */
		step = now;
		step.tv_nsec += 250000000L;
		if (step.tv_nsec >= 1000000000L) {
			step.tv_sec++;
			step.tv_nsec -= 1000000000L;
		}
		if (step.tv_sec > deadline.tv_sec || (step.tv_sec == deadline.tv_sec &&
		    step.tv_nsec > deadline.tv_nsec))
			step = deadline;
		job_pool_wait_any(req->jobs, &step);
	}
}

/* Attaches the stored document and queues its OCR, in the caller's
 * transaction. */
static cb_err
attach_document(struct http_req *req, const struct doc_upload *up, int64_t id,
    char key[STORAGE_KEY_MAX + 1], bool *stored)
{
	cb_err e;
	*stored = false;
	if ((e = api_document_store(req, up, id, key)) != CB_OK)
		return e == CB_EEXIST ? CB_EIO : e;
	*stored = true;
	struct payment_document d = {.key = key, .name = up->name,
	    .type = doc_mime(up->type), .sha256 = up->sha256, .size = up->size};
	if ((e = payments_set_document(req->db, id, &d)) != CB_OK)
		return e;
	return ocr_job_enqueue(req->db, id, (unsigned)req->cfg->job_max_attempts);
}

void
api_payments_create(struct http_req *req)
{
	json_object *in = NULL, *resp = NULL;
	struct form *form = NULL;
	const struct form_field *doc = NULL;
	struct doc_upload up;
	struct payment_input pi;
	struct payment_row row;
	struct problem p;
	struct idem st = {0};
	char key[STORAGE_KEY_MAX + 1] = "";
	bool stored = false, async = false;
	int64_t id;
	cb_err e;

	memset(&pi, 0, sizeof pi);
	memset(&row, 0, sizeof row);
	problem_init_invalid(&p);
	const char *ct = http_param(req, "CONTENT_TYPE");
	if (ct && strncasecmp(ct, "multipart/", 10) == 0) {
		if (!http_form_body(req, &form))
			goto done;
		in = form_members(form, &doc, &p);
	} else if (!http_json_body(req, &in))
		goto done;
	if (doc && !api_document_check(req, doc, &up, &p))
		goto done; /* 415 sent */
	if ((e = payment_input_check(req, in, doc != NULL, &pi, &p)) != CB_OK) {
		http_fail(req, e);
		goto done;
	}
	if (problem_count(&p)) {
		http_send_problem(req, &p, NULL);
		goto done;
	}
	/* The same key with another file is another request. */
	if (doc)
		jx_add(in, "document",
		    jx_string(up.sha256));
	if (!idem_txn_begin(req, in, IDEM_CREATE, &st))
		goto done;
	char actor[24], target[40], now[32], hdr[200];
	struct payment_event ev = {.kind = "created", .to_status = "pendiente",
	    .version = 1};
	time_now_db(now, sizeof now);
	if ((e = payments_insert(req->db, &pi.f, req->who.key_id, now, &row)) !=
	    CB_OK)
		goto fail;
	id = row.id;
	if (doc) {
		if ((e = attach_document(req, &up, id, key, &stored)) != CB_OK)
			goto fail;
		payment_row_release(&row);
		if ((e = payments_get(req->db, id, &row)) != CB_OK)
			goto fail;
	}
	ev.payment_id = id;
	api_event_actor(req, &ev, actor, sizeof actor);
	if ((e = payment_events_insert(req->db, &ev)) != CB_OK)
		goto fail;
	/* A receipt to fetch: a job downloads it (net/outbound.h). */
	if (pi.f.receipt_url && (e = receipt_job_enqueue(req->db, id,
	    (unsigned)req->cfg->job_max_attempts)) != CB_OK)
		goto fail;
	/* The bank judges it: matched (or not) within seconds. */
	if (pi.f.bank_validation && (e = jobs_nudge(req->db, MATCH_JOB_KIND,
	    MATCH_NUDGE_SECONDS)) != CB_OK)
		goto fail;
	snprintf(target, sizeof target, "payment:%lld", (long long)id);
	resp = payment_view_envelope(&row, req->cfg->public_url);
	if (!doc) {
		snprintf(hdr, sizeof hdr, "Location: /api/payments/%lld\r\n"
		    "ETag: \"v%u\"\r\n", (long long)id, row.version);
		idem_txn_finish(req, &st, target, NULL, 201, resp, hdr);
		if (pi.f.receipt_url)
			job_pool_wake(req->jobs);
		goto done;
	}
	/* With a document: commit, start OCR at once in this process, wait
	 * for it within the budget, answer what is known then. */
	api_activity(req, target, NULL);
	if ((e = idem_store(req, &st, 201, resp)) != CB_OK)
		goto fail;
	api_debug_pause(req);
	if (!api_commit(req)) {
		/* Answered; the row is gone, so is the file. */
		storage_remove(req->storage, key);
		idem_abandon(req, &st);
		goto done;
	}
	job_pool_wake(req->jobs);
	int budget = wait_budget(req, &async);
	if (budget > 0) {
		await_ocr(req, id, budget, &row);
		json_object_put(resp);
		resp = payment_view_envelope(&row, req->cfg->public_url);
		/* A replay must see what this answer says. */
		if (idem_store(req, &st, 201, resp) != CB_OK)
			log_warn("rid=%s: idempotent answer not updated",
			    req->request_id);
	}
	snprintf(hdr, sizeof hdr, "Location: /api/payments/%lld\r\n"
	    "ETag: \"v%u\"\r\n%s", (long long)id, row.version,
	    async ? "Preference-Applied: respond-async\r\n" : "");
	http_json(req, 201, resp, hdr);
	goto done;
fail:
	if (stored)
		storage_remove(req->storage, key);
	idem_txn_abort(req, &st, e);
done:
	problem_free(&p);
	payment_input_release(&pi);
	payment_row_release(&row);
	json_object_put(resp);
	json_object_put(in);
	form_free(form);
}

/* ---- read ---------------------------------------------------------- */

void
api_payments_get(struct http_req *req)
{
	struct payment_row row;
	int64_t id;
	char hdr[64];
	if (!api_path_payment(req, &id, &row))
		return;
	etag_header(&row, hdr, sizeof hdr);
	const char *inm = http_header(req, "If-None-Match");
	char tag[24];
	snprintf(tag, sizeof tag, "\"v%u\"", row.version);
	if (inm && strstr(inm, tag)) {
		http_send(req, 304, NULL, hdr, NULL, 0);
		payment_row_release(&row);
		return;
	}
	json_object *o = payment_view_envelope(&row, req->cfg->public_url);
	http_json(req, 200, o, hdr);
	json_object_put(o);
	payment_row_release(&row);
}

struct listing {
	struct api_page pg;
	const char *base;          /* [server] public_url */
};

static cb_err
add_payment(const struct payment_row *r, void *arg)
{
	struct listing *l = arg;
	return api_page_add(&l->pg, r->id, payment_view_json(r, l->base));
}

void
api_payments_list(struct http_req *req)
{
	struct payment_filter f = {.owner = api_client_scope(req), .review = -1};
	struct problem p;
	char status[32], from[16], to[16], review[16];
	int64_t before;
	struct ymd d;

	if (!api_query_begin(req, &p))
		return;
	api_page_params(req, &f.limit, &before, &p);
	f.before_id = before;
	if (query_get(req->query, "status", status, sizeof status) == CB_OK) {
		if (pay_status_parse(status) == PS_NONE)
			problem_field(&p, "status", "not_allowed", "not a payment status");
		else
			f.status = status;
	}
	api_query_id(req, "customerId", &f.customer_id, &p);
	api_query_id(req, "invoiceId", &f.invoice_id, &p);
	if (query_get(req->query, "from", from, sizeof from) == CB_OK) {
		if (date_parse(from, &d) != CB_OK)
			problem_field(&p, "from", "invalid", "a date as YYYY-MM-DD");
		else
			f.date_from = from;
	}
	if (query_get(req->query, "to", to, sizeof to) == CB_OK) {
		if (date_parse(to, &d) != CB_OK)
			problem_field(&p, "to", "invalid", "a date as YYYY-MM-DD");
		else
			f.date_to = to;
	}
	if (query_get(req->query, "requiresManualReview", review, sizeof review) ==
	    CB_OK) {
		if (strcmp(review, "true") == 0)
			f.review = 1;
		else if (strcmp(review, "false") == 0)
			f.review = 0;
		else
			problem_field(&p, "requiresManualReview", "invalid",
			    "true or false");
	}
	struct listing l = {.base = req->cfg->public_url};
	if (!api_page_ready(req, &p, &l.pg, f.limit))
		return;
	f.limit++; /* one more than asked: is there a next page? */
	cb_err e = payments_list(req->db, &f, add_payment, &l);
	api_page_send(req, &l.pg, e, "payments");
}

/* ---- status transitions ---------------------------------------------- */

static const struct field_rule status_rules[] = {
	{"status", FIELD_STRING, true, 0, pay_status_names, 0, 0},
	{"reason", FIELD_STRING, false, PAY_NOTES_MAX, NULL, 0, 0},
	{"expectedStatus", FIELD_STRING, false, 0, pay_status_names, 0, 0},
	{"idempotencyKey", FIELD_STRING, false, 255, NULL, 0, 0},
};

/* After a conditional UPDATE matched nothing: say why, from a fresh read. */
static void
explain_refusal(struct http_req *req, int64_t id, enum pay_status to,
    const char *expected, long want_version)
{
	struct payment_row row;
	char hdr[64], detail[256], allowed[128];
	struct problem p;
	cb_err e = payments_get(req->db, id, &row);
	if (e != CB_OK) {
		http_fail(req, e);
		return;
	}
	etag_header(&row, hdr, sizeof hdr);
	if (want_version > 0 && (unsigned)want_version != row.version) {
		snprintf(detail, sizeof detail,
		    "the payment is at version %u, not %ld; reload it", row.version,
		    want_version);
		problem_init(&p, 412, "precondition-failed", "Precondition Failed",
		    detail);
	} else if (expected && strcmp(expected, row.status) != 0) {
		snprintf(detail, sizeof detail,
		    "the payment is '%s', not the expected '%s'", row.status, expected);
		problem_init(&p, 409, "status-mismatch", "Conflict", detail);
	} else {
		pay_status_targets_text(pay_status_parse(row.status), allowed,
		    sizeof allowed);
		snprintf(detail, sizeof detail, "a '%s' payment cannot become '%s'; %s%s",
		    row.status, pay_status_name(to),
		    allowed[0] ? "allowed: " : "it is final", allowed);
		problem_init(&p, 409, "illegal-transition", "Conflict", detail);
		p.extra = jx_object();
		json_object *arr = jx_array();
		enum pay_status from = pay_status_parse(row.status);
		for (int t = 0; t < PS_COUNT; t++)
			if (pay_transition_allowed(from, (enum pay_status)t))
				jx_push(arr,
				    jx_string(pay_status_name((enum pay_status)t)));
		jx_add(p.extra, "allowedTransitions", arr);
	}
	if (!p.extra)
		p.extra = jx_object();
	jx_add(p.extra, "currentStatus",
	    jx_string(row.status));
	jx_add(p.extra, "version", jx_int64(row.version));
	http_send_problem(req, &p, hdr);
	payment_row_release(&row);
}

void
api_payments_status(struct http_req *req)
{
	json_object *in = NULL, *v, *resp = NULL;
	struct payment_row row;
	struct problem p;
	struct idem st = {0};
	int64_t id;
	cb_err e;

	/* Whose it is never changes: checked first, so that another client's
	 * payment is a 404 whatever the body says. */
	if (!api_path_payment(req, &id, &row))
		return;
	payment_row_release(&row);
	memset(&row, 0, sizeof row);
	if (!http_json_body(req, &in))
		return;
	problem_init_invalid(&p);
	VALIDATE_OBJECT(in, status_rules, &p);
	const char *to_s = json_object_object_get_ex(in, "status", &v)
	    ? json_object_get_string(v) : NULL;
	const char *reason = json_object_object_get_ex(in, "reason", &v) &&
	        json_object_is_type(v, json_type_string)
	    ? json_object_get_string(v) : NULL;
	const char *expected = json_object_object_get_ex(in, "expectedStatus", &v) &&
	        json_object_is_type(v, json_type_string)
	    ? json_object_get_string(v) : NULL;
	enum pay_status to = pay_status_parse(to_s);
	if (to != PS_NONE && pay_transition_needs_reason(to) &&
	    (!reason || !*reason))
		problem_field(&p, "reason", "missing",
		    "a reason is required to reject, cancel or reverse");
	long want_version = api_if_match(req);
	if (problem_count(&p)) {
		http_send_problem(req, &p, NULL);
		goto done;
	}
	if (req->who.role == ROLE_CLIENT && to != PS_CANCELADO) {
		http_problem(req, 403, "forbidden", "Forbidden",
		    "a client may only cancel its payments");
		goto done;
	}
	if (!idem_txn_begin(req, in, IDEM_CHANGE, &st))
		goto done;
	if (want_version < 0) {
		idem_txn_abort(req, &st, CB_OK);
		api_bad_if_match(req);
		goto done;
	}
	bool changed;
	if ((e = payment_change_status(req, id, to, expected,
	         (unsigned)want_version, reason, &changed, &row)) != CB_OK)
		goto fail;
	if (!changed) {
		idem_txn_abort(req, &st, CB_OK);
		explain_refusal(req, id, to, expected, want_version);
		goto done;
	}
	char target[40];
	snprintf(target, sizeof target, "payment:%lld", (long long)id);
	char detail[64], hdr[64];
	snprintf(detail, sizeof detail, "%s -> %s", row.previous_status, row.status);
	etag_header(&row, hdr, sizeof hdr);
	resp = payment_view_envelope(&row, req->cfg->public_url);
	idem_txn_finish(req, &st, target, detail, 200, resp, hdr);
	goto done;
fail:
	idem_txn_abort(req, &st, e);
done:
	problem_free(&p);
	payment_row_release(&row);
	json_object_put(resp);
	json_object_put(in);
}

/* ---- corrections (PATCH, JSON merge patch) ---------------------------- */

void
api_payments_patch(struct http_req *req)
{
	json_object *patch = NULL, *merged = NULL, *changes = NULL, *resp = NULL;
	struct payment_row old, now;
	struct payment_input pi;
	struct problem p;
	int64_t id;
	cb_err e;

	memset(&old, 0, sizeof old);
	memset(&now, 0, sizeof now);
	memset(&pi, 0, sizeof pi);
	problem_init_invalid(&p);
	if (!api_path_payment(req, &id, &old) || !http_json_body(req, &patch))
		goto done;
	long want = api_if_match(req);
	if (want < 0) {
		api_bad_if_match(req);
		goto done;
	}
	if (want > 0 && (unsigned)want != old.version) {
		explain_refusal(req, id, PS_NONE, NULL, want);
		goto done;
	}
	if (strcmp(old.status, "pendiente") != 0) {
		char detail[128];
		snprintf(detail, sizeof detail,
		    "only 'pendiente' payments can be corrected; this one is '%s'",
		    old.status);
		problem_free(&p);
		problem_init(&p, 409, "not-correctable", "Conflict", detail);
		p.extra = jx_object();
		jx_add(p.extra, "currentStatus",
		    jx_string(old.status));
		http_send_problem(req, &p, NULL);
		goto done;
	}
	/* RFC 7396: members replace, null removes. */
	merged = payment_input_from_row(&old);
	json_object_object_foreach(patch, k, v) {
		if (strcmp(k, "customerId") == 0) {
			int64_t cid;
			if (!api_json_id(v, &cid) || cid != old.customer_id)
				problem_field(&p, "customerId", "not_allowed",
				    "a payment's customer cannot change");
			continue;
		}
		if (strcmp(k, "bankValidation") == 0) {
			problem_field(&p, "bankValidation", "not_allowed",
			    "whether the bank judges a payment is set when it is"
			    " created");
			continue;
		}
		if (strcmp(k, "webhookUrl") == 0 || strcmp(k, "receiptUrl") == 0) {
			problem_field(&p, k, "not_allowed",
			    "set when the payment is created");
			continue;
		}
		if (strcmp(k, "idempotencyKey") == 0) {
			problem_field(&p, "idempotencyKey", "unknown_field",
			    "corrections take If-Match, not idempotency keys");
			continue;
		}
		if (json_object_is_type(v, json_type_null))
			json_object_object_del(merged, k);
		else
			jx_add(merged, k, json_object_get(v));
	}
	/* A payment made from a document may lack an amount OCR could not
	 * read: a change of its notes must not demand one (the review page
	 * judges it the same way). */
	if ((e = payment_input_check(req, merged, old.document_key[0] != 0 ||
	         old.receipt_url, &pi, &p)) != CB_OK) {
		http_fail(req, e);
		goto done;
	}
	if (problem_count(&p)) {
		http_send_problem(req, &p, NULL);
		goto done;
	}
	if (!api_begin(req))
		goto done;
	bool changed;
	if ((e = payment_change_fields(req, &old, &pi.f, &changed, &now,
	         &changes)) != CB_OK)
		goto fail;
	if (!changed) {
		api_rollback(req);
		explain_refusal(req, id, PS_NONE, "pendiente", (long)old.version);
		goto done;
	}
	char target[40];
	snprintf(target, sizeof target, "payment:%lld", (long long)id);
	api_activity(req, target, json_object_to_json_string_ext(changes,
	    JSON_C_TO_STRING_PLAIN));
	if (!api_commit(req))
		goto done;
	resp = payment_view_envelope(&now, req->cfg->public_url);
	char hdr[64];
	etag_header(&now, hdr, sizeof hdr);
	http_json(req, 200, resp, hdr);
	goto done;
fail:
	api_rollback(req);
	http_fail(req, e);
done:
	problem_free(&p);
	payment_input_release(&pi);
	payment_row_release(&old);
	payment_row_release(&now);
	json_object_put(changes);
	json_object_put(resp);
	json_object_put(merged);
	json_object_put(patch);
}

/* ---- history ---------------------------------------------------------- */

struct history {
	json_object *events;
	const struct principal *who;
};

static cb_err
add_event(const struct payment_event_row *r, void *arg)
{
	struct history *h = arg;
	json_object *e = jx_object(), *actor = jx_object();
	/* A client sees its own key as it is; other actors (reviewers, the
	 * system, admins' keys) by their kind only: their names, ids and
	 * addresses are the installation's, not the client's. */
	char mine[24];
	snprintf(mine, sizeof mine, "%lld", (long long)h->who->key_id);
	bool hide = h->who->role == ROLE_CLIENT && !(r->actor_type &&
	    !strcmp(r->actor_type, "api_key") && r->actor_id &&
	    !strcmp(r->actor_id, mine));
	jx_add(e, "eventId", jx_int64(r->id));
	jx_add(e, "at", api_time(r->at));
	jx_add(e, "kind", api_str_or_null(r->kind));
	jx_add(actor, "type", api_str_or_null(r->actor_type));
	jx_add(actor, "id", hide ? NULL :
	    api_str_or_null(r->actor_id));
	jx_add(actor, "name", hide ? NULL :
	    api_str_or_null(r->actor_name));
	jx_add(actor, "remoteAddr", hide ? NULL :
	    api_str_or_null(r->remote_addr));
	jx_add(e, "actor", actor);
	jx_add(e, "requestId", hide ? NULL :
	    api_str_or_null(r->request_id));
	jx_add(e, "fromStatus", api_str_or_null(r->from_status));
	jx_add(e, "toStatus", api_str_or_null(r->to_status));
	jx_add(e, "reason", api_str_or_null(r->reason));
	json_object *ch = r->changes ? json_tokener_parse(r->changes) : NULL;
	jx_add(e, "changes", ch);
	jx_add(e, "version", jx_int64(r->version));
	jx_push(h->events, e);
	return CB_OK;
}

void
api_payments_history(struct http_req *req)
{
	struct payment_row row;
	int64_t id;
	if (!api_path_payment(req, &id, &row))
		return;
	payment_row_release(&row);
	json_object *arr = jx_array();
	struct history h = {arr, &req->who};
	cb_err e;
	if ((e = payment_events_list(req->db, id, add_event, &h)) != CB_OK) {
		json_object_put(arr);
		http_fail(req, e);
		return;
	}
	json_object *o = jx_object();
	jx_add(o, "success", jx_bool(1));
	jx_add(o, "paymentId", jx_int64(id));
	jx_add(o, "events", arr);
	http_json(req, 200, o, NULL);
	json_object_put(o);
}

/* ---- OCR ------------------------------------------------------------- */

void
api_payments_ocr_get(struct http_req *req)
{
	struct payment_row row;
	int64_t id;
	if (!api_path_payment(req, &id, &row))
		return;
	json_object *o = jx_object();
	jx_add(o, "success", jx_bool(1));
	jx_add(o, "paymentId", jx_int64(id));
	jx_add(o, "ocrResult", ocr_view_result(&row));
	json_object *full = ocr_view_full(&row);
	char *words = NULL;
	cb_err e;
	if (full && (e = payments_ocr_words(req->db, id, &words)) != CB_OK) {
		json_object_put(full);
		json_object_put(o);
		payment_row_release(&row);
		http_fail(req, e);
		return;
	}
	if (full)
		jx_add(full, "words", words ?
		    json_tokener_parse(words) : jx_array());
	free(words);
	jx_add(o, "ocr", full);
	http_json(req, 200, o, NULL);
	json_object_put(o);
	payment_row_release(&row);
}

/* POST /api/payments/{id}/ocr — reads the document again (admin), e.g.
 * after OCR failed or the engine improved.  Manual values still win. */
void
api_payments_ocr_rerun(struct http_req *req)
{
	struct payment_row row;
	int64_t id, job;
	char payload[48], target[40];
	bool async = false;
	if (!api_path_id(req, "id", &id))
		return;
	if (!api_begin(req))
		return;
	cb_err e = payments_get(req->db, id, &row);
	if (e != CB_OK) {
		api_rollback(req);
		http_fail(req, e);
		return;
	}
	if (!row.document_key[0]) {
		api_rollback(req);
		payment_row_release(&row);
		http_problem(req, 409, "no-document", "Conflict",
		    "this payment has no document to read");
		return;
	}
	ocr_job_payload(id, payload, sizeof payload);
	struct payment_document d = {.key = row.document_key,
	    .name = row.document_name, .type = row.document_type,
	    .sha256 = row.document_sha256, .size = row.document_size};
	payment_row_release(&row);
	snprintf(target, sizeof target, "payment:%lld", (long long)id);
	if ((e = payments_set_document(req->db, id, &d)) != CB_OK ||
	    (e = jobs_enqueue(req->db, OCR_JOB_KIND, payload, 0,
	         (unsigned)req->cfg->job_max_attempts, &job)) != CB_OK) {
		api_rollback(req);
		http_fail(req, e);
		return;
	}
	api_activity(req, target, NULL);
	if (!api_commit(req))
		return;
	job_pool_wake(req->jobs);
	memset(&row, 0, sizeof row);
	if ((e = payments_get(req->db, id, &row)) != CB_OK) {
		http_fail(req, e);
		return;
	}
	int budget = wait_budget(req, &async);
	if (budget > 0)
		await_ocr(req, id, budget, &row);
	json_object *o = payment_view_envelope(&row, req->cfg->public_url);
	http_json(req, strcmp(row.ocr_status, "processing") == 0 ? 202 : 200, o,
	    NULL);
	json_object_put(o);
	payment_row_release(&row);
}
