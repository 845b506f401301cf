/* payment_change.c — see payment_change.h. */
#include <stdio.h>
#include <string.h>

#include "api/common.h"
#include "api/payment_change.h"
#include "jobs/match_job.h"
#include "store/invoices.h"
#include "store/jobs.h"
#include "util/json_diff.h"

cb_err
payment_change_status(struct http_req *req, int64_t id, enum pay_status to,
    const char *expected, unsigned want, const char *reason, bool *changed,
    struct payment_row *now)
{
	cb_err e;
	memset(now, 0, sizeof *now);
	if ((e = payments_transition(req->db, id, to, expected, want, changed)) !=
	    CB_OK || !*changed)
		return e;
	if ((e = payments_get(req->db, id, now)) != CB_OK)
		return e;
	char actor[24];
	struct payment_event ev = {.payment_id = id, .kind = "status",
	    .from_status = now->previous_status, .to_status = now->status,
	    .reason = reason, .version = now->version};
	api_event_actor(req, &ev, actor, sizeof actor);
	if ((e = payment_events_insert(req->db, &ev)) != CB_OK)
		return e;
	/* A validated voucher is one the bank can now be matched against:
	 * the next matching pass comes within seconds, not at its period. */
	if (to == PS_VALIDADO &&
	    (e = jobs_nudge(req->db, MATCH_JOB_KIND, MATCH_NUDGE_SECONDS)) != CB_OK)
		return e;
	/* The invoice balance moves in the same transaction (seed 000). */
	if (now->invoice_id && now->has_amount &&
	    (to == PS_APLICADO || to == PS_REVERSADO))
		e = invoices_adjust_balance(req->db, now->invoice_id,
		    to == PS_APLICADO ? -now->amount_minor : now->amount_minor);
	return e;
}

static json_object *
id_or_null(int64_t id)
{
	return id ? json_object_new_int64(id) : NULL;
}

static json_object *
diff(const struct payment_row *o, const struct payment_row *n)
{
	json_object *c = json_object_new_object();
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
