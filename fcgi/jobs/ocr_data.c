/* ocr_data.c — see ocr_data.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "jobs/ocr_data.h"
#include "ocr/features.h"
#include "util/jsonx.h"

static json_object *
conf2(float c)
{
	char s[16];
	snprintf(s, sizeof s, "%.2f", (double)c);
	return jx_double_s(c, s);
}

static json_object *
box(int page, int x0, int y0, int x1, int y1)
{
	json_object *b = jx_object();
	jx_add(b, "page", jx_int(page));
	json_object *a = jx_array();
	jx_push(a, jx_int(x0));
	jx_push(a, jx_int(y0));
	jx_push(a, jx_int(x1));
	jx_push(a, jx_int(y1));
	jx_add(b, "box", a);
	return b;
}

static void
field(json_object *fields, const char *name, const struct ocr_field *f)
{
	if (!f->found)
		return;
	json_object *o = jx_object();
	jx_add(o, "value", jx_string(f->value));
	jx_add(o, "raw", jx_string(f->raw));
	jx_add(o, "confidence", conf2(f->conf));
	if (f->x1 > f->x0)
		jx_add(o, "at", box(f->page, f->x0, f->y0, f->x1,
		    f->y1));
	jx_add(fields, name, o);
}

char *
ocr_data_json(const struct ocr_text *t, const struct ocr_fields *f,
    const char *status, bool review, const char *reasons, int64_t dup,
    const char *error, double seconds)
{
	json_object *o = jx_object();
	char secs[32];
	jx_add(o, "v", jx_int(1));
	jx_add(o, "status", jx_string(status));
	snprintf(secs, sizeof secs, "%.3f", seconds);
	jx_add(o, "seconds", jx_double_s(seconds, secs));
	if (error)
		jx_add(o, "error", jx_string(error));
	jx_add(o, "requiresManualReview",
	    jx_bool(review));
	json_object *rs = jx_array();
	for (const char *p = reasons; p && *p;) {
		size_t n = strcspn(p, ";");
		jx_push(rs, jx_string_len(p, (int)n));
		p += n;
		while (*p == ';' || *p == ' ')
			p++;
	}
	jx_add(o, "reasons", rs);
	if (dup)
		jx_add(o, "duplicateOf", jx_int64(dup));
	if (f) {
		json_object *fs = jx_object();
		field(fs, "amount", &f->amount);
		field(fs, "currency", &f->currency);
		field(fs, "date", &f->date);
		field(fs, "reference", &f->reference);
		field(fs, "bankCode", &f->bank);
		field(fs, "paymentMethod", &f->method);
		if (f->amount.found) {
			json_object *a;
			if (json_object_object_get_ex(fs, "amount", &a))
				jx_add(a, "minor",
				    jx_int64(f->amount_minor));
		}
		jx_add(o, "fields", fs);
	}
	if (t) {
		jx_add(o, "source", jx_string(t->source));
		jx_add(o, "rotation", jx_int(t->rotation));
		json_object *pages = jx_array();
		for (int i = 0; i < t->pages && i < OCR_MAX_PAGES; i++) {
			json_object *p = jx_array();
			jx_push(p, jx_int(t->page_w[i]));
			jx_push(p, jx_int(t->page_h[i]));
			jx_push(pages, p);
		}
		jx_add(o, "pages", pages);
	}
	const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	char *out = s ? strdup(s) : NULL;
	json_object_put(o);
	return out;
}

char *
ocr_words_json(const struct ocr_text *t)
{
	json_object *ws = jx_array();
	for (size_t i = 0; t && i < t->n && i < 20000; i++) {
		const struct ocr_word *w = &t->w[i];
		json_object *a = jx_array();
		jx_push(a, jx_string(w->text));
		jx_push(a, jx_int(w->page));
		jx_push(a, jx_int(w->x0));
		jx_push(a, jx_int(w->y0));
		jx_push(a, jx_int(w->x1));
		jx_push(a, jx_int(w->y1));
		jx_push(a, conf2(w->conf));
		jx_push(ws, a);
	}
	const char *s = json_object_to_json_string_ext(ws, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	char *out = s ? strdup(s) : NULL;
	json_object_put(ws);
	return out;
}

struct ocr_cands {
	json_object *by[3]; /* amount, date, reference: [[value, [x], score, box]] */
};

struct ocr_cands *
ocr_cands_new(void)
{
	struct ocr_cands *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	for (int k = 0; k < 3; k++)
		c->by[k] = jx_array();
	return c;
}

static json_object *
num4(float v)
{
	char s[24];
	snprintf(s, sizeof s, "%.4g", (double)v);
	return jx_double_s(v, s);
}

static void
on_candidate(void *arg, int field, const char *value, const float *x,
    float score, const struct ocr_where *at)
{
	struct ocr_cands *c = arg;
	if (field < 0 || field > 2)
		return;
	json_object *a = jx_array(), *xs = jx_array_ext(OCR_NFEAT);
	jx_push(a, jx_string(value));
	for (int i = 0; i < OCR_NFEAT; i++)
		jx_push(xs, num4(x[i]));
	jx_push(a, xs);
	jx_push(a, num4(score));
	json_object *b = jx_array();
	int v[] = {at->page, at->x0, at->y0, at->x1, at->y1};
	for (int i = 0; i < 5; i++)
		jx_push(b, jx_int(v[i]));
	jx_push(a, b);
	jx_push(c->by[field], a);
}

void
ocr_cands_trace(struct ocr_cands *c, struct ocr_trace *tr)
{
	tr->candidate = on_candidate;
	tr->arg = c;
}

static int
by_score(const void *a, const void *b)
{
	double x = json_object_get_double(json_object_array_get_idx(
	    *(json_object *const *)a, 2));
	double y = json_object_get_double(json_object_array_get_idx(
	    *(json_object *const *)b, 2));
	return x < y ? 1 : x > y ? -1 : 0;
}

char *
ocr_cands_json(const struct ocr_cands *c, const struct ocr_text *t)
{
	static const char *const keys[] = {"amount", "date", "reference"};
	json_object *o = jx_object(), *names = jx_array();
	for (int i = 0; i < OCR_NFEAT; i++)
		jx_push(names, jx_string(ocr_feature_name(i)));
	jx_add(o, "features", names);
	bool tl = t->source && strcmp(t->source, "text-layer") == 0;
	jx_add(o, "source", jx_string(tl ? "text-layer" : "ocr"));
	jx_add(o, "docConf", num4(tl ? 1.0f : ocr_text_mean_conf(t)));
	for (int k = 0; k < 3; k++) {
		json_object_array_sort(c->by[k], by_score);
		json_object *keep = jx_array();
		size_t n = json_object_array_length(c->by[k]);
		for (size_t i = 0; i < n && i < OCR_CANDS_KEPT; i++)
			jx_push(keep, json_object_get(json_object_array_get_idx(c->by[k],
			    i)));
		jx_add(o, keys[k], keep);
	}
	const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	char *out = s ? strdup(s) : NULL;
	json_object_put(o);
	return out;
}

void
ocr_cands_free(struct ocr_cands *c)
{
	if (!c)
		return;
	for (int k = 0; k < 3; k++)
		json_object_put(c->by[k]);
	free(c);
}
