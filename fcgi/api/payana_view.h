/*
 * payana_view.h — payouts in seed 003's (Payana) words: its statuses
 * pending / scheduled / processing / paid / failed / refunded mapped from
 * the core lifecycle, a beneficiary (a customer with a public reference),
 * and a payment with its beneficiary and payable (the invoice it pays),
 * every documented member present with its documented type.
 */
#ifndef CB_PAYANA_VIEW_H
#define CB_PAYANA_VIEW_H

#include <json-c/json.h>

#include "store/customers.h"
#include "store/invoices.h"
#include "store/payments.h"

/*   pendiente → pending, validado → scheduled, en_proceso_ach → processing,
 *   conciliado, aplicado → paid, rechazado, cancelado → failed,
 *   reversado → refunded */
const char *payana_status(const char *core_status);

json_object *payana_beneficiary_json(const struct customer_row *c);
/* inv may be NULL (payable null); paid_at "" or NULL when never paid. */
/* base: [server] public_url for receipt_file_path ("": a path). */
json_object *payana_payment_json(const struct payment_row *p,
    const struct customer_row *b, const struct invoice_row *inv,
    const char *paid_at, const char *base);

#endif
