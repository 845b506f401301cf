/* csv_detect.c — see csv_detect.h. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bank/csv_detect.h"

#define SAMPLE_LINES 40

bool
csv_profile_has_auto(const struct csv_profile *p)
{
	return !p->separator || !p->decimal || !strcmp(p->date_format,
	    CSV_AUTO_DATE);
}

/* The sample's lines after the header: starts and lengths. */
struct lines {
	const char *at[SAMPLE_LINES];
	size_t len[SAMPLE_LINES];
	int n;
};

static void
split_lines(const char *s, size_t n, int skip, struct lines *l)
{
	size_t i = 0;
	int k = 0;
	l->n = 0;
	while (i < n && l->n < SAMPLE_LINES) {
		size_t j = i;
		while (j < n && s[j] != '\n')
			j++;
		if (j == n && j - i < 2)
			break; /* a cut last line tells nothing */
		size_t e = j;
		while (e > i && (s[e - 1] == '\r' || s[e - 1] == ' '))
			e--;
		if (k++ >= skip && e > i) {
			l->at[l->n] = s + i;
			l->len[l->n++] = e - i;
		}
		i = j + 1;
	}
}

/* Occurrences of c outside quotes in a line. */
static int
count_outside(const char *s, size_t n, char c)
{
	int k = 0;
	bool q = false;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '"')
			q = !q;
		else if (!q && s[i] == c)
			k++;
	return k;
}

static char
detect_separator(const struct lines *l)
{
	static const char cands[] = ";,\t|";
	char best = ',';
	int best_score = 0;
	for (const char *c = cands; *c; c++) {
		/* The most common count, and in how many lines it is. */
		int counts[SAMPLE_LINES], mode = 0, mode_n = 0;
		for (int i = 0; i < l->n; i++)
			counts[i] = count_outside(l->at[i], l->len[i], *c);
		for (int i = 0; i < l->n; i++) {
			int same = 0;
			for (int j = 0; j < l->n; j++)
				same += counts[j] == counts[i];
			if (counts[i] > 0 && (same > mode_n || (same == mode_n &&
			    counts[i] > mode))) {
				mode = counts[i];
				mode_n = same;
			}
		}
		/* Consistent in most lines; more columns win a tie. */
		int score = mode_n * 4 >= l->n * 3 ? mode_n * 100 + mode : 0;
		if (score > best_score) {
			best_score = score;
			best = *c;
		}
	}
	return best;
}

/* Field col (1-based) of a line, quotes dropped, into out. */
static bool
field_of(const char *s, size_t n, char sep, int col, char *out, size_t outlen)
{
	int k = 1;
	size_t o = 0;
	bool q = false;
	if (col <= 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"') {
			q = !q;
			continue;
		}
		if (!q && s[i] == sep) {
			if (k++ == col)
				break;
			continue;
		}
		if (k == col && o + 1 < outlen)
			out[o++] = s[i];
	}
	out[o] = '\0';
	return k >= col && o > 0;
}

/* The decimal mark a value shows: ',' or '.', 0 when it cannot say
 * ("1.234" is a thousand or one and a bit). */
static char
decimal_of(const char *v)
{
	const char *last = NULL;
	bool comma = false, dot = false;
	for (const char *p = v; *p; p++)
		if (*p == ',' || *p == '.') {
			last = p;
			comma |= *p == ',';
			dot |= *p == '.';
		}
	if (!last)
		return 0;
	if (comma && dot)
		return *last; /* the later mark is the decimal one */
	size_t after = strspn(last + 1, "0123456789");
	return after == 3 ? 0 : *last;
}

static void
detect_date(const char *const *dates, int nd, char *fmt, size_t len,
    bool *guessed)
{
	int max_a = 0, max_b = 0, seen = 0;
	char dsep = 0;
	int year_pos = -1, eight = 0, eight_y = 0;
	*guessed = false;
	for (int i = 0; i < nd; i++) {
		const char *v = dates[i];
		size_t dl = strspn(v, "0123456789");
		if (dl == 8 && (!v[8] || v[8] == ' ')) {
			eight++;
			eight_y += (v[0] == '1' && v[1] == '9') || (v[0] == '2' &&
			    v[1] == '0');
			continue;
		}
		int part[3] = {0, 0, 0}, width[3] = {0, 0, 0}, k = 0;
		for (const char *p = v; *p && k < 3; p++) {
			if (*p >= '0' && *p <= '9') {
				part[k] = part[k] * 10 + (*p - '0');
				width[k]++;
			} else if (width[k]) {
				if (!dsep)
					dsep = *p;
				k++;
			}
		}
		if (k < 2 || !width[2])
			continue;
		seen++;
		year_pos = width[0] == 4 ? 0 : width[2] == 4 ? 2 : year_pos;
		if (width[0] != 4) {
			max_a = part[0] > max_a ? part[0] : max_a;
			max_b = part[1] > max_b ? part[1] : max_b;
		}
	}
	if (eight > seen) {
		snprintf(fmt, len, eight_y == eight ? "%%Y%%m%%d" : "%%d%%m%%Y");
		return;
	}
	if (!seen || !dsep) {
		snprintf(fmt, len, "%%d/%%m/%%Y");
		*guessed = true;
		return;
	}
	if (year_pos == 0) {
		snprintf(fmt, len, "%%Y%c%%m%c%%d", dsep, dsep);
		return;
	}
	bool month_first = max_b > 12 && max_a <= 12;
	*guessed = max_a <= 12 && max_b <= 12;
	snprintf(fmt, len, month_first ? "%%m%c%%d%c%%%c" : "%%d%c%%m%c%%%c",
	    dsep, dsep, year_pos == 2 ? 'Y' : 'y');
}

char
csv_detect_separator(const char *sample, size_t n, int skip)
{
	struct lines l;
	split_lines(sample, n, skip, &l);
	return detect_separator(&l);
}

void
csv_detect_values(struct csv_profile *p, const char *const *amounts, int na,
    const char *const *dates, int nd, char *said, size_t saidlen)
{
	char told[160] = "";
	size_t u = 0;
	if (!p->decimal) {
		int comma = 0, dot = 0;
		for (int i = 0; i < na; i++) {
			char d = decimal_of(amounts[i]);
			comma += d == ',';
			dot += d == '.';
		}
		p->decimal = comma > dot ? ',' : '.';
		/* The other mark groups thousands when there is one. */
		p->thousands = p->decimal == ',' ? '.' : ',';
		if (p->thousands == p->separator)
			p->thousands = 0;
		u += (size_t)snprintf(told + u, sizeof told - u, "decimal '%c'%s",
		    p->decimal, comma || dot ? "" :
		    " (no amount showed it: the common choice)");
	}
	if (!strcmp(p->date_format, CSV_AUTO_DATE)) {
		bool guessed;
		detect_date(dates, nd, p->date_format, sizeof p->date_format,
		    &guessed);
		u += (size_t)snprintf(told + u, sizeof told - u, "%sdates %s%s",
		    u ? ", " : "", p->date_format, guessed ?
		    " (no day above 12 showed the order: day first taken)" : "");
	}
	snprintf(said, saidlen, "%s", told);
}

void
csv_detect(struct csv_profile *p, const char *sample, size_t n, char *said,
    size_t saidlen)
{
	struct lines l;
	char vals[SAMPLE_LINES * 4][64], told[200];
	const char *amounts[SAMPLE_LINES * 3], *dates[SAMPLE_LINES];
	int na = 0, nd = 0, k = 0;
	size_t u = 0;
	split_lines(sample, n, p->skip_header, &l);
	if (!p->separator) {
		p->separator = detect_separator(&l);
		u += (size_t)snprintf(told + u, sizeof told - u, "separator '%s'",
		    p->separator == '\t' ? "tab" : (char[]){p->separator, 0});
	}
	int cols[] = {p->col[CSV_AMOUNT], p->col[CSV_DEBIT], p->col[CSV_CREDIT]};
	for (int i = 0; i < l.n; i++) {
		for (int c = 0; c < 3; c++)
			if (field_of(l.at[i], l.len[i], p->separator, cols[c], vals[k],
			    sizeof vals[k]))
				amounts[na++] = vals[k++];
		if (field_of(l.at[i], l.len[i], p->separator, p->col[CSV_DATE],
		    vals[k], sizeof vals[k]))
			dates[nd++] = vals[k++];
	}
	char v[160];
	csv_detect_values(p, amounts, na, dates, nd, v, sizeof v);
	if (*v)
		snprintf(told + u, sizeof told - u, "%s%s", u ? ", " : "", v);
	snprintf(said, saidlen, "told from the file: %s", told);
}
