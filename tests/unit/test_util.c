/* test_util.c — buf limits, codecs, UTF-8 validation, time formatting,
 * the checked json-c constructors. */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "unit.h"
#include "util/buf.h"
#include "util/codec.h"
#include "util/jsonx.h"
#include "util/tgroup.h"
#include "util/timefmt.h"

START_TEST(buf_respects_max)
{
	struct buf b;
	buf_init(&b, 8);
	ck_assert_int_eq(buf_append(&b, "12345678", 8), CB_OK);
	ck_assert_int_eq(buf_append(&b, "9", 1), CB_ETOOBIG);
	ck_assert_uint_eq(b.len, 8);
	ck_assert_str_eq(b.data, "12345678");
	buf_free(&b);
	buf_init(&b, 4);
	ck_assert_int_eq(buf_printf(&b, "%d", 123456), CB_ETOOBIG);
	ck_assert_int_eq(buf_printf(&b, "%d", 1234), CB_OK);
	buf_free(&b);
	buf_free(NULL);
}
END_TEST

START_TEST(pct_decode_strict)
{
	char out[64];
	size_t n;
	ck_assert_int_eq(pct_decode("a%20b+c", 7, out, &n, true), CB_OK);
	ck_assert_str_eq(out, "a b c");
	ck_assert_int_eq(pct_decode("a+c", 3, out, &n, false), CB_OK);
	ck_assert_str_eq(out, "a+c");
	ck_assert_int_eq(pct_decode("%2f", 3, out, &n, false), CB_OK);
	ck_assert_str_eq(out, "/");
	ck_assert_int_eq(pct_decode("%", 1, out, &n, false), CB_EINVAL);
	ck_assert_int_eq(pct_decode("%4", 2, out, &n, false), CB_EINVAL);
	ck_assert_int_eq(pct_decode("%zz", 3, out, &n, false), CB_EINVAL);
	ck_assert_int_eq(pct_decode("a%00b", 5, out, &n, false), CB_EINVAL);
}
END_TEST

START_TEST(pct_encode_round_trip)
{
	char out[64], back[64];
	size_t n;
	ck_assert(pct_encode("a b&c=ñ~", out, sizeof out));
	ck_assert_str_eq(out, "a%20b%26c%3D%C3%B1~");
	ck_assert_int_eq(pct_decode(out, strlen(out), back, &n, true), CB_OK);
	ck_assert_str_eq(back, "a b&c=ñ~");
	ck_assert(!pct_encode("&&&&", out, 12));
	ck_assert_str_eq(out, "");
	ck_assert(pct_encode("", out, 1));
}
END_TEST

START_TEST(base64_vectors)
{
	char out[64];
	base64_encode((const unsigned char *)"foobar", 6, out, false);
	ck_assert_str_eq(out, "Zm9vYmFy");
	base64_encode((const unsigned char *)"fooba", 5, out, false);
	ck_assert_str_eq(out, "Zm9vYmE=");
	base64_encode((const unsigned char *)"foob", 4, out, false);
	ck_assert_str_eq(out, "Zm9vYg==");
	base64_encode((const unsigned char *)"\xfb\xff", 2, out, true);
	ck_assert_str_eq(out, "-_8");
	hex_encode((const unsigned char *)"\x01\xab", 2, out);
	ck_assert_str_eq(out, "01ab");
}
END_TEST

START_TEST(utf8_rules)
{
	ck_assert(utf8_valid("ñandú ₡", strlen("ñandú ₡")));
	ck_assert(!utf8_valid("\xc3", 1));          /* truncated */
	ck_assert(!utf8_valid("\xc0\xaf", 2));      /* overlong '/' */
	ck_assert(!utf8_valid("\xed\xa0\x80", 3));  /* surrogate */
	ck_assert(!utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
	ck_assert(!utf8_valid("\xff", 1));
}
END_TEST

START_TEST(time_rfc3339)
{
	char out[32];
	ck_assert_int_eq(time_db_to_rfc3339("2026-03-03 15:30:00.123456", out,
	                     sizeof out), CB_OK);
	ck_assert_str_eq(out, "2026-03-03T15:30:00Z");
	ck_assert_int_eq(time_db_to_rfc3339("2026-03-03", out, sizeof out),
	    CB_EINVAL);
	/* Pages show the installation's time zone. */
	setenv("TZ", "America/Guatemala", 1);
	tzset();
	ck_assert_int_eq(time_db_to_local("2026-03-03 15:30:59.5", out,
	                     sizeof out), CB_OK);
	ck_assert_str_eq(out, "2026-03-03 09:30 CST");
	setenv("TZ", "UTC", 1);
	tzset();
	ck_assert_int_eq(time_db_to_local("2026-03-03 15:30:00", out, sizeof out),
	    CB_OK);
	ck_assert_str_eq(out, "2026-03-03 15:30 UTC");
	ck_assert_int_eq(time_db_to_local("yesterday", out, sizeof out),
	    CB_EINVAL);
}
END_TEST

/* A NULL handed to jx_add is a deliberate JSON null, and values keep
 * the text json-c would give them. */
START_TEST(jsonx_builds)
{
	json_object *o = jx_object();
	json_object *a = jx_array_ext(2);
	jx_push(a, jx_int(1));
	jx_push(a, NULL);
	jx_add(o, "a", a);
	jx_add(o, "n", NULL);
	jx_add(o, "s", jx_string_len("ab\0c", 2));
	jx_add(o, "b", jx_bool(1));
	jx_add(o, "d", jx_double_s(1.5, "1.50"));
	jx_add(o, "i", jx_int64(INT64_MIN));
	ck_assert_str_eq(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
	    "{\"a\":[1,null],\"n\":null,\"s\":\"ab\",\"b\":true,"
	    "\"d\":1.50,\"i\":-9223372036854775808}");
	json_object_put(o);
}
END_TEST

/* Running out of memory while building JSON ends the process (check runs
 * each test in a child): never a member silently null. */
START_TEST(jsonx_oom_aborts)
{
	jx_oom("test");
}
END_TEST

static void *
leave_later(void *arg)
{
	struct tgroup *g = arg;
	struct timespec pause = {0, 200 * 1000000L};
	nanosleep(&pause, NULL);
	tgroup_leave(g);
	return NULL;
}

static struct timespec
mono_in(long ms)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

/* Shutdown's wait: false while a thread runs past the deadline, true as
 * soon as the last one leaves (not at the deadline). */
START_TEST(tgroup_waits_for_the_last)
{
	struct tgroup g;
	pthread_t tid;
	tgroup_init(&g);
	ck_assert(tgroup_wait(&g, &(struct timespec){0, 0}));
	tgroup_enter(&g);
	ck_assert_int_eq(pthread_create(&tid, NULL, leave_later, &g), 0);
	struct timespec soon = mono_in(20);
	ck_assert(!tgroup_wait(&g, &soon));
	struct timespec late = mono_in(30000), t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert(tgroup_wait(&g, &late));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_int_lt(t1.tv_sec - t0.tv_sec, 10);
	pthread_join(tid, NULL);
	tgroup_destroy(&g);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("util");
	TCase *t = tcase_create("util");
	tcase_add_test(t, buf_respects_max);
	tcase_add_test(t, pct_decode_strict);
	tcase_add_test(t, pct_encode_round_trip);
	tcase_add_test(t, base64_vectors);
	tcase_add_test(t, utf8_rules);
	tcase_add_test(t, time_rfc3339);
	tcase_add_test(t, jsonx_builds);
	tcase_add_test(t, tgroup_waits_for_the_last);
	tcase_add_test_raise_signal(t, jsonx_oom_aborts, SIGABRT);
	suite_add_tcase(s, t);
	return s;
}
