/*
 * router.h — method + path dispatch with {name} parameters.
 *
 * Routes are a static table.  Matching is pure: the raw request path (as
 * sent, before decoding) is split on '/', each segment percent-decoded on
 * its own (so %2F stays inside a segment), and compared with the pattern.
 * A path that matches some pattern under another method yields
 * ROUTE_METHOD with the Allow list; "." / ".." segments, bad escapes and
 * over-long paths yield ROUTE_BAD_PATH.
 */
#ifndef CB_ROUTER_H
#define CB_ROUTER_H

#include <stddef.h>

#define ROUTE_MAX_PARAMS 8
#define ROUTE_PATH_MAX 2048

struct http_req;
typedef void (*route_fn)(struct http_req *req);

/* How a route's caller proves who it is, as flags beside the role bits
 * of `roles`: none, Authorization: Bearer <API key>. */
#define ROUTE_AUTH_HEADER_KEY (1u << 16) /* api-key: <API key> (seed 003) */
/* Authorization: Bearer <JWT> (seed 001); the handler checks the token's
 * role claim, so the route's role bits are not compared. */
#define ROUTE_AUTH_JWT (1u << 17)

/* Whose objects a route reaches (core/ownership.h), declared beside each
 * route: comprobar-fcgi --routes prints it, and the authorization test
 * built from that table expects each caller's answer from it.  A route
 * left undeclared fails that test. */
enum route_access {
	ACCESS_UNDECLARED = 0,
	ACCESS_PUBLIC,   /* nobody in particular: health, login */
	ACCESS_SESSION,  /* review pages: a signed-in reviewer or admin */
	ACCESS_SELF,     /* the calling key itself */
	ACCESS_STAFF,    /* installation data no client role reaches */
	ACCESS_OWN,      /* a collection: lists and creates the caller's own */
	ACCESS_OWNED,    /* one object with an owner: another client's is 404 */
	ACCESS_SHARED,   /* an object shared unless given to one client */
	ACCESS_TOKEN,    /* seed 001: the JWT's role and window decide */
};

struct route {
	const char *method;  /* "GET", "POST", … (GET also answers HEAD) */
	const char *pattern; /* "/api/api-keys/{id}" */
	route_fn fn;
	unsigned roles;      /* enum role mask; 0 = public */
	const char *action;  /* activity-log name for mutating routes, or NULL */
	enum route_access access;
};

/* "owned", …; "" for ACCESS_UNDECLARED. */
const char *route_access_name(enum route_access a);

struct route_params {
	unsigned n;
	struct {
		const char *name; /* borrowed from the pattern */
		size_t name_len;
		const char *value; /* points into buf */
	} p[ROUTE_MAX_PARAMS];
	char buf[ROUTE_PATH_MAX + ROUTE_MAX_PARAMS];
};

enum route_result { ROUTE_OK, ROUTE_NOT_FOUND, ROUTE_METHOD, ROUTE_BAD_PATH };

/* allow receives "GET, POST" for ROUTE_METHOD. */
enum route_result router_match(const struct route *routes, size_t n,
    const char *method, const char *path, const struct route **found,
    struct route_params *params, char *allow, size_t allowlen);

/* The decoded value of {name}, or NULL. */
const char *route_param(const struct route_params *p, const char *name);

#endif
