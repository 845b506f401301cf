/* apagos_view.c — see apagos_view.h. */
#include <stdlib.h>
#include <string.h>

#include "api/apagos_view.h"
#include "api/common.h"
#include "util/jsonx.h"

const char *
apagos_status(const char *s)
{
	if (!strcmp(s, "conciliado") || !strcmp(s, "aplicado"))
		return "VALIDATED";
	if (!strcmp(s, "rechazado") || !strcmp(s, "reversado"))
		return "INVALID";
	if (!strcmp(s, "cancelado"))
		return "CANCELED";
	return "PENDING";
}

json_object *
apagos_info_json(const struct payment_row *r)
{
	json_object *o = jx_object();
	jx_add(o, "order_id",
	    jx_string(r->client_order_id));
	jx_add(o, "status",
	    jx_string(apagos_status(r->status)));
	jx_add(o, "bank_account_id", api_str_or_null(
	    r->bank_account));
	jx_add(o, "operation_number", api_str_or_null(
	    r->reference));
	jx_add(o, "amount", r->has_amount ?
	    api_money(r->amount_minor, r->currency) : NULL);
	jx_add(o, "bank_operation_number",
	    api_str_or_null(r->bank_operation_number));
	jx_add(o, "detail", api_str_or_null(r->notes));
	jx_add(o, "date", api_str_or_null(r->transaction_date));
	jx_add(o, "request_id",
	    jx_string(r->request_id));
	return o;
}

char *
apagos_callback_body(const char *type, const struct payment_row *r)
{
	if (strcmp(type, "payment.reconciled") && strcmp(type, "payment.rejected") &&
	    strcmp(type, "payment.reversed"))
		return NULL;
	json_object *o = apagos_info_json(r);
	const char *t = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	char *s = t ? strdup(t) : NULL;
	json_object_put(o);
	return s;
}
