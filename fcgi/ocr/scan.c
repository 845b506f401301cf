/*
 * scan.c — the number and date formats Latin American vouchers print, read
 * from folded text: "1,500.00", "1.500,00", "25 000,00", "1.250.000",
 * "03/03/2026", "3 MAR 2026", "03-MAR-26", "3 DE MARZO DE 2026",
 * "2026-03-03".  Anything ambiguous is refused rather than guessed.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "ocr/extract.h"

static bool
dig(char c)
{
	return c >= '0' && c <= '9';
}

size_t
ocr_scan_number(const char *s, size_t i, struct ocr_number *out)
{
	/* Digit groups and the separators between them. */
	int glen[16];
	char sep[16];
	int ng = 0;
	size_t p = i;
	if (!dig(s[p]) || (p > 0 && dig(s[p - 1])))
		return 0;
	for (;;) {
		int n = 0;
		while (dig(s[p + n]))
			n++;
		if (ng == 16)
			return 0;
		glen[ng] = n;
		p += (size_t)n;
		char c = s[p];
		if ((c == ',' || c == '.' || c == '\'') && dig(s[p + 1])) {
			sep[ng++] = c;
			p++;
			continue;
		}
		/* "14, 447.00": OCR put a space after a thousands separator;
		 * three digits and then another separator are a group. */
		if ((c == ',' || c == '.') && s[p + 1] == ' ' && dig(s[p + 2]) &&
		    dig(s[p + 3]) && dig(s[p + 4]) && !dig(s[p + 5]) &&
		    (s[p + 5] == ',' || s[p + 5] == '.') && dig(s[p + 6]) && n <= 3) {
			sep[ng++] = c;
			p += 2;
			continue;
		}
		/* "24,553. 55": OCR split the cents off; two digits and then no
		 * more are cents. */
		if ((c == ',' || c == '.') && s[p + 1] == ' ' && dig(s[p + 2]) &&
		    dig(s[p + 3]) && !dig(s[p + 4]) && ng > 0) {
			sep[ng++] = c;
			p += 2;
			continue;
		}
		/* A space groups thousands only before exactly three digits. */
		if (c == ' ' && dig(s[p + 1]) && dig(s[p + 2]) && dig(s[p + 3]) &&
		    !dig(s[p + 4]) && n <= 3 && (ng == 0 || sep[ng - 1] == ' ')) {
			sep[ng++] = ' ';
			p++;
			continue;
		}
		sep[ng++] = 0;
		break;
	}
	int nsep = ng - 1;
	char dec = 0;
	int last = nsep; /* index of the last group */
	/* The last separator is decimal when two digits (or one) follow. */
	if (nsep > 0 && sep[nsep - 1] != ' ' && sep[nsep - 1] != '\'' &&
	    (glen[last] == 2 || glen[last] == 1))
		dec = sep[nsep - 1];
	int ngroups = dec ? nsep : nsep + 1;
	char grp = 0;
	for (int k = 0; k < ngroups - 1; k++) {
		if (grp && sep[k] != grp)
			return 0;
		grp = sep[k];
		if (grp == dec)
			return 0;
	}
	if (ngroups > 1) {
		if (glen[0] < 1 || glen[0] > 3)
			return 0;
		for (int k = 1; k < ngroups; k++)
			if (glen[k] != 3)
				return 0;
	}
	/* Reassemble. */
	int64_t v = 0;
	int nd = 0;
	size_t q = i;
	for (int k = 0; k < ngroups; k++) {
		while (!dig(s[q]))
			q++; /* separators (and a space OCR put after one) */
		for (int d = 0; d < glen[k]; d++, q++) {
			if (nd++ > 13)
				return 0;
			v = v * 10 + (s[q] - '0');
		}
	}
	int64_t frac = 0;
	if (dec) {
		while (!dig(s[q]))
			q++;
		for (int d = 0; d < glen[last]; d++, q++)
			frac = frac * 10 + (s[q] - '0');
		if (glen[last] == 1)
			frac *= 10;
	}
	out->cents = v * 100 + frac;
	out->dec = dec;
	out->grp = grp;
	out->digits = nd;
	out->groups = ngroups;
	out->decimals = dec ? glen[last] : 0;
	return p - i;
}

static const char *const months[12][3] = {
	{"ENERO", "ENE", "JAN"}, {"FEBRERO", "FEB", "FEB"},
	{"MARZO", "MAR", "MAR"}, {"ABRIL", "ABR", "APR"},
	{"MAYO", "MAY", "MAY"}, {"JUNIO", "JUN", "JUN"},
	{"JULIO", "JUL", "JUL"}, {"AGOSTO", "AGO", "AUG"},
	{"SEPTIEMBRE", "SEP", "SET"}, {"OCTUBRE", "OCT", "OCT"},
	{"NOVIEMBRE", "NOV", "NOV"}, {"DICIEMBRE", "DIC", "DEC"},
};

/* A month name at s[p]: its number (1..12) and length, or 0. */
static int
month_at(const char *s, size_t p, size_t *len)
{
	if (p > 0 && isalpha((unsigned char)s[p - 1]))
		return 0;
	for (int m = 0; m < 12; m++)
		for (int k = 0; k < 3; k++) {
			size_t n = strlen(months[m][k]);
			/* OCR reads the O of "OCT" as a zero ("10 0CT 2017"). */
			bool zero_o = s[p] == '0' && months[m][k][0] == 'O' &&
			    strncmp(s + p + 1, months[m][k] + 1, n - 1) == 0;
			if (strncmp(s + p, months[m][k], n) == 0 || zero_o) {
				size_t e = n;
				/* Full names like "SEPTIEMBRE" after "SEP": take the
				 * whole word, which must be a known spelling. */
				while (isalpha((unsigned char)s[p + e]))
					e++;
				if (e != n && !(k > 0 && e == strlen(months[m][0]) &&
				        strncmp(s + p, months[m][0], e) == 0) &&
				    !(m == 8 && e == 9 && strncmp(s + p, "SETIEMBRE", 9) == 0))
					continue;
				*len = e;
				return m + 1;
			}
		}
	return 0;
}

static size_t
number(const char *s, size_t p, int maxd, int *v)
{
	size_t n = 0;
	*v = 0;
	while (dig(s[p + n]) && (int)n < maxd)
		*v = *v * 10 + (s[p + n++] - '0');
	if (dig(s[p + n]))
		return 0;
	return n;
}

static bool
emit(int y, int m, int d, char iso[11])
{
	struct ymd v = {y, m, d};
	char buf[16];
	if (y < 100)
		y += 2000;
	if (y < 2000 || y > 2099)
		return false;
	snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
	if (date_parse(buf, &v) != CB_OK)
		return false;
	memcpy(iso, buf, 11);
	return true;
}

static size_t
skip(const char *s, size_t p, const char *set)
{
	while (s[p] && strchr(set, s[p]))
		p++;
	return p;
}

size_t
ocr_scan_date(const char *s, size_t i, char iso[11])
{
	int a, b, c;
	size_t n, p = i, ml;
	if (i > 0 && (isalnum((unsigned char)s[i - 1])))
		return 0;
	if (dig(s[p])) {
		if ((n = number(s, p, 4, &a)) == 0)
			return 0;
		p += n;
		/* 2026-03-03 */
		if (n == 4 && (s[p] == '-' || s[p] == '/') && (n = number(s, p + 1, 2,
		    &b)) == 2 && s[p + 3] == s[p] && number(s, p + 4, 2, &c) == 2)
			return emit(a, b, c, iso) ? p + 6 - i : 0;
		if (n > 2)
			return 0;
		/* 03/03/2026, 3-3-26, 03.03.2026 */
		char sp = s[p];
		if ((sp == '/' || sp == '-' || sp == '.') && (n = number(s, p + 1, 2,
		    &b)) > 0 && s[p + 1 + n] == sp) {
			size_t q = p + 2 + n, yn = number(s, q, 4, &c);
			if (yn != 2 && yn != 4)
				return 0;
			/* Day first, as the region writes it; month first only
			 * where the day cannot be a month and the year is whole
			 * ("12/13/2016"; "08.18.00" is a time). */
			return emit(c, b, a, iso) || (b > 12 && yn == 4 &&
			    emit(c, a, b, iso)) ? q + yn - i : 0;
		}
		/* 3 MAR 2026, 03-MAR-26, 3 DE MARZO DE 2026 */
		p = skip(s, p, " -/.");
		if (strncmp(s + p, "DE ", 3) == 0)
			p += 3;
		int m = month_at(s, p, &ml);
		if (!m)
			return 0;
		p = skip(s, p + ml, " -/.,");
		if (strncmp(s + p, "DE ", 3) == 0)
			p += 3;
		if (strncmp(s + p, "DEL ", 4) == 0)
			p += 4;
		n = number(s, p, 4, &c);
		if (n != 2 && n != 4)
			return 0;
		return emit(c, m, a, iso) ? p + n - i : 0;
	}
	/* MARZO 3, 2026 / MAR 03 2026 */
	int m = month_at(s, p, &ml);
	if (!m)
		return 0;
	p = skip(s, p + ml, " .");
	if ((n = number(s, p, 2, &a)) == 0)
		return 0;
	p = skip(s, p + n, " ,");
	if ((n = number(s, p, 4, &c)) != 4)
		return 0;
	return emit(c, m, a, iso) ? p + n - i : 0;
}
