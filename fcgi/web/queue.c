/*
 * queue.c — the review queue page (GET /review): payments OCR was unsure
 * of, oldest first, with counts by reason, filters (reason, bank,
 * customer, age; a plain GET form, so links can be shared) and pages;
 * and the 403 page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/common.h"
#include "http/query.h"
#include "http/response.h"
#include "store/banks.h"
#include "store/review.h"
#include "util/codec.h"
#include "web/item.h"
#include "web/pages.h"
#include "web/web.h"
#include "util/jsonx.h"

#define QUEUE_PAGE 25
#define MAX_PAGE 10000

static const int AGES[] = {0, 1, 24, 72, 168};

struct listing {
	struct http_req *req;
	json_object *items;
	int64_t user_id;
};

static cb_err
add_item(const struct review_item *it, void *arg)
{
	struct listing *l = arg;
	const struct payment_row *r = &it->row;
	json_object *o = jx_object();
	char url[48], kind[40];
	jx_add(o, "id", jx_int64(r->id));
	snprintf(url, sizeof url, "/review/%lld", (long long)r->id);
	jx_add(o, "url", jx_string(url));
	jx_add(o, "customerId", jx_int64(r->customer_id));
	jx_add(o, "customer", api_str_or_null(it->customer_name));
	jx_add(o, "amount", r->has_amount ?
	    api_money(r->amount_minor, r->currency) : NULL);
	jx_add(o, "currency", jx_string(r->currency));
	jx_add(o, "reference", api_str_or_null(r->reference));
	jx_add(o, "bankCode", api_str_or_null(r->bank_code));
	snprintf(kind, sizeof kind, "kind_%s", r->review_kind);
	jx_add(o, "kind", jx_string(
	    web_msg(l->req, kind)));
	jx_add(o, "reason", web_reasons(l->req, r->review_reason));
	jx_add(o, "duplicateOf", r->duplicate_of ?
	    jx_int64(r->duplicate_of) : NULL);
	jx_add(o, "createdAt", web_time(r->created_at));
	jx_add(o, "document", r->document_key[0] ?
	    jx_string(r->document_name) : NULL);
	bool other = it->claimed_by[0] && it->claimed_by_id != l->user_id;
	jx_add(o, "claimedBy", other ?
	    jx_string(it->claimed_by) : NULL);
	jx_push(l->items, o);
	return CB_OK;
}

/* <option>s: {value, label, selected}. */
static void
option(json_object *opts, const char *value, const char *label, bool selected)
{
	json_object *o = jx_object();
	jx_add(o, "value", jx_string(value));
	jx_add(o, "label", jx_string(label));
	jx_add(o, "selected", selected ?
	    jx_string("selected") : NULL);
	jx_push(opts, o);
}

struct banks_arg {
	json_object *opts;
	const char *chosen;
};

static cb_err
add_bank(const char *code, const char *country, const char *aliases,
    void *arg)
{
	struct banks_arg *b = arg;
	(void)aliases;
	char label[80];
	snprintf(label, sizeof label, "%s (%s)", code, country);
	option(b->opts, code, label, strcmp(code, b->chosen) == 0);
	return CB_OK;
}

/* A whole decimal number in [1, 1000000]; 0 for anything else. */
static int
positive(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	return *s && !*end && v >= 1 && v <= 1000000 ? (int)v : 0;
}

/* The filter from the query; unknown values fall back to "any". */
struct query_filter {
	char kind[24], bank[24], customer[201], age[8], page[8];
};

static void
read_filter(struct http_req *req, struct query_filter *q,
    struct review_filter *f, int *page)
{
	memset(q, 0, sizeof *q);
	memset(f, 0, sizeof *f);
	const char *qs = req->query;
	if (query_get(qs, "kind", q->kind, sizeof q->kind) == CB_OK)
		for (int i = 0; i < REVIEW_KINDS; i++)
			if (strcmp(q->kind, review_kind_names[i]) == 0)
				f->kind = review_kind_names[i];
	if (!f->kind)
		q->kind[0] = '\0';
	if (query_get(qs, "bank", q->bank, sizeof q->bank) == CB_OK && q->bank[0])
		f->bank_code = q->bank;
	else
		q->bank[0] = '\0';
	if (query_get(qs, "customer", q->customer, sizeof q->customer) == CB_OK &&
	    q->customer[0] && utf8_valid(q->customer, strlen(q->customer))) {
		char *end;
		long long id = strtoll(q->customer, &end, 10);
		if (!*end && id > 0)
			f->customer_id = id;
		else
			f->customer_name = q->customer;
	} else
		q->customer[0] = '\0';
	if (query_get(qs, "age", q->age, sizeof q->age) == CB_OK)
		for (size_t i = 1; i < sizeof AGES / sizeof AGES[0]; i++)
			if (positive(q->age) == AGES[i])
				f->min_age_hours = AGES[i];
	*page = 1;
	if (query_get(qs, "page", q->page, sizeof q->page) == CB_OK) {
		int p = positive(q->page);
		*page = p >= 1 && p <= MAX_PAGE ? p : 1;
	}
	f->limit = QUEUE_PAGE + 1; /* one more: is there a next page? */
	f->offset = (*page - 1) * QUEUE_PAGE;
}

/* "/review?kind=…&page=N" keeping the filter. */
static json_object *
page_url(const struct query_filter *q, int page)
{
	char url[1400], enc[620];
	int n = snprintf(url, sizeof url, "/review?page=%d", page);
	const char *names[] = {"kind", "bank", "customer", "age"};
	const char *vals[] = {q->kind, q->bank, q->customer, q->age};
	for (int i = 0; i < 4; i++)
		if (vals[i][0] && pct_encode(vals[i], enc, sizeof enc))
			n += snprintf(url + n, sizeof url - (size_t)n, "&%s=%s", names[i],
			    enc);
	return jx_string(url);
}

void
web_queue(struct http_req *req)
{
	struct session s;
	struct query_filter q;
	struct review_filter f;
	struct review_counts counts;
	int page;
	if (!web_session(req, &s)) {
		web_redirect(req, "/login", NULL);
		return;
	}
	read_filter(req, &q, &f, &page);
	struct listing l = {req, jx_array(), s.user_id};
	json_object *banks = jx_array();
	option(banks, "", web_msg(req, "any"), !q.bank[0]);
	struct banks_arg ba = {banks, q.bank};
	cb_err e = review_queue_list(req->db, &f, add_item, &l);
	if (e == CB_OK)
		e = review_queue_counts(req->db, &f, &counts);
	if (e == CB_OK)
		e = banks_list(req->db, add_bank, &ba);
	if (e != CB_OK) {
		json_object_put(l.items);
		json_object_put(banks);
		http_fail(req, e);
		return;
	}
	json_object *m = web_model(&s);
	bool more = json_object_array_length(l.items) > QUEUE_PAGE;
	if (more)
		json_object_array_del_idx(l.items, QUEUE_PAGE, 1);
	jx_add(m, "items", l.items);
	/* Counts by reason, each a link that filters by it. */
	json_object *kinds = jx_array(), *kind_opts =
	    jx_array();
	option(kind_opts, "", web_msg(req, "any"), !f.kind);
	for (int i = 0; i < REVIEW_KINDS; i++) {
		char key[40];
		snprintf(key, sizeof key, "kind_%s", review_kind_names[i]);
		json_object *k = jx_object();
		jx_add(k, "label", jx_string(
		    web_msg(req, key)));
		jx_add(k, "count", jx_int64(
		    counts.by_kind[i]));
		struct query_filter only = q;
		snprintf(only.kind, sizeof only.kind, "%s", review_kind_names[i]);
		jx_add(k, "url", page_url(&only, 1));
		jx_add(k, "current", jx_bool(
		    f.kind == review_kind_names[i]));
		jx_push(kinds, k);
		option(kind_opts, review_kind_names[i], web_msg(req, key),
		    f.kind == review_kind_names[i]);
	}
	json_object *ages = jx_array();
	for (size_t i = 0; i < sizeof AGES / sizeof AGES[0]; i++) {
		char v[8], key[24];
		snprintf(v, sizeof v, "%d", AGES[i]);
		snprintf(key, sizeof key, i ? "age_%d" : "any", AGES[i]);
		option(ages, i ? v : "", web_msg(req, key),
		    f.min_age_hours == AGES[i]);
	}
	json_object *fl = jx_object();
	jx_add(fl, "kinds", kind_opts);
	jx_add(fl, "banks", banks);
	jx_add(fl, "ages", ages);
	jx_add(fl, "customer", api_str_or_null(q.customer));
	jx_add(m, "filter", fl);
	jx_add(m, "counts", kinds);
	jx_add(m, "total", jx_int64(counts.total));
	json_object *pg = jx_object();
	jx_add(pg, "number", jx_int(page));
	jx_add(pg, "prev", page > 1 ? page_url(&q, page - 1) : NULL);
	jx_add(pg, "next", more ? page_url(&q, page + 1) : NULL);
	jx_add(m, "pages", pg);
	jx_add(m, "notice", web_decided_notice(req));
	web_page(req, 200, "queue.xhtml", m, NULL);
}

void
web_forbidden(struct http_req *req)
{
	web_page(req, 403, "forbidden.xhtml", jx_object(), NULL);
}
