/*
 * parties_api.c — /api/customers and /api/invoices: who pays, and what a
 * payment may be applied to.  Same envelope as payments
 * ({"success": true, "customer"|"invoice": …}), same idempotency.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/common.h"
#include "api/idempotency.h"
#include "core/date.h"
#include "core/money.h"
#include "http/query.h"
#include "http/validate.h"
#include "store/customers.h"
#include "store/invoices.h"
#include "util/jsonx.h"

static const char *const doc_types[] = {"NIT", "DNI", "RUC", "CEDULA", "CUI",
    "RFC", "CURP", "CC", "CE", "NIT_CO", "PASAPORTE", NULL};

static const struct field_rule customer_rules[] = {
	{"name", FIELD_STRING, true, 200, NULL, 0, 0},
	{"documentType", FIELD_STRING, true, 0, doc_types, 0, 0},
	{"documentId", FIELD_STRING, true, 32, NULL, 0, 0},
	{"email", FIELD_STRING, false, 254, NULL, 0, 0},
	{"idempotencyKey", FIELD_STRING, false, 255, NULL, 0, 0},
};

static json_object *
customer_json(const struct customer_row *r)
{
	json_object *o = jx_object();
	jx_add(o, "customerId", jx_int64(r->id));
	jx_add(o, "name", jx_string(r->name));
	jx_add(o, "documentType", jx_string(r->document_type));
	jx_add(o, "documentId", jx_string(r->document_id));
	jx_add(o, "email", api_str_or_null(r->email));
	jx_add(o, "createdAt", api_time(r->created_at));
	return o;
}

/* Simple shape check: one @, something on each side, a dot after it, no
 * spaces.  Deliverability is not ours to judge. */
static bool
email_ok(const char *e)
{
	const char *at = strchr(e, '@');
	return at && at != e && !strchr(at + 1, '@') && strchr(at + 1, '.') &&
	    at[1] != '.' && e[strlen(e) - 1] != '.' && !strpbrk(e, " \t<>\"");
}

void
api_customers_create(struct http_req *req)
{
	json_object *in = NULL, *resp = NULL;
	struct problem p;
	struct idem st = {0};
	struct customer_row row;
	int64_t id;
	cb_err e;

	if (!http_json_body(req, &in))
		return;
	problem_init_invalid(&p);
	VALIDATE_OBJECT(in, customer_rules, &p);
	const char *email = api_member(in, "email");
	if (email && !email_ok(email))
		problem_field(&p, "email", "invalid", "not an e-mail address");
	if (problem_count(&p)) {
		http_send_problem(req, &p, NULL);
		goto done;
	}
	if (!idem_txn_begin(req, in, IDEM_CREATE, &st))
		goto done;
	e = customers_insert(req->db, api_member(in, "name"), api_member(in, "documentType"),
	    api_member(in, "documentId"), email, req->who.key_id, &id);
	if (e == CB_EEXIST) {
		api_taken(req, &st, &p, "documentId",
		    "a customer with this document is already registered");
		goto done;
	}
	if (e != CB_OK || (e = customers_get(req->db, id, 0, &row)) != CB_OK) {
		idem_txn_abort(req, &st, e);
		goto done;
	}
	resp = api_wrap("customer", customer_json(&row));
	api_created(req, &st, "customer", "customers", id, resp);
done:
	problem_free(&p);
	json_object_put(resp);
	json_object_put(in);
}

void
api_customers_get(struct http_req *req)
{
	struct customer_row row;
	int64_t id;
	if (!api_path_id(req, "id", &id))
		return;
	cb_err e = customers_get(req->db, id, api_client_scope(req), &row);
	if (e != CB_OK) {
		http_fail(req, e);
		return;
	}
	json_object *o = api_wrap("customer", customer_json(&row));
	http_json(req, 200, o, NULL);
	json_object_put(o);
}

static cb_err
add_customer(const struct customer_row *r, void *arg)
{
	return api_page_add(arg, r->id, customer_json(r));
}

void
api_customers_list(struct http_req *req)
{
	struct problem p;
	int limit;
	int64_t before;
	problem_init(&p, 422, "validation", "Unprocessable Content", NULL);
	api_page_params(req, &limit, &before, &p);
	struct api_page pg;
	if (!api_page_ready(req, &p, &pg, limit))
		return;
	cb_err e = customers_list(req->db, api_client_scope(req), before,
	    limit + 1, add_customer, &pg);
	api_page_send(req, &pg, e, "customers");
}

/* ---- invoices ---------------------------------------------------------- */

static const struct field_rule invoice_rules[] = {
	{"number", FIELD_STRING, true, 64, NULL, 0, 0},
	{"issueDate", FIELD_STRING, true, 10, NULL, 0, 0},
	{"dueDate", FIELD_STRING, true, 10, NULL, 0, 0},
	{"concept", FIELD_STRING, false, 500, NULL, 0, 0},
	{"idempotencyKey", FIELD_STRING, false, 255, NULL, 0, 0},
};

static json_object *
invoice_json(const struct invoice_row *r)
{
	json_object *o = jx_object();
	jx_add(o, "invoiceId", jx_int64(r->id));
	jx_add(o, "customerId", jx_int64(r->customer_id));
	jx_add(o, "number", jx_string(r->number));
	jx_add(o, "amount", api_money(r->amount_minor, r->currency));
	jx_add(o, "balance", api_money(r->balance_minor, r->currency));
	jx_add(o, "currency", jx_string(r->currency));
	jx_add(o, "issueDate", jx_string(r->issue_date));
	jx_add(o, "dueDate", jx_string(r->due_date));
	jx_add(o, "concept", api_str_or_null(r->concept));
	jx_add(o, "createdAt", api_time(r->created_at));
	return o;
}

void
api_invoices_create(struct http_req *req)
{
	json_object *in = NULL, *resp = NULL, *v;
	struct problem p;
	struct idem st = {0};
	struct invoice_row row;
	struct invoice_new n = {0};
	struct ymd issue, due;
	int64_t id;
	cb_err e;
	char msg[128];

	if (!http_json_body(req, &in))
		return;
	problem_init_invalid(&p);
	/* customerId, amount and currency follow the payment rules. */
	static const char *const extra[] = {"customerId", "amount", "currency"};
	json_object *rest = jx_object();
	json_object_object_foreach(in, k, val) {
		bool skip = false;
		for (size_t i = 0; i < 3; i++)
			skip |= strcmp(k, extra[i]) == 0;
		if (!skip)
			jx_add(rest, k, json_object_get(val));
	}
	VALIDATE_OBJECT(rest, invoice_rules, &p);
	json_object_put(rest);
	if (!json_object_object_get_ex(in, "customerId", &v) ||
	    !api_json_id(v, &n.customer_id))
		problem_field(&p, "customerId", "missing", "a customer id is required");
	else {
		struct customer_row cr;
		if ((e = customers_get(req->db, n.customer_id, api_client_scope(req),
		         &cr)) == CB_ENOTFOUND)
			problem_field(&p, "customerId", "not_found", "no such customer");
		else if (e != CB_OK) {
			http_fail(req, e);
			goto done;
		}
	}
	const char *cur = api_member(in, "currency");
	const struct currency *c = currency_for(cur ? cur : "GTQ",
	    CURRENCY_NEW_MONEY, msg, sizeof msg);
	if (!c)
		problem_field(&p, "currency", "not_allowed", msg);
	n.currency = c ? c->code : "GTQ";
	if (!json_object_object_get_ex(in, "amount", &v) ||
	    json_object_is_type(v, json_type_null))
		problem_field(&p, "amount", "missing", "is required");
	else if (json_object_is_type(v, json_type_boolean) ||
	    json_object_is_type(v, json_type_object) ||
	    json_object_is_type(v, json_type_array) ||
	    money_parse(json_object_get_string(v), c ? c->exponent : 2,
	        &n.amount_minor) != MONEY_OK)
		problem_field(&p, "amount", "invalid",
		    "a positive amount with at most the currency's decimals");
	n.number = api_member(in, "number");
	n.issue_date = api_member(in, "issueDate");
	n.due_date = api_member(in, "dueDate");
	n.concept = api_member(in, "concept");
	bool dates = true;
	if (n.issue_date && date_parse(n.issue_date, &issue) != CB_OK) {
		problem_field(&p, "issueDate", "invalid", "a date as YYYY-MM-DD");
		dates = false;
	}
	if (n.due_date && date_parse(n.due_date, &due) != CB_OK) {
		problem_field(&p, "dueDate", "invalid", "a date as YYYY-MM-DD");
		dates = false;
	}
	if (dates && n.issue_date && n.due_date && date_cmp(&due, &issue) < 0)
		problem_field(&p, "dueDate", "before_issue",
		    "must not be before issueDate");
	if (problem_count(&p)) {
		http_send_problem(req, &p, NULL);
		goto done;
	}
	if (!idem_txn_begin(req, in, IDEM_CREATE, &st))
		goto done;
	e = invoices_insert(req->db, &n, &id);
	if (e == CB_EEXIST) {
		api_taken(req, &st, &p, "number",
		    "this customer already has an invoice with this number");
		goto done;
	}
	if (e != CB_OK || (e = invoices_get(req->db, id, 0, &row)) != CB_OK) {
		idem_txn_abort(req, &st, e);
		goto done;
	}
	resp = api_wrap("invoice", invoice_json(&row));
	api_created(req, &st, "invoice", "invoices", id, resp);
done:
	problem_free(&p);
	json_object_put(resp);
	json_object_put(in);
}

void
api_invoices_get(struct http_req *req)
{
	struct invoice_row row;
	int64_t id;
	if (!api_path_id(req, "id", &id))
		return;
	cb_err e = invoices_get(req->db, id, api_client_scope(req), &row);
	if (e != CB_OK) {
		http_fail(req, e);
		return;
	}
	json_object *o = api_wrap("invoice", invoice_json(&row));
	http_json(req, 200, o, NULL);
	json_object_put(o);
}

static cb_err
add_invoice(const struct invoice_row *r, void *arg)
{
	return api_page_add(arg, r->id, invoice_json(r));
}

void
api_invoices_list(struct http_req *req)
{
	struct problem p;
	int limit;
	int64_t before, customer;
	problem_init(&p, 422, "validation", "Unprocessable Content", NULL);
	api_page_params(req, &limit, &before, &p);
	api_query_id(req, "customerId", &customer, &p);
	struct api_page pg;
	if (!api_page_ready(req, &p, &pg, limit))
		return;
	cb_err e = invoices_list(req->db, api_client_scope(req), customer, before,
	    limit + 1, add_invoice, &pg);
	api_page_send(req, &pg, e, "invoices");
}
