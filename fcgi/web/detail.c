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

#define MAX_DUPS 20

static json_object *
str(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

static void
row(struct http_req *req, json_object *rows, const char *label,
    json_object *value)
{
	json_object *r = json_object_new_object();
	json_object_object_add(r, "label", json_object_new_string(
	    web_msg(req, label)));
	json_object_object_add(r, "value", value);
	json_object_array_add(rows, r);
}

static json_object *
status_text(struct http_req *req, const char *status)
{
	char key[40];
	if (!status || !*status)
		return NULL;
	snprintf(key, sizeof key, "status_%s", status);
	return json_object_new_string(web_msg(req, key));
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
	json_object *e = json_object_new_object();
	char key[48], who[200];
	snprintf(key, sizeof key, "event_%s", r->kind ? r->kind : "");
	json_object_object_add(e, "what", json_object_new_string(
	    web_msg(req, key)));
	json_object_object_add(e, "at", web_time(r->at));
	snprintf(key, sizeof key, "actor_%s", r->actor_type ? r->actor_type : "");
	snprintf(who, sizeof who, "%s %s (#%s)", web_msg(req, key),
	    r->actor_name ? r->actor_name : "", r->actor_id ? r->actor_id : "");
	json_object_object_add(e, "who", json_object_new_string(who));
	json_object_object_add(e, "addr", str(r->remote_addr));
	json_object_object_add(e, "requestId", str(r->request_id));
	json_object_object_add(e, "from", status_text(req, r->from_status));
	json_object_object_add(e, "to", status_text(req, r->to_status));
	json_object_object_add(e, "moved", json_object_new_boolean(
	    r->from_status && r->to_status && strcmp(r->from_status,
	    r->to_status) != 0));
	json_object_object_add(e, "reason", web_reasons(req, r->reason));
	json_object_object_add(e, "version", json_object_new_int64(r->version));
	json_object *changes = json_object_new_array();
	json_object *ch = r->changes ? json_tokener_parse(r->changes) : NULL;
	if (!json_object_is_type(ch, json_type_object)) {
		json_object_put(ch);
		ch = json_object_new_object();
	}
	json_object_object_foreach(ch, field, v) {
		json_object *c = json_object_new_object(), *o = NULL, *n = NULL;
		json_object_object_get_ex(v, "old", &o);
		json_object_object_get_ex(v, "new", &n);
		json_object_object_add(c, "field", json_object_new_string(field));
		json_object_object_add(c, "old", o ? json_object_new_string(
		    json_object_get_string(o)) : NULL);
		json_object_object_add(c, "new", n ? json_object_new_string(
		    json_object_get_string(n)) : NULL);
		json_object_array_add(changes, c);
	}
	json_object_put(ch);
	json_object_object_add(e, "changes", changes);
	return json_object_array_add(h->events, e) == 0 ? CB_OK : CB_ENOMEM;
}

static json_object *
payment_link(int64_t id, const char *prefix)
{
	json_object *l = json_object_new_object();
	char u[64];
	snprintf(u, sizeof u, "%s%lld", prefix, (long long)id);
	json_object_object_add(l, "id", json_object_new_int64(id));
	json_object_object_add(l, "url", json_object_new_string(u));
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
	struct history h = {req, json_object_new_array()};
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
	json_object *m = web_model(&s), *rows = json_object_new_array();
	char cust[900];
	snprintf(cust, sizeof cust, "%s (#%lld)", cu.name, (long long)p.customer_id);
	row(req, rows, "f_status", status_text(req, p.status));
	row(req, rows, "f_customer", json_object_new_string(cust));
	row(req, rows, "col_amount", p.has_amount ?
	    api_money(p.amount_minor, p.currency) : NULL);
	row(req, rows, "f_currency", str(p.currency));
	row(req, rows, "f_date", str(p.transaction_date));
	row(req, rows, "col_reference", str(p.reference));
	row(req, rows, "col_bank", str(p.bank_code));
	row(req, rows, "f_method", str(p.payment_method));
	row(req, rows, "f_invoice", p.invoice_id ?
	    json_object_new_int64(p.invoice_id) : NULL);
	row(req, rows, "f_notes", str(p.notes));
	row(req, rows, "f_review", json_object_new_string(web_msg(req,
	    p.requires_manual_review ? "yes" : "no")));
	row(req, rows, "col_reason", web_reasons(req, p.review_reason));
	row(req, rows, "f_ocr_status", str(p.ocr_status));
	row(req, rows, "col_received", web_time(p.created_at));
	row(req, rows, "f_updated", web_time(p.updated_at));
	row(req, rows, "f_version", json_object_new_int64(p.version));
	json_object *pay = json_object_new_object();
	json_object_object_add(pay, "id", json_object_new_int64(p.id));
	json_object_object_add(pay, "rows", rows);
	json_object_object_add(pay, "reviewUrl", strcmp(p.status, "pendiente") == 0
	    && p.requires_manual_review ? payment_link(p.id, "/review/") : NULL);
	if (p.document_key[0]) {
		char u[64];
		json_object *d = json_object_new_object();
		snprintf(u, sizeof u, "/review/%lld/document", (long long)p.id);
		json_object_object_add(d, "url", json_object_new_string(u));
		json_object_object_add(d, "name", json_object_new_string(
		    p.document_name));
		json_object_object_add(d, "type", json_object_new_string(
		    p.document_type));
		json_object_object_add(d, "sha256", json_object_new_string(
		    p.document_sha256));
		json_object_object_add(pay, "document", d);
	}
	json_object_object_add(pay, "duplicateOf", p.duplicate_of ?
	    payment_link(p.duplicate_of, "/payments/") : NULL);
	json_object *dl = json_object_new_array();
	for (size_t i = 0; i < ndups; i++)
		json_object_array_add(dl, payment_link(dups[i], "/payments/"));
	json_object_object_add(pay, "duplicates", dl);
	json_object_object_add(m, "payment", pay);
	json_object_object_add(m, "events", h.events);
	payment_row_release(&p);
	web_page(req, 200, "payment.xhtml", m, NULL);
}
