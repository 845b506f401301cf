/*
 * payment_change.h — the changes a person or a client makes to a payment,
 * shared by the JSON API and the review pages so that both write the same
 * rows: status changes through store/payment_status.c with the request's
 * principal (API key or signed-in user) as the actor, and for corrections
 * the diff.  Callers own the transaction.
 */
#ifndef CB_PAYMENT_CHANGE_H
#define CB_PAYMENT_CHANGE_H

#include <stdbool.h>

#include <json-c/json.h>

#include "core/lifecycle.h"
#include "http/request.h"
#include "store/payments.h"

/* Moves payment id to `to` when it is `expected` (NULL: any status) at
 * version `want` (0: any).  *changed false when the conditional UPDATE
 * matched nothing; nothing is written then.  On a change *now is the new
 * row (release it); the event carries reason. */
cb_err payment_change_status(struct http_req *req, int64_t id,
    enum pay_status to, const char *expected, unsigned want,
    const char *reason, bool *changed, struct payment_row *now);

/* Rewrites old's client fields with f when it is still 'pendiente' at
 * old->version.  On a change *now is the new row and *changes (owned by
 * the caller) the {"field": {"old", "new"}} diff the event records. */
cb_err payment_change_fields(struct http_req *req,
    const struct payment_row *old, const struct payment_fields *f,
    bool *changed, struct payment_row *now, json_object **changes);

#endif
