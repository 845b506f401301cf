/* payment_change.c — see payment_change.h. */
#include <stdio.h>
#include <string.h>

#include "api/common.h"
#include "api/payment_change.h"
#include "jobs/match_job.h"
#include "store/jobs.h"
#include "store/payment_status.h"
#include "util/json_diff.h"
#include "util/jsonx.h"

cb_err
payment_change_status(struct http_req *req, int64_t id, enum pay_status to,
    const char *expected, unsigned want, const char *reason, bool *changed,
    struct payment_row *now)
{
	char actor[24];
	struct payment_event who = {.reason = reason};
	api_event_actor(req, &who, actor, sizeof actor);
	cb_err e = payments_change_status(req->db, id, to, expected, want, &who,
	    changed, now);
	/* A validated voucher is one the bank can now be matched against:
	 * the next matching pass comes within seconds, not at its period. */
	if (e == CB_OK && *changed && to == PS_VALIDADO)
		e = jobs_nudge(req->db, MATCH_JOB_KIND, MATCH_NUDGE_SECONDS);
	return e;
}

static json_object *
id_or_null(int64_t id)
{
	return id ? jx_int64(id) : NULL;
}

static json_object *
diff(const struct payment_row *o, const struct payment_row *n)
{
	json_object *c = jx_object();
	json_diff_add(c, "amount", o->has_amount ? api_money(o->amount_minor, o->currency) : NULL,
	    n->has_amount ? api_money(n->amount_minor, n->currency) : NULL);
	json_diff_add(c, "currency", api_str_or_null(o->currency), api_str_or_null(n->currency));
	json_diff_add(c, "paymentMethod", api_str_or_null(o->payment_method),
	    api_str_or_null(n->payment_method));
	json_diff_add(c, "bankCode", api_str_or_null(o->bank_code), api_str_or_null(n->bank_code));
	json_diff_add(c, "reference", api_str_or_null(o->reference),
	    api_str_or_null(n->reference));
	json_diff_add(c, "transactionDate", api_str_or_null(o->transaction_date),
	    api_str_or_null(n->transaction_date));
	json_diff_add(c, "notes", api_str_or_null(o->notes), api_str_or_null(n->notes));
	json_diff_add(c, "invoiceId", id_or_null(o->invoice_id), id_or_null(n->invoice_id));
	json_diff_add(c, "bankAccountId", api_str_or_null(o->bank_account),
	    api_str_or_null(n->bank_account));
	return c;
}

cb_err
payment_change_fields(struct http_req *req, const struct payment_row *old,
    const struct payment_fields *f, bool *changed, struct payment_row *now,
    json_object **changes)
{
	cb_err e;
	memset(now, 0, sizeof *now);
	*changes = NULL;
	if ((e = payments_correct(req->db, old->id, old->version, f, changed)) !=
	    CB_OK || !*changed)
		return e;
	if ((e = payments_get(req->db, old->id, now)) != CB_OK)
		return e;
	*changes = diff(old, now);
	char actor[24];
	struct payment_event ev = {.payment_id = old->id, .kind = "corrected",
	    .from_status = now->status, .to_status = now->status,
	    .changes = json_object_to_json_string_ext(*changes,
	        JSON_C_TO_STRING_PLAIN),
	    .version = now->version};
	api_event_actor(req, &ev, actor, sizeof actor);
	return payment_events_insert(req->db, &ev);
}
