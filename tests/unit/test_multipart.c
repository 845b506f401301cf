/* test_multipart.c — the streaming multipart parser fed every way a body
 * can be cut, its limits and errors, and canonical JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "http/form.h"
#include "http/json_body.h"
#include "http/json_canon.h"
#include "http/multipart.h"
#include "unit.h"
#include "util/buf.h"

struct rec {
	struct buf log;
};

static cb_err
begin(const struct mp_part *p, void *arg)
{
	struct rec *r = arg;
	return buf_printf(&r->log, "[%s|%s|%d|%s]", p->name, p->filename,
	    p->has_filename, p->content_type);
}

static cb_err
data(const char *d, size_t n, void *arg)
{
	return buf_append(&((struct rec *)arg)->log, d, n);
}

static cb_err
end(void *arg)
{
	return buf_puts(&((struct rec *)arg)->log, "[/]");
}

static const struct mp_limits lim = {8, 256, 4};

/* Parses body cut at `cut` (0 = one piece); returns the callback log. */
static cb_err
run(const char *body, size_t len, size_t cut, struct rec *r, char *err)
{
	struct mp_callbacks cb = {begin, data, end, r};
	buf_init(&r->log, 1 << 20);
	struct mp_parser *p = mp_new("b0und", &lim, &cb);
	ck_assert_ptr_nonnull(p);
	cb_err e = CB_OK;
	if (cut && cut < len) {
		e = mp_feed(p, body, cut);
		if (e == CB_OK)
			e = mp_feed(p, body + cut, len - cut);
	} else
		e = mp_feed(p, body, len);
	if (e == CB_OK)
		e = mp_finish(p);
	snprintf(err, 192, "%s", mp_error(p));
	mp_free(p);
	return e;
}

static const char BODY[] =
    "preamble to ignore\r\n"
    "--b0und\r\n"
    "Content-Disposition: form-data; name=\"customerId\"\r\n"
    "\r\n"
    "456\r\n"
    "--b0und\r\n"
    "Content-Disposition: form-data; name=\"document\"; filename=\"rec\\\"ibo.pdf\"\r\n"
    "Content-Type: application/pdf\r\n"
    "\r\n"
    "%PDF-1.4\r\n--b0un not yet\r\n\r\n"
    "--b0und\r\n"
    "Content-Disposition: form-data; name=\"empty\"\r\n"
    "\r\n"
    "\r\n"
    "--b0und--\r\n"
    "epilogue";

static const char WANT[] =
    "[customerId||0|]456[/]"
    "[document|rec\"ibo.pdf|1|application/pdf]%PDF-1.4\r\n--b0un not yet\r\n[/]"
    "[empty||0|][/]";

START_TEST(every_split_point)
{
	size_t len = sizeof BODY - 1;
	for (size_t cut = 0; cut < len; cut++) {
		struct rec r;
		char err[192];
		ck_assert_msg(run(BODY, len, cut, &r, err) == CB_OK, "cut %zu: %s", cut,
		    err);
		ck_assert_msg(strcmp(r.log.data, WANT) == 0, "cut %zu: %s", cut,
		    r.log.data);
		buf_free(&r.log);
	}
}
END_TEST

START_TEST(byte_at_a_time)
{
	struct mp_callbacks cb;
	struct rec r;
	buf_init(&r.log, 1 << 20);
	cb = (struct mp_callbacks){begin, data, end, &r};
	struct mp_parser *p = mp_new("b0und", &lim, &cb);
	for (size_t i = 0; i < sizeof BODY - 1; i++)
		ck_assert_int_eq(mp_feed(p, BODY + i, 1), CB_OK);
	ck_assert_int_eq(mp_finish(p), CB_OK);
	ck_assert_str_eq(r.log.data, WANT);
	mp_free(p);
	buf_free(&r.log);
}
END_TEST

static void
expect_error(const char *body, const char *needle)
{
	struct rec r;
	char err[192];
	ck_assert_int_ne(run(body, strlen(body), 0, &r, err), CB_OK);
	ck_assert_msg(strstr(err, needle) != NULL, "'%s' lacks '%s'", err, needle);
	buf_free(&r.log);
}

START_TEST(errors)
{
	expect_error("--b0und\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv",
	    "closing boundary");
	expect_error("", "no multipart boundary");
	expect_error("--b0und\r\nX: y\r\n\r\nv\r\n--b0und--", "no Content-Disposition");
	expect_error("--b0und\r\nContent-Disposition: form-data\r\n\r\nv\r\n--b0und--",
	    "no usable name");
	expect_error("--b0und\r\nbad header\r\n\r\n", "no colon");
	expect_error("--b0und\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n", "too many headers");
	expect_error("--b0undX\r\n", "boundary is followed");
	char big[600];
	memset(big, 'x', sizeof big);
	big[sizeof big - 1] = '\0';
	char body[800];
	snprintf(body, sizeof body, "--b0und\r\nX-Long: %s\r\n\r\n", big);
	expect_error(body, "too long");
	struct buf many;
	buf_init(&many, 1 << 16);
	for (int i = 0; i < 9; i++)
		buf_printf(&many, "--b0und\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\nv\r\n", i);
	buf_puts(&many, "--b0und--");
	expect_error(many.data, "too many parts");
	buf_free(&many);
}
END_TEST

START_TEST(boundary_from_content_type)
{
	char b[80];
	ck_assert_int_eq(mp_boundary_from_content_type(
	    "multipart/form-data; boundary=----WebKitFormBoundary7MA4", b, sizeof b), CB_OK);
	ck_assert_str_eq(b, "----WebKitFormBoundary7MA4");
	ck_assert_int_eq(mp_boundary_from_content_type(
	    "Multipart/Form-Data; charset=utf-8; boundary=\"a b\"", b, sizeof b), CB_OK);
	ck_assert_str_eq(b, "a b");
	ck_assert_int_ne(mp_boundary_from_content_type("multipart/form-data", b, sizeof b), CB_OK);
	ck_assert_int_ne(mp_boundary_from_content_type("multipart/form-data; boundary=", b, sizeof b), CB_OK);
	ck_assert_int_ne(mp_boundary_from_content_type("multipart/mixed; boundary=x", b, sizeof b), CB_OK);
	ck_assert_int_ne(mp_boundary_from_content_type("multipart/form-data; boundary=a\"b", b, sizeof b), CB_OK);
	char longb[120] = "multipart/form-data; boundary=";
	memset(longb + strlen(longb), 'x', 71);
	ck_assert_int_ne(mp_boundary_from_content_type(longb, b, sizeof b), CB_OK);
}
END_TEST

START_TEST(canonical_json)
{
	json_object *a = NULL, *b = NULL;
	char why[64];
	const char *ja = "{\"b\": [1, {\"y\": 2, \"x\": 1.50}], \"a\": \"ñ\", \"k\": \"skip\"}";
	const char *jb = "{\"a\":\"ñ\",\"b\":[1,{\"x\":1.50,\"y\":2}]}";
	ck_assert_int_eq(json_body_parse(ja, strlen(ja), &a, why, sizeof why), CB_OK);
	ck_assert_int_eq(json_body_parse(jb, strlen(jb), &b, why, sizeof why), CB_OK);
	struct buf x, y;
	buf_init(&x, 4096);
	buf_init(&y, 4096);
	ck_assert_int_eq(json_canonical(a, "k", &x), CB_OK);
	ck_assert_int_eq(json_canonical(b, NULL, &y), CB_OK);
	ck_assert_str_eq(x.data, y.data);
	ck_assert(strstr(x.data, "1.50") != NULL); /* literal text kept */
	buf_free(&x);
	buf_free(&y);
	json_object_put(a);
	json_object_put(b);
}
END_TEST

/* A file part past the spill threshold goes to a temp file, whole. */
START_TEST(form_spills_large_files)
{
	struct buf body;
	struct form *f = NULL;
	char why[256];
	size_t big = 300 * 1024;
	buf_init(&body, 1 << 20);
	buf_puts(&body, "--QQ\r\nContent-Disposition: form-data; name=\"customerId\"\r\n\r\n7\r\n"
	                "--QQ\r\nContent-Disposition: form-data; name=\"document\"; filename=\"r.pdf\"\r\n"
	                "Content-Type: application/pdf\r\n\r\n");
	for (size_t i = 0; i < big; i++)
		buf_append(&body, &"0123456789abcdef"[i % 16], 1);
	buf_puts(&body, "\r\n--QQ--\r\n");
	int st = form_parse_buffer("multipart/form-data; boundary=QQ", body.data,
	    body.len, 1 << 20, "/tmp", &f, why, sizeof why);
	ck_assert_msg(st == 0, "%d %s", st, why);
	ck_assert_str_eq(form_text(f, "customerId"), "7");
	const struct form_field *doc = form_field(f, "document");
	ck_assert_ptr_nonnull(doc);
	ck_assert(doc->is_file);
	ck_assert_str_eq(doc->filename, "r.pdf");
	ck_assert_uint_eq(doc->size, big);
	ck_assert_int_ge(doc->fd, 0);
	ck_assert_int_eq(lseek(doc->fd, 0, SEEK_END), (off_t)big);
	char tail[4];
	ck_assert_int_eq(pread(doc->fd, tail, 4, (off_t)big - 4), 4);
	ck_assert(memcmp(tail, "cdef", 4) == 0);
	ck_assert_ptr_null(form_text(f, "document"));
	form_free(f);
	/* Over the file limit: 413, nothing kept. */
	f = NULL;
	st = form_parse_buffer("multipart/form-data; boundary=QQ", body.data,
	    body.len, 100 * 1024, "/tmp", &f, why, sizeof why);
	ck_assert_int_eq(st, 413);
	ck_assert_ptr_null(f);
	/* Not multipart at all: 415. */
	st = form_parse_buffer("application/json", "{}", 2, 1024, "/tmp", &f, why,
	    sizeof why);
	ck_assert_int_eq(st, 415);
	buf_free(&body);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("multipart");
	TCase *t = tcase_create("multipart");
	tcase_add_test(t, every_split_point);
	tcase_add_test(t, byte_at_a_time);
	tcase_add_test(t, errors);
	tcase_add_test(t, boundary_from_content_type);
	tcase_add_test(t, canonical_json);
	tcase_add_test(t, form_spills_large_files);
	suite_add_tcase(s, t);
	return s;
}
