/*
 * web.h — the review pages' shared pieces: templates and message
 * catalogues (loaded once per worker, at start and so again on SIGHUP's
 * rolling restart), the session of a request, the language, and sending
 * an HTML page with the pages' security headers.
 */
#ifndef CB_WEB_H
#define CB_WEB_H

#include <stdbool.h>

#include <json-c/json.h>

#include "conf/config.h"
#include "http/request.h"
#include "store/sessions.h"
#include "tmpl/tmpl.h"

struct web {
	struct tmpl_set *tmpl;       /* owned */
	json_object *msg_es, *msg_en;/* owned message catalogues */
	/* {"t": catalogue}: the read-only roots every thread renders with. */
	json_object *shared_es, *shared_en;
};

/* Loads [web] templates_dir: every *.xhtml and messages.{es,en}.json. */
cb_err web_load(const struct config *cfg, struct web **out, char *err,
    size_t errlen);
void web_free(struct web *w);

/* A payment's review reason (stored English sentences) said in the
 * request's language, one reason after another; NULL when there is none
 * (web/reasons.c). */
json_object *web_reasons(struct http_req *req, const char *review_reason);

/* A message of the request's language (the key itself if missing). */
const char *web_msg(struct http_req *req, const char *key);

/* "es" or "en": ?lang=, then the lang cookie, then Accept-Language. */
const char *web_lang(struct http_req *req);

/* The cookie names: __Host- prefixed when cookies are Secure (the prefix
 * requires it), plain on a loopback demo over http. */
const char *web_session_cookie(const struct config *cfg);
const char *web_pre_cookie(const struct config *cfg);
/* A Set-Cookie header line (with CRLF) into out: HttpOnly, SameSite=Lax,
 * Path=/, Secure when secure; max_age < 0 for a session cookie, 0 to
 * delete. */
void web_cookie_header(char *out, size_t len, const char *name,
    const char *value, bool secure, long max_age);

/* The signed-in session, or false (nothing sent). */
bool web_session(struct http_req *req, struct session *s);

/* A page's model to start from: {"user": {name, role}, "csrf"}. */
json_object *web_model(const struct session *s);
/* A stored UTC time in the installation's zone, for people; NULL if none. */
json_object *web_time(const char *db_time);
/* "/payments/{id}", the payment detail page (a new string object). */
json_object *web_payment_url(int64_t id);

/* A state-changing form from a signed-in user: reads the urlencoded body
 * (*body malloc'd, for query_get) and compares its csrf member with the
 * session's in constant time.  false after answering (to sign in, 403,
 * 413 …). */
#define WEB_FORM_MAX 16384
bool web_form(struct http_req *req, struct session *s, char **body);

/* Renders template name with model (a new object it takes ownership of;
 * the catalogue is added as "t", the language as "lang") and sends it;
 * or, to a client that accepts application/json and not text/html, sends
 * the model itself as JSON. */
void web_page(struct http_req *req, int status, const char *name,
    json_object *model, const char *extra_headers);
/* 303 to location (a path of ours). */
void web_redirect(struct http_req *req, const char *location,
    const char *extra_headers);

#endif
