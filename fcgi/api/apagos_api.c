/*
 * apagos_api.c — seed 002 (aPagos), to the letter, over the one core:
 *   POST /apagos/unchecked_payment/register
 *   POST /apagos/unchecked_payment/cancel/{request_id}
 *   GET  /apagos/unchecked_payment/info/{request_id}
 * Bearer API keys as everywhere; invalid data is 400 with a plain string
 * body, as the seed documents; 404 for a request_id the caller does not
 * own.  A voucher is a core payment with bank validation asked for: the
 * referential amount, date and operation number are corrected from the
 * bank's record when it is matched (VALIDATED), the receipt is fetched
 * from its URL by the receipt.fetch job, and the webhook callback carries
 * the info object (api/apagos_view.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "api/apagos_view.h"
#include "api/common.h"
#include "core/date.h"
#include "core/money.h"
#include "crypto/crypto.h"
#include "jobs/match_job.h"
#include "jobs/pool.h"
#include "jobs/receipt_job.h"
#include "jobs/reconcile_record.h"
#include "net/outbound.h"
#include "store/customers.h"
#include "store/jobs.h"
#include "store/payment_status.h"
#include "store/payments.h"
#include "util/buf.h"
#include "util/codec.h"
#include "util/log.h"
#include "util/timefmt.h"
#include "util/jsonx.h"

#define REQUEST_ID_LEN 24

/* A plain-text answer: seed 002's "a string describing the error". */
static void
say(struct http_req *req, int status, const char *text)
{
	http_send(req, status, "text/plain; charset=utf-8", NULL, text,
	    strlen(text));
}

/* Every problem of the request, as one sentence. */
struct complaints {
	char text[1024];
	size_t len;
};

static void
complain(struct complaints *c, const char *field, const char *fmt, ...)
{
	va_list ap;
	if (c->len >= sizeof c->text - 1)
		return;
	c->len += (size_t)snprintf(c->text + c->len, sizeof c->text - c->len,
	    "%s%s: ", c->len ? "; " : "", field);
	if (c->len >= sizeof c->text - 1)
		return;
	va_start(ap, fmt);
	c->len += (size_t)vsnprintf(c->text + c->len, sizeof c->text - c->len,
	    fmt, ap);
	va_end(ap);
	if (c->len > sizeof c->text - 1)
		c->len = sizeof c->text - 1;
}

/* A required (or optional) text member (api_text's rules) of at most max
 * bytes; NULL when absent or refused, after complaining. */
static const char *
member(json_object *in, const char *name, bool required, size_t max,
    struct complaints *c)
{
	bool bad;
	const char *s = api_text(in, name, false, &bad);
	if (bad)
		complain(c, name, "must be UTF-8 text without control characters");
	else if (!s && required)
		complain(c, name, "is required");
	else if (s && strlen(s) > max)
		complain(c, name, "is longer than %zu characters", max);
	else
		return s;
	return NULL;
}

static void
url_member(struct http_req *req, json_object *in, const char *name,
    const char **out, struct complaints *c)
{
	const char *code;
	char why[300];
	*out = member(in, name, true, 2000, c);
	if (!*out)
		return;
	if (outbound_url_judge(req->cfg, false, *out, &code, why, sizeof why) !=
	    CB_OK) {
		complain(c, name, "%s", why);
		*out = NULL;
	}
}

/* An ObjectId-like id: 4 bytes of the time, 8 random. */
static cb_err
request_id_new(char out[REQUEST_ID_LEN + 1])
{
	unsigned char raw[12];
	uint32_t t = (uint32_t)time(NULL);
	raw[0] = (unsigned char)(t >> 24);
	raw[1] = (unsigned char)(t >> 16);
	raw[2] = (unsigned char)(t >> 8);
	raw[3] = (unsigned char)t;
	cb_err e = crypto_random(raw + 4, 8);
	if (e == CB_OK)
		hex_encode(raw, sizeof raw, out);
	return e;
}

static bool
request_id_ok(const char *s)
{
	if (!s || strlen(s) != REQUEST_ID_LEN)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

static void
answer_request_id(struct http_req *req, int status, const char *rid)
{
	json_object *o = jx_object();
	jx_add(o, "request_id", jx_string(rid));
	http_json(req, status, o, NULL);
	json_object_put(o);
}

/* The same order_id again: the same voucher is a retry (its request_id
 * again); different data is an error. */
static bool
same_voucher(const struct payment_row *r, int64_t amount, const char *date,
    const char *op, const char *account, const char *receipt)
{
	return r->has_amount && (r->has_voucher_amount ? r->voucher_amount_minor :
	    r->amount_minor) == amount && !strcmp(r->voucher_date[0] ?
	    r->voucher_date : r->transaction_date, date) &&
	    !strcmp(r->reference, op) && !strcmp(r->bank_account, account) &&
	    r->receipt_url && !strcmp(r->receipt_url, receipt);
}

void
api_apagos_register(struct http_req *req)
{
	json_object *in = NULL, *v;
	struct complaints c = {0};
	struct payment_fields f = {0};
	struct payment_row row = {0}, prior;
	struct payment_refs refs;
	struct ymd day;
	char rid[REQUEST_ID_LEN + 1], date[11], actor[24], *extra = NULL;
	int64_t customer = 0;
	cb_err e;

	if (!http_json_body_plain(req, &in))
		return;
	/* Amount first read as text: its currency is the account's. */
	const char *amount_text = NULL;
	if (!json_object_object_get_ex(in, "amount", &v) ||
	    json_object_is_type(v, json_type_null))
		complain(&c, "amount", "is required");
	else if (!json_object_is_type(v, json_type_int) &&
	    !json_object_is_type(v, json_type_double))
		complain(&c, "amount", "must be a number");
	else
		amount_text = json_object_get_string(v);
	const char *d = member(in, "date", true, 10, &c);
	if (d && date_parse(d, &day) != CB_OK)
		complain(&c, "date", "must be a real day written YYYY-MM-DD");
	const char *op = member(in, "operation_number", true, 64, &c);
	const char *account = member(in, "bank_account_id", true, 64, &c);
	const char *order = member(in, "order_id", true, 64, &c);
	const char *webhook, *receipt;
	url_member(req, in, "webhook", &webhook, &c);
	const char *dni = member(in, "customer_dni", true, 32, &c);
	const char *name = member(in, "customer_fullname", true, 200, &c);
	url_member(req, in, "receipt", &receipt, &c);
	const char *detail = member(in, "detail", false, 500, &c);
	if (json_object_object_get_ex(in, "extra", &v) &&
	    !json_object_is_type(v, json_type_null)) {
		if (!json_object_is_type(v, json_type_object))
			complain(&c, "extra", "must be an object");
		else if (!(extra = strdup(json_object_to_json_string_ext(v,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)))) {
			http_fail(req, CB_ENOMEM);
			goto done;
		} else if (strlen(extra) > 16384)
			complain(&c, "extra", "is larger than 16384 bytes");
	}
	if ((e = payments_lookup_refs(req->db, api_client_scope(req), 0, NULL, 0,
	         account, &refs)) != CB_OK) {
		http_fail(req, e);
		goto done;
	}
	if (account && !refs.bank_account_id)
		complain(&c, "bank_account_id", "%s is not one of the registered"
		    " accounts", account);
	int64_t minor = 0;
	if (amount_text && refs.bank_account_id) {
		int exp = currency_exponent(refs.bank_account_currency);
		switch (money_parse(amount_text, exp, &minor)) {
		case MONEY_OK:
			break;
		case MONEY_TOO_PRECISE:
			complain(&c, "amount", "%s takes at most %d decimals",
			    refs.bank_account_currency, exp);
			break;
		case MONEY_NOT_POSITIVE:
			complain(&c, "amount", "must be greater than zero");
			break;
		default:
			complain(&c, "amount", "must be a plain decimal number");
			break;
		}
	}
	if (c.len) {
		say(req, 400, c.text);
		goto done;
	}
	date_format(&day, date);
	/* order_id is unique per client: a retry gets its request_id again. */
	e = payments_by_order_id(req->db, req->who.key_id, order, &prior);
	if (e == CB_OK) {
		if (same_voucher(&prior, minor, date, op, refs.bank_account,
		    receipt))
			answer_request_id(req, 200, prior.request_id);
		else {
			char msg[200];
			snprintf(msg, sizeof msg, "order_id: %.64s is already used by"
			    " request %s", order, prior.request_id);
			say(req, 400, msg);
		}
		payment_row_release(&prior);
		goto done;
	}
	if (e != CB_ENOTFOUND) {
		http_fail(req, e);
		goto done;
	}
	if ((e = request_id_new(rid)) != CB_OK) {
		http_fail(req, e);
		goto done;
	}
	if (!api_begin(req))
		goto done;
	if ((e = customers_find_or_insert(req->db, name, "DNI", dni,
	    req->who.key_id, &customer)) != CB_OK)
		goto fail;
	f.customer_id = customer;
	f.bank_account_id = refs.bank_account_id;
	f.bank_account = refs.bank_account;
	f.has_amount = true;
	f.amount_minor = minor;
	f.currency = refs.bank_account_currency;
	f.reference = op;
	f.transaction_date = date;
	f.notes = detail;
	f.bank_validation = true;
	f.webhook_url = webhook;
	f.receipt_url = receipt;
	f.surface = "apagos";
	f.request_id = rid;
	f.client_order_id = order;
	f.extra = extra;
	char now[32];
	time_now_db(now, sizeof now);
	if ((e = payments_insert(req->db, &f, req->who.key_id, now, &row)) !=
	    CB_OK)
		goto fail;
	struct payment_event ev = {.payment_id = row.id, .kind = "created",
	    .to_status = "pendiente", .version = 1,
	    .reason = "registered through aPagos (seed 002)"};
	api_event_actor(req, &ev, actor, sizeof actor);
	char target[40];
	snprintf(target, sizeof target, "payment:%lld", (long long)row.id);
	if ((e = payment_events_insert(req->db, &ev)) != CB_OK ||
	    (e = receipt_job_enqueue(req->db, row.id,
	        (unsigned)req->cfg->job_max_attempts)) != CB_OK ||
	    (e = jobs_nudge(req->db, MATCH_JOB_KIND, MATCH_NUDGE_SECONDS)) != CB_OK)
		goto fail;
	api_activity(req, target, order);
	if (!api_commit(req))
		goto done;
	job_pool_wake(req->jobs);
	answer_request_id(req, 200, rid);
	goto done;
fail:
	api_rollback(req);
	if (e == CB_EEXIST) /* the same order_id, registered just now */
		say(req, 400, "order_id: is already used by another request");
	else
		http_fail(req, e);
done:
	payment_row_release(&row);
	free(extra);
	json_object_put(in);
}

/* The caller's voucher named in the path; false after answering 404. */
static bool
voucher(struct http_req *req, struct payment_row *r)
{
	const char *rid = route_param(&req->params, "request_id");
	cb_err e = request_id_ok(rid) ? payments_by_request_id(req->db, rid,
	    api_client_scope(req), r) : CB_ENOTFOUND;
	if (e == CB_OK && strcmp(r->surface, "apagos") != 0) {
		payment_row_release(r);
		e = CB_ENOTFOUND;
	}
	if (e == CB_ENOTFOUND)
		say(req, 404, "there is no voucher with this request_id");
	else if (e != CB_OK)
		http_fail(req, e);
	return e == CB_OK;
}

void
api_apagos_info(struct http_req *req)
{
	struct payment_row r;
	if (!voucher(req, &r))
		return;
	json_object *o = apagos_info_json(&r);
	http_json(req, 200, o, NULL);
	json_object_put(o);
	payment_row_release(&r);
}

static void
cancel_refused(struct http_req *req, const char *status, const char *detail)
{
	json_object *o = jx_object(), *x = jx_object();
	jx_add(o, "canceled", jx_bool(0));
	jx_add(o, "error_code", jx_string(
	    "invalid_status"));
	jx_add(o, "error_detail", jx_string(detail));
	jx_add(x, "status", jx_string(status));
	jx_add(o, "extra_data", x);
	http_json(req, 400, o, NULL);
	json_object_put(o);
}

static const char *const apagos_statuses[] = {"PENDING", "VALIDATED",
    "INVALID", "CANCELED", NULL};

void
api_apagos_cancel(struct http_req *req)
{
	json_object *in = NULL;
	struct complaints c = {0};
	struct payment_row r = {0}, now;
	char actor[24], detail[300];
	bool changed;
	cb_err e;

	if (!http_json_body_plain(req, &in))
		return;
	const char *expected = member(in, "expected_status", true, 16, &c);
	bool known = false;
	for (const char *const *s = apagos_statuses; expected && *s; s++)
		known = known || !strcmp(*s, expected);
	if (expected && !known)
		complain(&c, "expected_status", "must be one of PENDING, VALIDATED,"
		    " INVALID, CANCELED");
	if (c.len) {
		say(req, 400, c.text);
		goto done;
	}
	if (!voucher(req, &r))
		goto done;
	const char *status = apagos_status(r.status);
	if (strcmp(status, expected) != 0) {
		snprintf(detail, sizeof detail, "The payment was expected to be in"
		    " status %s but was in status %s", expected, status);
		cancel_refused(req, status, detail);
		goto done;
	}
	if (!strcmp(status, "CANCELED"))
		goto canceled; /* already: a retry */
	/* PENDING (pendiente, validado), VALIDATED (conciliado: its movement
	 * is released) and INVALID (rechazado) are canceled as the seed says.
	 * What money has moved for (in ACH, applied to an invoice, reversed)
	 * the core lifecycle cannot undo: refused in seed 002's words. */
	enum pay_status from = pay_status_parse(r.status);
	if (from != PS_CONCILIADO && !pay_transition_allowed(from, PS_CANCELADO)) {
		snprintf(detail, sizeof detail, "The payment is in status %s (%s"
		    " here) and can no longer be canceled", status, r.status);
		cancel_refused(req, status, detail);
		goto done;
	}
	struct payment_event who = {0};
	api_event_actor(req, &who, actor, sizeof actor);
	who.reason = "canceled by the client through aPagos (seed 002)";
	if (!api_begin(req))
		goto done;
	if (!strcmp(r.status, "conciliado")) {
		/* Release the bank movement it held, then cancel. */
		struct reconcile_diff d;
		if ((e = reconcile_undo(req->db, r.id, r.version, false, &who,
		    who.reason, &d, NULL, &changed)) != CB_OK)
			goto fail;
		if (!changed) {
			api_rollback(req);
			say(req, 409, "the voucher changed meanwhile; ask for its info"
			    " and try again");
			goto done;
		}
	}
	if ((e = payments_change_status(req->db, r.id, PS_CANCELADO,
	    from == PS_CONCILIADO ? "pendiente" : r.status, 0, &who, &changed,
	    &now)) != CB_OK)
		goto fail;
	if (!changed) {
		api_rollback(req);
		say(req, 409, "the voucher changed meanwhile; ask for its info and"
		    " try again");
		goto done;
	}
	payment_row_release(&now);
	char target[40];
	snprintf(target, sizeof target, "payment:%lld", (long long)r.id);
	api_activity(req, target, expected);
	if (!api_commit(req))
		goto done;
canceled:;
	json_object *o = jx_object();
	jx_add(o, "canceled", jx_bool(1));
	http_json(req, 200, o, NULL);
	json_object_put(o);
	goto done;
fail:
	api_rollback(req);
	http_fail(req, e);
done:
	payment_row_release(&r);
	json_object_put(in);
}
