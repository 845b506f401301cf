/* payment_input.c — see payment_input.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/common.h"
#include "api/payment_input.h"
#include "net/outbound.h"
#include "core/date.h"
#include "core/money.h"
#include "http/validate.h"
#include "util/codec.h"
#include "util/jsonx.h"

const char *const payment_methods[] = {"deposito", "transferencia", "cheque",
    "efectivo", "tarjeta", NULL};

static const char *const members[] = {"customerId", "amount", "currency",
    "paymentMethod", "bankCode", "reference", "transactionDate", "notes",
    "invoiceId", "bankAccountId", "bankValidation", "idempotencyKey", "webhookUrl", "receiptUrl", NULL};


static bool
present(json_object *in, const char *name)
{
	json_object *v;
	if (!json_object_object_get_ex(in, name, &v) ||
	    json_object_is_type(v, json_type_null))
		return false;
	if (json_object_is_type(v, json_type_string) &&
	    json_object_get_string_len(v) == 0)
		return false;
	return true;
}

cb_err
payment_input_check(struct http_req *req, json_object *in, bool has_document,
    struct payment_input *out, struct problem *p)
{
	bool bad;
	cb_err e;
	char msg[160];
	json_object *v;

	memset(out, 0, sizeof *out);
	/* A receipt to fetch stands for a document sent along. */
	bool uploaded = has_document;
	has_document = has_document || present(in, "receiptUrl");
	/* Unknown members first: a typo must not pass silently. */
	json_object_object_foreach(in, key, val) {
		(void)val;
		bool known = false;
		for (const char *const *m = members; *m && !known; m++)
			known = strcmp(*m, key) == 0;
		if (!known) {
			char field[100];
			snprintf(field, sizeof field, "%s", key);
			problem_field(p, field, "unknown_field",
			    "is not a member of a payment");
		}
	}

	/* currency (default GTQ) decides how many decimals amount may have. */
	const char *cur = api_text(in, "currency", false, &bad);
	bool cur_sent = cur || bad;
	const struct currency *currency = currency_for(cur ? cur : "GTQ",
	    CURRENCY_NEW_MONEY, msg, sizeof msg);
	if (bad)
		problem_field(p, "currency", "invalid", "must be an ISO 4217 code");
	else if (!currency)
		problem_field(p, "currency", "not_allowed", msg);
	snprintf(out->currency, sizeof out->currency, "%s",
	    currency ? currency->code : "GTQ");
	out->f.currency = out->currency;

	/* customerId */
	if (!present(in, "customerId"))
		problem_field(p, "customerId", "missing", "is required");
	else if (!json_object_object_get_ex(in, "customerId", &v) ||
	    !api_json_id(v, &out->f.customer_id))
		problem_field(p, "customerId", "invalid", "must be a positive integer");

	/* Everything the payment refers to, in one round trip. */
	const char *bank = api_text(in, "bankCode", false, &bad);
	bool bank_bad = bad;
	int64_t invoice_id = 0;
	bool invoice_bad = false;
	if (present(in, "invoiceId")) {
		json_object_object_get_ex(in, "invoiceId", &v);
		invoice_bad = !api_json_id(v, &invoice_id);
	}
	const char *account = api_text(in, "bankAccountId", false, &bad);
	bool account_bad = bad || (account && strlen(account) > 64);
	struct payment_refs refs;
	if ((e = payments_lookup_refs(req->db, api_client_scope(req),
	         out->f.customer_id,
	         bank && strlen(bank) <= 16 ? bank : NULL, invoice_id,
	         account_bad ? NULL : account, &refs)) != CB_OK)
		return e;
	if (out->f.customer_id && !refs.customer_exists)
		problem_field(p, "customerId", "not_found", "no such customer");
	/* No currency sent: the invoice's, else the account's, before the
	 * installation's default (seed 000's minimal upload names only the
	 * customer, the invoice and the document). */
	if (!cur_sent) {
		const char *implied = invoice_id && refs.invoice_exists ?
		    refs.invoice_currency : refs.bank_account_id ?
		    refs.bank_account_currency : NULL;
		const struct currency *ic = implied ? currency_for(implied,
		    CURRENCY_NEW_MONEY, msg, sizeof msg) : NULL;
		if (ic) {
			currency = ic;
			snprintf(out->currency, sizeof out->currency, "%s", ic->code);
		} else
			out->f.currency_default = true;
	}

	/* amount: a JSON number or a string, read from its literal text. */
	if (!present(in, "amount")) {
		if (!has_document)
			problem_field(p, "amount", "missing",
			    "is required when no document is sent");
	} else {
		json_object_object_get_ex(in, "amount", &v);
		if (!json_object_is_type(v, json_type_int) &&
		    !json_object_is_type(v, json_type_double) &&
		    !json_object_is_type(v, json_type_string))
			problem_field(p, "amount", "invalid",
			    "must be a decimal number or a string holding one");
		else {
			const char *lit = json_object_get_string(v);
			int exp = currency ? currency->exponent : 2;
			switch (money_parse(lit, exp, &out->f.amount_minor)) {
			case MONEY_OK:
				out->f.has_amount = true;
				break;
			case MONEY_SYNTAX:
				problem_field(p, "amount", "invalid",
				    "must be a plain decimal number such as 1500.00");
				break;
			case MONEY_TOO_PRECISE:
				snprintf(msg, sizeof msg, "%s takes at most %d decimals",
				    out->currency, exp);
				problem_field(p, "amount", "too_many_decimals", msg);
				break;
			case MONEY_NOT_POSITIVE:
				problem_field(p, "amount", "not_positive",
				    "must be greater than zero");
				break;
			case MONEY_TOO_LARGE:
				problem_field(p, "amount", "too_large",
				    "must be below 10^13");
				break;
			}
		}
	}

	/* paymentMethod */
	const char *method = api_text(in, "paymentMethod", false, &bad);
	if (bad)
		problem_field(p, "paymentMethod", "invalid", "must be a string");
	else if (!method) {
		if (!has_document)
			problem_field(p, "paymentMethod", "missing",
			    "is required when no document is sent");
	} else {
		bool ok = false;
		for (const char *const *m = payment_methods; *m && !ok; m++)
			ok = strcmp(*m, method) == 0;
		if (!ok)
			problem_field(p, "paymentMethod", "not_allowed",
			    "one of deposito, transferencia, cheque, efectivo, tarjeta");
		else {
			snprintf(out->method, sizeof out->method, "%s", method);
			out->f.payment_method = out->method;
		}
	}

	/* bankCode: a code of the bank registry, stored as it spells it. */
	if (bank_bad)
		problem_field(p, "bankCode", "invalid", "must be a string");
	else if (bank && !refs.bank_exists)
		problem_field(p, "bankCode", "not_found",
		    "not a bank code of the registry");
	else if (bank) {
		snprintf(out->bank, sizeof out->bank, "%s", refs.bank_code);
		out->f.bank_code = out->bank;
	}

	/* reference */
	const char *ref = api_text(in, "reference", false, &bad);
	if (bad)
		problem_field(p, "reference", "invalid",
		    "must be text without control characters");
	else if (ref && utf8_chars(ref) > PAY_REFERENCE_MAX)
		problem_field(p, "reference", "too_long", "at most 64 characters");
	else if (ref) {
		snprintf(out->reference, sizeof out->reference, "%s", ref);
		out->f.reference = out->reference;
	}

	/* transactionDate: a real day, not after today here. */
	const char *date = api_text(in, "transactionDate", false, &bad);
	struct ymd d, today;
	if (bad || (date && date_parse(date, &d) != CB_OK))
		problem_field(p, "transactionDate", "invalid",
		    "must be a calendar date as YYYY-MM-DD");
	else if (date) {
		date_today(&today);
		if (date_cmp(&d, &today) > 0)
			problem_field(p, "transactionDate", "in_future",
			    "must not be after today in the installation's time zone");
		else {
			date_format(&d, out->date);
			out->f.transaction_date = out->date;
		}
	}

	/* notes */
	const char *notes = api_text(in, "notes", true, &bad);
	if (bad)
		problem_field(p, "notes", "invalid",
		    "must be UTF-8 text without control characters");
	else if (notes && utf8_chars(notes) > PAY_NOTES_MAX)
		problem_field(p, "notes", "too_long", "at most 500 characters");
	else if (notes) {
		if (!(out->notes = strdup(notes)))
			return CB_ENOMEM;
		out->f.notes = out->notes;
	}

	/* invoiceId: the same customer's, in the same currency. */
	if (invoice_bad)
		problem_field(p, "invoiceId", "invalid", "must be a positive integer");
	else if (invoice_id && !refs.invoice_exists)
		problem_field(p, "invoiceId", "not_found", "no such invoice");
	else if (invoice_id && out->f.customer_id &&
	    refs.invoice_customer != out->f.customer_id)
		problem_field(p, "invoiceId", "customer_mismatch",
		    "the invoice belongs to another customer");
	else if (invoice_id && strcmp(refs.invoice_currency, out->currency) != 0) {
		snprintf(msg, sizeof msg, "the invoice is in %s", refs.invoice_currency);
		problem_field(p, "invoiceId", "currency_mismatch", msg);
	} else
		out->f.invoice_id = invoice_id;

	/* bankAccountId: one of the accounts registered for payments in
	 * (seed 002: "must match one of the accounts provided"), active, in
	 * the payment's currency. */
	if (account_bad)
		problem_field(p, "bankAccountId", "invalid",
		    "must be a bank account id of at most 64 characters");
	else if (account && !refs.bank_account_id)
		problem_field(p, "bankAccountId", "not_found",
		    "not an active bank account (see /api/bank-accounts)");
	else if (account && strcmp(refs.bank_account_currency, out->currency)) {
		snprintf(msg, sizeof msg, "the account is in %s",
		    refs.bank_account_currency);
		problem_field(p, "bankAccountId", "currency_mismatch", msg);
	} else if (account) {
		out->f.bank_account_id = refs.bank_account_id;
		snprintf(out->account, sizeof out->account, "%s", refs.bank_account);
		out->f.bank_account = out->account;
	}

	/* bankValidation: the bank's statement judges the voucher (seed 002);
	 * it needs the account, amount and day the statement is searched by. */
	if (present(in, "bankValidation")) {
		/* Forms send it as text. */
		json_object_object_get_ex(in, "bankValidation", &v);
		const char *t = json_object_is_type(v, json_type_string) ?
		    json_object_get_string(v) : NULL;
		bool is_bool = json_object_is_type(v, json_type_boolean) ||
		    (t && (!strcmp(t, "true") || !strcmp(t, "false")));
		if (!is_bool)
			problem_field(p, "bankValidation", "invalid",
			    "must be true or false");
		else if ((out->f.bank_validation = t ? !strcmp(t, "true") :
		    json_object_get_boolean(v)) &&
		    (!account || !present(in, "amount") ||
		    !present(in, "transactionDate")))
			problem_field(p, "bankValidation", "incomplete",
			    "bank validation needs bankAccountId, amount and"
			    " transactionDate");
	}
	/* URLs comprobar will call: judged now for a clear 422, and again at
	 * connect time (net/outbound.h). */
	static const char *const urls[] = {"webhookUrl", "receiptUrl"};
	const char **dst[] = {&out->f.webhook_url, &out->f.receipt_url};
	for (size_t i = 0; i < 2; i++) {
		const char *u = api_text(in, urls[i], false, &bad), *code;
		if (bad) {
			problem_field(p, urls[i], "invalid", "must be a URL");
			continue;
		}
		if (!u)
			continue;
		/* Judged only when sent: most payments name no URL. */
		if (outbound_url_judge(req->cfg, false, u, &code, msg, sizeof msg) !=
		    CB_OK) {
			problem_field(p, urls[i], code, msg);
			continue;
		}
		*dst[i] = u;
	}
	if (uploaded && out->f.receipt_url)
		problem_field(p, "receiptUrl", "conflict",
		    "send the document or a URL to fetch it from, not both");
	return CB_OK;
}

void
payment_input_release(struct payment_input *in)
{
	if (in) {
		free(in->notes);
		in->notes = NULL;
	}
}

json_object *
payment_input_from_row(const struct payment_row *r)
{
	char amount[32];
	json_object *o = jx_object();
	jx_add(o, "customerId", jx_int64(r->customer_id));
	if (r->has_amount) {
		money_format(r->amount_minor, currency_exponent(r->currency), amount,
		    sizeof amount);
		jx_add(o, "amount", jx_string(amount));
	}
	jx_add(o, "currency", jx_string(r->currency));
	if (r->payment_method[0])
		jx_add(o, "paymentMethod",
		    jx_string(r->payment_method));
	if (r->bank_code[0])
		jx_add(o, "bankCode", jx_string(r->bank_code));
	if (r->reference[0])
		jx_add(o, "reference", jx_string(r->reference));
	if (r->transaction_date[0])
		jx_add(o, "transactionDate",
		    jx_string(r->transaction_date));
	if (r->notes)
		jx_add(o, "notes", jx_string(r->notes));
	if (r->invoice_id)
		jx_add(o, "invoiceId", jx_int64(r->invoice_id));
	if (r->bank_account[0])
		jx_add(o, "bankAccountId",
		    jx_string(r->bank_account));
	if (r->bank_validation)
		jx_add(o, "bankValidation",
		    jx_bool(1));
	return o;
}
