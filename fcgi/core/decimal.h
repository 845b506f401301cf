/*
 * decimal.h — exact signed decimals as banks write them: "1500.00",
 * "-0.005", "123,45" (decimal comma).  Statements carry amounts with any
 * number of decimals and balances that may be zero or negative, which
 * money.h (positive voucher amounts in a currency's minor units) refuses.
 * Sums are exact: values are int64 units at a scale of up to 9 digits.
 */
#ifndef CB_DECIMAL_H
#define CB_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define DEC_MAX_SCALE 9

struct dec {
	int64_t units;   /* value × 10^scale */
	int scale;       /* 0 … DEC_MAX_SCALE, trailing zeros removed */
};

/* Parses an optional sign, digits, an optional '.' (or ',' when comma is
 * true) and up to DEC_MAX_SCALE decimals; at most 18 significant digits.
 * CB_EINVAL otherwise (no exponent, no grouping, nothing after). */
cb_err dec_parse(const char *s, bool comma, struct dec *out);
/* a + b into out; CB_ETOOBIG on overflow. */
cb_err dec_add(const struct dec *a, const struct dec *b, struct dec *out);
/* a × k into out (trailing zeros removed); CB_ETOOBIG on overflow. */
cb_err dec_mul_int(const struct dec *a, int64_t k, struct dec *out);
/* -1, 0, 1. */
int dec_cmp(const struct dec *a, const struct dec *b);
/* The value in minor units of a currency with `exponent` digits, when it
 * is exact there; false when it has more decimals (or is too large). */
bool dec_to_minor(const struct dec *d, int exponent, int64_t *minor);
/* "-1500.5"; out needs 32 bytes. */
void dec_format(const struct dec *d, char *out, size_t outlen);

#endif
