/*
 * apagos_view.h — a payment in seed 002's (aPagos) words: its statuses
 * PENDING / VALIDATED / INVALID / CANCELED mapped from the core lifecycle,
 * and the info object that GET …/info/{request_id} answers and the
 * webhook callback carries.
 */
#ifndef CB_APAGOS_VIEW_H
#define CB_APAGOS_VIEW_H

#include <json-c/json.h>

#include "store/payments.h"

/*   pendiente, validado, en_proceso_ach → PENDING (the bank has not said)
 *   conciliado, aplicado               → VALIDATED (the bank's record)
 *   rechazado, reversado               → INVALID
 *   cancelado                          → CANCELED */
const char *apagos_status(const char *core_status);

/* {order_id, status, bank_account_id, operation_number, amount,
 *  bank_operation_number, detail, date, request_id}; a new reference. */
json_object *apagos_info_json(const struct payment_row *r);

/* The callback's body for a core event, or NULL when seed 002 calls for
 * none (it calls when a voucher is validated or invalidated).  malloc'd. */
char *apagos_callback_body(const char *event_type, const struct payment_row *r);

#endif
