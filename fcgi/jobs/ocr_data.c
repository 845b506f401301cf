/* ocr_data.c — see ocr_data.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "jobs/ocr_data.h"

static json_object *
conf2(float c)
{
	char s[16];
	snprintf(s, sizeof s, "%.2f", (double)c);
	return json_object_new_double_s(c, s);
}

static json_object *
box(int page, int x0, int y0, int x1, int y1)
{
	json_object *b = json_object_new_object();
	json_object_object_add(b, "page", json_object_new_int(page));
	json_object *a = json_object_new_array();
	json_object_array_add(a, json_object_new_int(x0));
	json_object_array_add(a, json_object_new_int(y0));
	json_object_array_add(a, json_object_new_int(x1));
	json_object_array_add(a, json_object_new_int(y1));
	json_object_object_add(b, "box", a);
	return b;
}

static void
field(json_object *fields, const char *name, const struct ocr_field *f)
{
	if (!f->found)
		return;
	json_object *o = json_object_new_object();
	json_object_object_add(o, "value", json_object_new_string(f->value));
	json_object_object_add(o, "raw", json_object_new_string(f->raw));
	json_object_object_add(o, "confidence", conf2(f->conf));
	if (f->x1 > f->x0)
		json_object_object_add(o, "at", box(f->page, f->x0, f->y0, f->x1,
		    f->y1));
	json_object_object_add(fields, name, o);
}

char *
ocr_data_json(const struct ocr_text *t, const struct ocr_fields *f,
    const char *status, bool review, const char *reasons, int64_t dup,
    const char *error, double seconds)
{
	json_object *o = json_object_new_object();
	char secs[32];
	json_object_object_add(o, "v", json_object_new_int(1));
	json_object_object_add(o, "status", json_object_new_string(status));
	snprintf(secs, sizeof secs, "%.3f", seconds);
	json_object_object_add(o, "seconds", json_object_new_double_s(seconds, secs));
	if (error)
		json_object_object_add(o, "error", json_object_new_string(error));
	json_object_object_add(o, "requiresManualReview",
	    json_object_new_boolean(review));
	json_object *rs = json_object_new_array();
	for (const char *p = reasons; p && *p;) {
		size_t n = strcspn(p, ";");
		json_object_array_add(rs, json_object_new_string_len(p, (int)n));
		p += n;
		while (*p == ';' || *p == ' ')
			p++;
	}
	json_object_object_add(o, "reasons", rs);
	if (dup)
		json_object_object_add(o, "duplicateOf", json_object_new_int64(dup));
	if (f) {
		json_object *fs = json_object_new_object();
		field(fs, "amount", &f->amount);
		field(fs, "currency", &f->currency);
		field(fs, "date", &f->date);
		field(fs, "reference", &f->reference);
		field(fs, "bankCode", &f->bank);
		field(fs, "paymentMethod", &f->method);
		if (f->amount.found) {
			json_object *a;
			if (json_object_object_get_ex(fs, "amount", &a))
				json_object_object_add(a, "minor",
				    json_object_new_int64(f->amount_minor));
		}
		json_object_object_add(o, "fields", fs);
	}
	if (t) {
		json_object_object_add(o, "source", json_object_new_string(t->source));
		json_object_object_add(o, "rotation", json_object_new_int(t->rotation));
		json_object *pages = json_object_new_array();
		for (int i = 0; i < t->pages && i < OCR_MAX_PAGES; i++) {
			json_object *p = json_object_new_array();
			json_object_array_add(p, json_object_new_int(t->page_w[i]));
			json_object_array_add(p, json_object_new_int(t->page_h[i]));
			json_object_array_add(pages, p);
		}
		json_object_object_add(o, "pages", pages);
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
	json_object *ws = json_object_new_array();
	for (size_t i = 0; t && i < t->n && i < 20000; i++) {
		const struct ocr_word *w = &t->w[i];
		json_object *a = json_object_new_array();
		json_object_array_add(a, json_object_new_string(w->text));
		json_object_array_add(a, json_object_new_int(w->page));
		json_object_array_add(a, json_object_new_int(w->x0));
		json_object_array_add(a, json_object_new_int(w->y0));
		json_object_array_add(a, json_object_new_int(w->x1));
		json_object_array_add(a, json_object_new_int(w->y1));
		json_object_array_add(a, conf2(w->conf));
		json_object_array_add(ws, a);
	}
	const char *s = json_object_to_json_string_ext(ws, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	char *out = s ? strdup(s) : NULL;
	json_object_put(ws);
	return out;
}
