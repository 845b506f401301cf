/*
 * decide.c — a reviewer's decision on a review item (POST
 * /review/{id}/decision, a plain form): approve (→ validado), correct and
 * approve, reject with a reason (→ rechazado), or skip.  The changes go
 * through api/payment_change.c, so that history, activity and invoice
 * balances read the same whether a person decided here or a client
 * through the API.  A decision names the version the reviewer saw; if the
 * payment moved since, nothing is written and the page comes back (409)
 * with the current values.  After a decision: 303 to the next item.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/bank_match.h"
#include "api/common.h"
#include "api/ocr_feedback.h"
#include "api/payment_change.h"
#include "api/payment_input.h"
#include "http/query.h"
#include "http/response.h"
#include "store/claims.h"
#include "store/review.h"
#include "util/codec.h"
#include "util/log.h"
#include "web/item.h"
#include "web/pages.h"
#include "web/web.h"
#include "util/jsonx.h"


static const char *const DECISIONS[] = {"approved", "corrected", "rejected",
    "skipped", "reconciled", "unreconciled", NULL};

json_object *
web_decided_notice(struct http_req *req)
{
	char done[24], what[16], key[32], text[300];
	if (query_get(req->query, "done", done, sizeof done) != CB_OK ||
	    query_get(req->query, "decision", what, sizeof what) != CB_OK)
		return NULL;
	char *end;
	long long id = strtoll(done, &end, 10);
	if (*end || id <= 0)
		return NULL;
	for (const char *const *d = DECISIONS; *d; d++)
		if (strcmp(*d, what) == 0) {
			snprintf(key, sizeof key, "decided_%s", what);
			snprintf(text, sizeof text, "%s %lld: %s", web_msg(req, "col_id"),
			    id, web_msg(req, key));
			json_object *n = jx_object();
			jx_add(n, "cls", jx_string(
			    "notice ok"));
			jx_add(n, "text", jx_string(text));
			return n;
		}
	return NULL;
}

/* After a decision: the next item no one else holds, or the queue. */
static void
go_next(struct http_req *req, const struct session *s, int64_t id,
    const char *decision)
{
	int64_t prev, next = 0;
	char loc[128];
	cb_err e = review_queue_neighbours(req->db, id, s->user_id, &prev, &next);
	if (e == CB_OK && !next) /* wrap round to older items left behind */
		e = review_queue_neighbours(req->db, 0, s->user_id, &prev, &next);
	if (e != CB_OK)
		log_error("rid=%s: next review item: %s", req->request_id,
		    cb_strerror(e));
	if (next == id)
		next = 0;
	if (next)
		snprintf(loc, sizeof loc, "/review/%lld?done=%lld&decision=%s",
		    (long long)next, (long long)id, decision);
	else
		snprintf(loc, sizeof loc, "/review?done=%lld&decision=%s",
		    (long long)id, decision);
	web_redirect(req, loc, NULL);
}

/* The page again, with why the decision was not taken. */
static void
refuse(struct http_req *req, const struct session *s, int64_t id, int status,
    const char *notice_key, json_object *errors, const char *form,
    const char *reject_error)
{
	struct payment_row row;
	cb_err e = payments_get(req->db, id, &row);
	if (e != CB_OK) {
		http_fail(req, e);
		return;
	}
	json_object *n = jx_object();
	jx_add(n, "cls", jx_string("notice error"));
	jx_add(n, "text", jx_string(
	    web_msg(req, notice_key)));
	/* A stale page's entries are not put back: the values changed. */
	struct item_outcome o = {.status = status, .notice = n, .errors = errors,
	    .form = status == 409 ? NULL : form, .reject_error = reject_error};
	web_item_show(req, s, &row, &o);
	json_object_put(n);
	payment_row_release(&row);
}

/* Characters, not bytes: the reason column counts characters. */
static size_t
chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static bool
same_text(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Did the reviewer change any field? */
static bool
unchanged(const struct payment_row *r, const struct payment_fields *f)
{
	return r->has_amount == f->has_amount &&
	    (!f->has_amount || r->amount_minor == f->amount_minor) &&
	    same_text(r->currency, f->currency) &&
	    same_text(r->payment_method, f->payment_method) &&
	    same_text(r->bank_code, f->bank_code) &&
	    same_text(r->reference, f->reference) &&
	    same_text(r->transaction_date, f->transaction_date);
}

static const char *const EDITABLE[] = {"amount", "currency", "transactionDate",
    "reference", "bankCode", "paymentMethod", NULL};

/* The stored payment with the form's fields over it (an empty field
 * clears), as the API's merge patch would be. */
static json_object *
merged_input(const struct payment_row *row, const char *form)
{
	json_object *in = payment_input_from_row(row);
	char v[1024];
	for (const char *const *k = EDITABLE; *k; k++) {
		cb_err e = query_get(form, *k, v, sizeof v);
		if (e == CB_ENOTFOUND)
			continue;
		if (e != CB_OK || !*v)
			json_object_object_del(in, *k);
		else
			jx_add(in, *k, jx_string(v));
	}
	return in;
}

/* Writes the decision; *stale when the payment moved (nothing written). */
static cb_err
apply(struct http_req *req, const struct payment_row *row,
    const struct payment_fields *f, enum pay_status to, const char *reason,
    const struct ocr_feedback_how *how, bool *stale, const char **decision)
{
	struct payment_row mid, now;
	json_object *changes = NULL;
	bool changed = true;
	unsigned version = row->version;
	char target[40];
	cb_err e;
	memset(&mid, 0, sizeof mid);
	memset(&now, 0, sizeof now);
	snprintf(target, sizeof target, "payment:%lld", (long long)row->id);
	if ((e = db_begin(req->db)) != CB_OK)
		return e;
	if (f && !unchanged(row, f)) {
		if ((e = payment_change_fields(req, row, f, &changed, &mid,
		         &changes)) != CB_OK || !changed)
			goto out;
		version = mid.version;
		*decision = "corrected";
		api_activity_as(req, "REVIEW_CORRECT", target,
		    json_object_to_json_string_ext(changes, JSON_C_TO_STRING_PLAIN));
	}
	if ((e = payment_change_status(req, row->id, to, "pendiente", version,
	         reason, &changed, &now)) != CB_OK || !changed)
		goto out;
	api_activity_as(req, to == PS_VALIDADO ? "REVIEW_APPROVE" :
	    "REVIEW_REJECT", target, reason);
	/* What the reviewer approved teaches the OCR model where it erred. */
	if (to == PS_VALIDADO && (e = ocr_feedback_record(req->db, &now,
	         req->who.user_id, how)) != CB_OK)
		goto out;
	if ((e = claims_release(req->db, row->id, req->who.user_id)) != CB_OK)
		goto out;
	e = db_commit(req->db);
	json_object_put(changes);
	payment_row_release(&mid);
	payment_row_release(&now);
	return e;
out:
	db_rollback(req->db);
	*stale = e == CB_OK && !changed;
	json_object_put(changes);
	payment_row_release(&mid);
	payment_row_release(&now);
	return e;
}

void
web_decide(struct http_req *req)
{
	struct session s;
	struct payment_row row;
	struct payment_input pi;
	struct problem p;
	json_object *in = NULL;
	char *form = NULL, action[16] = "", version[24] = "", reason[PAY_NOTES_MAX * 4 + 1];
	int64_t id;
	cb_err e;

	memset(&row, 0, sizeof row);
	memset(&pi, 0, sizeof pi);
	problem_init(&p, 422, "validation", "Unprocessable Content", "");
	if (!web_form(req, &s, &form) || !api_path_payment(req, &id, &row))
		goto done;
	query_get(form, "action", action, sizeof action);
	query_get(form, "version", version, sizeof version);
	cb_err rq = query_get(form, "reason", reason, sizeof reason);
	if (rq != CB_OK)
		reason[0] = '\0';
	if (strcmp(action, "skip") == 0) {
		if ((e = claims_release(req->db, id, s.user_id)) != CB_OK) {
			http_fail(req, e);
			goto done;
		}
		go_next(req, &s, id, "skipped");
		goto done;
	}
	bool approve = strcmp(action, "approve") == 0 ||
	    strcmp(action, "correct") == 0;
	if (!approve && strcmp(action, "reject") != 0) {
		http_problem(req, 400, "bad-request", "Bad Request",
		    "action must be approve, correct, reject or skip");
		goto done;
	}
	char *end;
	unsigned long long v = strtoull(version, &end, 10);
	if (!version[0] || *end || v != row.version ||
	    strcmp(row.status, "pendiente") != 0) {
		refuse(req, &s, id, 409, "stale_decision", NULL, form, NULL);
		goto done;
	}
	const char *decision = approve ? "approved" : "rejected";
	bool stale = false;
	if (approve) {
		in = merged_input(&row, form);
		if ((e = payment_input_check(req, in, row.document_key[0] != 0, &pi,
		         &p)) != CB_OK) {
			http_fail(req, e);
			goto done;
		}
		if (problem_count(&p)) {
			refuse(req, &s, id, 422, "correction_invalid", p.errors, form,
			    NULL);
			goto done;
		}
		/* Whether each field was filled by clicking what OCR read
		 * (static/review.js sets how-NAME) or typed. */
		struct ocr_feedback_how how = {0};
		char hv[16];
		how.amount = query_get(form, "how-amount", hv, sizeof hv) == CB_OK &&
		    strcmp(hv, "clicked") == 0;
		how.date = query_get(form, "how-transactionDate", hv, sizeof hv) ==
		    CB_OK && strcmp(hv, "clicked") == 0;
		how.reference = query_get(form, "how-reference", hv, sizeof hv) ==
		    CB_OK && strcmp(hv, "clicked") == 0;
		e = apply(req, &row, &pi.f, PS_VALIDADO, NULL, &how, &stale,
		    &decision);
	} else {
		char *r = reason;
		while (*r == ' ' || *r == '\t' || *r == '\r' || *r == '\n')
			r++;
		const char *why = rq == CB_ETOOBIG || chars(r) > PAY_NOTES_MAX ?
		    "reason_too_long" : rq != CB_OK && rq != CB_ENOTFOUND ?
		    "reason_invalid" : !*r ? "reason_required" :
		    !utf8_valid(r, strlen(r)) ? "reason_invalid" : NULL;
		if (why) {
			refuse(req, &s, id, 422, "reject_invalid", NULL, form, why);
			goto done;
		}
		e = apply(req, &row, NULL, PS_RECHAZADO, r, NULL, &stale, &decision);
	}
	if (e != CB_OK)
		http_fail(req, e == CB_ECONFLICT ? CB_EUNAVAILABLE : e);
	else if (stale)
		refuse(req, &s, id, 409, "stale_decision", NULL, form, NULL);
	else
		go_next(req, &s, id, decision);
done:
	problem_free(&p);
	payment_input_release(&pi);
	payment_row_release(&row);
	json_object_put(in);
	free(form);
}

/* POST /review/{id}/bank-match: a reviewer ties one of a validated
 * payment's bank candidates to it (api/bank_match.c, as the API does). */
void
web_bank_match(struct http_req *req)
{
	struct session s;
	struct payment_row row;
	json_object *changes = NULL;
	char *form = NULL, mv[24] = "", op[65];
	int64_t id;
	memset(&row, 0, sizeof row);
	if (!web_form(req, &s, &form) || !api_path_payment(req, &id, &row))
		goto done;
	query_get(form, "movementId", mv, sizeof mv);
	char *end;
	long long movement = strtoll(mv, &end, 10);
	if (!mv[0] || *end || movement <= 0) {
		http_problem(req, 400, "bad-request", "Bad Request",
		    "movementId must be a movement's number");
		goto done;
	}
	cb_err e = bank_match_apply(req, id, movement, &changes, op);
	if (e == CB_ECONFLICT)
		refuse(req, &s, id, 409, "bank_match_failed", NULL, NULL, NULL);
	else if (e != CB_OK)
		http_fail(req, e);
	else
		go_next(req, &s, id, "reconciled");
done:
	json_object_put(changes);
	payment_row_release(&row);
	free(form);
}

/* POST /review/{id}/bank-unmatch: csrf, version, reason (optional). */
void
web_bank_unmatch(struct http_req *req)
{
	struct session s;
	struct payment_row row;
	json_object *changes = NULL;
	char *form = NULL, ver[16] = "", reason[2048] = "", status[16], loc[96];
	int64_t id, movement;
	memset(&row, 0, sizeof row);
	if (!web_form(req, &s, &form) || !api_path_payment(req, &id, &row))
		goto done;
	query_get(form, "version", ver, sizeof ver);
	query_get(form, "reason", reason, sizeof reason);
	char *end;
	unsigned long v = strtoul(ver, &end, 10);
	if (!ver[0] || *end || !v || v > UINT_MAX || chars(reason) > 500) {
		http_problem(req, 400, "bad-request", "Bad Request",
		    "version must be the page's and reason at most 500 characters");
		goto done;
	}
	cb_err e = bank_match_undo(req, id, (unsigned)v, reason, &changes,
	    &movement, status);
	if (e == CB_ECONFLICT)
		refuse(req, &s, id, 409, "bank_unmatch_failed", NULL, NULL, NULL);
	else if (e != CB_OK)
		http_fail(req, e);
	else {
		/* The same payment again: its candidates are what comes next. */
		snprintf(loc, sizeof loc, "/review/%lld?done=%lld&decision=unreconciled",
		    (long long)id, (long long)id);
		web_redirect(req, loc, NULL);
	}
done:
	json_object_put(changes);
	payment_row_release(&row);
	free(form);
}
