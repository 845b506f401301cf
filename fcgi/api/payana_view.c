/* payana_view.c — see payana_view.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/common.h"
#include "api/payana_view.h"
#include "core/decimal.h"
#include "core/money.h"

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
	return json_object_new_double_s(strtod(text, NULL), text);
}

json_object *
payana_beneficiary_json(const struct customer_row *c)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "reference", json_object_new_string(c->public_ref));
	json_object_object_add(o, "name", json_object_new_string(c->name));
	json_object_object_add(o, "identifier_type",
	    json_object_new_string(c->document_type));
	json_object_object_add(o, "identifier_number",
	    json_object_new_string(c->document_id));
	json_object_object_add(o, "email", api_str_or_null(c->email));
	json_object_object_add(o, "is_deleted",
	    json_object_new_boolean(c->deleted_at[0] != '\0'));
	json_object_object_add(o, "deleted_at", api_time(c->deleted_at[0] ?
	    c->deleted_at : NULL));
	return o;
}

static json_object *
payable_json(const struct payment_row *p, const struct invoice_row *i)
{
	const char *status = i->balance_minor <= 0 ? "paid" :
	    i->balance_minor < i->amount_minor ? "partially_paid" : "pending";
	json_object *o = json_object_new_object();
	json_object_object_add(o, "reference", json_object_new_string(i->public_ref));
	json_object_object_add(o, "type", json_object_new_string(
	    i->payable_type[0] ? i->payable_type : "invoice"));
	json_object_object_add(o, "status", json_object_new_string(status));
	json_object_object_add(o, "amount", api_money(i->amount_minor, i->currency));
	json_object_object_add(o, "amount_currency",
	    json_object_new_string(i->currency));
	json_object_object_add(o, "file_path", api_str_or_null(p->receipt_url));
	json_object_object_add(o, "balance", api_money(i->balance_minor,
	    i->currency));
	json_object_object_add(o, "issue_date", json_object_new_string(i->issue_date));
	json_object_object_add(o, "expiration_date",
	    json_object_new_string(i->due_date));
	json_object_object_add(o, "concept", api_str_or_null(i->concept));
	json_object_object_add(o, "origin", json_object_new_string("api"));
	json_object_object_add(o, "projects", json_object_new_array());
	return o;
}

json_object *
payana_payment_json(const struct payment_row *p, const struct customer_row *b,
    const struct invoice_row *inv, const char *paid_at, const char *base)
{
	json_object *o = json_object_new_object();
	int64_t scale = currency_scale(p->currency);
	json_object_object_add(o, "reference", json_object_new_string(p->public_ref));
	json_object_object_add(o, "beneficiary", payana_beneficiary_json(b));
	json_object_object_add(o, "email", api_str_or_null(b->email));
	if (p->document_key[0]) {
		json_object *d = json_object_new_object();
		json_object_object_add(d, "name", json_object_new_string(
		    p->document_name));
		json_object_object_add(d, "type", json_object_new_string(
		    p->document_type));
		json_object_object_add(d, "size", json_object_new_int64(
		    p->document_size));
		json_object_object_add(o, "document", d);
	} else
		json_object_object_add(o, "document", NULL);
	/* Whole units of the currency, as sent. */
	json_object_object_add(o, "amount", json_object_new_int64(
	    p->amount_minor / scale));
	json_object_object_add(o, "amount_currency",
	    json_object_new_string(p->currency));
	json_object *xamount = NULL;
	struct dec rate, product;
	if (p->exchange_rate[0] && dec_parse(p->exchange_rate, false, &rate) ==
	    CB_OK && dec_mul_int(&rate, p->amount_minor / scale, &product) ==
	    CB_OK) {
		char text[40];
		dec_format(&product, text, sizeof text);
		xamount = number(text);
	}
	json_object_object_add(o, "exchange_amount", xamount);
	json_object_object_add(o, "exchange_rate", p->exchange_rate[0] ?
	    number(p->exchange_rate) : NULL);
	json_object_object_add(o, "exchange_currency",
	    api_str_or_null(p->exchange_currency));
	json_object_object_add(o, "status",
	    json_object_new_string(payana_status(p->status)));
	json_object_object_add(o, "file_path", api_str_or_null(p->receipt_url));
	json_object_object_add(o, "receipt_file_path", p->document_key[0] ?
	    api_document_url(base, p->id) : NULL);
	json_object_object_add(o, "is_archived", json_object_new_boolean(0));
	json_object_object_add(o, "payable", inv ? payable_json(p, inv) : NULL);
	json_object_object_add(o, "batch", NULL);
	json_object_object_add(o, "tags", json_object_new_array());
	json_object_object_add(o, "source_of_fund", NULL);
	json_object_object_add(o, "accounting_receipt", NULL);
	json_object_object_add(o, "paid_at", paid_at && *paid_at ?
	    api_time(paid_at) : NULL);
	json_object_object_add(o, "payment_method",
	    api_str_or_null(p->payment_method));
	json_object_object_add(o, "created_at", api_time(p->created_at));
	json_object_object_add(o, "updated_at", api_time(p->updated_at));
	return o;
}
