/* response.c — see response.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "http/response.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/jsonx.h"

const char *
http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 307: return "Temporary Redirect";
	case 308: return "Permanent Redirect";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 428: return "Precondition Required";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	}
	return "Unknown";
}

void
http_send(struct http_req *req, int status, const char *ctype,
    const char *extra, const char *body, size_t len)
{
	if (req->status) {
		log_error("rid=%s: second response (%d) suppressed", req->request_id,
		    status);
		return;
	}
	req->status = status;
	/* Nothing is cached unless the handler says how (extra headers). */
	bool cacheable = extra && (strncasecmp(extra, "Cache-Control:", 14) == 0 ||
	    strcasestr(extra, "\nCache-Control:"));
	FCGX_FPrintF(req->fcgi->out,
	    "Status: %d %s\r\n"
	    "X-Request-Id: %s\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "%s",
	    status, http_reason(status), req->request_id,
	    cacheable ? "" : "Cache-Control: no-store\r\n");
	if (ctype)
		FCGX_FPrintF(req->fcgi->out, "Content-Type: %s\r\n", ctype);
	if (extra)
		FCGX_PutS(extra, req->fcgi->out);
	FCGX_PutS("\r\n", req->fcgi->out);
	if (len && strcmp(req->method, "HEAD") != 0)
		FCGX_PutStr(body, (int)len, req->fcgi->out);
}

void
http_send_fd(struct http_req *req, int status, const char *ctype,
    const char *extra, int fd, long long size)
{
	char buf[65536];
	http_send(req, status, ctype, extra, NULL, 0);
	if (strcmp(req->method, "HEAD") == 0)
		return;
	for (long long off = 0; off < size;) {
		ssize_t r = pread(fd, buf, sizeof buf, (off_t)off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			log_error("rid=%s: read failed after %lld of %lld bytes",
			    req->request_id, off, size);
			return;
		}
		FCGX_PutStr(buf, (int)r, req->fcgi->out);
		off += r;
	}
}

void
http_json(struct http_req *req, int status, json_object *obj,
    const char *extra)
{
	size_t len = 0;
	/* json-c answers NULL (or a top-level object of NULL) when memory ran
	 * out while the answer was built: a 500, never "null" with a 200. */
	const char *s = obj ? json_object_to_json_string_length(obj,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len) : NULL;
	if (!s) {
		static const char body[] = "{\"type\":\"/problems/internal\","
		    "\"title\":\"Internal Server Error\",\"status\":500}";
		log_error("rid=%s: the answer could not be built (out of memory)",
		    req->request_id);
		/* Written out whole: building a problem could fail the same way. */
		http_send(req, 500, "application/problem+json", NULL, body,
		    sizeof body - 1);
		return;
	}
	http_send(req, status, "application/json; charset=utf-8", extra, s, len);
}

void
http_no_content(struct http_req *req)
{
	http_send(req, 204, NULL, NULL, NULL, 0);
}

void
problem_init(struct problem *p, int status, const char *slug,
    const char *title, const char *detail)
{
	memset(p, 0, sizeof *p);
	p->status = status;
	p->slug = slug;
	p->title = title;
	if (detail)
		snprintf(p->detail, sizeof p->detail, "%s", detail);
}

void
problem_init_invalid(struct problem *p)
{
	problem_init(p, 422, "validation", "Unprocessable Content",
	    "some fields are invalid; see errors");
}

void
problem_field(struct problem *p, const char *field, const char *code,
    const char *detail)
{
	char ptr[160];
	if (!p->errors)
		p->errors = jx_array();
	if (json_object_array_length(p->errors) >= PROBLEM_MAX_ERRORS)
		return;
	json_object *e = jx_object();
	snprintf(ptr, sizeof ptr, "#/%s", field);
	jx_add(e, "pointer", jx_string(ptr));
	jx_add(e, "code", jx_string(code));
	jx_add(e, "detail", jx_string(detail));
	jx_push(p->errors, e);
}

size_t
problem_count(const struct problem *p)
{
	return p->errors ? json_object_array_length(p->errors) : 0;
}

void
problem_free(struct problem *p)
{
	if (!p)
		return;
	json_object_put(p->errors);
	json_object_put(p->extra);
	p->errors = p->extra = NULL;
}

void
http_send_problem(struct http_req *req, struct problem *p, const char *extra)
{
	char type[96];
	json_object *o = jx_object();
	snprintf(type, sizeof type, "/problems/%s", p->slug);
	jx_add(o, "type", jx_string(type));
	jx_add(o, "title", jx_string(p->title));
	jx_add(o, "status", jx_int(p->status));
	/* RFC 9457 makes detail optional; our convention always sends one. */
	jx_add(o, "detail", jx_string(
	    p->detail[0] ? p->detail
	    : p->errors  ? "some fields are invalid; see errors"
	                 : p->title));
	jx_add(o, "instance",
	    jx_string(req->request_id));
	if (p->errors) {
		jx_add(o, "errors", p->errors);
		p->errors = NULL;
	}
	if (p->extra) {
		json_object_object_foreach(p->extra, k, v)
			jx_add(o, k, json_object_get(v));
	}
	size_t len = 0;
	const char *s = json_object_to_json_string_length(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	http_send(req, p->status, "application/problem+json; charset=utf-8", extra,
	    s, len);
	json_object_put(o);
	problem_free(p);
}

void
http_problem(struct http_req *req, int status, const char *slug,
    const char *title, const char *detail)
{
	struct problem p;
	problem_init(&p, status, slug, title, detail);
	http_send_problem(req, &p, NULL);
}

void
http_unavailable(struct http_req *req)
{
	char hdr[64];
	struct problem p;
	snprintf(hdr, sizeof hdr, "Retry-After: %d\r\n", req->cfg->db_retry_after);
	problem_init(&p, 503, "unavailable", "Service Unavailable",
	    "the database is unreachable; retry later");
	http_send_problem(req, &p, hdr);
}

int
http_fail_status(cb_err e)
{
	switch (e) {
	case CB_OK:
		return 0;
	case CB_EUNAVAILABLE:
		return 503;
	case CB_ENOTFOUND:
		return 404;
	case CB_ECONFLICT:
	case CB_EEXIST:
		return 409;
	case CB_ETOOBIG:
		return 413;
	case CB_EINVAL:
		return 400;
	default:
		/* CB_EDB among them: a statement our code got wrong (an unbound
		 * parameter) is our fault, never the client's 400. */
		return 500;
	}
}

void
http_fail(struct http_req *req, cb_err e)
{
	switch (http_fail_status(e)) {
	case 0:
		return;
	case 503:
		http_unavailable(req);
		return;
	case 404:
		http_problem(req, 404, "not-found", "Not Found",
		    "no such resource");
		return;
	case 409:
		http_problem(req, 409, "conflict", "Conflict",
		    "the resource changed or already exists; reload and retry");
		return;
	case 413:
		http_problem(req, 413, "payload-too-large", "Content Too Large",
		    NULL);
		return;
	case 400:
		http_problem(req, 400, "bad-request", "Bad Request", NULL);
		return;
	default:
		/* Internals stay in the log; the client gets the request id. */
		log_error("rid=%s: %s", req->request_id, cb_strerror(e));
		http_problem(req, 500, "internal", "Internal Server Error",
		    "the error was logged with this request's id");
		return;
	}
}
