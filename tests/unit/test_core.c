/* test_core.c — the domain core: exact money, calendar dates, the payment
 * lifecycle table. */
#include <string.h>

#include "core/date.h"
#include "core/lifecycle.h"
#include "core/money.h"
#include "core/ownership.h"
#include "core/review_reason.h"
#include "api/api.h"
#include "unit.h"

static void
ok(const char *s, int exp, long long want)
{
	int64_t v = -1;
	ck_assert_msg(money_parse(s, exp, &v) == MONEY_OK, "rejected %s", s);
	ck_assert_msg(v == want, "%s → %lld, want %lld", s, (long long)v, want);
}

static void
bad(const char *s, int exp, enum money_err want)
{
	int64_t v;
	enum money_err e = money_parse(s, exp, &v);
	ck_assert_msg(e == want, "%s → %d, want %d", s, e, want);
}

START_TEST(money_parse_exact)
{
	ok("0.10", 2, 10);
	ok("1500.00", 2, 150000);
	ok("1500", 2, 150000);
	ok("99999999999.99", 2, 9999999999999LL);
	ok("1e2", 2, 10000);
	ok("1.5E1", 2, 1500);
	ok("150e-2", 2, 150);
	ok("0.05", 2, 5);
	ok("007.50", 2, 750);
	ok("1.2300", 2, 123);
	ok("+3", 2, 300);
	ok("5", 0, 5);
	bad("1.005", 2, MONEY_TOO_PRECISE);
	bad("1e-3", 2, MONEY_TOO_PRECISE);
	bad("0.5", 0, MONEY_TOO_PRECISE);
	bad("0", 2, MONEY_NOT_POSITIVE);
	bad("0.000", 2, MONEY_NOT_POSITIVE);
	bad("-1", 2, MONEY_NOT_POSITIVE);
	bad("1e400", 2, MONEY_TOO_LARGE);
	bad("10000000000000", 2, MONEY_TOO_LARGE);
	bad("", 2, MONEY_SYNTAX);
	bad("1.", 2, MONEY_SYNTAX);
	bad(".", 2, MONEY_SYNTAX);
	bad("1,50", 2, MONEY_SYNTAX);
	bad("1 000", 2, MONEY_SYNTAX);
	bad("0x10", 2, MONEY_SYNTAX);
	bad("NaN", 2, MONEY_SYNTAX);
	bad("1e", 2, MONEY_SYNTAX);
	bad("--1", 2, MONEY_SYNTAX);
}
END_TEST

START_TEST(money_format_digits)
{
	char out[32];
	money_format(150000, 2, out, sizeof out);
	ck_assert_str_eq(out, "1500.00");
	money_format(10, 2, out, sizeof out);
	ck_assert_str_eq(out, "0.10");
	money_format(5, 0, out, sizeof out);
	ck_assert_str_eq(out, "5");
	money_format(-250, 2, out, sizeof out);
	ck_assert_str_eq(out, "-2.50");
	money_format(999999999999999LL, 2, out, sizeof out);
	ck_assert_str_eq(out, "9999999999999.99");
	ck_assert_ptr_nonnull(currency_find("GTQ"));
	ck_assert_ptr_null(currency_find("gtq"));
	ck_assert_int_eq(currency_find("COP")->exponent, 2);
	/* The one default for a code we do not list. */
	ck_assert_int_eq(currency_exponent("USD"), 2);
	ck_assert_int_eq(currency_exponent("XXX"), 2);
	ck_assert_int_eq(currency_exponent(NULL), 2);
	ck_assert_int_eq(currency_scale("GTQ"), 100);
}
END_TEST

START_TEST(dates)
{
	struct ymd d, e;
	ck_assert_int_eq(date_parse("2024-02-29", &d), CB_OK);
	ck_assert_int_eq(date_parse("2023-02-29", &d), CB_EINVAL);
	ck_assert_int_eq(date_parse("1900-02-29", &d), CB_EINVAL);
	ck_assert_int_eq(date_parse("2000-02-29", &d), CB_OK);
	ck_assert_int_eq(date_parse("2026-04-31", &d), CB_EINVAL);
	ck_assert_int_eq(date_parse("2026-13-01", &d), CB_EINVAL);
	ck_assert_int_eq(date_parse("2026-1-01", &d), CB_EINVAL);
	ck_assert_int_eq(date_parse("2026-01-01T", &d), CB_EINVAL);
	ck_assert_int_eq(date_parse("26-01-01", &d), CB_EINVAL);
	ck_assert_int_eq(date_parse("2026-00-10", &d), CB_EINVAL);
	ck_assert_int_eq(date_parse(NULL, &d), CB_EINVAL);
	ck_assert_int_eq(date_parse("2026-03-03", &d), CB_OK);
	char out[11];
	date_format(&d, out);
	ck_assert_str_eq(out, "2026-03-03");
	ck_assert_int_eq(date_parse("2026-03-04", &e), CB_OK);
	ck_assert_int_lt(date_cmp(&d, &e), 0);
	ck_assert_int_eq(date_cmp(&d, &d), 0);
	date_today(&d);
	ck_assert_int_ge(d.y, 2024);
}
END_TEST

START_TEST(lifecycle_table)
{
	ck_assert(pay_transition_allowed(PS_PENDIENTE, PS_VALIDADO));
	ck_assert(pay_transition_allowed(PS_PENDIENTE, PS_CANCELADO));
	ck_assert(!pay_transition_allowed(PS_PENDIENTE, PS_APLICADO));
	ck_assert(pay_transition_allowed(PS_VALIDADO, PS_EN_PROCESO_ACH));
	ck_assert(pay_transition_allowed(PS_EN_PROCESO_ACH, PS_CONCILIADO));
	ck_assert(pay_transition_allowed(PS_CONCILIADO, PS_APLICADO));
	ck_assert(!pay_transition_allowed(PS_CONCILIADO, PS_RECHAZADO));
	ck_assert(pay_transition_allowed(PS_APLICADO, PS_REVERSADO));
	ck_assert(pay_transition_allowed(PS_VALIDADO, PS_CANCELADO));
	ck_assert(pay_transition_allowed(PS_RECHAZADO, PS_CANCELADO));
	ck_assert(!pay_transition_allowed(PS_CONCILIADO, PS_CANCELADO));
	for (int t = 0; t < PS_COUNT; t++) {
		if (t != PS_CANCELADO)
			ck_assert(!pay_transition_allowed(PS_RECHAZADO, (enum pay_status)t));
		ck_assert(!pay_transition_allowed(PS_CANCELADO, (enum pay_status)t));
		ck_assert(!pay_transition_allowed((enum pay_status)t, (enum pay_status)t));
	}
	enum pay_status from[4];
	ck_assert_uint_eq(pay_status_sources(PS_RECHAZADO, from, 4), 3);
	ck_assert_uint_eq(pay_status_sources(PS_PENDIENTE, from, 4), 0);
	char text[128];
	pay_status_targets_text(PS_PENDIENTE, text, sizeof text);
	ck_assert_str_eq(text, "validado, rechazado, cancelado");
	ck_assert_int_eq(pay_status_parse("en_proceso_ach"), PS_EN_PROCESO_ACH);
	ck_assert_int_eq(pay_status_parse("Pendiente"), PS_NONE);
	ck_assert(pay_transition_needs_reason(PS_RECHAZADO));
	ck_assert(!pay_transition_needs_reason(PS_VALIDADO));
}
END_TEST

/* Two clients, an admin, a reviewer: who sees an object of client 7. */
START_TEST(ownership_rule)
{
	struct principal a = {.role = ROLE_CLIENT, .key_id = 7};
	struct principal b = {.role = ROLE_CLIENT, .key_id = 8};
	struct principal admin = {.role = ROLE_ADMIN, .key_id = 1};
	struct principal rev = {.role = ROLE_REVIEWER, .key_id = 2};
	struct principal nobody = {.role = ROLE_NONE};
	struct principal keyless = {.role = ROLE_CLIENT, .key_id = 0};
	ck_assert(owner_sees(&a, 7));
	ck_assert(!owner_sees(&b, 7));
	ck_assert(owner_sees(&admin, 7) && owner_sees(&rev, 7));
	ck_assert(!owner_sees(&nobody, 7) && !owner_sees(&keyless, 0));
	ck_assert_int_eq(owner_scope(&a), 7);
	ck_assert_int_eq(owner_scope(&admin), 0);
	ck_assert_int_eq(owner_scope(&rev), 0);
	ck_assert_int_lt(owner_scope(&nobody), 0);
	/* Shared (owner 0): every caller; given to a: a alone. */
	ck_assert(owner_sees_shared(&a, 0) && owner_sees_shared(&b, 0));
	ck_assert(!owner_sees_shared(&nobody, 0));
	ck_assert(owner_sees_shared(&a, 7) && !owner_sees_shared(&b, 7));
}
END_TEST

/* A route added without saying whose objects it reaches is refused here,
 * before the authorization test built from the table runs. */
START_TEST(every_route_declares_its_access)
{
	for (size_t i = 0; i < api_routes_count; i++)
		ck_assert_msg(api_routes[i].access != ACCESS_UNDECLARED &&
		    *route_access_name(api_routes[i].access), "%s %s declares no"
		    " access", api_routes[i].method, api_routes[i].pattern);
	for (size_t i = 0; i < api_routes_count; i++) {
		const struct route *r = &api_routes[i];
		/* A client role on a route with a path id means owned objects
		 * (or shared ones): never an unscoped lookup. */
		if ((r->roles & ROLE_CLIENT) && strchr(r->pattern, '{'))
			ck_assert_msg(r->access == ACCESS_OWNED ||
			    r->access == ACCESS_SHARED, "%s %s", r->method, r->pattern);
	}
}
END_TEST

/* A new OCR reading replaces the reasons an earlier one wrote and keeps
 * the others' (a bank flag written while OCR ran was lost). */
START_TEST(review_reasons_with_ocr_keeps_the_others)
{
	char *s = review_reasons_with_ocr("amount not found on the receipt; bank"
	    " match ambiguous: movement 12 (score 75), movement 9 (score 70);"
	    " transactionDate read with low confidence (0.50); refused to"
	    " connect to 10.0.0.1", "reference not found on the receipt");
	ck_assert_str_eq(s, "bank match ambiguous: movement 12 (score 75),"
	    " movement 9 (score 70); refused to connect to 10.0.0.1; reference"
	    " not found on the receipt");
	free(s);
	s = review_reasons_with_ocr("bank amount_conflict: movement 5 carries"
	    " this voucher's reference for another amount", NULL);
	ck_assert_str_eq(s, "bank amount_conflict: movement 5 carries this"
	    " voucher's reference for another amount");
	free(s);
	s = review_reasons_with_ocr("OCR could not read the receipt: x; the"
	    " receipt was already used by payment 7", "");
	ck_assert_str_eq(s, "");
	free(s);
	s = review_reasons_with_ocr(NULL, "no text could be read on the receipt");
	ck_assert_str_eq(s, "no text could be read on the receipt");
	free(s);
}
END_TEST

/* Every sentence a writer makes reads back as its code and values, and
 * the matching job's sentences (written without the table) too. */
START_TEST(review_reasons_read_back)
{
	char s[600];
	struct review_reason r[REVIEW_REASONS_MAX];
	static const char *const codes[][4] = {
		{"missing", "amount", "", ""},
		{"low_confidence", "transactionDate", "0.67", ""},
		{"disagrees", "reference", "TRX-1, 2", "ÑÑÑ"},
		{"no_text", "", "", ""},
		{"duplicate", "", "42", ""},
		{"used_by_another_client", "", "", ""},
		{"ocr_failed", "", "tesseract cannot load language 'spa'", ""},
		{"unreadable", "", "the PDF's page tree loops", ""},
	};
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		ck_assert(review_reason_format(s, sizeof s, codes[i][0], codes[i][1],
		    codes[i][2], codes[i][3]));
		ck_assert_uint_eq(review_reasons_parse(s, r, REVIEW_REASONS_MAX), 1);
		ck_assert_str_eq(r[0].code, codes[i][0]);
		ck_assert_str_eq(r[0].field, codes[i][1]);
		ck_assert_str_eq(r[0].a, codes[i][2]);
		ck_assert_str_eq(r[0].b, codes[i][3]);
	}
	ck_assert(!review_reason_format(s, sizeof s, "nope", "", "", ""));
	const char *joined = "amount not found on the receipt; transactionDate read"
	    " with low confidence (0.50); the receipt was already used by payment 7";
	ck_assert_uint_eq(review_reasons_parse(joined, r, REVIEW_REASONS_MAX), 3);
	ck_assert_str_eq(r[0].code, "missing");
	ck_assert_str_eq(r[1].code, "low_confidence");
	ck_assert_str_eq(r[1].a, "0.50");
	ck_assert_str_eq(r[2].code, "duplicate");
	ck_assert_uint_eq(review_reasons_parse("bank match ambiguous: movement 12"
	    " (score 75), movement 9 (score 70); each is a better fit for another"
	    " voucher", r, REVIEW_REASONS_MAX), 2);
	ck_assert_str_eq(r[0].code, "bank_ambiguous");
	ck_assert_str_eq(r[1].code, "bank_better_fit");
	ck_assert_uint_eq(review_reasons_parse("bank amount_conflict: movement 5"
	    " carries this voucher's reference for another amount", r, 4), 1);
	ck_assert_str_eq(r[0].code, "bank_invalid");
	ck_assert_str_eq(r[0].field, "amount_conflict");
	/* What no template reads is kept whole. */
	ck_assert_uint_eq(review_reasons_parse("refused to connect to 10.0.0.1",
	    r, 4), 1);
	ck_assert_str_eq(r[0].code, "other");
	ck_assert_str_eq(r[0].a, "refused to connect to 10.0.0.1");
	ck_assert_uint_eq(review_reasons_parse("", r, 4), 0);
	ck_assert_uint_eq(review_reasons_parse(NULL, r, 4), 0);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("core");
	TCase *t = tcase_create("core");
	tcase_add_test(t, money_parse_exact);
	tcase_add_test(t, money_format_digits);
	tcase_add_test(t, dates);
	tcase_add_test(t, lifecycle_table);
	tcase_add_test(t, ownership_rule);
	tcase_add_test(t, every_route_declares_its_access);
	tcase_add_test(t, review_reasons_read_back);
	tcase_add_test(t, review_reasons_with_ocr_keeps_the_others);
	suite_add_tcase(s, t);
	return s;
}
