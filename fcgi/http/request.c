/* request.c — see request.h. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto/crypto.h"
#include "http/json_body.h"
#include "http/request.h"
#include "http/response.h"
#include "util/buf.h"
#include "util/codec.h"

static bool
valid_request_id(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > REQUEST_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return false;
	return true;
}

cb_err
http_req_init(struct http_req *req, FCGX_Request *f, const struct config *cfg,
    struct db_conn *db)
{
	memset(req, 0, sizeof *req);
	clock_gettime(CLOCK_MONOTONIC, &req->started);
	req->fcgi = f;
	req->cfg = cfg;
	req->db = db;
	req->method = FCGX_GetParam("REQUEST_METHOD", f->envp);
	if (!req->method)
		req->method = "GET";
	const char *rid = FCGX_GetParam("REQUEST_ID", f->envp);
	if (rid && valid_request_id(rid))
		snprintf(req->request_id, sizeof req->request_id, "%s", rid);
	else {
		/* Not behind our nginx site: make one so logs still join. */
		unsigned char raw[16];
		if (crypto_random(raw, sizeof raw) != CB_OK)
			memset(raw, 0, sizeof raw);
		hex_encode(raw, sizeof raw, req->request_id);
	}
	const char *uri = FCGX_GetParam("REQUEST_URI", f->envp);
	if (!uri)
		uri = FCGX_GetParam("DOCUMENT_URI", f->envp);
	if (!uri)
		return CB_EINVAL;
	const char *q = strchr(uri, '?');
	size_t pl = q ? (size_t)(q - uri) : strlen(uri);
	req->path = strndup(uri, pl);
	if (!req->path)
		return CB_ENOMEM;
	req->query = q ? q + 1 : "";
	return CB_OK;
}

void
http_req_release(struct http_req *req)
{
	if (!req)
		return;
	free(req->path);
	req->path = NULL;
}

const char *
http_param(const struct http_req *req, const char *name)
{
	return FCGX_GetParam(name, req->fcgi->envp);
}

const char *
http_header(const struct http_req *req, const char *name)
{
	char key[128] = "HTTP_";
	size_t n = strlen(name);
	if (n + 6 > sizeof key)
		return NULL;
	for (size_t i = 0; i < n; i++)
		key[5 + i] = name[i] == '-' ? '_' : (char)toupper((unsigned char)name[i]);
	key[5 + n] = '\0';
	/* CGI puts these two outside the HTTP_ namespace. */
	if (strcmp(key, "HTTP_CONTENT_TYPE") == 0)
		return http_param(req, "CONTENT_TYPE");
	if (strcmp(key, "HTTP_CONTENT_LENGTH") == 0)
		return http_param(req, "CONTENT_LENGTH");
	return http_param(req, key);
}

void
http_drain_body(struct http_req *req)
{
	char sink[16384];
	if (req->body_read)
		return;
	req->body_read = true;
	while (FCGX_GetStr(sink, sizeof sink, req->fcgi->in) > 0)
		;
}

/* application/json or application/<x>+json, optional charset=utf-8. */
static bool
is_json_type(const char *ct)
{
	const char *semi = strchr(ct, ';');
	size_t tl = semi ? (size_t)(semi - ct) : strlen(ct);
	while (tl && ct[tl - 1] == ' ')
		tl--;
	bool ok = (tl == 16 && strncasecmp(ct, "application/json", 16) == 0) ||
	    (tl > 17 && strncasecmp(ct, "application/", 12) == 0 &&
	        strncasecmp(ct + tl - 5, "+json", 5) == 0);
	if (!ok)
		return false;
	while (semi) {
		const char *p = semi + 1;
		while (*p == ' ')
			p++;
		semi = strchr(p, ';');
		if (strncasecmp(p, "charset=", 8) == 0) {
			const char *v = p + 8;
			size_t vl = semi ? (size_t)(semi - v) : strlen(v);
			while (vl && v[vl - 1] == ' ')
				vl--;
			if (!((vl == 5 && strncasecmp(v, "utf-8", 5) == 0) ||
			        (vl == 7 && strncasecmp(v, "\"utf-8\"", 7) == 0)))
				return false;
		}
	}
	return true;
}

/* Reads the whole body into b (limit max, what names it in messages).
 * false after answering 400 or 413. */
/* How a refusal is answered: problem+json, or (seed surfaces that
 * document it) a plain-text sentence. */
static void
refuse(struct http_req *req, bool plain, int status, const char *slug,
    const char *title, const char *detail)
{
	if (plain)
		http_send(req, status, "text/plain; charset=utf-8", NULL, detail,
		    strlen(detail));
	else
		http_problem(req, status, slug, title, detail);
}

static bool
read_body_as(struct http_req *req, long max, const char *what, struct buf *b,
    bool plain)
{
	const char *cl = http_param(req, "CONTENT_LENGTH");
	char why[160], chunk[8192];
	if (cl && *cl) {
		char *end;
		errno = 0;
		long long n = strtoll(cl, &end, 10);
		if (errno || *end || n < 0) {
			http_drain_body(req);
			refuse(req, plain, 400, "bad-request", "Bad Request",
			    "Content-Length is not a number");
			return false;
		}
		if (n > max) {
			http_drain_body(req);
			snprintf(why, sizeof why,
			    "the %s body is %lld bytes; the limit is %ld", what, n, max);
			refuse(req, plain, 413, "payload-too-large",
			    "Content Too Large", why);
			return false;
		}
	}
	buf_init(b, (size_t)max);
	req->body_read = true;
	for (;;) {
		int n = FCGX_GetStr(chunk, sizeof chunk, req->fcgi->in);
		if (n <= 0)
			break;
		if (buf_append(b, chunk, (size_t)n) != CB_OK) {
			buf_free(b);
			req->body_read = false;
			http_drain_body(req);
			snprintf(why, sizeof why, "the %s body exceeds %ld bytes", what,
			    max);
			refuse(req, plain, 413, "payload-too-large", "Content Too Large",
			    why);
			return false;
		}
	}
	if (FCGX_GetError(req->fcgi->in) != 0) {
		buf_free(b);
		refuse(req, plain, 400, "bad-request", "Bad Request",
		    "the request body could not be read");
		return false;
	}
	return true;
}

static bool
read_body(struct http_req *req, long max, const char *what, struct buf *b)
{
	return read_body_as(req, max, what, b, false);
}

bool
http_text_body(struct http_req *req, long max, char **out)
{
	struct buf b;
	*out = NULL;
	if (!read_body(req, max, "text", &b))
		return false;
	if (buf_append(&b, "", 0) != CB_OK || memchr(b.data ? b.data : "", '\0',
	        b.len) || !utf8_valid(b.data ? b.data : "", b.len)) {
		buf_free(&b);
		http_problem(req, 400, "bad-request", "Bad Request",
		    "the body is not UTF-8 text");
		return false;
	}
	*out = b.data ? b.data : strdup("");
	return *out != NULL;
}

bool
http_urlencoded_body(struct http_req *req, long max, char **out)
{
	const char *ct = http_param(req, "CONTENT_TYPE");
	struct buf b;
	*out = NULL;
	if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0) {
		http_drain_body(req);
		http_problem(req, 415, "unsupported-media-type",
		    "Unsupported Media Type",
		    "this form takes application/x-www-form-urlencoded");
		return false;
	}
	if (!read_body(req, max, "form", &b))
		return false;
	if (buf_append(&b, "", 0) != CB_OK || memchr(b.data ? b.data : "", '\0',
	        b.len)) {
		buf_free(&b);
		http_problem(req, 400, "bad-request", "Bad Request",
		    "the form body is malformed");
		return false;
	}
	*out = b.data ? b.data : strdup("");
	return *out != NULL;
}

static bool
json_body_as(struct http_req *req, json_object **out, bool plain)
{
	const char *ct = http_param(req, "CONTENT_TYPE");
	long max = req->cfg->json_max_bytes;
	char why[160];
	struct buf b;

	*out = NULL;
	if (!ct || !is_json_type(ct)) {
		http_drain_body(req);
		refuse(req, plain, plain ? 400 : 415, "unsupported-media-type",
		    "Unsupported Media Type",
		    "this endpoint takes application/json (charset utf-8)");
		return false;
	}
	if (!read_body_as(req, max, "JSON", &b, plain))
		return false;
	cb_err e = json_body_parse(b.data ? b.data : "", b.len, out, why,
	    sizeof why);
	buf_free(&b);
	if (e == CB_ENOMEM) {
		http_problem(req, 500, "internal", "Internal Server Error", NULL);
		return false;
	}
	if (e != CB_OK) {
		char msg[200];
		snprintf(msg, sizeof msg, "invalid JSON: %s", why);
		refuse(req, plain, e == CB_ETOOBIG ? 413 : 400,
		    e == CB_ETOOBIG ? "payload-too-large" : "malformed-json",
		    e == CB_ETOOBIG ? "Content Too Large" : "Malformed JSON",
		    plain ? msg : why);
		return false;
	}
	return true;
}

bool
http_json_body(struct http_req *req, json_object **out)
{
	return json_body_as(req, out, false);
}

bool
http_json_body_plain(struct http_req *req, json_object **out)
{
	return json_body_as(req, out, true);
}
