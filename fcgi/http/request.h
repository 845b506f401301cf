/*
 * request.h — one HTTP request as it reaches a handler, and the helpers a
 * handler uses to read it (headers, query, cookies, JSON body).
 *
 * A struct http_req lives on the request thread's stack for one request;
 * everything it points to is either owned by libfcgi for the duration of
 * the request or by the thread (db, cfg).  http_req_release frees what the
 * request itself allocated.
 */
#ifndef CB_REQUEST_H
#define CB_REQUEST_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <fcgiapp.h>
#include <json-c/json.h>

#include "conf/config.h"
#include "core/role.h"
#include "http/router.h"
#include "store/db.h"

#define REQUEST_ID_MAX 64

struct job_pool;
struct storage;
struct web;
struct metrics;
struct jwt_keys;

struct http_req {
	FCGX_Request *fcgi;         /* borrowed from the thread */
	const struct config *cfg;   /* borrowed */
	struct db_conn *db;         /* borrowed: the thread's own connection */
	struct job_pool *jobs;      /* borrowed: this worker's job threads */
	struct storage *storage;    /* borrowed: where documents live */
	const struct web *web;      /* borrowed: templates and messages */
	struct metrics *metrics;    /* borrowed: shared counters, or NULL */
	const struct jwt_keys *jwt; /* borrowed: seed 001's token keys */
	const char *method;         /* borrowed from the params */
	char *path;                 /* owned: REQUEST_URI before '?' */
	const char *query;          /* borrowed; "" if none */
	char request_id[REQUEST_ID_MAX + 1];
	const struct route *route;  /* the matched route, or NULL */
	struct route_params params;
	struct principal who;
	struct timespec started;    /* monotonic */
	int status;                 /* 0 until a response is sent */
	bool body_read;             /* the body stream has been consumed */
};

/* Fills req from the FastCGI params.  CB_EINVAL if REQUEST_URI is absent. */
cb_err http_req_init(struct http_req *req, FCGX_Request *f,
    const struct config *cfg, struct db_conn *db);
void http_req_release(struct http_req *req);

/* A request header by its HTTP name ("Authorization"), or NULL. */
const char *http_header(const struct http_req *req, const char *name);
/* A FastCGI param ("REMOTE_ADDR"), or NULL. */
const char *http_param(const struct http_req *req, const char *name);

/* Reads and strictly parses a JSON object body.  Returns false after having
 * answered 415 (not JSON), 413 (over json_max_bytes), 400 (malformed) or
 * 503; true with *out set (caller puts it). */
bool http_json_body(struct http_req *req, json_object **out);
/* The same for a seed surface whose errors are a plain-text sentence
 * (seed 002: "400 … a string describing the error"): every refusal is
 * 400 or 413 with a text/plain body. */
bool http_json_body_plain(struct http_req *req, json_object **out);
/* Reads the body (of a type the caller checked) as UTF-8 text without
 * NUL bytes (*out malloc'd); false after answering 413 or 400. */
bool http_text_body(struct http_req *req, long max, char **out);
/* Reads an application/x-www-form-urlencoded body (at most max bytes) as
 * a NUL-terminated string (*out malloc'd, for query_get).  false after
 * answering 415, 413 or 400. */
bool http_urlencoded_body(struct http_req *req, long max, char **out);

/* Reads and discards whatever of the body is unread, so that the server
 * never closes on a peer that is still sending. */
void http_drain_body(struct http_req *req);

#endif
