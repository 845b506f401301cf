/*
 * payment_view.h — a payment as the API shows it (seed 000's members,
 * camelCase, amounts with the currency's digits): one rendering for the
 * API's answers and for the webhook events that carry the payment.
 */
#ifndef CB_PAYMENT_VIEW_H
#define CB_PAYMENT_VIEW_H

#include <json-c/json.h>

#include "store/payments.h"

/* New references (caller puts them).  base: [server] public_url, which
 * makes documentUrl absolute ("" or NULL: a path). */
json_object *payment_view_json(const struct payment_row *r, const char *base);
/* {"success": true, "payment": …, "ocrResult": …} */
json_object *payment_view_envelope(const struct payment_row *r,
    const char *base);

#endif
