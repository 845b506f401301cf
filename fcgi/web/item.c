/*
 * item.c — one review item (GET /review/{id}): the receipt, page by page,
 * with OCR's word boxes drawn over it (SVG, no script needed) and each
 * field's box highlighted; every field with the payment's value (in an
 * input, for correct-and-approve), what OCR read and how sure it was; the
 * decision forms; who else has the item open; the previous and next
 * items.  GET /review/{id}/document serves the receipt and
 * GET /review/{id}/pages/{n} a PDF page as PNG (drawn once, then cached
 * in storage) to a signed-in reviewer.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/common.h"
#include "api/documents.h"
#include "api/bank_match.h"
#include "api/ocr_view.h"
#include "core/money.h"
#include "api/payment_input.h"
#include "http/query.h"
#include "http/response.h"
#include "ocr/pdf_page.h"
#include "storage/storage.h"
#include "store/claims.h"
#include "store/payments.h"
#include "store/receipts.h"
#include "store/matching.h"
#include "store/review.h"
#include "util/log.h"
#include "web/item.h"
#include "web/pages.h"
#include "web/web.h"
#include "util/jsonx.h"

#define CLAIM_SECONDS 300
/* Review previews are for eyes, not OCR: sharp at 2× zoom, a fraction of
 * the OCR rendering's bytes. */
#define PREVIEW_DPI 110
#define PREVIEW_MAX_PIXELS (12L * 1000 * 1000)

static json_object *
get(json_object *o, const char *k)
{
	json_object *v = NULL;
	return o && json_object_object_get_ex(o, k, &v) ? v : NULL;
}

static json_object *
str(const char *s)
{
	return s && *s ? jx_string(s) : NULL;
}

/* The entered value (after a refused decision) or the payment's. */
static json_object *
input_value(const char *form, const char *name, json_object *value)
{
	char v[1024];
	if (form && query_get(form, name, v, sizeof v) == CB_OK)
		return jx_string(v);
	return value ? jx_string(json_object_get_string(value)) :
	    NULL;
}

/* The message for a refused field, from the catalogue by its rule. */
static json_object *
field_error(struct http_req *req, json_object *errors, const char *name)
{
	char ptr[64], key[64];
	snprintf(ptr, sizeof ptr, "#/%s", name);
	size_t n = errors ? json_object_array_length(errors) : 0;
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(errors, i);
		const char *p = json_object_get_string(get(e, "pointer"));
		if (!p || strcmp(p, ptr) != 0)
			continue;
		snprintf(key, sizeof key, "err_%s",
		    json_object_get_string(get(e, "code")));
		const char *m = web_msg(req, key);
		return jx_string(strcmp(m, key) != 0 ? m :
		    json_object_get_string(get(e, "detail")));
	}
	return NULL;
}

/* Candidates shown per field (buttons and boxes), of the distinct values
 * weighed (at most this many are read). */
#define ITEM_CANDIDATES 5
#define ITEM_VALUES 16

struct field_spec {
	const char *label;  /* catalogue key */
	const char *key;    /* in ocrData's confidence and boxes */
	const char *name;   /* the API member and the input's name */
	const char *ocr;    /* ocrData's extracted member */
};

static const struct field_spec FIELDS[] = {
	{"col_amount", "amount", "amount", "extractedAmount"},
	{"f_currency", "currency", "currency", "extractedCurrency"},
	{"f_date", "date", "transactionDate", "extractedDate"},
	{"col_reference", "reference", "reference", "extractedReference"},
	{"col_bank", "bankCode", "bankCode", "extractedBankCode"},
	{"f_method", "paymentMethod", "paymentMethod", "extractedPaymentMethod"},
};

static json_object *
row_value(const struct payment_row *row, const char *name)
{
	if (strcmp(name, "amount") == 0)
		return row->has_amount ? api_money(row->amount_minor, row->currency) :
		    NULL;
	if (strcmp(name, "currency") == 0)
		return str(row->currency);
	if (strcmp(name, "transactionDate") == 0)
		return str(row->transaction_date);
	if (strcmp(name, "reference") == 0)
		return str(row->reference);
	if (strcmp(name, "bankCode") == 0)
		return str(row->bank_code);
	return str(row->payment_method);
}

/* The model's candidates for the field key ("amount", "date",
 * "reference") best first, each {value, label "value · 0.61", inputId}:
 * buttons that fill the field (static/review.js), so a reviewer picks what
 * OCR weighed instead of typing it.  The number is the candidate's share
 * of the evidence among the distinct values read (a softmax of the model's
 * scores); values under 1% are left out.  NULL when none is left. */
static json_object *
field_candidates(json_object *cands, const char *key, const char *input_id)
{
	json_object *list = get(cands, key);
	size_t n = json_object_is_type(list, json_type_array) ?
	    json_object_array_length(list) : 0;
	if (!n)
		return NULL;
	/* Stored best first: the first of each value is its best score. */
	const char *val[ITEM_VALUES];
	double sc[ITEM_VALUES], sum = 0;
	size_t nv = 0;
	for (size_t i = 0; i < n && nv < ITEM_VALUES; i++) {
		/* [value, [features], score, [page, x0, y0, x1, y1]] */
		json_object *c = json_object_array_get_idx(list, i);
		const char *v = json_object_get_string(json_object_array_get_idx(c, 0));
		bool seen = false;
		for (size_t k = 0; k < nv && !seen; k++)
			seen = strcmp(val[k], v) == 0;
		if (seen || !v)
			continue;
		val[nv] = v;
		sc[nv++] = json_object_get_double(json_object_array_get_idx(c, 2));
	}
	for (size_t k = 0; k < nv; k++)
		sum += exp(sc[k] - sc[0]);
	json_object *out = jx_array();
	for (size_t k = 0; k < nv && json_object_array_length(out) <
	     ITEM_CANDIDATES; k++) {
		double p = exp(sc[k] - sc[0]) / sum;
		if (p < 0.01)
			continue;
		char label[120];
		snprintf(label, sizeof label, "%.80s · %.2f", val[k], p);
		json_object *o = jx_object();
		jx_add(o, "value", jx_string(val[k]));
		jx_add(o, "label", jx_string(label));
		jx_add(o, "inputId", jx_string(input_id));
		jx_push(out, o);
	}
	if (!json_object_array_length(out)) {
		json_object_put(out);
		return NULL;
	}
	return out;
}

static json_object *
fields(struct http_req *req, const struct payment_row *row,
    json_object *ocr_data, json_object *cands, const struct item_outcome *o)
{
	json_object *rows = jx_array();
	for (size_t i = 0; i < sizeof FIELDS / sizeof FIELDS[0]; i++) {
		const struct field_spec *f = &FIELDS[i];
		json_object *r = jx_object();
		json_object *conf = get(get(ocr_data, "confidence"), f->key);
		json_object *value = row_value(row, f->name);
		jx_add(r, "label", jx_string(
		    web_msg(req, f->label)));
		jx_add(r, "key", jx_string(f->key));
		jx_add(r, "name", jx_string(f->name));
		char id[40];
		snprintf(id, sizeof id, "in-%s", f->name);
		jx_add(r, "inputId", jx_string(id));
		jx_add(r, "input", input_value(o ? o->form : NULL,
		    f->name, value));
		json_object *ocr = get(ocr_data, f->ocr);
		/* A value OCR did not read (or read otherwise) was sent by the
		 * client or corrected: the reviewer should see which is which. */
		bool manual = value && (!ocr || strcmp(json_object_get_string(value),
		    json_object_get_string(ocr)) != 0);
		/* A currency nobody sent, OCR did not read and nothing implied
		 * is only the installation's default: said as such. */
		bool dflt = manual && strcmp(f->name, "currency") == 0 &&
		    row->currency_default;
		jx_add(r, "manual", jx_bool(manual && !dflt));
		jx_add(r, "isDefault", jx_bool(dflt));
		jx_add(r, "value", value);
		jx_add(r, "ocr", json_object_get(ocr));
		jx_add(r, "confidence", json_object_get(conf));
		jx_add(r, "candidates", field_candidates(cands, f->key, id));
		snprintf(id, sizeof id, "how-%s", f->name);
		jx_add(r, "howName", jx_string(id));
		bool low = conf && json_object_get_double(conf) < 0.85;
		jx_add(r, "cls", jx_string(
		    !conf ? "conf none" : low ? "conf low" : "conf ok"));
		json_object *err = field_error(req, o ? o->errors : NULL, f->name);
		jx_add(r, "error", err);
		jx_add(r, "invalid", err ?
		    jx_string("true") : NULL);
		snprintf(id, sizeof id, "err-%s", f->name);
		jx_add(r, "errorId", err ?
		    jx_string(id) : NULL);
		jx_push(rows, r);
	}
	return rows;
}

/* A box {x, y, w, h, cls} when b = {"page", "box": [x0, y0, x1, y1]} is
 * on page. */
static json_object *
add_box(json_object *boxes, json_object *b, int page, const char *cls)
{
	json_object *a = get(b, "box");
	if (!json_object_is_type(a, json_type_array) ||
	    json_object_array_length(a) != 4 ||
	    json_object_get_int(get(b, "page")) != page)
		return NULL;
	int x0 = json_object_get_int(json_object_array_get_idx(a, 0));
	int y0 = json_object_get_int(json_object_array_get_idx(a, 1));
	int x1 = json_object_get_int(json_object_array_get_idx(a, 2));
	int y1 = json_object_get_int(json_object_array_get_idx(a, 3));
	json_object *o = jx_object();
	jx_add(o, "x", jx_int(x0));
	jx_add(o, "y", jx_int(y0));
	jx_add(o, "w", jx_int(x1 - x0));
	jx_add(o, "h", jx_int(y1 - y0));
	jx_add(o, "cls", jx_string(cls));
	jx_push(boxes, o);
	return o;
}

/* The word boxes of one page (each with its text, which a click puts in
 * the field being corrected), the candidates' boxes (a click takes that
 * value), then the field boxes (drawn last, on top). */
static json_object *
page_boxes(json_object *words, json_object *ocr_data, json_object *cands,
    int page)
{
	json_object *boxes = jx_array();
	size_t n = json_object_is_type(words, json_type_array) ?
	    json_object_array_length(words) : 0;
	for (size_t i = 0; i < n; i++) {
		/* [text, page, x0, y0, x1, y1, conf] */
		json_object *w = json_object_array_get_idx(words, i);
		json_object *b = jx_object(), *a = jx_array();
		for (int k = 2; k < 6; k++)
			jx_push(a, json_object_get(
			    json_object_array_get_idx(w, (size_t)k)));
		jx_add(b, "page", json_object_get(
		    json_object_array_get_idx(w, 1)));
		jx_add(b, "box", a);
		json_object *box = add_box(boxes, b, page, "word");
		if (box)
			jx_add(box, "text", json_object_get(
			    json_object_array_get_idx(w, 0)));
		json_object_put(b);
	}
	static const char *const keys[][2] = {{"amount", "in-amount"},
	    {"date", "in-transactionDate"}, {"reference", "in-reference"}};
	for (size_t k = 0; k < 3; k++) {
		json_object *list = get(cands, keys[k][0]);
		size_t nc = json_object_is_type(list, json_type_array) ?
		    json_object_array_length(list) : 0;
		for (size_t i = 0; i < nc && i < ITEM_CANDIDATES; i++) {
			json_object *c = json_object_array_get_idx(list, i);
			json_object *at = json_object_array_get_idx(c, 3);
			if (json_object_array_length(at) != 5)
				continue;
			json_object *b = jx_object(), *a = jx_array();
			for (size_t q = 1; q < 5; q++)
				jx_push(a, json_object_get(json_object_array_get_idx(at, q)));
			jx_add(b, "page", json_object_get(json_object_array_get_idx(at,
			    0)));
			jx_add(b, "box", a);
			char cls[48];
			snprintf(cls, sizeof cls, "cand cand-%s", keys[k][0]);
			json_object *box = add_box(boxes, b, page, cls);
			if (box) {
				jx_add(box, "value", json_object_get(
				    json_object_array_get_idx(c, 0)));
				jx_add(box, "field", jx_string(keys[k][1]));
			}
			json_object_put(b);
		}
	}
	json_object *fields_at = get(ocr_data, "boxes");
	if (!json_object_is_type(fields_at, json_type_object))
		return boxes;
	json_object_object_foreach(fields_at, k, v) {
		char cls[48];
		snprintf(cls, sizeof cls, "field field-%s", k);
		if (v)
			add_box(boxes, v, page, cls);
	}
	return boxes;
}

/* The receipt: its pages (the image itself, or each PDF page as PNG) with
 * their boxes in the coordinates OCR read them in. */
static json_object *
document(struct http_req *req, const struct payment_row *row,
    json_object *ocr_data, json_object *cands)
{
	if (!row->document_key[0])
		return NULL;
	json_object *d = jx_object();
	char url[80];
	snprintf(url, sizeof url, "/review/%lld/document", (long long)row->id);
	jx_add(d, "url", jx_string(url));
	jx_add(d, "name", jx_string(row->document_name));
	bool image = strncmp(row->document_type, "image/", 6) == 0;
	json_object *sizes = get(ocr_data, "pages");
	size_t n = json_object_is_type(sizes, json_type_array) ?
	    json_object_array_length(sizes) : 0;
	if (image && n > 1)
		n = 1;
	json_object *pages = jx_array(), *words = NULL;
	char *text = NULL;
	if (n && payments_ocr_words(req->db, row->id, &text) == CB_OK && text)
		words = json_tokener_parse(text);
	free(text);
	for (size_t i = 0; i < n; i++) {
		json_object *sz = json_object_array_get_idx(sizes, i);
		int w = json_object_get_int(json_object_array_get_idx(sz, 0));
		int h = json_object_get_int(json_object_array_get_idx(sz, 1));
		if (w <= 0 || h <= 0)
			continue;
		json_object *p = jx_object();
		char vb[48], alt[160];
		snprintf(vb, sizeof vb, "0 0 %d %d", w, h);
		if (!image)
			snprintf(url, sizeof url, "/review/%lld/pages/%zu",
			    (long long)row->id, i + 1);
		snprintf(alt, sizeof alt, "%s %zu", web_msg(req, "page"), i + 1);
		jx_add(p, "img", jx_string(url));
		jx_add(p, "viewBox", jx_string(vb));
		jx_add(p, "w", jx_int(w));
		jx_add(p, "h", jx_int(h));
		jx_add(p, "label", jx_string(alt));
		jx_add(p, "boxes", page_boxes(words, ocr_data, cands,
		    (int)i));
		jx_push(pages, p);
	}
	json_object_put(words);
	jx_add(d, "pages", pages);
	return d;
}

static json_object *
item_url(int64_t id)
{
	char u[48];
	snprintf(u, sizeof u, "/review/%lld", (long long)id);
	return id ? jx_string(u) : NULL;
}

/* A validated payment's bank candidates, each with a form to match it;
 * NULL when there is nothing to show. */
static json_object *
bank_section(struct http_req *req, int64_t id)
{
	struct bank_candidates c;
	cb_err e = bank_candidates_load(req, id, &c);
	json_object *list = jx_array();
	const struct match_movement *m;
	int exp = currency_exponent(c.v.currency);
	for (size_t k = 0; e == CB_OK && (m = bank_candidate(&c, k)); k++) {
		json_object *o = jx_object();
		char day[11], amt[40], why[256] = "";
		match_day_text(m->day, day);
		money_format(m->amount_minor, exp, amt, sizeof amt);
		json_object *w = bank_candidate_why(c.r.top[k].why);
		for (size_t i = 0; i < json_object_array_length(w); i++) {
			char key[48];
			size_t u = strlen(why);
			snprintf(key, sizeof key, "why_%s", json_object_get_string(
			    json_object_array_get_idx(w, i)));
			snprintf(why + u, sizeof why - u, "%s%s", u ? ", " : "",
			    web_msg(req, key));
		}
		json_object_put(w);
		jx_add(o, "movementId", jx_int64(m->id));
		jx_add(o, "score", jx_int(c.r.top[k].score));
		jx_add(o, "why", jx_string(why));
		jx_add(o, "day", jx_string(day));
		jx_add(o, "amount", jx_string(amt));
		jx_add(o, "refs", jx_string(m->refs));
		jx_add(o, "party", str(m->party_name));
		jx_push(list, o);
	}
	bank_candidates_free(&c);
	if (e != CB_OK)
		log_error("rid=%s: bank candidates of %lld: %s", req->request_id,
		    (long long)id, cb_strerror(e));
	json_object *b = jx_object();
	char action[64];
	snprintf(action, sizeof action, "/review/%lld/bank-match", (long long)id);
	jx_add(b, "action", jx_string(action));
	jx_add(b, "candidates", list);
	return b;
}

/* A reconciled payment's movement, what the voucher said before the
 * bank's record replaced it, and the form that undoes the match. */
static json_object *
matched_section(struct http_req *req, const struct payment_row *row)
{
	struct match_movement m;
	bool found;
	char day[11], amt[40], action[64];
	int exp = currency_exponent(row->currency);
	cb_err e = matching_tied(req->db, row->id, &m, &found);
	if (e != CB_OK)
		log_error("rid=%s: movement of %lld: %s", req->request_id,
		    (long long)row->id, cb_strerror(e));
	json_object *b = jx_object();
	if (e == CB_OK && found) {
		match_day_text(m.day, day);
		money_format(m.amount_minor, exp, amt, sizeof amt);
		jx_add(b, "movementId", jx_int64(m.id));
		jx_add(b, "day", jx_string(day));
		jx_add(b, "amount", jx_string(amt));
		jx_add(b, "refs", jx_string(m.refs));
		jx_add(b, "party", str(m.party_name));
	}
	jx_add(b, "operation", str(row->bank_operation_number));
	if (row->has_voucher_amount) {
		money_format(row->voucher_amount_minor, exp, amt, sizeof amt);
		jx_add(b, "voucherAmount", jx_string(amt));
	}
	jx_add(b, "voucherDate", str(row->voucher_date));
	snprintf(action, sizeof action, "/review/%lld/bank-unmatch",
	    (long long)row->id);
	jx_add(b, "action", jx_string(action));
	return b;
}

/* "validado" → the catalogue's word for it. */
static json_object *
status_label(struct http_req *req, const char *status)
{
	char key[40];
	snprintf(key, sizeof key, "status_%s", status);
	return jx_string(web_msg(req, key));
}

void
web_item_show(struct http_req *req, const struct session *s,
    const struct payment_row *row, const struct item_outcome *o)
{
	struct claim cl;
	int64_t prev = 0, next = 0;
	bool decidable = strcmp(row->status, "pendiente") == 0;
	cb_err e = decidable ? claims_take(req->db, row->id, s->user_id,
	    s->username, CLAIM_SECONDS, &cl) : CB_OK;
	if (e == CB_OK)
		e = review_queue_neighbours(req->db, row->id, s->user_id, &prev, &next);
	if (e != CB_OK) {
		http_fail(req, e);
		return;
	}
	json_object *od = ocr_view_data(row);
	json_object *m = web_model(s);
	json_object *p = jx_object();
	jx_add(p, "id", jx_int64(row->id));
	jx_add(p, "status", jx_string(row->status));
	jx_add(p, "statusLabel", status_label(req, row->status));
	jx_add(p, "version", jx_int64(row->version));
	jx_add(p, "reason", web_reasons(req, row->review_reason));
	char kind[40];
	snprintf(kind, sizeof kind, "kind_%s", row->review_kind);
	jx_add(p, "kind", row->requires_manual_review ?
	    jx_string(web_msg(req, kind)) : NULL);
	jx_add(p, "duplicateOf", row->duplicate_of ?
	    jx_int64(row->duplicate_of) : NULL);
	jx_add(p, "duplicateOfUrl", row->duplicate_of ?
	    web_payment_url(row->duplicate_of) : NULL);
	jx_add(p, "detailUrl", web_payment_url(row->id));
	char action[64];
	snprintf(action, sizeof action, "/review/%lld/decision", (long long)row->id);
	jx_add(p, "action", jx_string(action));
	jx_add(p, "notes", str(row->notes));
	jx_add(m, "payment", p);
	jx_add(m, "decidable", jx_bool(decidable));
	if (!strcmp(row->status, "validado") && row->has_amount &&
	    row->transaction_date[0])
		jx_add(m, "bank", bank_section(req, row->id));
	if (!strcmp(row->status, "conciliado"))
		jx_add(m, "matched", matched_section(req, row));
	char *ctext = NULL;
	json_object *cands = NULL;
	if (payments_ocr_candidates(req->db, row->id, &ctext) == CB_OK && ctext)
		cands = json_tokener_parse(ctext);
	free(ctext);
	jx_add(m, "fields", fields(req, row, od, cands, o));
	jx_add(m, "doc", document(req, row, od, cands));
	json_object_put(cands);
	if (decidable) {
		json_object *c = jx_object();
		jx_add(c, "mine", jx_bool(cl.mine));
		jx_add(c, "by", jx_string(cl.username));
		jx_add(c, "until", web_time(cl.until));
		jx_add(m, "claim", c);
	}
	json_object *nav = jx_object();
	jx_add(nav, "prev", item_url(prev));
	jx_add(nav, "next", item_url(next));
	jx_add(m, "nav", nav);
	if (o && o->notice)
		jx_add(m, "notice", json_object_get(o->notice));
	jx_add(m, "rejectError", o && o->reject_error ?
	    jx_string(web_msg(req, o->reject_error)) : NULL);
	jx_add(m, "rejectInvalid", o && o->reject_error ?
	    jx_string("true") : NULL);
	char reason[PAY_NOTES_MAX * 4 + 1] = "";
	if (o && o->form)
		query_get(o->form, "reason", reason, sizeof reason);
	jx_add(m, "rejectReason", str(reason));
	json_object_put(od);
	web_page(req, o && o->status ? o->status : 200, "item.xhtml", m, NULL);
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
	int64_t id;
	if (!item_begin(req, &s, &id, &row))
		return;
	struct item_outcome o = {.notice = web_decided_notice(req)};
	web_item_show(req, &s, &row, &o);
	json_object_put(o.notice);
	payment_row_release(&row);
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

/* Draws page n of the payment's PDF and keeps the PNG in storage under
 * the document's hash, so that it is drawn once per document. */
static cb_err
page_png(struct http_req *req, const struct payment_row *row, int n,
    const char *key)
{
	int fd = -1;
	off_t size;
	struct buf png;
	cb_err e = storage_open(req->storage, row->document_key, &fd, &size);
	if (e != CB_OK)
		return e;
	buf_init(&png, 64L << 20);
	e = pdf_page_png(fd, n - 1, PREVIEW_DPI, PREVIEW_MAX_PIXELS, &png);
	close(fd);
	if (e == CB_OK) {
		e = storage_put(req->storage, key, png.data, png.len, -1);
		if (e == CB_EEXIST) /* another request drew it first */
			e = CB_OK;
	}
	buf_free(&png);
	return e;
}

void
web_item_page(struct http_req *req)
{
	struct session s;
	struct payment_row row;
	int64_t id, n;
	int fd = -1;
	off_t size;
	char key[STORAGE_KEY_MAX], hdr[256];
	if (!item_begin(req, &s, &id, &row))
		return;
	if (!api_path_id(req, "n", &n))
		goto done;
	if (strcmp(row.document_type, "application/pdf") != 0 ||
	    n > req->cfg->ocr_pdf_max_pages) {
		http_problem(req, 404, "not-found", "Not Found",
		    "this payment's document has no such page");
		goto done;
	}
	snprintf(key, sizeof key, "cache/pages/%s-%lld-%d.png",
	    row.document_sha256, (long long)n, PREVIEW_DPI);
	cb_err e = storage_open(req->storage, key, &fd, &size);
	if (e == CB_ENOTFOUND && (e = page_png(req, &row, (int)n, key)) == CB_OK)
		e = storage_open(req->storage, key, &fd, &size);
	if (e == CB_ENOTFOUND) {
		http_problem(req, 404, "not-found", "Not Found",
		    "this payment's document has no such page");
		goto done;
	}
	if (e != CB_OK) {
		log_error("rid=%s: page %lld of payment %lld: %s", req->request_id,
		    (long long)n, (long long)id, cb_strerror(e));
		http_problem(req, 500, "internal", "Internal Server Error",
		    "the page could not be drawn");
		goto done;
	}
	/* The URL names a document that never changes: cache it privately. */
	snprintf(hdr, sizeof hdr, "Content-Length: %lld\r\n"
	    "Cache-Control: private, max-age=86400\r\n"
	    "Cross-Origin-Resource-Policy: same-origin\r\n"
	    "ETag: \"%.64s-%lld\"\r\n", (long long)size, row.document_sha256,
	    (long long)n);
	http_send_fd(req, 200, "image/png", hdr, fd, size);
	close(fd);
done:
	payment_row_release(&row);
}
