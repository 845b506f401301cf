/* test_crypto.c — SHA-256 vectors, tokens, password hashing. */
#include <stdlib.h>
#include <string.h>

#include "core/role.h"
#include "crypto/crypto.h"
#include "crypto/password.h"
#include "unit.h"

START_TEST(sha256_vector)
{
	char hex[65];
	ck_assert_int_eq(crypto_sha256_hex("abc", 3, hex), CB_OK);
	ck_assert_str_eq(hex,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
END_TEST

START_TEST(tokens_are_random_and_shaped)
{
	char *a = NULL, *b = NULL;
	ck_assert_int_eq(crypto_token_new("cbk_", 32, &a), CB_OK);
	ck_assert_int_eq(crypto_token_new("cbk_", 32, &b), CB_OK);
	ck_assert_uint_eq(strlen(a), 4 + 43);
	ck_assert_str_ne(a, b);
	ck_assert(strspn(a + 4, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                        "0123456789-_") == 43);
	free(a);
	free(b);
	ck_assert_int_eq(crypto_token_new("x", 65, &a), CB_EINVAL);
}
END_TEST

START_TEST(constant_time_equal)
{
	ck_assert(crypto_equal("abc", 3, "abc", 3));
	ck_assert(!crypto_equal("abc", 3, "abd", 3));
	ck_assert(!crypto_equal("abc", 3, "abcd", 4));
}
END_TEST

START_TEST(password_roundtrip)
{
	char *h = NULL;
	bool ok;
	/* A small N keeps the test fast; the format records it. */
	ck_assert_int_eq(password_hash("correct horse", 10, &h), CB_OK);
	ck_assert(strncmp(h, "$scrypt$ln=10,r=8,p=1$", 22) == 0);
	ck_assert_int_eq(password_verify("correct horse", h, &ok), CB_OK);
	ck_assert(ok);
	ck_assert_int_eq(password_verify("correct horsE", h, &ok), CB_OK);
	ck_assert(!ok);
	char *h2 = NULL;
	ck_assert_int_eq(password_hash("correct horse", 10, &h2), CB_OK);
	ck_assert_str_ne(h, h2); /* salted */
	free(h);
	free(h2);
	ck_assert_int_eq(password_verify("x", "$scrypt$ln=99,r=8,p=1$AAAA$BBBB", &ok),
	    CB_EINVAL);
	ck_assert_int_eq(password_verify("x", "plain", &ok), CB_EINVAL);
	ck_assert_int_eq(password_verify("x", "$scrypt$ln=10,r=8,p=1$!!$BB", &ok),
	    CB_EINVAL);
	ck_assert(!ok);
}
END_TEST

START_TEST(default_cost_is_owasp)
{
	char *h = NULL;
	ck_assert_int_eq(password_hash("pw", 0, &h), CB_OK);
	ck_assert(strncmp(h, "$scrypt$ln=17,r=8,p=1$", 22) == 0);
	free(h);
}
END_TEST

START_TEST(roles)
{
	ck_assert_int_eq(role_parse("admin"), ROLE_ADMIN);
	ck_assert_int_eq(role_parse("client"), ROLE_CLIENT);
	ck_assert_int_eq(role_parse("reviewer"), ROLE_REVIEWER);
	ck_assert_int_eq(role_parse("Admin"), ROLE_NONE);
	ck_assert_int_eq(role_parse(NULL), ROLE_NONE);
	ck_assert_str_eq(role_name(ROLE_CLIENT), "client");
	ck_assert_str_eq(role_name(ROLE_NONE), "");
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("crypto");
	TCase *t = tcase_create("crypto");
	tcase_set_timeout(t, 30);
	tcase_add_test(t, sha256_vector);
	tcase_add_test(t, tokens_are_random_and_shaped);
	tcase_add_test(t, constant_time_equal);
	tcase_add_test(t, password_roundtrip);
	tcase_add_test(t, default_cost_is_owasp);
	tcase_add_test(t, roles);
	suite_add_tcase(s, t);
	return s;
}
