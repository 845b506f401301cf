/* decimal.c — see decimal.h. */
#include <stdio.h>
#include <string.h>

#include "core/decimal.h"

static const int64_t POW10[] = {1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL,
    1000000LL, 10000000LL, 100000000LL, 1000000000LL, 10000000000LL,
    100000000000LL, 1000000000000LL, 10000000000000LL, 100000000000000LL,
    1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
    1000000000000000000LL};

static void
normalise(struct dec *d)
{
	while (d->scale > 0 && d->units % 10 == 0) {
		d->units /= 10;
		d->scale--;
	}
	if (d->units == 0)
		d->scale = 0;
}

cb_err
dec_parse(const char *s, bool comma, struct dec *out)
{
	bool neg = false, point = false, any = false;
	int sig = 0, scale = 0;
	int64_t v = 0;
	memset(out, 0, sizeof *out);
	if (!s)
		return CB_EINVAL;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			any = true;
			if (point && ++scale > DEC_MAX_SCALE)
				return CB_EINVAL;
			if (v == 0 && *s == '0')
				continue; /* leading zeros */
			if (++sig > 18)
				return CB_EINVAL;
			v = v * 10 + (*s - '0');
		} else if (!point && (*s == (comma ? ',' : '.'))) {
			point = true;
		} else
			return CB_EINVAL;
	}
	if (!any || (point && scale == 0))
		return CB_EINVAL;
	out->units = neg ? -v : v;
	out->scale = scale;
	normalise(out);
	return CB_OK;
}

/* a's units at scale s (≥ a->scale); false on overflow. */
static bool
rescale(const struct dec *a, int s, __int128 *out)
{
	__int128 v = (__int128)a->units * POW10[s - a->scale];
	*out = v;
	return v <= INT64_MAX && v >= -INT64_MAX;
}

cb_err
dec_add(const struct dec *a, const struct dec *b, struct dec *out)
{
	int s = a->scale > b->scale ? a->scale : b->scale;
	__int128 x, y;
	if (!rescale(a, s, &x) || !rescale(b, s, &y))
		return CB_ETOOBIG;
	__int128 r = x + y;
	if (r > INT64_MAX || r < -INT64_MAX)
		return CB_ETOOBIG;
	out->units = (int64_t)r;
	out->scale = s;
	normalise(out);
	return CB_OK;
}

int
dec_cmp(const struct dec *a, const struct dec *b)
{
	int s = a->scale > b->scale ? a->scale : b->scale;
	__int128 x = (__int128)a->units * POW10[s - a->scale];
	__int128 y = (__int128)b->units * POW10[s - b->scale];
	return x < y ? -1 : x > y;
}

bool
dec_to_minor(const struct dec *d, int exponent, int64_t *minor)
{
	if (exponent < 0 || exponent > DEC_MAX_SCALE || d->scale > exponent)
		return false;
	__int128 v = (__int128)d->units * POW10[exponent - d->scale];
	if (v > INT64_MAX || v < -INT64_MAX)
		return false;
	*minor = (int64_t)v;
	return true;
}

void
dec_format(const struct dec *d, char *out, size_t outlen)
{
	uint64_t u = d->units < 0 ? (uint64_t)0 - (uint64_t)d->units :
	    (uint64_t)d->units;
	uint64_t p = (uint64_t)POW10[d->scale];
	if (d->scale)
		snprintf(out, outlen, "%s%llu.%0*llu", d->units < 0 ? "-" : "",
		    (unsigned long long)(u / p), d->scale,
		    (unsigned long long)(u % p));
	else
		snprintf(out, outlen, "%s%llu", d->units < 0 ? "-" : "",
		    (unsigned long long)u);
}

cb_err
dec_mul_int(const struct dec *a, int64_t k, struct dec *out)
{
	int64_t u;
	if (__builtin_mul_overflow(a->units, k, &u))
		return CB_ETOOBIG;
	out->units = u;
	out->scale = a->scale;
	while (out->scale > 0 && out->units % 10 == 0) {
		out->units /= 10;
		out->scale--;
	}
	return CB_OK;
}
