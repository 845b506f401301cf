/*
 * login.c — sign-in and sign-out for the review pages.
 *
 * Login CSRF: the form carries a token kept server-side in a pre-session
 * (sql/013) named by a cookie set with the form; the token must be that
 * pre-session's, which is used once.  A pair the browser made up (double
 * submit) is not enough.  A successful login
 * always makes a new session id (no fixation) and drops any old session
 * the browser presented.  Failed attempts are throttled per account and
 * per address over [web] login_window_minutes; an unknown user costs the
 * same scrypt work as a wrong password.  Logins and failures go to the
 * activity log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "crypto/password.h"
#include "http/query.h"
#include "store/activity.h"
#include "store/sessions.h"
#include "util/log.h"
#include "http/response.h"
#include "web/pages.h"
#include "web/web.h"
#include "util/jsonx.h"

#define FORM_MAX 8192

static void
login_page(struct http_req *req, int status, const char *error,
    const char *username)
{
	char *tok = NULL, *pre = NULL, hdr[256], pre_hash[SHA256_HEX_LEN + 1];
	cb_err e = CB_ENOMEM;
	if (crypto_token_new("", 24, &tok) != CB_OK ||
	    crypto_token_new("", 24, &pre) != CB_OK ||
	    crypto_sha256_hex(pre, strlen(pre), pre_hash) != CB_OK ||
	    (e = login_pre_create(req->db, pre_hash, tok)) != CB_OK) {
		free(tok);
		free(pre);
		http_fail(req, e == CB_OK ? CB_ENOMEM : e);
		return;
	}
	web_cookie_header(hdr, sizeof hdr, web_pre_cookie(req->cfg), pre,
	    req->cfg->cookie_secure, -1);
	free(pre);
	json_object *m = jx_object();
	jx_add(m, "csrf", jx_string(tok));
	jx_add(m, "error", error ? jx_string(error) :
	    NULL);
	jx_add(m, "username", jx_string(
	    username ? username : ""));
	free(tok);
	web_page(req, status, "login.xhtml", m, hdr);
}

void
web_login_form(struct http_req *req)
{
	struct session s;
	if (web_session(req, &s)) {
		web_redirect(req, "/review", NULL);
		return;
	}
	login_page(req, 200, NULL, NULL);
}

void
web_login(struct http_req *req)
{
	char *body = NULL, user[USERNAME_FIELD], pass[1025], csrf[96], pre[96];
	char role[16], hash[256], addr[64];
	const char *ck = http_header(req, "Cookie");
	int64_t uid = 0;
	bool ok = false;
	cb_err e;

	snprintf(addr, sizeof addr, "%s", http_param(req, "REMOTE_ADDR") ?
	    http_param(req, "REMOTE_ADDR") : "");
	if (!http_urlencoded_body(req, FORM_MAX, &body))
		return;
	user[0] = pass[0] = csrf[0] = pre[0] = '\0';
	if (query_get(body, "username", user, sizeof user) != CB_OK ||
	    query_get(body, "password", pass, sizeof pass) != CB_OK ||
	    query_get(body, "csrf", csrf, sizeof csrf) != CB_OK) {
		free(body);
		login_page(req, 400, web_msg(req, "login_incomplete"), NULL);
		return;
	}
	free(body);
	char pre_hash[SHA256_HEX_LEN + 1], want[65];
	if (!ck || cookie_get(ck, web_pre_cookie(req->cfg), pre, sizeof pre) !=
	    CB_OK || crypto_sha256_hex(pre, strlen(pre), pre_hash) != CB_OK) {
		web_forbidden(req);
		goto out;
	}
	e = login_pre_take(req->db, pre_hash, want);
	if (e != CB_OK && e != CB_ENOTFOUND) {
		http_fail(req, e);
		goto out;
	}
	if (e == CB_ENOTFOUND || strlen(csrf) < 16 ||
	    !crypto_equal(want, strlen(want), csrf, strlen(csrf))) {
		web_forbidden(req);
		goto out;
	}
	long by_user = 0, by_addr = 0;
	if ((e = login_failures_count(req->db, user, addr,
	        req->cfg->login_window_minutes * 60, &by_user, &by_addr)) != CB_OK) {
		http_fail(req, e);
		goto out;
	}
	if (by_user >= req->cfg->login_max_failures ||
	    by_addr >= req->cfg->login_max_failures * 4) {
		activity_record(req->db, "LOGIN_THROTTLED", "user", user, addr,
		    req->request_id, NULL);
		login_page(req, 429, web_msg(req, "login_throttled"), user);
		goto out;
	}
	e = users_lookup(req->db, user, &uid, role, hash);
	if (e == CB_OK)
		password_verify(pass, hash, &ok);
	else if (e == CB_ENOTFOUND) {
		char *tmp = NULL; /* the same work as a real check */
		if (password_hash(pass[0] ? pass : "x", 0, &tmp) == CB_OK)
			free(tmp);
	} else {
		http_fail(req, e);
		goto out;
	}
	if (!ok) {
		login_failure_add(req->db, user, addr);
		activity_record(req->db, "LOGIN_FAILED", "user", user, addr,
		    req->request_id, NULL);
		login_page(req, 401, web_msg(req, "login_failed"), user);
		goto out;
	}
	/* A new id every time: a session planted before login is never ours. */
	char *sid = NULL, *tok = NULL, sid_hash[SHA256_HEX_LEN + 1], old[96];
	if (crypto_token_new("", 32, &sid) != CB_OK ||
	    crypto_token_new("", 24, &tok) != CB_OK ||
	    crypto_sha256_hex(sid, strlen(sid), sid_hash) != CB_OK) {
		free(sid);
		free(tok);
		http_problem(req, 500, "internal", "Internal Server Error", NULL);
		goto out;
	}
	if (ck && cookie_get(ck, web_session_cookie(req->cfg), old, sizeof old) ==
	    CB_OK) {
		char oh[SHA256_HEX_LEN + 1];
		if (crypto_sha256_hex(old, strlen(old), oh) == CB_OK)
			sessions_delete(req->db, oh);
	}
	e = sessions_create(req->db, sid_hash, uid, tok, addr,
	    http_header(req, "User-Agent"));
	if (e == CB_OK) {
		char hdr[512], h2[256], target[80];
		login_failures_clear(req->db, user);
		snprintf(target, sizeof target, "user:%lld", (long long)uid);
		activity_record(req->db, "LOGIN", "user", user, target,
		    req->request_id, addr);
		web_cookie_header(hdr, sizeof hdr, web_session_cookie(req->cfg), sid,
		    req->cfg->cookie_secure, -1);
		web_cookie_header(h2, sizeof h2, web_pre_cookie(req->cfg), "",
		    req->cfg->cookie_secure, 0);
		strncat(hdr, h2, sizeof hdr - strlen(hdr) - 1);
		web_redirect(req, "/review", hdr);
	} else
		http_fail(req, e);
	free(sid);
	free(tok);
out:
	explicit_bzero(pass, sizeof pass);
}

void
web_logout(struct http_req *req)
{
	struct session s;
	char *body, id[96], hash[SHA256_HEX_LEN + 1], hdr[256];
	if (!web_form(req, &s, &body))
		return;
	free(body);
	const char *ck = http_header(req, "Cookie");
	if (cookie_get(ck, web_session_cookie(req->cfg), id, sizeof id) == CB_OK &&
	    crypto_sha256_hex(id, strlen(id), hash) == CB_OK)
		sessions_delete(req->db, hash);
	activity_record(req->db, "LOGOUT", "user", s.username, NULL,
	    req->request_id, NULL);
	web_cookie_header(hdr, sizeof hdr, web_session_cookie(req->cfg), "",
	    req->cfg->cookie_secure, 0);
	web_redirect(req, "/login", hdr);
}
