/*
 * detail.c — the payment detail page (GET /payments/{id}): every field,
 * the document, the duplicates either way and the full history, each
 * event with who (user, API key or the system), when, from which address
 * and what changed.
 */
#include <stdio.h>
#include <string.h>

#include "api/common.h"
#include "http/response.h"
#include "store/customers.h"
#include "store/payments.h"
#include "store/review.h"
#include "web/pages.h"
#include "web/web.h"
#include "util/jsonx.h"

#define MAX_DUPS 20

static json_object *
str(const char *s)
{
	return s && *s ? jx_string(s) : NULL;
}

static void
row(struct http_req *req, json_object *rows, const char *label,
    json_object *value)
{
	json_object *r = jx_object();
	jx_add(r, "label", jx_string(
	    web_msg(req, label)));
	jx_add(r, "value", value);
	jx_push(rows, r);
}

static json_object *
status_text(struct http_req *req, const char *status)
{
	char key[40];
	if (!status || !*status)
		return NULL;
	snprintf(key, sizeof key, "status_%s", status);
	return jx_string(web_msg(req, key));
}

struct history {
	struct http_req *req;
	json_object *events;
};

static cb_err
add_event(const struct payment_event_row *r, void *arg)
{
	struct history *h = arg;
	struct http_req *req = h->req;
	json_object *e = jx_object();
	char key[48], who[200];
	snprintf(key, sizeof key, "event_%s", r->kind ? r->kind : "");
	jx_add(e, "what", jx_string(
	    web_msg(req, key)));
	jx_add(e, "at", web_time(r->at));
	snprintf(key, sizeof key, "actor_%s", r->actor_type ? r->actor_type : "");
	snprintf(who, sizeof who, "%s %s (#%s)", web_msg(req, key),
	    r->actor_name ? r->actor_name : "", r->actor_id ? r->actor_id : "");
	jx_add(e, "who", jx_string(who));
	jx_add(e, "addr", str(r->remote_addr));
	jx_add(e, "requestId", str(r->request_id));
	jx_add(e, "from", status_text(req, r->from_status));
	jx_add(e, "to", status_text(req, r->to_status));
	jx_add(e, "moved", jx_bool(
	    r->from_status && r->to_status && strcmp(r->from_status,
	    r->to_status) != 0));
	jx_add(e, "reason", web_reasons(req, r->reason));
	jx_add(e, "version", jx_int64(r->version));
	json_object *changes = jx_array();
	json_object *ch = r->changes ? json_tokener_parse(r->changes) : NULL;
	if (!json_object_is_type(ch, json_type_object)) {
		json_object_put(ch);
		ch = jx_object();
	}
	json_object_object_foreach(ch, field, v) {
		json_object *c = jx_object(), *o = NULL, *n = NULL;
		json_object_object_get_ex(v, "old", &o);
		json_object_object_get_ex(v, "new", &n);
		jx_add(c, "field", jx_string(field));
		jx_add(c, "old", o ? jx_string(
		    json_object_get_string(o)) : NULL);
		jx_add(c, "new", n ? jx_string(
		    json_object_get_string(n)) : NULL);
		jx_push(changes, c);
	}
	json_object_put(ch);
	jx_add(e, "changes", changes);
	jx_push(h->events, e);
	return CB_OK;
}

static json_object *
payment_link(int64_t id, const char *prefix)
{
	json_object *l = jx_object();
	char u[64];
	snprintf(u, sizeof u, "%s%lld", prefix, (long long)id);
	jx_add(l, "id", jx_int64(id));
	jx_add(l, "url", jx_string(u));
	return l;
}

void
web_payment(struct http_req *req)
{
	struct session s;
	struct payment_row p;
	struct customer_row cu;
	int64_t id, dups[MAX_DUPS];
	size_t ndups = 0;
	if (!web_session(req, &s)) {
		web_redirect(req, "/login", NULL);
		return;
	}
	if (!api_path_payment(req, &id, &p))
		return;
	struct history h = {req, jx_array()};
	cb_err e = payment_events_list(req->db, id, add_event, &h);
	if (e == CB_OK)
		e = review_duplicates(req->db, id, dups, MAX_DUPS, &ndups);
	if (e == CB_OK && (e = customers_get(req->db, p.customer_id, 0, &cu)) ==
	    CB_ENOTFOUND) {
		cu.name[0] = '\0';
		e = CB_OK;
	}
	if (e != CB_OK) {
		json_object_put(h.events);
		payment_row_release(&p);
		http_fail(req, e);
		return;
	}
	json_object *m = web_model(&s), *rows = jx_array();
	char cust[900];
	snprintf(cust, sizeof cust, "%s (#%lld)", cu.name, (long long)p.customer_id);
	row(req, rows, "f_status", status_text(req, p.status));
	row(req, rows, "f_customer", jx_string(cust));
	row(req, rows, "col_amount", p.has_amount ?
	    api_money(p.amount_minor, p.currency) : NULL);
	row(req, rows, "f_currency", str(p.currency));
	row(req, rows, "f_date", str(p.transaction_date));
	row(req, rows, "col_reference", str(p.reference));
	row(req, rows, "col_bank", str(p.bank_code));
	row(req, rows, "f_method", str(p.payment_method));
	row(req, rows, "f_invoice", p.invoice_id ?
	    jx_int64(p.invoice_id) : NULL);
	row(req, rows, "f_notes", str(p.notes));
	row(req, rows, "f_review", jx_string(web_msg(req,
	    p.requires_manual_review ? "yes" : "no")));
	row(req, rows, "col_reason", web_reasons(req, p.review_reason));
	row(req, rows, "f_ocr_status", str(p.ocr_status));
	row(req, rows, "col_received", web_time(p.created_at));
	row(req, rows, "f_updated", web_time(p.updated_at));
	row(req, rows, "f_version", jx_int64(p.version));
	json_object *pay = jx_object();
	jx_add(pay, "id", jx_int64(p.id));
	jx_add(pay, "rows", rows);
	jx_add(pay, "reviewUrl", strcmp(p.status, "pendiente") == 0
	    && p.requires_manual_review ? payment_link(p.id, "/review/") : NULL);
	if (p.document_key[0]) {
		char u[64];
		json_object *d = jx_object();
		snprintf(u, sizeof u, "/review/%lld/document", (long long)p.id);
		jx_add(d, "url", jx_string(u));
		jx_add(d, "name", jx_string(
		    p.document_name));
		jx_add(d, "type", jx_string(
		    p.document_type));
		jx_add(d, "sha256", jx_string(
		    p.document_sha256));
		jx_add(pay, "document", d);
	}
	jx_add(pay, "duplicateOf", p.duplicate_of ?
	    payment_link(p.duplicate_of, "/payments/") : NULL);
	json_object *dl = jx_array();
	for (size_t i = 0; i < ndups; i++)
		jx_push(dl, payment_link(dups[i], "/payments/"));
	jx_add(pay, "duplicates", dl);
	jx_add(m, "payment", pay);
	jx_add(m, "events", h.events);
	payment_row_release(&p);
	web_page(req, 200, "payment.xhtml", m, NULL);
}
