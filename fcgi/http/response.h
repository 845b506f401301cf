/*
 * response.h — writing responses: JSON bodies, RFC 9457 problems, and the
 * one place that maps cb_err to an HTTP status (http_fail).
 *
 * Every response carries X-Request-Id, a charset on text types,
 * X-Content-Type-Options: nosniff and Cache-Control: no-store (API data is
 * never cached by intermediaries).  A handler sends exactly one response;
 * the dispatcher answers 500 if it sent none.
 */
#ifndef CB_RESPONSE_H
#define CB_RESPONSE_H

#include <stddef.h>

#include <json-c/json.h>

#include "http/request.h"
#include "util/err.h"

#define PROBLEM_MAX_ERRORS 64

/* extra_headers: "Name: value\r\n" lines, or NULL. */
void http_send(struct http_req *req, int status, const char *content_type,
    const char *extra_headers, const char *body, size_t len);
/* Serialises obj (borrowed) as application/json. */
/* Like http_send with the body read from fd (size bytes from offset 0). */
void http_send_fd(struct http_req *req, int status, const char *content_type,
    const char *extra, int fd, long long size);
void http_json(struct http_req *req, int status, json_object *obj,
    const char *extra_headers);
/* 204 No Content. */
void http_no_content(struct http_req *req);

/* A problem document being built; errors[] collects field failures. */
struct problem {
	int status;
	const char *slug;   /* type is "/problems/<slug>" */
	const char *title;
	char detail[512];
	json_object *errors; /* owned; NULL until the first error */
	json_object *extra;  /* owned; extension members, or NULL */
};

void problem_init(struct problem *p, int status, const char *slug,
    const char *title, const char *detail);
/* The 422 a request body's field checks fill: "some fields are invalid;
 * see errors". */
void problem_init_invalid(struct problem *p);
/* Adds {"pointer": "#/<field>", "code", "detail"}.  Stops silently after
 * PROBLEM_MAX_ERRORS: the rest would only make the body larger. */
void problem_field(struct problem *p, const char *field, const char *code,
    const char *detail);
size_t problem_count(const struct problem *p);
/* Sends and frees p. */
void http_send_problem(struct http_req *req, struct problem *p,
    const char *extra_headers);
void problem_free(struct problem *p);

/* Shorthand for a problem without field errors. */
void http_problem(struct http_req *req, int status, const char *slug,
    const char *title, const char *detail);
/* 503 with Retry-After from config. */
void http_unavailable(struct http_req *req);
/* The single cb_err → HTTP mapping: http_fail answers e with the status
 * http_fail_status gives (0 for CB_OK: nothing is sent). */
int http_fail_status(cb_err e);
void http_fail(struct http_req *req, cb_err e);

const char *http_reason(int status);

#endif
