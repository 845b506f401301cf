/* review_reason.c — see review_reason.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/review_reason.h"

/* One sentence each; {field}, {a} and {b} are where values go.  Writers:
 * ocr/review.c and jobs/ocr_job.c (through review_reason_format), the
 * matching job (jobs/match_job.c), the receipt job.  A sentence changed
 * there must change here: a unit test reads each writer's output back. */
static const struct {
	const char *code, *tmpl;
} TABLE[] = {
	{"missing", "{field} not found on the receipt"},
	{"low_confidence", "{field} read with low confidence ({a})"},
	{"disagrees", "{field}: the receipt says {a}, the request {b}"},
	{"no_text", "no text could be read on the receipt"},
	{"duplicate", "the receipt was already used by payment {a}"},
	{"used_by_another_client", "the receipt was already used by another client"},
	{"ocr_failed", "OCR failed: {a}"},
	{"unreadable", "OCR could not read the receipt: {a}"},
	{"bank_ambiguous", "bank match ambiguous: {a}"},
	{"bank_better_fit", "each is a better fit for another voucher"},
	{"bank_invalid", "bank {field}: {a}"},
};
#define NTABLE (sizeof TABLE / sizeof TABLE[0])

bool
review_reason_format(char *out, size_t len, const char *code,
    const char *field, const char *a, const char *b)
{
	out[0] = '\0';
	for (size_t i = 0; i < NTABLE; i++) {
		if (strcmp(TABLE[i].code, code) != 0)
			continue;
		size_t o = 0;
		for (const char *t = TABLE[i].tmpl; *t && o + 1 < len;) {
			const char *v = NULL;
			if (!strncmp(t, "{field}", 7))
				v = field;
			else if (!strncmp(t, "{a}", 3))
				v = a;
			else if (!strncmp(t, "{b}", 3))
				v = b;
			if (v || *t == '{') {
				o += (size_t)snprintf(out + o, len - o, "%s", v ? v : "");
				t = strchr(t, '}') + 1;
			} else
				out[o++] = *t++;
			if (o >= len)
				o = len - 1;
		}
		out[o < len ? o : len - 1] = '\0';
		return true;
	}
	return false;
}

/* Copies s[0..n) into a value slot. */
static void
take(char *dst, size_t dlen, const char *s, size_t n)
{
	if (n >= dlen)
		n = dlen - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* Does sentence s[0..n) read as tmpl?  Values into r. */
static bool
match(const char *tmpl, const char *s, size_t n, struct review_reason *r)
{
	size_t pos = 0;
	const char *t = tmpl;
	while (*t) {
		if (*t != '{') {
			size_t lit = strcspn(t, "{");
			if (pos + lit > n || memcmp(s + pos, t, lit) != 0)
				return false;
			pos += lit;
			t += lit;
			continue;
		}
		const char *close = strchr(t, '}');
		char *slot = !strncmp(t, "{field}", 7) ? r->field :
		    !strncmp(t, "{a}", 3) ? r->a : r->b;
		size_t slen = slot == r->field ? sizeof r->field : sizeof r->a;
		t = close + 1;
		size_t lit = strcspn(t, "{");
		size_t end = n;
		if (lit) {
			/* Up to the first place the next literal text appears. */
			const char *hit = NULL;
			for (size_t k = pos; k + lit <= n && !hit; k++)
				if (!memcmp(s + k, t, lit))
					hit = s + k;
			if (!hit)
				return false;
			end = (size_t)(hit - s);
		}
		if (end == pos)
			return false; /* a value is never empty */
		take(slot, slen, s + pos, end - pos);
		pos = end;
	}
	return pos == n;
}

/* The sentence at or after p ("; "-joined), its length in *n; NULL when
 * none is left. */
static const char *
next_sentence(const char *p, size_t *n)
{
	while (*p == ' ' || *p == ';')
		p++;
	if (!*p)
		return NULL;
	const char *semi = strstr(p, "; ");
	*n = semi ? (size_t)(semi - p) : strlen(p);
	return p;
}

size_t
review_reasons_parse(const char *text, struct review_reason *out, size_t max)
{
	size_t count = 0, n;
	const char *p = text ? text : "";
	while (count < max && (p = next_sentence(p, &n))) {
		struct review_reason *r = &out[count];
		memset(r, 0, sizeof *r);
		r->code = "other";
		for (size_t i = 0; i < NTABLE; i++) {
			struct review_reason tmp;
			memset(&tmp, 0, sizeof tmp);
			if (match(TABLE[i].tmpl, p, n, &tmp)) {
				*r = tmp;
				r->code = TABLE[i].code;
				break;
			}
		}
		if (!strcmp(r->code, "other"))
			take(r->a, sizeof r->a, p, n);
		count++;
		p += n;
	}
	return count;
}

/* The codes the OCR job writes: a new reading replaces them all. */
static bool
ocr_code(const char *code)
{
	static const char *const own[] = {"missing", "low_confidence",
	    "disagrees", "no_text", "duplicate", "used_by_another_client",
	    "ocr_failed", "unreadable"};
	for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
		if (!strcmp(code, own[i]))
			return true;
	return false;
}

char *
review_reasons_with_ocr(const char *old, const char *ocr)
{
	old = old ? old : "";
	ocr = ocr ? ocr : "";
	size_t cap = strlen(old) + strlen(ocr) + 3, o = 0;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	out[0] = '\0';
	size_t n;
	for (const char *p = old; (p = next_sentence(p, &n)); p += n) {
		struct review_reason r;
		char one[1024];
		snprintf(one, sizeof one, "%.*s", (int)(n < sizeof one - 1 ? n :
		    sizeof one - 1), p);
		/* A sentence too long to read back is not one of OCR's. */
		if (n >= sizeof one - 1 || review_reasons_parse(one, &r, 1) != 1 ||
		    !ocr_code(r.code)) {
			o += (size_t)snprintf(out + o, cap - o, "%s%.*s", o ? "; " : "",
			    (int)n, p);
		}
	}
	if (*ocr)
		snprintf(out + o, cap - o, "%s%s", o ? "; " : "", ocr);
	return out;
}
