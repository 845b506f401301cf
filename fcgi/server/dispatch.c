/* dispatch.c — see dispatch.h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "http/response.h"
#include "ops/metrics.h"
#include "server/dispatch.h"
#include "server/jwt_auth.h"
#include "store/apikeys.h"
#include "util/log.h"

static const char WWW_AUTH[] = "WWW-Authenticate: Bearer realm=\"comprobar\"\r\n";
static const char WWW_AUTH_BAD[] =
    "WWW-Authenticate: Bearer realm=\"comprobar\", error=\"invalid_token\"\r\n";

/* Returns true when the request may go on to the handler. */
static bool
authenticate(struct http_req *req)
{
	const char *h = http_header(req, "Authorization");
	struct problem p;
	const char *key;

	if (req->route->roles & ROUTE_AUTH_HEADER_KEY) {
		/* Seed 003's header; the key is the same API key. */
		key = http_header(req, "api-key");
		if (!key || !*key) {
			problem_init(&p, 401, "unauthorized", "Unauthorized",
			    "send the API key in the api-key header");
			http_send_problem(req, &p, NULL);
			return false;
		}
		goto check;
	}
	if (!h || !*h) {
		problem_init(&p, 401, "unauthorized", "Unauthorized",
		    "send an API key as: Authorization: Bearer <key>");
		http_send_problem(req, &p, WWW_AUTH);
		return false;
	}
	if (strncasecmp(h, "Bearer ", 7) != 0) {
		problem_init(&p, 401, "unauthorized", "Unauthorized",
		    "only the Bearer scheme is accepted");
		http_send_problem(req, &p, WWW_AUTH);
		return false;
	}
	key = h + 7;
	while (*key == ' ')
		key++;
check:;
	cb_err e = db_ready(req->db);
	if (e == CB_OK)
		e = apikey_authenticate(req->db, key, &req->who);
	if (e == CB_ENOTFOUND) {
		problem_init(&p, 401, "unauthorized", "Unauthorized",
		    "the API key is unknown or revoked");
		http_send_problem(req, &p, WWW_AUTH_BAD);
		return false;
	}
	if (e != CB_OK) {
		http_fail(req, e);
		return false;
	}
	if (!(req->route->roles & req->who.role)) {
		char detail[128];
		snprintf(detail, sizeof detail,
		    "the role '%s' may not use this endpoint", role_name(req->who.role));
		http_problem(req, 403, "forbidden", "Forbidden", detail);
		return false;
	}
	return true;
}

static void
route_and_run(struct http_req *req)
{
	const struct route *rt = NULL;
	char allow[96];
	enum route_result r = router_match(api_routes, api_routes_count,
	    req->method, req->path, &rt, &req->params, allow, sizeof allow);
	if (r == ROUTE_NOT_FOUND && req->cfg->debug_routes) {
		char allow2[96];
		enum route_result r2 = router_match(api_debug_routes,
		    api_debug_routes_count, req->method, req->path, &rt, &req->params,
		    allow2, sizeof allow2);
		if (r2 != ROUTE_NOT_FOUND) {
			r = r2;
			memcpy(allow, allow2, sizeof allow);
		}
	}
	switch (r) {
	case ROUTE_OK:
		break;
	case ROUTE_BAD_PATH:
		http_problem(req, 400, "bad-request", "Bad Request",
		    "the request path is malformed");
		return;
	case ROUTE_NOT_FOUND:
		http_problem(req, 404, "not-found", "Not Found",
		    "no resource at this path");
		return;
	case ROUTE_METHOD: {
		char hdr[128], detail[160];
		snprintf(hdr, sizeof hdr, "Allow: %s\r\n", allow);
		snprintf(detail, sizeof detail, "this resource allows: %s", allow);
		struct problem p;
		problem_init(&p, 405, "method-not-allowed", "Method Not Allowed",
		    detail);
		http_send_problem(req, &p, hdr);
		return;
	}
	}
	req->route = rt;
	if (rt->roles & ROUTE_AUTH_JWT) {
		if (!jwt_authenticate(req))
			return;
	} else if (rt->roles && !authenticate(req))
		return;
	rt->fn(req);
}

void
dispatch_request(FCGX_Request *f, const struct config *cfg, struct db_conn *db,
    const struct dispatch_env *env)
{
	struct http_req req;
	struct timespec end;

	if (http_req_init(&req, f, cfg, db) != CB_OK)
		http_problem(&req, 400, "bad-request", "Bad Request",
		    "the request has no URI");
	else {
		req.jobs = env->jobs;
		req.storage = env->storage;
		req.web = env->web;
		req.metrics = env->metrics;
		req.jwt = env->jwt;
		metrics_db_busy(env->metrics, 1);
		route_and_run(&req);
		metrics_db_busy(env->metrics, -1);
	}
	if (!req.status) {
		log_error("rid=%s: handler sent no response", req.request_id);
		http_problem(&req, 500, "internal", "Internal Server Error", NULL);
	}
	/* A body nobody read is drained so nginx never sees a reset. */
	http_drain_body(&req);
	clock_gettime(CLOCK_MONOTONIC, &end);
	double ms = (double)(end.tv_sec - req.started.tv_sec) * 1e3 +
	    (double)(end.tv_nsec - req.started.tv_nsec) / 1e6;
	int route = req.route && req.route >= api_routes &&
	    req.route < api_routes + api_routes_count ?
	    (int)(req.route - api_routes) : -1;
	metrics_request(env->metrics, route, req.status, ms);
	/* The path only: query strings may carry tokens. */
	log_info("request rid=%s method=%s path=%.200s status=%d dur_ms=%.2f key=%lld",
	    req.request_id, req.method, req.path ? req.path : "-", req.status, ms,
	    (long long)req.who.key_id);
	http_req_release(&req);
}
