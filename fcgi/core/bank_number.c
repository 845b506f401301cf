/* bank_number.c — see bank_number.h. */
#include <stdio.h>
#include <string.h>

#include "core/bank_number.h"

static bool
all_digits(const char *s)
{
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static bool
iban_shape(const char *n)
{
	size_t l = strlen(n);
	return l >= 15 && l <= 34 && n[0] >= 'A' && n[0] <= 'Z' && n[1] >= 'A' &&
	    n[1] <= 'Z' && n[2] >= '0' && n[2] <= '9' && n[3] >= '0' && n[3] <= '9';
}

/* ISO 7064 mod 97-10 over the number moved 4 places, letters as 10–35. */
static bool
iban_ok(const char *n)
{
	size_t l = strlen(n);
	unsigned r = 0;
	for (size_t i = 0; i < l; i++) {
		char c = n[(i + 4) % l];
		if (c >= '0' && c <= '9')
			r = (r * 10 + (unsigned)(c - '0')) % 97;
		else
			r = (r * 100 + (unsigned)(c - 'A' + 10)) % 97;
	}
	return r == 1;
}

static bool
clabe_ok(const char *n)
{
	static const int w[3] = {3, 7, 1};
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += ((n[i] - '0') * w[i % 3]) % 10;
	return (10 - sum % 10) % 10 == n[17] - '0';
}

size_t
bank_number_norm(const char *in, char *out, size_t len)
{
	size_t n = 0;
	for (; *in; in++) {
		char c = *in;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			continue;
		if (n + 1 < len)
			out[n] = c;
		n++;
	}
	if (len)
		out[n < len ? n : len - 1] = '\0';
	return n;
}

bool
bank_number_check(const char *number, const char *kind, const char **kind_out,
    char *norm, size_t normlen, char *why, size_t whylen)
{
	bool other = false;
	for (const char *p = number; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr(" -./", *p)))
			other = true;
	size_t n = bank_number_norm(number, norm, normlen);
	if (n >= normlen) {
		snprintf(why, whylen, "longer than %zu letters and digits",
		    normlen - 1);
		return false;
	}
	if (other || n < 4) {
		snprintf(why, whylen, other ? "only letters, digits, spaces, '-', '.'"
		    " and '/' are allowed" : "needs at least 4 letters or digits");
		return false;
	}
	if (!kind || !*kind)
		kind = iban_shape(norm) ? "iban" : n == 18 && all_digits(norm) &&
		    clabe_ok(norm) ?
		    "clabe" : n == 20 && all_digits(norm) ? "cci" : "account";
	if (!strcmp(kind, "iban")) {
		if (!iban_shape(norm) || !iban_ok(norm)) {
			snprintf(why, whylen, "not a valid IBAN (its check digits do not"
			    " match)");
			return false;
		}
		*kind_out = "iban";
	} else if (!strcmp(kind, "clabe")) {
		if (n != 18 || !all_digits(norm) || !clabe_ok(norm)) {
			snprintf(why, whylen, "not a valid CLABE (18 digits with a check"
			    " digit)");
			return false;
		}
		*kind_out = "clabe";
	} else if (!strcmp(kind, "cci")) {
		if (n != 20 || !all_digits(norm)) {
			snprintf(why, whylen, "a CCI has 20 digits");
			return false;
		}
		*kind_out = "cci";
	} else if (!strcmp(kind, "account"))
		*kind_out = "account";
	else {
		snprintf(why, whylen, "numberKind must be iban, clabe, cci or account");
		return false;
	}
	return true;
}

bool
bank_number_is_iban(const char *s)
{
	char n[64];
	bank_number_norm(s, n, sizeof n);
	return strspn(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == strlen(n) &&
	    iban_shape(n) && iban_ok(n);
}
