/* payment_status.c — see payment_status.h. */
#include <string.h>

#include "store/invoices.h"
#include "store/payment_status.h"

cb_err
payments_change_status(struct db_conn *c, int64_t id, enum pay_status to,
    const char *expected, unsigned want, const struct payment_event *who,
    bool *changed, struct payment_row *now)
{
	cb_err e;
	memset(now, 0, sizeof *now);
	if ((e = payments_transition(c, id, to, expected, want, changed)) !=
	    CB_OK || !*changed)
		return e;
	if ((e = payments_get(c, id, now)) != CB_OK)
		return e;
	struct payment_event ev = *who;
	ev.payment_id = id;
	ev.kind = "status";
	ev.from_status = now->previous_status;
	ev.to_status = now->status;
	ev.version = now->version;
	if ((e = payment_events_insert(c, &ev)) != CB_OK)
		return e;
	/* The invoice balance moves in the same transaction (seed 000). */
	if (now->invoice_id && now->has_amount &&
	    (to == PS_APLICADO || to == PS_REVERSADO))
		e = invoices_adjust_balance(c, now->invoice_id,
		    to == PS_APLICADO ? -now->amount_minor : now->amount_minor);
	return e;
}
