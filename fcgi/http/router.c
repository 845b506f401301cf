/* router.c — see router.h. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "http/router.h"
#include "util/codec.h"

#define MAX_SEGMENTS 32

struct segs {
	unsigned n;
	const char *s[MAX_SEGMENTS]; /* decoded, NUL-terminated, in buf */
	char buf[ROUTE_PATH_MAX + MAX_SEGMENTS];
};

static enum route_result
split_path(const char *path, struct segs *out)
{
	size_t len = strlen(path);
	size_t used = 0;
	out->n = 0;
	if (len == 0 || path[0] != '/' || len > ROUTE_PATH_MAX)
		return ROUTE_BAD_PATH;
	if (len == 1)
		return ROUTE_OK; /* "/" has no segments */
	const char *p = path + 1;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t sl = slash ? (size_t)(slash - p) : strlen(p);
		size_t dl;
		if (out->n == MAX_SEGMENTS)
			return ROUTE_NOT_FOUND;
		if (pct_decode(p, sl, out->buf + used, &dl, false) != CB_OK)
			return ROUTE_BAD_PATH;
		const char *seg = out->buf + used;
		if (strcmp(seg, ".") == 0 || strcmp(seg, "..") == 0)
			return ROUTE_BAD_PATH;
		out->s[out->n++] = seg;
		used += dl + 1;
		if (!slash)
			break;
		p = slash + 1;
	}
	return ROUTE_OK;
}

/* Matches one pattern against the segments; fills params on success. */
static bool
match_one(const char *pattern, const struct segs *sg, struct route_params *rp)
{
	unsigned i = 0;
	size_t used = 0;
	const char *p = pattern + 1;
	rp->n = 0;
	if (pattern[1] == '\0')
		return sg->n == 0;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t pl = slash ? (size_t)(slash - p) : strlen(p);
		if (i >= sg->n)
			return false;
		const char *seg = sg->s[i];
		if (pl >= 2 && p[0] == '{' && p[pl - 1] == '}') {
			size_t vl = strlen(seg);
			if (vl == 0 || rp->n == ROUTE_MAX_PARAMS)
				return false;
			memcpy(rp->buf + used, seg, vl + 1);
			rp->p[rp->n].name = p + 1;
			rp->p[rp->n].name_len = pl - 2;
			rp->p[rp->n].value = rp->buf + used;
			rp->n++;
			used += vl + 1;
		} else if (strlen(seg) != pl || memcmp(seg, p, pl) != 0)
			return false;
		i++;
		if (!slash)
			break;
		p = slash + 1;
	}
	return i == sg->n;
}

enum route_result
router_match(const struct route *routes, size_t n, const char *method,
    const char *path, const struct route **found, struct route_params *params,
    char *allow, size_t allowlen)
{
	struct segs sg;
	enum route_result r;
	bool path_known = false;
	size_t alen = 0;

	*found = NULL;
	if (allowlen)
		allow[0] = '\0';
	if ((r = split_path(path, &sg)) != ROUTE_OK)
		return r;
	const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
	for (size_t i = 0; i < n; i++) {
		if (!match_one(routes[i].pattern, &sg, params))
			continue;
		if (strcmp(routes[i].method, m) == 0) {
			*found = &routes[i];
			return ROUTE_OK;
		}
		path_known = true;
		/* Collect Allow, skipping repeats. */
		char needle[16];
		snprintf(needle, sizeof needle, "%s", routes[i].method);
		if (!strstr(allow, needle) && alen + strlen(needle) + 3 < allowlen)
			alen += (size_t)snprintf(allow + alen, allowlen - alen, "%s%s",
			    alen ? ", " : "", needle);
	}
	params->n = 0;
	if (!path_known)
		return ROUTE_NOT_FOUND;
	if (strstr(allow, "GET") && alen + 8 < allowlen)
		alen += (size_t)snprintf(allow + alen, allowlen - alen, ", HEAD");
	return ROUTE_METHOD;
}

const char *
route_param(const struct route_params *p, const char *name)
{
	size_t nl = strlen(name);
	for (unsigned i = 0; i < p->n; i++)
		if (p->p[i].name_len == nl && memcmp(p->p[i].name, name, nl) == 0)
			return p->p[i].value;
	return NULL;
}

const char *
route_access_name(enum route_access a)
{
	static const char *const names[] = {"", "public", "session", "self",
	    "staff", "own", "owned", "shared", "token"};
	return (unsigned)a < sizeof names / sizeof names[0] ? names[a] : "";
}
