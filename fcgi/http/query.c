/* query.c — see query.h. */
#include <stdbool.h>
#include <string.h>

#include "http/query.h"
#include "util/codec.h"

#define NAME_MAX_LEN 128

/* Splits qs into pairs; calls fn for each with raw slices. Stops on non-OK. */
static cb_err
each_pair(const char *qs,
    cb_err (*fn)(const char *k, size_t kl, const char *v, size_t vl, void *a),
    void *arg)
{
	size_t pairs = 0;
	const char *p = qs;
	while (p && *p) {
		const char *amp = strchr(p, '&');
		size_t len = amp ? (size_t)(amp - p) : strlen(p);
		if (len) {
			if (++pairs > QUERY_MAX_PAIRS)
				return CB_EINVAL;
			const char *eq = memchr(p, '=', len);
			size_t kl = eq ? (size_t)(eq - p) : len;
			const char *v = eq ? eq + 1 : p + len;
			size_t vl = eq ? len - kl - 1 : 0;
			cb_err e = fn(p, kl, v, vl, arg);
			if (e != CB_OK)
				return e;
		}
		p = amp ? amp + 1 : NULL;
	}
	return CB_OK;
}

struct find {
	const char *name;
	char *out;
	size_t outlen;
	bool found;
	cb_err err;
};

static cb_err
find_fn(const char *k, size_t kl, const char *v, size_t vl, void *arg)
{
	struct find *f = arg;
	char key[NAME_MAX_LEN + 1];
	size_t dl;
	if (kl > NAME_MAX_LEN)
		return CB_EINVAL;
	if (pct_decode(k, kl, key, &dl, true) != CB_OK)
		return CB_EINVAL;
	if (strcmp(key, f->name) != 0)
		return CB_OK;
	if (f->found)
		return CB_EINVAL; /* ambiguous: a=1&a=2 */
	f->found = true;
	if (vl + 1 > f->outlen) {
		f->err = CB_ETOOBIG;
		return CB_OK;
	}
	if (pct_decode(v, vl, f->out, NULL, true) != CB_OK)
		return CB_EINVAL;
	return CB_OK;
}

cb_err
query_get(const char *qs, const char *name, char *out, size_t outlen)
{
	struct find f = {name, out, outlen, false, CB_OK};
	if (outlen)
		out[0] = '\0';
	cb_err e = each_pair(qs, find_fn, &f);
	if (e != CB_OK)
		return e;
	if (!f.found)
		return CB_ENOTFOUND;
	return f.err;
}

struct seen {
	char names[QUERY_MAX_PAIRS][NAME_MAX_LEN + 1];
	size_t n;
};

static cb_err
validate_fn(const char *k, size_t kl, const char *v, size_t vl, void *arg)
{
	struct seen *s = arg;
	char tmp[1024];
	if (kl > NAME_MAX_LEN || kl == 0)
		return CB_EINVAL;
	if (pct_decode(k, kl, s->names[s->n], NULL, true) != CB_OK)
		return CB_EINVAL;
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->names[i], s->names[s->n]) == 0)
			return CB_EINVAL;
	s->n++;
	/* Values are decoded in chunks only to check their escapes. */
	while (vl) {
		size_t take = vl > 900 ? 900 : vl;
		/* Never split an escape: back off to before a '%'. */
		if (take < vl) {
			if (v[take - 1] == '%')
				take -= 1;
			else if (take >= 2 && v[take - 2] == '%')
				take -= 2;
		}
		if (pct_decode(v, take, tmp, NULL, true) != CB_OK)
			return CB_EINVAL;
		v += take;
		vl -= take;
	}
	return CB_OK;
}

cb_err
query_validate(const char *qs)
{
	struct seen s; /* 8 KiB on the stack, no shared state */
	s.n = 0;
	return each_pair(qs, validate_fn, &s);
}

cb_err
cookie_get(const char *h, const char *name, char *out, size_t outlen)
{
	size_t nl = strlen(name);
	if (outlen)
		out[0] = '\0';
	const char *p = h;
	while (p && *p) {
		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		const char *semi = strchr(p, ';');
		size_t len = semi ? (size_t)(semi - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		if (eq && (size_t)(eq - p) == nl && memcmp(p, name, nl) == 0) {
			const char *v = eq + 1;
			size_t vl = len - nl - 1;
			while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
				vl--;
			if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
				v++;
				vl -= 2;
			}
			if (vl + 1 > outlen)
				return CB_ETOOBIG;
			memcpy(out, v, vl);
			out[vl] = '\0';
			return CB_OK;
		}
		p = semi;
	}
	return CB_ENOTFOUND;
}
