/* test_util.c — buf limits, codecs, UTF-8 validation, time formatting. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "unit.h"
#include "util/buf.h"
#include "util/codec.h"
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
	suite_add_tcase(s, t);
	return s;
}
