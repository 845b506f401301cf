/* web.c — see web.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto/crypto.h"
#include "http/query.h"
#include "http/response.h"
#include "util/log.h"
#include "util/timefmt.h"
#include "core/role.h"
#include "web/pages.h"
#include "web/web.h"
#include "util/jsonx.h"

static json_object *
load_json(const char *dir, const char *name, char *err, size_t errlen)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	json_object *o = json_object_from_file(path);
	if (!o || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		snprintf(err, errlen, "%s: missing or not a JSON object", path);
		return NULL;
	}
	return o;
}

cb_err
web_load(const struct config *cfg, struct web **out, char *err, size_t errlen)
{
	struct web *w = calloc(1, sizeof *w);
	cb_err e;
	if (!w)
		return CB_ENOMEM;
	if ((e = tmpl_set_new(&w->tmpl)) != CB_OK ||
	    (e = tmpl_set_load_dir(w->tmpl, cfg->templates_dir, err, errlen)) !=
	        CB_OK) {
		web_free(w);
		return e;
	}
	w->msg_es = load_json(cfg->templates_dir, "messages.es.json", err, errlen);
	w->msg_en = w->msg_es ? load_json(cfg->templates_dir, "messages.en.json",
	    err, errlen) : NULL;
	if (!w->msg_en) {
		web_free(w);
		return CB_EINVAL;
	}
	/* Every key of one catalogue must be in the other, every value a
	 * string: the catalogues are shared by all request threads, and only
	 * strings are read without writing (tmpl_render_shared). */
	json_object *cats[2] = {w->msg_es, w->msg_en}, *v2;
	for (int i = 0; i < 2; i++) {
		json_object_object_foreach(cats[i], k, v) {
			if (!json_object_is_type(v, json_type_string) ||
			    !json_object_object_get_ex(cats[1 - i], k, &v2)) {
				bool str = json_object_is_type(v, json_type_string);
				/* Said of the catalogue that is wrong. */
				snprintf(err, errlen, "messages.%s.json: \"%s\" %s",
				    (i == 0) == str ? "en" : "es", k,
				    str ? "is missing" : "is not a string");
				web_free(w);
				return CB_EINVAL;
			}
		}
	}
	/* The roots pages are rendered with: {"t": catalogue}, made here
	 * while one thread runs, never touched again until web_free. */
	w->shared_es = jx_object();
	w->shared_en = jx_object();
	jx_add(w->shared_es, "t", json_object_get(w->msg_es));
	jx_add(w->shared_en, "t", json_object_get(w->msg_en));
	*out = w;
	return CB_OK;
}

void
web_free(struct web *w)
{
	if (!w)
		return;
	tmpl_set_free(w->tmpl);
	json_object_put(w->shared_es);
	json_object_put(w->shared_en);
	json_object_put(w->msg_es);
	json_object_put(w->msg_en);
	free(w);
}

const char *
web_lang(struct http_req *req)
{
	char v[8];
	if (query_get(req->query, "lang", v, sizeof v) == CB_OK)
		return strcmp(v, "en") == 0 ? "en" : "es";
	const char *ck = http_header(req, "Cookie");
	if (ck && cookie_get(ck, "cb_lang", v, sizeof v) == CB_OK)
		return strcmp(v, "en") == 0 ? "en" : "es";
	/* The first language the browser names decides (q-values aside). */
	const char *al = http_header(req, "Accept-Language");
	if (al) {
		while (*al == ' ')
			al++;
		if (strncasecmp(al, "en", 2) == 0)
			return "en";
	}
	return "es";
}

const char *
web_msg(struct http_req *req, const char *key)
{
	json_object *cat = strcmp(web_lang(req), "en") == 0 ? req->web->msg_en :
	    req->web->msg_es, *v;
	return json_object_object_get_ex(cat, key, &v) ? json_object_get_string(v)
	                                                : key;
}

const char *
web_session_cookie(const struct config *cfg)
{
	return cfg->cookie_secure ? "__Host-cb_session" : "cb_session";
}

const char *
web_pre_cookie(const struct config *cfg)
{
	return cfg->cookie_secure ? "__Host-cb_login" : "cb_login";
}

void
web_cookie_header(char *out, size_t len, const char *name, const char *value,
    bool secure, long max_age)
{
	char age[40] = "";
	if (max_age >= 0)
		snprintf(age, sizeof age, "; Max-Age=%ld", max_age);
	snprintf(out, len, "Set-Cookie: %s=%s; Path=/; HttpOnly; SameSite=Lax%s%s"
	    "\r\n", name, value, secure ? "; Secure" : "", age);
}

bool
web_session(struct http_req *req, struct session *s)
{
	char id[96], hash[SHA256_HEX_LEN + 1];
	const char *ck = http_header(req, "Cookie");
	if (!ck || cookie_get(ck, web_session_cookie(req->cfg), id, sizeof id) !=
	    CB_OK || strlen(id) < 32)
		return false;
	if (crypto_sha256_hex(id, strlen(id), hash) != CB_OK)
		return false;
	if (sessions_get(req->db, hash, req->cfg->session_idle_minutes * 60,
	    req->cfg->session_hours * 3600, s) != CB_OK)
		return false;
	/* History and activity name the reviewer, as they name an API key. */
	req->who.role = role_parse(s->role);
	req->who.key_id = 0;
	req->who.user_id = s->user_id;
	snprintf(req->who.name, sizeof req->who.name, "%s", s->username);
	return true;
}

json_object *
web_model(const struct session *s)
{
	json_object *m = jx_object(), *u = jx_object();
	jx_add(u, "name", jx_string(s->username));
	jx_add(u, "role", jx_string(s->role));
	jx_add(u, "isAdmin", jx_bool(
	    strcmp(s->role, "admin") == 0));
	jx_add(m, "user", u);
	jx_add(m, "csrf", jx_string(s->csrf));
	return m;
}

json_object *
web_time(const char *db)
{
	char t[64];
	if (!db || !*db || time_db_to_local(db, t, sizeof t) != CB_OK)
		return NULL;
	return jx_string(t);
}

json_object *
web_payment_url(int64_t id)
{
	char u[48];
	snprintf(u, sizeof u, "/payments/%lld", (long long)id);
	return jx_string(u);
}

bool
web_form(struct http_req *req, struct session *s, char **body)
{
	char csrf[96] = "";
	*body = NULL;
	if (!web_session(req, s)) {
		http_drain_body(req);
		web_redirect(req, "/login", NULL);
		return false;
	}
	const char *ct = http_param(req, "CONTENT_TYPE");
	if (!ct || !*ct) {
		/* No form at all: no token either. */
		http_drain_body(req);
		web_forbidden(req);
		return false;
	}
	if (!http_urlencoded_body(req, WEB_FORM_MAX, body))
		return false;
	if (query_get(*body, "csrf", csrf, sizeof csrf) != CB_OK ||
	    !crypto_equal(csrf, strlen(csrf), s->csrf, strlen(s->csrf))) {
		free(*body);
		*body = NULL;
		web_forbidden(req);
		return false;
	}
	return true;
}

static const char PAGE_HEADERS[] =
    "Content-Security-Policy: default-src 'self'; script-src 'self';"
    " object-src 'none'; base-uri 'self'; form-action 'self';"
    " frame-ancestors 'none'\r\n"
    "X-Frame-Options: DENY\r\n"
    "Referrer-Policy: same-origin\r\n"
    "Vary: Accept, Accept-Language, Cookie\r\n";

/* A client that asks for JSON (and not for HTML) gets the page's view
 * model itself: the same handler answers both. */
static bool
wants_json(struct http_req *req)
{
	const char *a = http_header(req, "Accept");
	return a && strstr(a, "application/json") && !strstr(a, "text/html");
}

void
web_page(struct http_req *req, int status, const char *name, json_object *model,
    const char *extra)
{
	const struct web *w = req->web;
	const char *lang = web_lang(req);
	struct buf b, hdr;
	char err[512] = "";
	if (wants_json(req)) {
		char h[2048];
		jx_add(model, "lang", jx_string(lang));
		snprintf(h, sizeof h, "Vary: Accept, Accept-Language, Cookie\r\n%s",
		    extra ? extra : "");
		http_json(req, status, model, h);
		json_object_put(model);
		return;
	}
	jx_add(model, "lang", jx_string(lang));
	buf_init(&b, 4 << 20);
	buf_init(&hdr, 8192);
	/* The catalogue is shared by every thread: read through the
	 * renderer's shared root, never referenced from this request's model
	 * (json-c's reference counts are not atomic). */
	cb_err e = tmpl_render_shared(w->tmpl, name, model, strcmp(lang, "en") ?
	    w->shared_es : w->shared_en, &b, err, sizeof err);
	if (e == CB_OK)
		e = buf_puts(&hdr, PAGE_HEADERS);
	if (e == CB_OK && extra)
		e = buf_puts(&hdr, extra);
	char chosen[8];
	if (e == CB_OK && query_get(req->query, "lang", chosen, sizeof chosen) ==
	    CB_OK)
		e = buf_printf(&hdr, "Set-Cookie: cb_lang=%s; Path=/; SameSite=Lax;"
		    " Max-Age=31536000%s\r\n", lang, req->cfg->cookie_secure ?
		    "; Secure" : "");
	if (e != CB_OK) {
		log_error("rid=%s: page %s: %s", req->request_id, name, err);
		http_problem(req, 500, "internal", "Internal Server Error",
		    "the page could not be rendered");
	} else
		http_send(req, status, "text/html; charset=utf-8", hdr.data, b.data,
		    b.len);
	buf_free(&b);
	buf_free(&hdr);
	json_object_put(model);
}

void
web_redirect(struct http_req *req, const char *location, const char *extra)
{
	char hdr[1024];
	snprintf(hdr, sizeof hdr, "Location: %s\r\n%s", location, extra ? extra :
	    "");
	http_send(req, 303, NULL, hdr, NULL, 0);
}
