/* bank_match.c — see bank_match.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/bank_match.h"
#include "api/common.h"
#include "core/money.h"
#include "jobs/reconcile_record.h"
#include "store/matching.h"
#include "store/payments.h"
#include "util/jsonx.h"

static const struct {
	unsigned bit;
	const char *name;
} WHY[] = {
	{MW_REF_EXACT, "reference_exact"}, {MW_REF_SUFFIX, "reference_suffix"},
	{MW_REF_PREFIX, "reference_prefix"}, {MW_REF_EDIT, "reference_one_edit"},
	{MW_REF_CONFLICT, "reference_conflict"}, {MW_REF_NONE, "no_reference"},
	{MW_AMT_EXACT, "amount_exact"}, {MW_AMT_FEE, "amount_short_by_fee"},
	{MW_AMT_TYPO, "amount_one_digit_off"}, {MW_PAYER, "same_payer"},
	{MW_SHARED_AMOUNT, "amount_shared"}, {MW_AMT_REF, "amount_by_reference"},
};

json_object *
bank_candidate_why(unsigned why)
{
	json_object *a = jx_array();
	for (size_t w = 0; w < sizeof WHY / sizeof WHY[0]; w++)
		if (why & WHY[w].bit)
			jx_push(a, jx_string(WHY[w].name));
	return a;
}

cb_err
bank_candidates_load(struct http_req *req, int64_t id,
    struct bank_candidates *c)
{
	struct match_params p;
	memset(c, 0, sizeof *c);
	cb_err e = matching_voucher(req->db, id, &c->v, &c->version, c->status);
	if (e != CB_OK)
		return e;
	match_params_default(&p);
	p.days_before = req->cfg->match_days_before;
	p.days_after = req->cfg->match_days_after;
	p.fee_tolerance = req->cfg->match_fee_tolerance;
	p.min_score = 1; /* a person may look further than the engine would */
	if ((e = matching_movements(req->db, c->v.day - p.days_before * 7 / 5 - 3,
	    c->v.day + p.days_after * 7 / 5 + 3, match_movements_add, &c->m)) != CB_OK)
		return e;
	return match_run(&c->v, 1, c->m.m, c->m.n, &p, &c->r);
}

void
bank_candidates_free(struct bank_candidates *c)
{
	match_movements_free(&c->m);
}

const struct match_movement *
bank_candidate(const struct bank_candidates *c, size_t k)
{
	if (k >= c->r.ncand || k >= MATCH_TOP)
		return NULL;
	for (size_t i = 0; i < c->m.n; i++)
		if (c->m.m[i].id == c->r.top[k].movement)
			return &c->m.m[i];
	return NULL;
}

cb_err
bank_match_apply(struct http_req *req, int64_t id, int64_t movement,
    json_object **changes, char op[65])
{
	struct reconcile_diff d;
	struct match_voucher mv;
	unsigned version;
	char status[16], reason[96], actor[24];
	bool ok;
	*changes = NULL;
	op[0] = '\0';
	cb_err e = matching_voucher(req->db, id, &mv, &version, status);
	if (e != CB_OK && e != CB_EINVAL)
		return e;
	if ((e = db_begin(req->db)) != CB_OK)
		return e;
	if ((e = matching_reconcile(req->db, id, version, movement, &ok, &d)) !=
	    CB_OK || !ok) {
		db_rollback(req->db);
		return e != CB_OK ? e : CB_ECONFLICT;
	}
	snprintf(reason, sizeof reason, "matched by hand to bank movement %lld",
	    (long long)movement);
	struct payment_event ev = {.reason = reason};
	api_event_actor(req, &ev, actor, sizeof actor);
	if ((e = reconcile_record(req->db, id, &d, &ev, "PAYMENT_RECONCILE",
	    changes)) != CB_OK || (e = db_commit(req->db)) != CB_OK) {
		db_rollback(req->db);
		json_object_put(*changes);
		*changes = NULL;
		return e == CB_ECONFLICT ? CB_EUNAVAILABLE : e;
	}
	snprintf(op, 65, "%s", d.operation);
	return CB_OK;
}

cb_err
bank_match_undo(struct http_req *req, int64_t id, unsigned version,
    const char *why, json_object **changes, int64_t *movement, char status[16])
{
	struct reconcile_diff d;
	char reason[600], actor[24];
	bool ok;
	*changes = NULL;
	*movement = 0;
	status[0] = '\0';
	cb_err e = db_begin(req->db);
	if (e != CB_OK)
		return e;
	snprintf(reason, sizeof reason, "unmatched by hand%s%s",
	    why && *why ? ": " : "", why ? why : "");
	struct payment_event ev = {0};
	api_event_actor(req, &ev, actor, sizeof actor);
	if ((e = reconcile_undo(req->db, id, version, true, &ev, reason, &d,
	    changes, &ok)) == CB_OK && !ok) {
		db_rollback(req->db);
		return CB_ECONFLICT;
	}
	if (e != CB_OK || (e = db_commit(req->db)) != CB_OK) {
		db_rollback(req->db);
		json_object_put(*changes);
		*changes = NULL;
		return e == CB_ECONFLICT ? CB_EUNAVAILABLE : e;
	}
	*movement = d.movement;
	snprintf(status, 16, "%s", d.to_status);
	return CB_OK;
}
