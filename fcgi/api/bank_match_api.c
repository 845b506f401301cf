/*
 * bank_match_api.c — a person's side of reconciliation through the API:
 * GET /api/payments/{id}/bank-candidates lists the free movements the
 * engine would consider for one payment, best first, with their scores
 * and why; POST /api/payments/{id}/bank-match {"movementId"} ties one to
 * a validated payment (→ conciliado) as the automatic match does, with
 * the caller in the history.  The work is in api/bank_match.c.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/bank_match.h"
#include "api/common.h"
#include "core/money.h"
#include "http/validate.h"

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
	json_object *arr = json_object_new_array();
	const struct currency *cur = currency_find(c.v.currency);
	const struct match_movement *m;
	for (size_t k = 0; (m = bank_candidate(&c, k)); k++) {
		json_object *o = json_object_new_object();
		char day[11], amt[40];
		match_day_text(m->day, day);
		money_format(m->amount_minor, cur ? cur->exponent : 2, amt, sizeof amt);
		json_object_object_add(o, "movementId", json_object_new_int64(m->id));
		json_object_object_add(o, "score", json_object_new_int(c.r.top[k].score));
		json_object_object_add(o, "why", bank_candidate_why(c.r.top[k].why));
		json_object_object_add(o, "businessDays", json_object_new_int(
		    c.r.top[k].days));
		json_object_object_add(o, "bookingDate", json_object_new_string(day));
		json_object_object_add(o, "amount", json_object_new_string(amt));
		json_object_object_add(o, "references", json_object_new_string(m->refs));
		json_object_object_add(o, "partyName", api_str_or_null(m->party_name));
		json_object_array_add(arr, o);
	}
	json_object *o = json_object_new_object();
	json_object_object_add(o, "success", json_object_new_boolean(1));
	json_object_object_add(o, "paymentId", json_object_new_int64(id));
	json_object_object_add(o, "status", json_object_new_string(c.status));
	json_object_object_add(o, "decision", json_object_new_string(
	    c.r.decision == MATCH_AUTO ? "auto" : c.r.decision == MATCH_REVIEW ?
	    "review" : "none"));
	json_object_object_add(o, "candidates", arr);
	http_json(req, 200, o, NULL);
	json_object_put(o);
done:
	bank_candidates_free(&c);
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
	problem_init(&p, 422, "validation", "Unprocessable Content",
	    "some fields are invalid; see errors");
	validate_object(in, match_rules, 1, &p);
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
	json_object *o = json_object_new_object();
	json_object_object_add(o, "success", json_object_new_boolean(1));
	json_object_object_add(o, "paymentId", json_object_new_int64(id));
	json_object_object_add(o, "movementId", json_object_new_int64(movement));
	json_object_object_add(o, "status", json_object_new_string("conciliado"));
	json_object_object_add(o, "bankOperationNumber", api_str_or_null(op));
	json_object_object_add(o, "changes", changes);
	changes = NULL;
	http_json(req, 200, o, NULL);
	json_object_put(o);
done:
	json_object_put(changes);
	problem_free(&p);
	json_object_put(in);
}
