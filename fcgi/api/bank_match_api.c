/*
 * bank_match_api.c — a person's side of reconciliation:
 * GET /api/payments/{id}/bank-candidates lists the free movements the
 * engine would consider for one payment, best first, with their scores
 * and why; POST /api/payments/{id}/bank-match {"movementId"} ties one to
 * a validated payment (→ conciliado) as the automatic match does, with
 * the caller in the history.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/common.h"
#include "core/match.h"
#include "core/money.h"
#include "http/validate.h"
#include "store/activity.h"
#include "store/matching.h"
#include "store/payments.h"
#include "util/json_diff.h"

#define MAX_CANDIDATES 20

struct movs {
	struct match_movement *m;
	size_t n, cap;
};

static cb_err
add_mov(const struct match_movement *m, void *arg)
{
	struct movs *l = arg;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct match_movement *nm = realloc(l->m, cap * sizeof *nm);
		if (!nm)
			return CB_ENOMEM;
		l->m = nm;
		l->cap = cap;
	}
	l->m[l->n++] = *m;
	return CB_OK;
}

static const struct {
	unsigned bit;
	const char *name;
} WHY[] = {
	{MW_REF_EXACT, "reference_exact"}, {MW_REF_SUFFIX, "reference_suffix"},
	{MW_REF_PREFIX, "reference_prefix"}, {MW_REF_EDIT, "reference_one_edit"},
	{MW_REF_CONFLICT, "reference_conflict"}, {MW_REF_NONE, "no_reference"},
	{MW_AMT_EXACT, "amount_exact"}, {MW_AMT_FEE, "amount_short_by_fee"},
	{MW_AMT_TYPO, "amount_one_digit_off"}, {MW_PAYER, "same_payer"},
	{MW_SHARED_AMOUNT, "amount_shared"},
};

/* The payment as a voucher and the free movements of its window, scored
 * for it alone; false after answering. */
static bool
score(struct http_req *req, int64_t id, struct match_voucher *v,
    unsigned *version, char status[16], struct movs *l,
    struct match_result *r)
{
	struct match_params p;
	cb_err e = matching_voucher(req->db, id, v, version, status);
	if (e == CB_EINVAL) {
		http_problem(req, 409, "not-matchable", "Conflict",
		    "the payment has no amount or no transaction date to match by");
		return false;
	}
	if (e != CB_OK) {
		http_fail(req, e);
		return false;
	}
	match_params_default(&p);
	p.days_before = req->cfg->match_days_before;
	p.days_after = req->cfg->match_days_after;
	p.fee_tolerance = req->cfg->match_fee_tolerance;
	p.min_score = 1; /* a person may look further than the engine would */
	if ((e = matching_movements(req->db, v->day - p.days_before * 7 / 5 - 3,
	    v->day + p.days_after * 7 / 5 + 3, add_mov, l)) != CB_OK ||
	    (e = match_run(v, 1, l->m, l->n, &p, r)) != CB_OK) {
		http_fail(req, e);
		return false;
	}
	return true;
}

void
api_payments_bank_candidates(struct http_req *req)
{
	struct match_voucher v;
	struct match_result r;
	struct movs l = {0};
	unsigned version;
	char status[16];
	int64_t id;
	if (!api_path_id(req, "id", &id))
		return;
	if (!score(req, id, &v, &version, status, &l, &r))
		goto done;
	json_object *arr = json_object_new_array();
	const struct currency *cur = currency_find(v.currency);
	for (size_t k = 0; k < r.ncand && k < MATCH_TOP; k++) {
		const struct match_movement *m = NULL;
		for (size_t i = 0; i < l.n && !m; i++)
			if (l.m[i].id == r.top[k].movement)
				m = &l.m[i];
		if (!m)
			continue;
		json_object *c = json_object_new_object(), *why =
		    json_object_new_array();
		char day[11], amt[40];
		match_day_text(m->day, day);
		money_format(m->amount_minor, cur ? cur->exponent : 2, amt, sizeof amt);
		json_object_object_add(c, "movementId", json_object_new_int64(m->id));
		json_object_object_add(c, "score", json_object_new_int(r.top[k].score));
		for (size_t w = 0; w < sizeof WHY / sizeof WHY[0]; w++)
			if (r.top[k].why & WHY[w].bit)
				json_object_array_add(why, json_object_new_string(WHY[w].name));
		json_object_object_add(c, "why", why);
		json_object_object_add(c, "businessDays", json_object_new_int(
		    r.top[k].days));
		json_object_object_add(c, "bookingDate", json_object_new_string(day));
		json_object_object_add(c, "amount", json_object_new_string(amt));
		json_object_object_add(c, "references", json_object_new_string(m->refs));
		json_object_object_add(c, "partyName", api_str_or_null(m->party_name));
		json_object_array_add(arr, c);
	}
	json_object *o = json_object_new_object();
	json_object_object_add(o, "success", json_object_new_boolean(1));
	json_object_object_add(o, "paymentId", json_object_new_int64(id));
	json_object_object_add(o, "status", json_object_new_string(status));
	json_object_object_add(o, "decision", json_object_new_string(
	    r.decision == MATCH_AUTO ? "auto" : r.decision == MATCH_REVIEW ?
	    "review" : "none"));
	json_object_object_add(o, "candidates", arr);
	http_json(req, 200, o, NULL);
	json_object_put(o);
done:
	free(l.m);
}

static const struct field_rule match_rules[] = {
	{"movementId", FIELD_INT, true, 0, NULL, 1, INT64_MAX},
};

void
api_payments_bank_match(struct http_req *req)
{
	json_object *in = NULL, *v;
	struct problem p;
	struct match_voucher mv;
	unsigned version;
	char status[16];
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
	cb_err e = matching_voucher(req->db, id, &mv, &version, status);
	if (e != CB_OK && e != CB_EINVAL) {
		http_fail(req, e);
		goto done;
	}
	if (strcmp(status, "validado") != 0) {
		char d[128];
		snprintf(d, sizeof d, "only a 'validado' payment is matched to a bank"
		    " movement; this one is '%s'", status);
		http_problem(req, 409, "not-matchable", "Conflict", d);
		goto done;
	}
	if (!api_begin(req))
		goto done;
	bool ok;
	struct reconcile_diff d;
	if ((e = matching_reconcile(req->db, id, version, movement, &ok, &d)) !=
	    CB_OK) {
		api_rollback(req);
		http_fail(req, e);
		goto done;
	}
	if (!ok) {
		api_rollback(req);
		http_problem(req, 409, "movement-unavailable", "Conflict",
		    "the movement does not exist, is already tied to a payment, or the"
		    " payment changed meanwhile");
		goto done;
	}
	char reason[96], actor[24], target[40], old_amt[40], new_amt[40];
	const struct currency *cur = currency_find(d.currency);
	money_format(d.old_amount, cur ? cur->exponent : 2, old_amt, sizeof old_amt);
	money_format(d.new_amount, cur ? cur->exponent : 2, new_amt, sizeof new_amt);
	json_object *ch = json_object_new_object();
	json_diff_add(ch, "amount", d.had_amount ? json_object_new_string(old_amt) :
	    NULL, json_object_new_string(new_amt));
	json_diff_add(ch, "transactionDate", api_str_or_null(d.old_date),
	    json_object_new_string(d.new_date));
	json_diff_add(ch, "bankOperationNumber", NULL,
	    api_str_or_null(d.operation));
	snprintf(reason, sizeof reason, "matched by hand to bank movement %lld",
	    (long long)movement);
	struct payment_event ev = {.payment_id = id, .kind = "status",
	    .from_status = "validado", .to_status = "conciliado", .reason = reason,
	    .changes = json_object_to_json_string_ext(ch, JSON_C_TO_STRING_PLAIN),
	    .version = d.version};
	api_event_actor(req, &ev, actor, sizeof actor);
	snprintf(target, sizeof target, "payment:%lld", (long long)id);
	if ((e = payment_events_insert(req->db, &ev)) != CB_OK) {
		json_object_put(ch);
		api_rollback(req);
		http_fail(req, e);
		goto done;
	}
	api_activity(req, target, reason);
	if (!api_commit(req)) {
		json_object_put(ch);
		goto done;
	}
	json_object *o = json_object_new_object();
	json_object_object_add(o, "success", json_object_new_boolean(1));
	json_object_object_add(o, "paymentId", json_object_new_int64(id));
	json_object_object_add(o, "movementId", json_object_new_int64(movement));
	json_object_object_add(o, "status", json_object_new_string("conciliado"));
	json_object_object_add(o, "bankOperationNumber", api_str_or_null(
	    d.operation));
	json_object_object_add(o, "changes", ch);
	http_json(req, 200, o, NULL);
	json_object_put(o);
done:
	problem_free(&p);
	json_object_put(in);
}
