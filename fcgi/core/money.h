/*
 * money.h — exact amounts.  An amount is an integer count of the
 * currency's minor units (centavos, céntimos); it is never a double.
 * Parsing takes the literal text a client sent ("1500.00", "1e2", "0.10")
 * and refuses anything that would need rounding.
 */
#ifndef CB_MONEY_H
#define CB_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* 10^15 - 1 minor units: far above any voucher, far below INT64_MAX. */
#define MONEY_MAX_MINOR 999999999999999LL

struct currency {
	const char *code;     /* ISO 4217 */
	int exponent;         /* digits after the decimal point */
	const char *name;
};

/* NULL for an unsupported code. */
const struct currency *currency_find(const char *code);
/* Digits after the decimal point in code's minor units; 2 for a code we
 * do not list (stored rows name only listed codes). */
int currency_exponent(const char *code);
/* 10^currency_exponent(code): minor units in one whole unit. */
int64_t currency_scale(const char *code);
/* "GTQ, USD, …" for error messages. */
const char *currency_list(void);

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
