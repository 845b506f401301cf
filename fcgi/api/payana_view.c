/* payana_view.c — see payana_view.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/common.h"
#include "api/payana_view.h"
#include "core/decimal.h"
#include "core/money.h"
#include "util/jsonx.h"

const char *
payana_status(const char *s)
{
	if (!strcmp(s, "validado"))
		return "scheduled";
	if (!strcmp(s, "en_proceso_ach"))
		return "processing";
	if (!strcmp(s, "conciliado") || !strcmp(s, "aplicado"))
		return "paid";
	if (!strcmp(s, "rechazado") || !strcmp(s, "cancelado"))
		return "failed";
	if (!strcmp(s, "reversado"))
		return "refunded";
	return "pending";
}

/* A decimal text as a JSON number, written verbatim. */
static json_object *
number(const char *text)
{
	return jx_double_s(strtod(text, NULL), text);
}

json_object *
payana_beneficiary_json(const struct customer_row *c)
{
	json_object *o = jx_object();
	jx_add(o, "reference", jx_string(c->public_ref));
	jx_add(o, "name", jx_string(c->name));
	jx_add(o, "identifier_type",
	    jx_string(c->document_type));
	jx_add(o, "identifier_number",
	    jx_string(c->document_id));
	jx_add(o, "email", api_str_or_null(c->email));
	jx_add(o, "is_deleted",
	    jx_bool(c->deleted_at[0] != '\0'));
	jx_add(o, "deleted_at", api_time(c->deleted_at[0] ?
	    c->deleted_at : NULL));
	return o;
}

static json_object *
payable_json(const struct payment_row *p, const struct invoice_row *i)
{
	const char *status = i->balance_minor <= 0 ? "paid" :
	    i->balance_minor < i->amount_minor ? "partially_paid" : "pending";
	json_object *o = jx_object();
	jx_add(o, "reference", jx_string(i->public_ref));
	jx_add(o, "type", jx_string(
	    i->payable_type[0] ? i->payable_type : "invoice"));
	jx_add(o, "status", jx_string(status));
	jx_add(o, "amount", api_money(i->amount_minor, i->currency));
	jx_add(o, "amount_currency",
	    jx_string(i->currency));
	jx_add(o, "file_path", api_str_or_null(p->receipt_url));
	jx_add(o, "balance", api_money(i->balance_minor,
	    i->currency));
	jx_add(o, "issue_date", jx_string(i->issue_date));
	jx_add(o, "expiration_date",
	    jx_string(i->due_date));
	jx_add(o, "concept", api_str_or_null(i->concept));
	jx_add(o, "origin", jx_string("api"));
	jx_add(o, "projects", jx_array());
	return o;
}

json_object *
payana_payment_json(const struct payment_row *p, const struct customer_row *b,
    const struct invoice_row *inv, const char *paid_at, const char *base)
{
	json_object *o = jx_object();
	int64_t scale = currency_scale(p->currency);
	jx_add(o, "reference", jx_string(p->public_ref));
	jx_add(o, "beneficiary", payana_beneficiary_json(b));
	jx_add(o, "email", api_str_or_null(b->email));
	if (p->document_key[0]) {
		json_object *d = jx_object();
		jx_add(d, "name", jx_string(
		    p->document_name));
		jx_add(d, "type", jx_string(
		    p->document_type));
		jx_add(d, "size", jx_int64(
		    p->document_size));
		jx_add(o, "document", d);
	} else
		jx_add(o, "document", NULL);
	/* Whole units of the currency, as sent. */
	jx_add(o, "amount", jx_int64(
	    p->amount_minor / scale));
	jx_add(o, "amount_currency",
	    jx_string(p->currency));
	json_object *xamount = NULL;
	struct dec rate, product;
	if (p->exchange_rate[0] && dec_parse(p->exchange_rate, false, &rate) ==
	    CB_OK && dec_mul_int(&rate, p->amount_minor / scale, &product) ==
	    CB_OK) {
		char text[40];
		dec_format(&product, text, sizeof text);
		xamount = number(text);
	}
	jx_add(o, "exchange_amount", xamount);
	jx_add(o, "exchange_rate", p->exchange_rate[0] ?
	    number(p->exchange_rate) : NULL);
	jx_add(o, "exchange_currency",
	    api_str_or_null(p->exchange_currency));
	jx_add(o, "status",
	    jx_string(payana_status(p->status)));
	jx_add(o, "file_path", api_str_or_null(p->receipt_url));
	jx_add(o, "receipt_file_path", p->document_key[0] ?
	    api_document_url(base, p->id) : NULL);
	jx_add(o, "is_archived", jx_bool(0));
	jx_add(o, "payable", inv ? payable_json(p, inv) : NULL);
	jx_add(o, "batch", NULL);
	jx_add(o, "tags", jx_array());
	jx_add(o, "source_of_fund", NULL);
	jx_add(o, "accounting_receipt", NULL);
	jx_add(o, "paid_at", paid_at && *paid_at ?
	    api_time(paid_at) : NULL);
	jx_add(o, "payment_method",
	    api_str_or_null(p->payment_method));
	jx_add(o, "created_at", api_time(p->created_at));
	jx_add(o, "updated_at", api_time(p->updated_at));
	return o;
}
