/*
 * payana_api.c — seed 003 (Payana) at its own paths, with its api-key
 * header, over the one core:
 *   POST/GET   /public/api/v1/beneficiaries, GET/DELETE …/{reference}
 *   POST       /public/api/v1/payments, GET …/{reference}
 * A beneficiary is a customer with a public UUID reference (soft-deleted
 * here, never removed: payments name it); a payment creates its payable
 * (an invoice: issue and expiration dates, concept, balance) and a core
 * payment whose document is fetched from file_path.  Seed 003 documents
 * no error bodies, so errors follow API-CONVENTIONS (problem+json, 422
 * naming each field by its seed name).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/common.h"
#include "api/idempotency.h"
#include "api/payana_view.h"
#include "core/date.h"
#include "core/decimal.h"
#include "core/money.h"
#include "crypto/crypto.h"
#include "http/validate.h"
#include "jobs/pool.h"
#include "jobs/receipt_job.h"
#include "net/outbound.h"
#include "store/customers.h"
#include "store/invoices.h"
#include "store/payments.h"
#include "util/timefmt.h"
#include "util/jsonx.h"

static const char *const identifier_types[] = {"NIT", "CC", "CE", "RFC",
    "CURP", "DNI", "RUC", "CEDULA", "CUI", "NIT_CO", "PASAPORTE", NULL};
static const char *const currencies[] = {"USD", "COP", "MXN", "EUR", NULL};

static const struct field_rule beneficiary_rules[] = {
	{"name", FIELD_STRING, true, 200, NULL, 0, 0},
	{"identifier_type", FIELD_STRING, true, 0, identifier_types, 0, 0},
	{"identifier_number", FIELD_STRING, true, 32, NULL, 0, 0},
	{"email", FIELD_STRING, false, 254, NULL, 0, 0},
	{"idempotencyKey", FIELD_STRING, false, 255, NULL, 0, 0},
};

static bool
uuid_ok(const char *s)
{
	if (!s || strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		char c = s[i];
		if (dash ? c != '-' : !((c >= '0' && c <= '9') ||
		    (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return false;
	}
	return true;
}

static void
send_beneficiary(struct http_req *req, int status, const struct customer_row *c,
    const char *headers)
{
	json_object *o = payana_beneficiary_json(c);
	http_json(req, status, o, headers);
	json_object_put(o);
}

void
api_payana_beneficiaries_create(struct http_req *req)
{
	json_object *in = NULL;
	struct problem p;
	struct customer_row c;
	char ref[37], hdr[96];
	int64_t id;
	cb_err e;

	if (!http_json_body(req, &in))
		return;
	problem_init_invalid(&p);
	VALIDATE_OBJECT(in, beneficiary_rules, &p);
	const char *email = api_member(in, "email");
	if (email && !strchr(email, '@'))
		problem_field(&p, "email", "invalid", "must be an email address");
	if (problem_count(&p)) {
		http_send_problem(req, &p, NULL);
		goto done;
	}
	const char *type = api_member(in, "identifier_type");
	const char *number = api_member(in, "identifier_number");
	if ((e = crypto_uuid_v4(ref)) != CB_OK) {
		http_fail(req, e);
		goto done;
	}
	if (!api_begin(req))
		goto done;
	/* The caller's own customers only: another client's payer with
	 * the same document is another customer (core/ownership.h). */
	e = customers_by_document(req->db, req->who.key_id, type, number, &c);
	if (e == CB_OK && c.public_ref[0]) {
		api_rollback(req);
		char why[160];
		snprintf(why, sizeof why, "beneficiary %s has this identifier%s",
		    c.public_ref, c.deleted_at[0] ? " (deleted)" : "");
		problem_field(&p, "identifier_number", "taken", why);
		p.status = 409;
		http_send_problem(req, &p, NULL);
		goto done;
	}
	if (e == CB_OK)
		id = c.id; /* a customer of the core API becomes a beneficiary */
	else if (e == CB_ENOTFOUND)
		e = customers_insert(req->db, api_member(in, "name"), type, number,
		    email, req->who.key_id, &id);
	if (e == CB_OK)
		e = customers_set_ref(req->db, id, ref);
	if (e == CB_OK)
		e = customers_by_ref(req->db, ref, 0, &c);
	if (e != CB_OK) {
		api_rollback(req);
		http_fail(req, e == CB_EEXIST ? CB_ECONFLICT : e);
		goto done;
	}
	char target[48];
	snprintf(target, sizeof target, "customer:%lld", (long long)id);
	api_activity(req, target, ref);
	if (!api_commit(req))
		goto done;
	snprintf(hdr, sizeof hdr, "Location: /public/api/v1/beneficiaries/%s\r\n",
	    ref);
	send_beneficiary(req, 201, &c, hdr);
done:
	problem_free(&p);
	json_object_put(in);
}

static bool
beneficiary(struct http_req *req, struct customer_row *c)
{
	const char *ref = route_param(&req->params, "reference");
	cb_err e = uuid_ok(ref) ? customers_by_ref(req->db, ref,
	    api_client_scope(req), c) :
	    CB_ENOTFOUND;
	if (e != CB_OK)
		http_fail(req, e);
	return e == CB_OK;
}

void
api_payana_beneficiaries_get(struct http_req *req)
{
	struct customer_row c;
	if (beneficiary(req, &c))
		send_beneficiary(req, 200, &c, NULL);
}

void
api_payana_beneficiaries_delete(struct http_req *req)
{
	struct customer_row c;
	if (!beneficiary(req, &c))
		return;
	cb_err e = customers_soft_delete(req->db, c.public_ref,
	    api_client_scope(req));
	if (e == CB_OK)
		e = customers_by_ref(req->db, c.public_ref, api_client_scope(req), &c);
	if (e != CB_OK) {
		http_fail(req, e);
		return;
	}
	api_activity(req, "beneficiary", c.public_ref);
	send_beneficiary(req, 200, &c, NULL);
}

static cb_err
add_beneficiary(const struct customer_row *c, void *arg)
{
	jx_push(arg, payana_beneficiary_json(c));
	return CB_OK;
}

void
api_payana_beneficiaries_list(struct http_req *req)
{
	struct problem p;
	int limit;
	int64_t before;
	problem_init(&p, 422, "validation", "Unprocessable Content", NULL);
	api_page_params(req, &limit, &before, &p);
	if (problem_count(&p)) {
		http_send_problem(req, &p, NULL);
		return;
	}
	problem_free(&p);
	json_object *arr = jx_array();
	cb_err e = customers_list_refs(req->db, api_client_scope(req), before,
	    limit, add_beneficiary, arr);
	if (e != CB_OK) {
		json_object_put(arr);
		http_fail(req, e);
		return;
	}
	http_json(req, 200, arr, NULL);
	json_object_put(arr);
}

/* ---- payments ---- */

static const struct field_rule payment_rules[] = {
	{"beneficiary_reference", FIELD_STRING, true, 36, NULL, 0, 0},
	{"amount", FIELD_ANY, true, 0, NULL, 0, 0},
	{"amount_currency", FIELD_STRING, true, 0, currencies, 0, 0},
	{"exchange_rate", FIELD_ANY, false, 0, NULL, 0, 0},
	{"exchange_currency", FIELD_STRING, false, 0, currencies, 0, 0},
	{"file_path", FIELD_STRING, true, 2000, NULL, 0, 0},
	{"payable_payload", FIELD_ANY, true, 0, NULL, 0, 0},
	{"idempotencyKey", FIELD_STRING, false, 255, NULL, 0, 0},
};

static const struct field_rule payable_rules[] = {
	{"issue_date", FIELD_STRING, true, 10, NULL, 0, 0},
	{"expiration_date", FIELD_STRING, true, 10, NULL, 0, 0},
	{"concept", FIELD_STRING, false, 500, NULL, 0, 0},
};

/* The whole payment answer: the payment, its beneficiary, its payable and
 * when it was paid. */
static cb_err
payment_answer(struct http_req *req, const struct payment_row *r,
    json_object **out)
{
	struct customer_row c;
	struct invoice_row inv;
	char paid[32];
	struct db_conn *db = req->db;
	cb_err e = customers_get(db, r->customer_id, 0, &c);
	bool has_inv = false;
	if (e == CB_OK && r->invoice_id) {
		e = invoices_get(db, r->invoice_id, 0, &inv);
		has_inv = e == CB_OK;
	}
	if (e == CB_OK)
		e = payments_paid_at(db, r->id, paid);
	if (e == CB_OK)
		*out = payana_payment_json(r, &c, has_inv ? &inv : NULL, paid,
		    req->cfg->public_url);
	return e;
}

/* payable_payload: its own members, pointers under #/payable_payload/. */
static void
check_payable(json_object *pp, struct ymd *issue, struct ymd *expiry,
    struct problem *p)
{
	struct problem q;
	if (!json_object_is_type(pp, json_type_object)) {
		problem_field(p, "payable_payload", "invalid", "must be an object");
		return;
	}
	problem_init(&q, 422, "validation", "", NULL);
	VALIDATE_OBJECT(pp, payable_rules, &q);
	size_t n = q.errors ? json_object_array_length(q.errors) : 0;
	for (size_t i = 0; i < n; i++) {
		json_object *err = json_object_array_get_idx(q.errors, i), *x;
		const char *ptr = json_object_object_get_ex(err, "pointer", &x) ?
		    json_object_get_string(x) : "#/";
		const char *code = json_object_object_get_ex(err, "code", &x) ?
		    json_object_get_string(x) : "invalid";
		const char *detail = json_object_object_get_ex(err, "detail", &x) ?
		    json_object_get_string(x) : "";
		char field[140];
		snprintf(field, sizeof field, "payable_payload/%s",
		    strncmp(ptr, "#/", 2) == 0 ? ptr + 2 : ptr);
		problem_field(p, field, code, detail);
	}
	problem_free(&q);
	const char *is = api_member(pp, "issue_date");
	const char *ex = api_member(pp, "expiration_date");
	bool ok = true;
	if (is && date_parse(is, issue) != CB_OK) {
		problem_field(p, "payable_payload/issue_date", "invalid",
		    "a real day written YYYY-MM-DD");
		ok = false;
	}
	if (ex && date_parse(ex, expiry) != CB_OK) {
		problem_field(p, "payable_payload/expiration_date", "invalid",
		    "a real day written YYYY-MM-DD");
		ok = false;
	}
	if (ok && is && ex && date_cmp(expiry, issue) < 0)
		problem_field(p, "payable_payload/expiration_date", "before_issue",
		    "must not be before issue_date");
}

void
api_payana_payments_create(struct http_req *req)
{
	json_object *in = NULL, *resp = NULL, *v, *pp = NULL;
	struct problem p;
	struct idem st = {0};
	struct customer_row ben;
	struct payment_row row = {0};
	struct ymd issue = {0}, expiry = {0};
	char pref[37], iref[37], number[48], rate_text[41] = "", actor[24];
	char issue_s[11], expiry_s[11];
	int64_t whole = 0, minor = 0, inv_id = 0;
	cb_err e;

	if (!http_json_body(req, &in))
		return;
	problem_init_invalid(&p);
	VALIDATE_OBJECT(in, payment_rules, &p);
	const char *bref = api_member(in, "beneficiary_reference");
	const char *ccy = api_member(in, "amount_currency");
	bool have_ben = false;
	if (bref && !uuid_ok(bref))
		problem_field(&p, "beneficiary_reference", "invalid", "must be a UUID");
	else if (bref) {
		e = customers_by_ref(req->db, bref, api_client_scope(req), &ben);
		if (e == CB_ENOTFOUND)
			problem_field(&p, "beneficiary_reference", "not_found",
			    "no beneficiary has this reference");
		else if (e != CB_OK) {
			http_fail(req, e);
			goto done;
		} else if (ben.deleted_at[0])
			problem_field(&p, "beneficiary_reference", "deleted",
			    "the beneficiary was deleted");
		else
			have_ben = true;
	}
	/* amount: an integer ≥ 1, in whole units of the currency. */
	if (json_object_object_get_ex(in, "amount", &v) &&
	    !json_object_is_type(v, json_type_null)) {
		if (!json_object_is_type(v, json_type_int) ||
		    (whole = json_object_get_int64(v)) < 1)
			problem_field(&p, "amount", "invalid",
			    "must be an integer of at least 1");
		else if (whole > 100000000000LL)
			problem_field(&p, "amount", "too_large", "must be below 10^11");
		else if (ccy) {
			minor = whole * currency_scale(ccy);
		}
	}
	if (json_object_object_get_ex(in, "exchange_rate", &v) &&
	    !json_object_is_type(v, json_type_null)) {
		struct dec d;
		if ((!json_object_is_type(v, json_type_int) &&
		    !json_object_is_type(v, json_type_double)) ||
		    dec_parse(json_object_get_string(v), false, &d) != CB_OK ||
		    d.units <= 0)
			problem_field(&p, "exchange_rate", "invalid",
			    "must be a positive number with at most 9 decimals");
		else
			dec_format(&d, rate_text, sizeof rate_text);
	}
	const char *url = api_member(in, "file_path");
	const char *code;
	char why[300];
	if (url && outbound_url_judge(req->cfg, false, url, &code, why,
	    sizeof why) != CB_OK)
		problem_field(&p, "file_path", code, why);
	if (json_object_object_get_ex(in, "payable_payload", &pp) &&
	    !json_object_is_type(pp, json_type_null))
		check_payable(pp, &issue, &expiry, &p);
	if (problem_count(&p)) {
		http_send_problem(req, &p, NULL);
		goto done;
	}
	if ((e = crypto_uuid_v4(pref)) != CB_OK ||
	    (e = crypto_uuid_v4(iref)) != CB_OK) {
		http_fail(req, e);
		goto done;
	}
	(void)have_ben;
	date_format(&issue, issue_s);
	date_format(&expiry, expiry_s);
	if (!idem_txn_begin(req, in, IDEM_CREATE, &st))
		goto done;
	/* The payable: an invoice of the beneficiary for the amount. */
	snprintf(number, sizeof number, "PAYANA-%.8s", iref);
	struct invoice_new n = {.customer_id = ben.id, .number = number,
	    .currency = ccy, .amount_minor = minor, .issue_date = issue_s,
	    .due_date = expiry_s, .concept = api_member(pp, "concept"),
	    .public_ref = iref, .payable_type = "invoice"};
	if ((e = invoices_insert(req->db, &n, &inv_id)) != CB_OK)
		goto fail;
	struct payment_fields f = {.customer_id = ben.id, .invoice_id = inv_id,
	    .has_amount = true, .amount_minor = minor, .currency = ccy,
	    .receipt_url = url, .surface = "payana", .public_ref = pref,
	    .exchange_rate = rate_text[0] ? rate_text : NULL,
	    .exchange_currency = api_member(in, "exchange_currency")};
	char now[32];
	time_now_db(now, sizeof now);
	if ((e = payments_insert(req->db, &f, req->who.key_id, now, &row)) != CB_OK)
		goto fail;
	struct payment_event ev = {.payment_id = row.id, .kind = "created",
	    .to_status = "pendiente", .version = 1,
	    .reason = "registered through Payana (seed 003)"};
	api_event_actor(req, &ev, actor, sizeof actor);
	if ((e = payment_events_insert(req->db, &ev)) != CB_OK ||
	    (e = receipt_job_enqueue(req->db, row.id,
	        (unsigned)req->cfg->job_max_attempts)) != CB_OK ||
	    (e = payment_answer(req, &row, &resp)) != CB_OK)
		goto fail;
	char target[40], hdr[96];
	snprintf(target, sizeof target, "payment:%lld", (long long)row.id);
	snprintf(hdr, sizeof hdr, "Location: /public/api/v1/payments/%s\r\n", pref);
	idem_txn_finish(req, &st, target, NULL, 201, resp, hdr);
	job_pool_wake(req->jobs);
	goto done;
fail:
	idem_txn_abort(req, &st, e);
done:
	payment_row_release(&row);
	problem_free(&p);
	json_object_put(resp);
	json_object_put(in);
}

void
api_payana_payments_get(struct http_req *req)
{
	struct payment_row r;
	json_object *o = NULL;
	const char *ref = route_param(&req->params, "reference");
	cb_err e = uuid_ok(ref) ? payments_by_public_ref(req->db, ref, api_client_scope(req),
	    &r) : CB_ENOTFOUND;
	if (e != CB_OK) {
		http_fail(req, e);
		return;
	}
	if ((e = payment_answer(req, &r, &o)) != CB_OK)
		http_fail(req, e);
	else
		http_json(req, 200, o, NULL);
	json_object_put(o);
	payment_row_release(&r);
}
