/*
 * queue.c — the review queue page (GET /review): payments OCR was unsure
 * of, oldest first; and the 403 page.
 */
#include <stdio.h>
#include <string.h>

#include "api/common.h"
#include "store/payments.h"
#include "http/response.h"
#include "web/pages.h"
#include "web/web.h"

#define QUEUE_PAGE 50

static cb_err
add_item(const struct payment_row *r, void *arg)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(r->id));
	char url[48];
	snprintf(url, sizeof url, "/review/%lld", (long long)r->id);
	json_object_object_add(o, "url", json_object_new_string(url));
	json_object_object_add(o, "customerId", json_object_new_int64(r->customer_id));
	json_object_object_add(o, "amount", r->has_amount ?
	    api_money(r->amount_minor, r->currency) : NULL);
	json_object_object_add(o, "currency", json_object_new_string(r->currency));
	json_object_object_add(o, "reference", api_str_or_null(r->reference));
	json_object_object_add(o, "bankCode", api_str_or_null(r->bank_code));
	json_object_object_add(o, "reason", api_str_or_null(r->review_reason));
	json_object_object_add(o, "duplicateOf", r->duplicate_of ?
	    json_object_new_int64(r->duplicate_of) : NULL);
	json_object_object_add(o, "createdAt", api_time(r->created_at));
	json_object_object_add(o, "document", r->document_key[0] ?
	    json_object_new_string(r->document_name) : NULL);
	return json_object_array_add(arg, o) == 0 ? CB_OK : CB_ENOMEM;
}

void
web_queue(struct http_req *req)
{
	struct session s;
	if (!web_session(req, &s)) {
		web_redirect(req, "/login", NULL);
		return;
	}
	json_object *items = json_object_new_array();
	cb_err e = payments_review_queue(req->db, QUEUE_PAGE, add_item, items);
	if (e != CB_OK) {
		json_object_put(items);
		http_fail(req, e);
		return;
	}
	json_object *m = json_object_new_object(), *u = json_object_new_object();
	json_object_object_add(u, "name", json_object_new_string(s.username));
	json_object_object_add(u, "role", json_object_new_string(s.role));
	json_object_object_add(m, "user", u);
	json_object_object_add(m, "csrf", json_object_new_string(s.csrf));
	json_object_object_add(m, "items", items);
	web_page(req, 200, "queue.xhtml", m, NULL);
}

void
web_forbidden(struct http_req *req)
{
	web_page(req, 403, "forbidden.xhtml", json_object_new_object(), NULL);
}
