/* reconcile_record.c — see reconcile_record.h. */
#include <stdio.h>
#include <stdlib.h>

#include "core/money.h"
#include "jobs/reconcile_record.h"
#include "store/activity.h"
#include "util/json_diff.h"
#include "util/jsonx.h"

static json_object *
money(int64_t minor, const char *ccy)
{
	char t[40];
	money_format(minor, currency_exponent(ccy), t, sizeof t);
	return jx_string(t);
}

static json_object *
text_or_null(const char *s)
{
	return s[0] ? jx_string(s) : NULL;
}

/* {"amount": {old, new}, …} for what d changed. */
static json_object *
changes_of(const struct reconcile_diff *d)
{
	json_object *c = jx_object();
	json_diff_add(c, "amount", d->had_amount ? money(d->old_amount,
	    d->currency) : NULL, money(d->new_amount, d->currency));
	json_diff_add(c, "transactionDate", text_or_null(d->old_date),
	    text_or_null(d->new_date));
	json_diff_add(c, "bankOperationNumber", text_or_null(d->old_operation),
	    text_or_null(d->operation));
	return c;
}

cb_err
reconcile_record(struct db_conn *db, int64_t payment_id,
    const struct reconcile_diff *d, struct payment_event *ev,
    const char *action, json_object **changes)
{
	char target[40];
	json_object *c = changes_of(d);
	if (changes)
		*changes = NULL;
	ev->payment_id = payment_id;
	ev->kind = "status";
	ev->from_status = d->from_status;
	ev->to_status = d->to_status;
	ev->changes = json_object_to_json_string_ext(c, JSON_C_TO_STRING_PLAIN);
	ev->version = d->version;
	snprintf(target, sizeof target, "payment:%lld", (long long)payment_id);
	cb_err e = payment_events_insert(db, ev);
	if (e == CB_OK)
		e = activity_record(db, action, ev->actor_type, ev->actor_id, target,
		    ev->request_id, ev->reason);
	if (e == CB_OK && changes)
		*changes = c;
	else
		json_object_put(c);
	return e;
}

cb_err
reconcile_record_many(struct db_conn *db, const struct reconcile_pair *p,
    const struct reconcile_diff *d, const bool *ok, size_t n,
    const struct payment_event *who, const char *const *reasons)
{
	struct payment_event *ev = calloc(n ? n : 1, sizeof *ev);
	json_object **ch = calloc(n ? n : 1, sizeof *ch);
	json_object *lines = jx_array();
	size_t k = 0;
	cb_err e = ev && ch ? CB_OK : CB_ENOMEM;
	for (size_t i = 0; i < n && e == CB_OK; i++) {
		char target[40];
		if (!ok[i])
			continue;
		ch[k] = changes_of(&d[i]);
		ev[k] = *who;
		ev[k].payment_id = p[i].payment;
		ev[k].kind = "status";
		ev[k].from_status = d[i].from_status;
		ev[k].to_status = d[i].to_status;
		ev[k].reason = reasons[i];
		ev[k].changes = json_object_to_json_string_ext(ch[k],
		    JSON_C_TO_STRING_PLAIN);
		ev[k].version = d[i].version;
		k++;
		snprintf(target, sizeof target, "payment:%lld",
		    (long long)p[i].payment);
		json_object *l = jx_array();
		jx_push(l, jx_string(target));
		jx_push(l, jx_string(reasons[i]));
		jx_push(lines, l);
	}
	if (e == CB_OK && k)
		e = payment_events_insert_many(db, ev, k);
	if (e == CB_OK && k)
		e = activity_record_many(db, "PAYMENT_RECONCILE", who->actor_type,
		    who->actor_id, json_object_to_json_string_ext(lines,
		    JSON_C_TO_STRING_PLAIN));
	for (size_t i = 0; ch && i < k; i++)
		json_object_put(ch[i]);
	free(ch);
	free(ev);
	json_object_put(lines);
	return e;
}

cb_err
reconcile_undo(struct db_conn *db, int64_t payment_id, unsigned version,
    bool by_person, const struct payment_event *who, const char *reason,
    struct reconcile_diff *d, json_object **changes, bool *done)
{
	int64_t partner[MATCH_SPLIT_MAX];
	size_t np;
	char why[600];
	*done = false;
	if (changes)
		*changes = NULL;
	/* Asked before the undo, which forgets the shared deposit. */
	cb_err e = matching_partners(db, payment_id, partner, &np);
	if (e != CB_OK ||
	    (e = matching_undo(db, payment_id, version, by_person, done, d)) !=
	    CB_OK || !*done)
		return e;
	struct payment_event ev = *who;
	ev.reason = reason;
	if ((e = reconcile_record(db, payment_id, d, &ev, "PAYMENT_UNRECONCILE",
	    changes)) != CB_OK)
		return e;
	for (size_t i = 0; i < np; i++) {
		struct reconcile_diff pd;
		bool ok;
		if ((e = matching_undo(db, partner[i], 0, by_person, &ok, &pd)) !=
		    CB_OK)
			return e;
		if (!ok)
			continue;
		snprintf(why, sizeof why, "%s (one deposit paid it with payment"
		    " %lld)", reason, (long long)payment_id);
		ev.reason = why;
		if ((e = reconcile_record(db, partner[i], &pd, &ev,
		    "PAYMENT_UNRECONCILE", NULL)) != CB_OK)
			return e;
	}
	return CB_OK;
}
