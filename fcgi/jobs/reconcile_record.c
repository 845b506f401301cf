/* reconcile_record.c — see reconcile_record.h. */
#include <stdio.h>

#include "core/money.h"
#include "jobs/reconcile_record.h"
#include "store/activity.h"
#include "util/json_diff.h"

static json_object *
money(int64_t minor, const char *ccy)
{
	const struct currency *cur = currency_find(ccy);
	char t[40];
	money_format(minor, cur ? cur->exponent : 2, t, sizeof t);
	return json_object_new_string(t);
}

static json_object *
text_or_null(const char *s)
{
	return s[0] ? json_object_new_string(s) : NULL;
}

cb_err
reconcile_record(struct db_conn *db, int64_t payment_id,
    const struct reconcile_diff *d, struct payment_event *ev,
    const char *action, json_object **changes)
{
	char target[40];
	json_object *c = json_object_new_object();
	if (changes)
		*changes = NULL;
	json_diff_add(c, "amount", d->had_amount ? money(d->old_amount,
	    d->currency) : NULL, money(d->new_amount, d->currency));
	json_diff_add(c, "transactionDate", text_or_null(d->old_date),
	    text_or_null(d->new_date));
	json_diff_add(c, "bankOperationNumber", text_or_null(d->old_operation),
	    text_or_null(d->operation));
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
