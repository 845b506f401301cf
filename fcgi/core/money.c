/* money.c — see money.h. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/money.h"

static const struct currency currencies[] = {
	{"GTQ", 2, "Quetzal"},
	{"USD", 2, "US Dollar"},
	{"CRC", 2, "Costa Rican Colón"},
	{"PEN", 2, "Sol"},
	{"COP", 2, "Colombian Peso"},
	{"MXN", 2, "Mexican Peso"},
	{"EUR", 2, "Euro"},
};

const struct currency *
currency_find(const char *code)
{
	for (size_t i = 0; code && i < sizeof currencies / sizeof currencies[0]; i++)
		if (strcmp(currencies[i].code, code) == 0)
			return &currencies[i];
	return NULL;
}

int
currency_exponent(const char *code)
{
	const struct currency *c = currency_find(code);
	return c ? c->exponent : 2;
}

int64_t
currency_scale(const char *code)
{
	int64_t scale = 1;
	for (int k = currency_exponent(code); k > 0; k--)
		scale *= 10;
	return scale;
}

const char *
currency_list(void)
{
	return "GTQ, USD, CRC, PEN, COP, MXN, EUR";
}

enum money_err
money_parse(const char *s, int exponent, int64_t *minor)
{
	char digits[64];
	size_t nd = 0;
	int frac = 0;          /* digits seen after the point */
	bool neg = false, seen_point = false, any = false;
	long exp10 = 0;

	*minor = 0;
	if (!s || !*s)
		return MONEY_SYNTAX;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			any = true;
			/* Leading zeros carry nothing. */
			if (nd == 0 && *s == '0') {
				if (seen_point)
					frac++;
				continue;
			}
			if (nd >= sizeof digits - 1)
				return MONEY_TOO_LARGE;
			digits[nd++] = *s;
			if (seen_point)
				frac++;
		} else if (*s == '.' && !seen_point) {
			seen_point = true;
		} else
			break;
	}
	if (!any || (seen_point && s[-1] == '.'))
		return MONEY_SYNTAX;
	if (*s == 'e' || *s == 'E') {
		s++;
		bool eneg = false;
		if (*s == '+' || *s == '-')
			eneg = *s++ == '-';
		if (!(*s >= '0' && *s <= '9'))
			return MONEY_SYNTAX;
		for (; *s >= '0' && *s <= '9'; s++) {
			exp10 = exp10 * 10 + (*s - '0');
			if (exp10 > 1000)
				return nd ? (eneg ? MONEY_TOO_PRECISE : MONEY_TOO_LARGE)
				          : MONEY_NOT_POSITIVE;
		}
		if (eneg)
			exp10 = -exp10;
	}
	if (*s)
		return MONEY_SYNTAX;
	digits[nd] = '\0';
	/* Trailing zeros of the fraction carry nothing either. */
	while (nd > 0 && frac > 0 && digits[nd - 1] == '0') {
		nd--;
		frac--;
	}
	if (nd == 0)
		return MONEY_NOT_POSITIVE; /* zero, however written */
	/* value = digits × 10^(exp10 - frac); minor = value × 10^exponent */
	long shift = exp10 - frac + exponent;
	if (shift < 0) {
		/* Only exact if the dropped digits are zero, and they are not
		 * (trailing zeros were removed above). */
		return MONEY_TOO_PRECISE;
	}
	if ((long)nd + shift > 15)
		return MONEY_TOO_LARGE;
	int64_t v = 0;
	for (size_t i = 0; i < nd; i++)
		v = v * 10 + (digits[i] - '0');
	for (long i = 0; i < shift; i++)
		v *= 10;
	if (v > MONEY_MAX_MINOR)
		return MONEY_TOO_LARGE;
	if (neg)
		return MONEY_NOT_POSITIVE;
	*minor = v;
	return MONEY_OK;
}

void
money_format(int64_t minor, int exponent, char *out, size_t outlen)
{
	int64_t scale = 1;
	for (int i = 0; i < exponent; i++)
		scale *= 10;
	bool neg = minor < 0;
	uint64_t m = neg ? (uint64_t)(-(minor + 1)) + 1 : (uint64_t)minor;
	if (exponent == 0)
		snprintf(out, outlen, "%s%llu", neg ? "-" : "", (unsigned long long)m);
	else
		snprintf(out, outlen, "%s%llu.%0*llu", neg ? "-" : "",
		    (unsigned long long)(m / (uint64_t)scale), exponent,
		    (unsigned long long)(m % (uint64_t)scale));
}
