/*
 * item.c — one review item (GET /review/{id}): the receipt with OCR's
 * word boxes drawn over it (SVG, no script needed) and each field's box
 * highlighted; every field with the payment's value, what OCR read and
 * how sure it was; who else has the item open.  GET /review/{id}/document
 * serves the receipt to a signed-in reviewer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/common.h"
#include "api/documents.h"
#include "api/ocr_view.h"
#include "http/response.h"
#include "store/claims.h"
#include "store/payments.h"
#include "store/receipts.h"
#include "web/pages.h"
#include "web/web.h"

#define CLAIM_SECONDS 300

static json_object *
get(json_object *o, const char *k)
{
	json_object *v = NULL;
	return o && json_object_object_get_ex(o, k, &v) ? v : NULL;
}

static json_object *
str(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

/* One row of the fields table. */
static void
field(struct http_req *req, json_object *rows, const char *label_key,
    const char *key, json_object *value, json_object *ocr_data,
    const char *extracted)
{
	json_object *r = json_object_new_object();
	json_object *conf = get(get(ocr_data, "confidence"), key);
	json_object_object_add(r, "label", json_object_new_string(
	    web_msg(req, label_key)));
	json_object_object_add(r, "key", json_object_new_string(key));
	json_object_object_add(r, "value", value);
	json_object_object_add(r, "ocr", json_object_get(get(ocr_data, extracted)));
	json_object_object_add(r, "confidence", json_object_get(conf));
	bool low = conf && json_object_get_double(conf) < 0.85;
	json_object_object_add(r, "low", json_object_new_boolean(low));
	json_object_object_add(r, "cls", json_object_new_string(
	    !conf ? "conf none" : low ? "conf low" : "conf ok"));
	json_object_array_add(rows, r);
}

static void
add_box(json_object *boxes, json_object *b, const char *cls)
{
	json_object *a = get(b, "box");
	if (!json_object_is_type(a, json_type_array) ||
	    json_object_array_length(a) != 4 || json_object_get_int(get(b, "page")))
		return;
	int x0 = json_object_get_int(json_object_array_get_idx(a, 0));
	int y0 = json_object_get_int(json_object_array_get_idx(a, 1));
	int x1 = json_object_get_int(json_object_array_get_idx(a, 2));
	int y1 = json_object_get_int(json_object_array_get_idx(a, 3));
	json_object *o = json_object_new_object();
	json_object_object_add(o, "x", json_object_new_int(x0));
	json_object_object_add(o, "y", json_object_new_int(y0));
	json_object_object_add(o, "w", json_object_new_int(x1 - x0));
	json_object_object_add(o, "h", json_object_new_int(y1 - y0));
	json_object_object_add(o, "cls", json_object_new_string(cls));
	json_object_array_add(boxes, o);
}

/* The receipt and its boxes (first page), for the SVG overlay. */
static json_object *
document(struct http_req *req, const struct payment_row *row,
    json_object *ocr_data)
{
	if (!row->document_key[0])
		return NULL;
	json_object *d = json_object_new_object();
	char url[64];
	snprintf(url, sizeof url, "/review/%lld/document", (long long)row->id);
	json_object_object_add(d, "url", json_object_new_string(url));
	json_object_object_add(d, "name", json_object_new_string(row->document_name));
	bool image = strncmp(row->document_type, "image/", 6) == 0;
	json_object_object_add(d, "image", json_object_new_boolean(image));
	json_object *page = json_object_array_get_idx(get(ocr_data, "pages"), 0);
	if (image && json_object_is_type(page, json_type_array)) {
		int w = json_object_get_int(json_object_array_get_idx(page, 0));
		int h = json_object_get_int(json_object_array_get_idx(page, 1));
		char vb[48];
		snprintf(vb, sizeof vb, "0 0 %d %d", w, h);
		json_object_object_add(d, "viewBox", json_object_new_string(vb));
		json_object_object_add(d, "w", json_object_new_int(w));
		json_object_object_add(d, "h", json_object_new_int(h));
		json_object *boxes = json_object_new_array();
		char *words = NULL;
		if (payments_ocr_words(req->db, row->id, &words) == CB_OK && words) {
			json_object *ws = json_tokener_parse(words);
			size_t n = json_object_is_type(ws, json_type_array) ?
			    json_object_array_length(ws) : 0;
			for (size_t i = 0; i < n; i++) {
				/* [text, page, x0, y0, x1, y1, conf] */
				json_object *w0 = json_object_array_get_idx(ws, i);
				json_object *b = json_object_new_object(), *a =
				    json_object_new_array();
				for (int k = 2; k < 6; k++)
					json_object_array_add(a, json_object_get(
					    json_object_array_get_idx(w0, (size_t)k)));
				json_object_object_add(b, "page", json_object_get(
				    json_object_array_get_idx(w0, 1)));
				json_object_object_add(b, "box", a);
				add_box(boxes, b, "word");
				json_object_put(b);
			}
			json_object_put(ws);
		}
		free(words);
		json_object *fb = get(ocr_data, "boxes");
		json_object_object_foreach(fb, k, v) {
			char cls[48];
			snprintf(cls, sizeof cls, "field field-%s", k);
			if (v)
				add_box(boxes, v, cls);
		}
		json_object_object_add(d, "boxes", boxes);
	}
	return d;
}

/* A signed-in reviewer and the payment the path names; false after
 * answering (to sign in, 404, …). */
static bool
item_begin(struct http_req *req, struct session *s, int64_t *id,
    struct payment_row *row)
{
	if (!web_session(req, s)) {
		web_redirect(req, "/login", NULL);
		return false;
	}
	return api_path_payment(req, id, row);
}

void
web_item(struct http_req *req)
{
	struct session s;
	struct payment_row row;
	struct claim cl;
	int64_t id;
	if (!item_begin(req, &s, &id, &row))
		return;
	cb_err e = claims_take(req->db, id, s.user_id, s.username, CLAIM_SECONDS,
	    &cl);
	if (e != CB_OK) {
		payment_row_release(&row);
		http_fail(req, e);
		return;
	}
	json_object *od = ocr_view_data(&row);
	json_object *m = json_object_new_object(), *u = json_object_new_object();
	json_object_object_add(u, "name", json_object_new_string(s.username));
	json_object_object_add(m, "user", u);
	json_object_object_add(m, "csrf", json_object_new_string(s.csrf));
	json_object *p = json_object_new_object();
	json_object_object_add(p, "id", json_object_new_int64(row.id));
	json_object_object_add(p, "status", json_object_new_string(row.status));
	json_object_object_add(p, "version", json_object_new_int64(row.version));
	json_object_object_add(p, "reason", str(row.review_reason));
	json_object_object_add(p, "duplicateOf", row.duplicate_of ?
	    json_object_new_int64(row.duplicate_of) : NULL);
	char dup[48];
	snprintf(dup, sizeof dup, "/review/%lld", (long long)row.duplicate_of);
	json_object_object_add(p, "duplicateOfUrl", row.duplicate_of ?
	    json_object_new_string(dup) : NULL);
	json_object_object_add(p, "notes", str(row.notes));
	json_object_object_add(m, "payment", p);
	json_object *rows = json_object_new_array();
	field(req, rows, "col_amount", "amount", row.has_amount ?
	    api_money(row.amount_minor, row.currency) : NULL, od, "extractedAmount");
	field(req, rows, "f_currency", "currency", str(row.currency), od,
	    "extractedCurrency");
	field(req, rows, "f_date", "date", str(row.transaction_date), od,
	    "extractedDate");
	field(req, rows, "col_reference", "reference", str(row.reference), od,
	    "extractedReference");
	field(req, rows, "col_bank", "bankCode", str(row.bank_code), od,
	    "extractedBankCode");
	field(req, rows, "f_method", "paymentMethod", str(row.payment_method), od,
	    "extractedPaymentMethod");
	json_object_object_add(m, "fields", rows);
	json_object_object_add(m, "doc", document(req, &row, od));
	json_object *c = json_object_new_object();
	json_object_object_add(c, "mine", json_object_new_boolean(cl.mine));
	json_object_object_add(c, "by", json_object_new_string(cl.username));
	json_object_object_add(c, "until", api_time(cl.until));
	json_object_object_add(m, "claim", c);
	json_object_put(od);
	payment_row_release(&row);
	web_page(req, 200, "item.xhtml", m, NULL);
}

void
web_item_document(struct http_req *req)
{
	struct session s;
	struct payment_row row;
	int64_t id;
	if (!item_begin(req, &s, &id, &row))
		return;
	api_document_send(req, &row);
	payment_row_release(&row);
}
