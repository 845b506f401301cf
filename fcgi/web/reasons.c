/* reasons.c — a payment's review reasons in the reader's language.  The
 * stored sentences are read back into codes (core/review_reason.h) and
 * each is said with the catalogue's "reason_<code>", its {field} named
 * with "field_<member>" and its values as they were. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/review_reason.h"
#include "util/buf.h"
#include "web/web.h"
#include "util/jsonx.h"

/* The catalogue's words for key, or NULL when it has none. */
static const char *
words(struct http_req *req, const char *key)
{
	const char *w = web_msg(req, key);
	return w == key || strcmp(w, key) == 0 ? NULL : w;
}

static cb_err
say(struct http_req *req, const struct review_reason *r, struct buf *b)
{
	char key[64];
	snprintf(key, sizeof key, "reason_%s", r->code);
	const char *t = words(req, key);
	if (!t)
		t = "{a}";
	snprintf(key, sizeof key, "field_%s", r->field);
	const char *field = r->field[0] && words(req, key) ? words(req, key) :
	    r->field;
	cb_err e = CB_OK;
	while (*t && e == CB_OK) {
		const char *v = !strncmp(t, "{field}", 7) ? field :
		    !strncmp(t, "{a}", 3) ? r->a : !strncmp(t, "{b}", 3) ? r->b : NULL;
		if (v) {
			e = buf_puts(b, v);
			t = strchr(t, '}') + 1;
		} else {
			size_t n = strcspn(t + 1, "{") + 1;
			e = buf_append(b, t, n);
			t += n;
		}
	}
	return e;
}

json_object *
web_reasons(struct http_req *req, const char *text)
{
	if (!text || !*text)
		return NULL;
	struct buf b;
	buf_init(&b, 1 << 20);
	cb_err e = CB_OK;
	/* Sentence by sentence, as review_reasons_parse splits them: what no
	 * template reads (a person's own words) is shown whole, as written. */
	for (const char *p = text; *p && e == CB_OK;) {
		const char *semi = strstr(p, "; ");
		size_t n = semi ? (size_t)(semi - p) : strlen(p);
		char *one = strndup(p, n);
		struct review_reason r;
		if (!one)
			e = CB_ENOMEM;
		else if (review_reasons_parse(one, &r, 1) == 1 &&
		    strcmp(r.code, "other") != 0)
			e = say(req, &r, &b);
		else
			e = buf_append(&b, p, n);
		free(one);
		p += n;
		if (semi && e == CB_OK) {
			e = buf_puts(&b, "; ");
			p += 2;
		}
	}
	json_object *o = e == CB_OK && b.data ?
	    jx_string_len(b.data, (int)b.len) :
	    jx_string(text);
	buf_free(&b);
	return o;
}
