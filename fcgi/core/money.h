/*
 * money.h — exact amounts.  An amount is an integer count of the
 * currency's minor units (centavos, céntimos); it is never a double.
 * Parsing takes the literal text a client sent ("1500.00", "1e2", "0.10")
 * and refuses anything that would need rounding.
 */
#ifndef CB_MONEY_H
#define CB_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* 10^15 - 1 minor units: far above any voucher, far below INT64_MAX. */
#define MONEY_MAX_MINOR 999999999999999LL

struct currency {
	const char *code;     /* ISO 4217 */
	int exponent;         /* digits after the decimal point; -1 where
	                         ISO 4217 gives none (XAU, XXX) */
	const char *name;
	bool withdrawn;       /* ISO 4217 list three (DEM, NLG): only old
	                         statements name it */
};

/* Any ISO 4217 code, current, withdrawn or without a minor unit; NULL
 * for anything else. */
const struct currency *currency_find(const char *code);

enum currency_use {
	CURRENCY_NEW_MONEY,   /* payments, invoices: current codes only */
	CURRENCY_RECORDS,     /* bank accounts and their statements: withdrawn
	                         codes too */
};
/* The currency money may be held in for use, or NULL with why saying
 * which rule code breaks. */
const struct currency *currency_for(const char *code, enum currency_use use,
    char *why, size_t whylen);
/* Digits after the decimal point in code's minor units; 2 for a code
 * without them (stored rows name only codes currency_for accepted). */
int currency_exponent(const char *code);
/* 10^currency_exponent(code): minor units in one whole unit. */
int64_t currency_scale(const char *code);

enum money_err {
	MONEY_OK = 0,
	MONEY_SYNTAX,        /* not a decimal number */
	MONEY_TOO_PRECISE,   /* more fractional digits than the currency has */
	MONEY_NOT_POSITIVE,  /* zero or negative */
	MONEY_TOO_LARGE,
};

/* Parses s (a JSON number's literal text or a string: optional sign,
 * digits, optional fraction, optional exponent) into minor units. */
enum money_err money_parse(const char *s, int exponent, int64_t *minor);

/* Formats minor units with exactly `exponent` decimals: 150000 → "1500.00".
 * out needs 32 bytes. */
void money_format(int64_t minor, int exponent, char *out, size_t outlen);

#endif
