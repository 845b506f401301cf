/*
 * bank_match_api.c — a person's side of reconciliation through the API:
 * GET /api/payments/{id}/bank-candidates lists the free movements the
 * engine would consider for one payment, best first, with their scores
 * and why; POST /api/payments/{id}/bank-match {"movementId"} ties one to
 * a validated payment (→ conciliado) as the automatic match does, with
 * the caller in the history; DELETE /api/payments/{id}/bank-match
 * {"reason"?} (If-Match optional) undoes it.  The work is in
 * api/bank_match.c.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/bank_match.h"
#include "api/common.h"
#include "core/money.h"
#include "http/validate.h"
#include "store/payments.h"
#include "util/jsonx.h"

void
api_payments_bank_candidates(struct http_req *req)
{
	struct bank_candidates c;
	int64_t id;
	if (!api_path_id(req, "id", &id))
		return;
	cb_err e = bank_candidates_load(req, id, &c);
	if (e == CB_EINVAL) {
		http_problem(req, 409, "not-matchable", "Conflict",
		    "the payment has no amount or no transaction date to match by");
		goto done;
	}
	if (e != CB_OK) {
		http_fail(req, e);
		goto done;
	}
	json_object *arr = jx_array();
	int exp = currency_exponent(c.v.currency);
	const struct match_movement *m;
	for (size_t k = 0; (m = bank_candidate(&c, k)); k++) {
		json_object *o = jx_object();
		char day[11], amt[40];
		match_day_text(m->day, day);
		money_format(m->amount_minor, exp, amt, sizeof amt);
		jx_add(o, "movementId", jx_int64(m->id));
		jx_add(o, "score", jx_int(c.r.top[k].score));
		jx_add(o, "why", bank_candidate_why(c.r.top[k].why));
		jx_add(o, "businessDays", jx_int(
		    c.r.top[k].days));
		jx_add(o, "bookingDate", jx_string(day));
		jx_add(o, "amount", jx_string(amt));
		jx_add(o, "references", jx_string(m->refs));
		jx_add(o, "partyName", api_str_or_null(m->party_name));
		jx_push(arr, o);
	}
	json_object *o = jx_object();
	jx_add(o, "success", jx_bool(1));
	jx_add(o, "paymentId", jx_int64(id));
	jx_add(o, "status", jx_string(c.status));
	jx_add(o, "decision", jx_string(
	    c.r.decision == MATCH_AUTO ? "auto" : c.r.decision == MATCH_REVIEW ?
	    "review" : "none"));
	jx_add(o, "candidates", arr);
	http_json(req, 200, o, NULL);
	json_object_put(o);
done:
	bank_candidates_free(&c);
}

/* 200 with what a match or its undoing did; takes changes. */
static void
answer(struct http_req *req, int64_t id, int64_t movement, const char *status,
    const char *op, json_object *changes)
{
	json_object *o = jx_object();
	jx_add(o, "success", jx_bool(1));
	jx_add(o, "paymentId", jx_int64(id));
	jx_add(o, "movementId", movement ?
	    jx_int64(movement) : NULL);
	jx_add(o, "status", jx_string(status));
	if (op)
		jx_add(o, "bankOperationNumber", api_str_or_null(op));
	jx_add(o, "changes", changes);
	http_json(req, 200, o, NULL);
	json_object_put(o);
}

static const struct field_rule match_rules[] = {
	{"movementId", FIELD_INT, true, 0, NULL, 1, INT64_MAX},
};

void
api_payments_bank_match(struct http_req *req)
{
	json_object *in = NULL, *v, *changes = NULL;
	struct problem p;
	char op[65];
	int64_t id;
	if (!api_path_id(req, "id", &id) || !http_json_body(req, &in))
		return;
	problem_init_invalid(&p);
	VALIDATE_OBJECT(in, match_rules, &p);
	if (problem_count(&p)) {
		http_send_problem(req, &p, NULL);
		goto done;
	}
	json_object_object_get_ex(in, "movementId", &v);
	int64_t movement = json_object_get_int64(v);
	cb_err e = bank_match_apply(req, id, movement, &changes, op);
	if (e == CB_ECONFLICT) {
		http_problem(req, 409, "movement-unavailable", "Conflict",
		    "the payment is not 'validado', or the movement does not exist or"
		    " is already tied to a payment");
		goto done;
	}
	if (e != CB_OK) {
		http_fail(req, e);
		goto done;
	}
	answer(req, id, movement, "conciliado", op, changes);
	changes = NULL;
done:
	json_object_put(changes);
	problem_free(&p);
	json_object_put(in);
}

static const struct field_rule unmatch_rules[] = {
	{"reason", FIELD_STRING, false, 500, NULL, 0, 0},
};

/* Why nothing was undone: absent, not reconciled, or another version. */
static void
unmatch_refused(struct http_req *req, int64_t id)
{
	struct payment_row row;
	cb_err e = payments_get(req->db, id, &row);
	if (e == CB_ENOTFOUND) {
		http_problem(req, 404, "not-found", "Not Found", "no such payment");
		return;
	}
	if (e != CB_OK) {
		http_fail(req, e);
		return;
	}
	struct problem p;
	char detail[160];
	if (strcmp(row.status, "conciliado") != 0) {
		snprintf(detail, sizeof detail, "the payment is '%s', not 'conciliado':"
		    " there is no bank match to undo", row.status);
		problem_init(&p, 409, "not-reconciled", "Conflict", detail);
	} else {
		snprintf(detail, sizeof detail,
		    "the payment is at version %u, not the one If-Match names; reload"
		    " it", row.version);
		problem_init(&p, 412, "precondition-failed", "Precondition Failed",
		    detail);
	}
	p.extra = jx_object();
	jx_add(p.extra, "currentStatus",
	    jx_string(row.status));
	http_send_problem(req, &p, NULL);
	payment_row_release(&row);
}

void
api_payments_bank_unmatch(struct http_req *req)
{
	json_object *in = NULL, *changes = NULL;
	struct problem p;
	char status[16];
	int64_t id, movement;
	const char *len = http_param(req, "CONTENT_LENGTH");
	if (!api_path_id(req, "id", &id))
		return;
	long want = api_if_match(req);
	if (want < 0) {
		http_drain_body(req);
		api_bad_if_match(req);
		return;
	}
	/* The body is optional: a reason for the history. */
	if (len && *len && strcmp(len, "0") != 0 && !http_json_body(req, &in))
		return;
	problem_init_invalid(&p);
	if (in)
		VALIDATE_OBJECT(in, unmatch_rules, &p);
	if (problem_count(&p)) {
		http_send_problem(req, &p, NULL);
		goto done;
	}
	cb_err e = bank_match_undo(req, id, (unsigned)want, api_member(in,
	    "reason"), &changes, &movement, status);
	if (e == CB_ECONFLICT || e == CB_ENOTFOUND) {
		unmatch_refused(req, id);
		goto done;
	}
	if (e != CB_OK) {
		http_fail(req, e);
		goto done;
	}
	answer(req, id, movement, status, NULL, changes);
	changes = NULL;
done:
	json_object_put(changes);
	problem_free(&p);
	json_object_put(in);
}
