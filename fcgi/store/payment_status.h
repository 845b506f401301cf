/*
 * payment_status.h — a payment's status change as every writer records
 * it: the conditional UPDATE, the history event (the actor is the
 * caller's: an API key, a signed-in user, or a job) and the invoice
 * balance when money is applied or taken back (seed 000).  Used by the
 * API and review pages (api/payment_change.c) and by jobs that move a
 * payment themselves (the statement import when the bank reverses an
 * applied payment).  Callers own the transaction.
 */
#ifndef CB_PAYMENT_STATUS_H
#define CB_PAYMENT_STATUS_H

#include <stdbool.h>

#include "core/lifecycle.h"
#include "store/payments.h"

/* Moves payment id to `to` when it is `expected` (NULL: any status) at
 * version `want` (0: any).  who carries the actor and reason (its other
 * fields are filled here).  *changed false when the conditional UPDATE
 * matched nothing; nothing is written then.  On a change *now is the new
 * row (release it). */
cb_err payments_change_status(struct db_conn *c, int64_t id,
    enum pay_status to, const char *expected, unsigned want,
    const struct payment_event *who, bool *changed, struct payment_row *now);

#endif
