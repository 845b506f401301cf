/* test_http.c — the pure HTTP pieces: router, query strings, cookies,
 * strict JSON bodies, declared-input validation. */
#include <stdio.h>
#include <string.h>

#include "http/json_body.h"
#include "http/query.h"
#include "http/response.h"
#include "http/router.h"
#include "store/db.h"
#include "http/validate.h"
#include "unit.h"
#include "web/web.h"

static void h_a(struct http_req *r) { (void)r; }
static void h_b(struct http_req *r) { (void)r; }

static const struct route routes[] = {
	{"GET", "/", h_a, 0, NULL, ACCESS_PUBLIC},
	{"GET", "/api/things", h_a, 0, NULL, ACCESS_PUBLIC},
	{"POST", "/api/things", h_b, 0, NULL, ACCESS_PUBLIC},
	{"GET", "/api/things/{id}", h_a, 0, NULL, ACCESS_PUBLIC},
	{"DELETE", "/api/things/{id}", h_b, 0, NULL, ACCESS_PUBLIC},
	{"GET", "/api/things/{id}/parts/{part}", h_b, 0, NULL, ACCESS_PUBLIC},
};
#define NR (sizeof routes / sizeof routes[0])

static enum route_result
m(const char *method, const char *path, const struct route **rt,
    struct route_params *p, char *allow)
{
	return router_match(routes, NR, method, path, rt, p, allow, 96);
}

START_TEST(router_matches_and_extracts)
{
	const struct route *rt;
	struct route_params p;
	char allow[96];
	ck_assert_int_eq(m("GET", "/", &rt, &p, allow), ROUTE_OK);
	ck_assert_ptr_eq(rt, &routes[0]);
	ck_assert_int_eq(m("POST", "/api/things", &rt, &p, allow), ROUTE_OK);
	ck_assert_ptr_eq(rt, &routes[2]);
	ck_assert_int_eq(m("GET", "/api/things/42", &rt, &p, allow), ROUTE_OK);
	ck_assert_str_eq(route_param(&p, "id"), "42");
	ck_assert_ptr_null(route_param(&p, "nope"));
	ck_assert_int_eq(m("GET", "/api/things/a%2Fb/parts/x%20y", &rt, &p, allow),
	    ROUTE_OK);
	ck_assert_str_eq(route_param(&p, "id"), "a/b");
	ck_assert_str_eq(route_param(&p, "part"), "x y");
	ck_assert_int_eq(m("HEAD", "/api/things", &rt, &p, allow), ROUTE_OK);
}
END_TEST

/* Every status the server answers with has its reason phrase ("303
 * Unknown" went out to browsers). */
START_TEST(status_lines_have_reasons)
{
	static const int codes[] = {200, 201, 202, 204, 301, 302, 303, 304, 307,
	    308, 400, 401, 403, 404, 405, 409, 412, 413, 415, 422, 428, 429, 500,
	    502, 503, 504};
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		ck_assert_msg(strcmp(http_reason(codes[i]), "Unknown") != 0, "%d",
		    codes[i]);
	ck_assert_str_eq(http_reason(303), "See Other");
	ck_assert_str_eq(http_reason(304), "Not Modified");
}
END_TEST

START_TEST(router_404_405_400)
{
	const struct route *rt;
	struct route_params p;
	char allow[96];
	ck_assert_int_eq(m("GET", "/api/other", &rt, &p, allow), ROUTE_NOT_FOUND);
	ck_assert_int_eq(m("GET", "/api/things/", &rt, &p, allow), ROUTE_NOT_FOUND);
	ck_assert_int_eq(m("GET", "/api/things/1/parts", &rt, &p, allow),
	    ROUTE_NOT_FOUND);
	ck_assert_int_eq(m("GET", "/api//things", &rt, &p, allow), ROUTE_NOT_FOUND);
	ck_assert_int_eq(m("PUT", "/api/things", &rt, &p, allow), ROUTE_METHOD);
	ck_assert_str_eq(allow, "GET, POST, HEAD");
	ck_assert_int_eq(m("POST", "/api/things/7", &rt, &p, allow), ROUTE_METHOD);
	ck_assert_str_eq(allow, "GET, DELETE, HEAD");
	ck_assert_int_eq(m("GET", "/api/%zz", &rt, &p, allow), ROUTE_BAD_PATH);
	ck_assert_int_eq(m("GET", "/api/%00", &rt, &p, allow), ROUTE_BAD_PATH);
	ck_assert_int_eq(m("GET", "/api/../x", &rt, &p, allow), ROUTE_BAD_PATH);
	ck_assert_int_eq(m("GET", "/api/%2e%2e/x", &rt, &p, allow), ROUTE_BAD_PATH);
	ck_assert_int_eq(m("GET", "relative", &rt, &p, allow), ROUTE_BAD_PATH);
	ck_assert_int_eq(m("GET", "", &rt, &p, allow), ROUTE_BAD_PATH);
	char longp[ROUTE_PATH_MAX + 10];
	memset(longp, 'a', sizeof longp);
	longp[0] = '/';
	longp[sizeof longp - 1] = '\0';
	ck_assert_int_eq(m("GET", longp, &rt, &p, allow), ROUTE_BAD_PATH);
}
END_TEST

START_TEST(query_lookup)
{
	char v[32];
	ck_assert_int_eq(query_get("a=1&b=hello+world&c=%C3%B1", "b", v, sizeof v),
	    CB_OK);
	ck_assert_str_eq(v, "hello world");
	ck_assert_int_eq(query_get("a=1&c=%C3%B1", "c", v, sizeof v), CB_OK);
	ck_assert_str_eq(v, "ñ");
	ck_assert_int_eq(query_get("a=1", "z", v, sizeof v), CB_ENOTFOUND);
	ck_assert_int_eq(query_get("", "z", v, sizeof v), CB_ENOTFOUND);
	ck_assert_int_eq(query_get("flag&x=1", "flag", v, sizeof v), CB_OK);
	ck_assert_str_eq(v, "");
	ck_assert_int_eq(query_get("a=1&a=2", "a", v, sizeof v), CB_EINVAL);
	ck_assert_int_eq(query_get("a=%zz", "a", v, sizeof v), CB_EINVAL);
	ck_assert_int_eq(query_get("a=0123456789012345678901234567890123456789",
	                     "a", v, sizeof v), CB_ETOOBIG);
	ck_assert_int_eq(query_validate("a=1&b=2"), CB_OK);
	ck_assert_int_eq(query_validate("a=1&a=2"), CB_EINVAL);
	ck_assert_int_eq(query_validate("a=%4"), CB_EINVAL);
	char many[1024] = "";
	for (int i = 0; i < QUERY_MAX_PAIRS + 1; i++) {
		char pair[16];
		snprintf(pair, sizeof pair, "%sk%d=1", i ? "&" : "", i);
		strcat(many, pair);
	}
	ck_assert_int_eq(query_validate(many), CB_EINVAL);
}
END_TEST

START_TEST(cookie_lookup)
{
	char v[64];
	ck_assert_int_eq(cookie_get("a=1; __Host-s=abc; b=\"q\"", "__Host-s", v,
	                     sizeof v), CB_OK);
	ck_assert_str_eq(v, "abc");
	ck_assert_int_eq(cookie_get("a=1; b=\"q\"", "b", v, sizeof v), CB_OK);
	ck_assert_str_eq(v, "q");
	ck_assert_int_eq(cookie_get("xa=1", "a", v, sizeof v), CB_ENOTFOUND);
	ck_assert_int_eq(cookie_get("a=12345", "a", v, 3), CB_ETOOBIG);
}
END_TEST

static cb_err
jp(const char *s, json_object **o)
{
	char why[160];
	return json_body_parse(s, strlen(s), o, why, sizeof why);
}

START_TEST(json_strict)
{
	json_object *o = NULL;
	ck_assert_int_eq(jp("{\"amount\": 1500.00, \"x\": [1, {\"y\": null}]}", &o),
	    CB_OK);
	/* The literal text of a number survives (exact money). */
	json_object *a;
	ck_assert(json_object_object_get_ex(o, "amount", &a));
	ck_assert_str_eq(json_object_to_json_string(a), "1500.00");
	json_object_put(o);
	ck_assert_int_eq(jp(" {\"a\":1} \n", &o), CB_OK);
	json_object_put(o);
	static const char *bad[] = {"", "{", "{\"a\":1,}", "{'a':1}", "{\"a\":1} x",
	    "[1]", "1", "\"s\"", "{\"a\": nan}", "/*c*/{}", "{\"a\":1}{}",
	    "{\"a\":\"\xff\"}", "{a:1}", "{\"a\": True}",
	    /* json-c took these silently: the last of two, and U+FFFD */
	    "{\"amount\":1,\"amount\":2}", "{\"x\":{\"k\":1,\"k\":1}}",
	    "{\"a\":1,\"\\u0061\":2}", "{\"s\":\"\\ud800\"}",
	    "{\"s\":\"\\udc00x\"}", "{\"s\":\"\\ud83d\\u0041\"}", NULL};
	for (const char **b = bad; *b; b++) {
		ck_assert_msg(jp(*b, &o) != CB_OK, "accepted: %s", *b);
		ck_assert_ptr_null(o);
	}
	/* Fine: the same name in two objects, a pair, a name like a string. */
	static const char *good[] = {"{\"a\":{\"a\":1},\"b\":[{\"a\":2},{\"a\":3}]}",
	    "{\"s\":\"\\ud83d\\ude00\"}", "{\"a\":\"a\",\"b\":\"{\\\"a\\\":1}\"}",
	    NULL};
	for (const char **g = good; *g; g++) {
		ck_assert_msg(jp(*g, &o) == CB_OK, "refused: %s", *g);
		json_object_put(o);
	}
	char why2[160];
	ck_assert_int_eq(json_body_parse("{\"amount\":1,\"amount\":2}", 23, &o,
	    why2, sizeof why2), CB_EINVAL);
	ck_assert_ptr_nonnull(strstr(why2, "\"amount\" appears twice"));
	char deep[200];
	memset(deep, '[', 100);
	memset(deep + 100, ']', 99);
	deep[0] = '{';
	deep[199] = '\0';
	ck_assert_int_ne(jp(deep, &o), CB_OK);
	char why[160];
	ck_assert_int_eq(json_body_parse("{\"a\":1}\0", 8, &o, why, sizeof why),
	    CB_EINVAL);
}
END_TEST

START_TEST(validation_collects_every_error)
{
	static const char *const colours[] = {"red", "blue", NULL};
	static const struct field_rule rules[] = {
		{"name", FIELD_STRING, true, 5, NULL, 0, 0},
		{"colour", FIELD_STRING, false, 0, colours, 0, 0},
		{"count", FIELD_INT, true, 0, NULL, 1, 10},
		{"on", FIELD_BOOL, false, 0, NULL, 0, 0},
	};
	json_object *o;
	struct problem p;
	ck_assert_int_eq(jp("{\"name\":\"ñandú\",\"colour\":\"red\",\"count\":3}", &o),
	    CB_OK);
	problem_init(&p, 422, "validation", "x", NULL);
	validate_object(o, rules, 4, &p);
	ck_assert_uint_eq(problem_count(&p), 0); /* 5 characters, 7 bytes */
	problem_free(&p);
	json_object_put(o);

	ck_assert_int_eq(jp("{\"name\":\"toolong\",\"colour\":\"green\",\"count\":11,"
	                    "\"on\":\"yes\",\"extra\":1}", &o), CB_OK);
	problem_init(&p, 422, "validation", "x", NULL);
	validate_object(o, rules, 4, &p);
	ck_assert_uint_eq(problem_count(&p), 5);
	const char *s = json_object_to_json_string(p.errors);
	ck_assert(strstr(s, "\"#\\/name\"") || strstr(s, "\"#/name\""));
	ck_assert(strstr(s, "too_long") && strstr(s, "not_allowed") &&
	    strstr(s, "out_of_range") && strstr(s, "unknown_field"));
	problem_free(&p);
	json_object_put(o);

	ck_assert_int_eq(jp("{\"count\":\"3\",\"name\":\"a\\u0001\"}", &o), CB_OK);
	problem_init(&p, 422, "validation", "x", NULL);
	validate_object(o, rules, 4, &p);
	ck_assert_uint_eq(problem_count(&p), 2); /* count not int, control char */
	problem_free(&p);
	json_object_put(o);
}
END_TEST

START_TEST(session_cookies)
{
	char h[256];
	struct config cfg;
	ck_assert_int_eq(config_defaults(&cfg), CB_OK);
	/* Secure by default, hence the __Host- prefix (which requires it). */
	ck_assert_str_eq(web_session_cookie(&cfg), "__Host-cb_session");
	web_cookie_header(h, sizeof h, web_session_cookie(&cfg), "abc", true, -1);
	ck_assert_str_eq(h, "Set-Cookie: __Host-cb_session=abc; Path=/; HttpOnly;"
	    " SameSite=Lax; Secure\r\n");
	web_cookie_header(h, sizeof h, "cb_session", "", false, 0);
	ck_assert_str_eq(h, "Set-Cookie: cb_session=; Path=/; HttpOnly;"
	    " SameSite=Lax; Max-Age=0\r\n");
	cfg.cookie_secure = false;
	ck_assert_str_eq(web_session_cookie(&cfg), "cb_session");
	ck_assert_str_eq(web_pre_cookie(&cfg), "cb_login");
	config_free(&cfg);
}
END_TEST

/* A statement with a parameter never bound is our bug: CB_EDB, which is
 * answered 500; only CB_EINVAL (the client's input) is a 400. */
START_TEST(our_bugs_are_500)
{
	MYSQL_BIND p[2];
	memset(p, 0, sizeof p);
	long long v = 1;
	p[0].buffer_type = MYSQL_TYPE_LONGLONG;
	p[0].buffer = &v;
	ck_assert_int_eq(db_params_check(p, 1), CB_OK);
	ck_assert_int_eq(db_params_check(p, 2), CB_EDB);
	p[1].buffer_type = MYSQL_TYPE_NULL;
	ck_assert_int_eq(db_params_check(p, 2), CB_OK);
	ck_assert_int_eq(http_fail_status(CB_EDB), 500);
	ck_assert_int_eq(http_fail_status(CB_ENOMEM), 500);
	ck_assert_int_eq(http_fail_status(CB_EINVAL), 400);
	ck_assert_int_eq(http_fail_status(CB_ENOTFOUND), 404);
	ck_assert_int_eq(http_fail_status(CB_EEXIST), 409);
	ck_assert_int_eq(http_fail_status(CB_EUNAVAILABLE), 503);
	ck_assert_int_eq(http_fail_status(CB_OK), 0);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("http");
	TCase *t = tcase_create("http");
	tcase_add_test(t, router_matches_and_extracts);
	tcase_add_test(t, router_404_405_400);
	tcase_add_test(t, status_lines_have_reasons);
	tcase_add_test(t, query_lookup);
	tcase_add_test(t, cookie_lookup);
	tcase_add_test(t, json_strict);
	tcase_add_test(t, validation_collects_every_error);
	tcase_add_test(t, session_cookies);
	tcase_add_test(t, our_bugs_are_500);
	suite_add_tcase(s, t);
	return s;
}
