/* table.c — see table.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bank/csv_detect.h"
#include "bank/table.h"
#include "core/date.h"
#include "util/codec.h"

#define MAX_FOOTER 10   /* as csv.c's profile parser allows */
#define SAMPLE 40       /* rows the marks and date order are told from */
#define HELD (MAX_FOOTER + SAMPLE + 1)
#define MAX_CURRENCIES 16   /* statements one file of several may give */

/* A row kept: its cells copied. */
struct held {
	char buf[STMT_MAX_TEXT];
	int off[CSV_MAX_COLUMNS];
	unsigned char kind[CSV_MAX_COLUMNS];
	int n;
	long line;
	bool too_long, bad_utf8;
};

struct table {
	struct csv_profile p;           /* names resolved, marks told */
	const struct stmt_sink *sink;
	bool date1904;
	struct stmt_header h;
	bool begun;
	long rows;                      /* rows seen, header lines included */
	bool header_found;              /* or none wanted */
	long before_first, before_last; /* rows passed over looking for it */
	bool told;                      /* marks and dates known */
	struct held *q;                 /* FIFO of HELD rows */
	int head, count;
	/* A file whose rows name several currencies (the profile fixing
	 * none): the first row's currency is read first; the others' rows
	 * wait in a temporary file and become a statement each after. */
	bool several;
	FILE *spill;
	char other[MAX_CURRENCIES][4];
	int others;
	bool replaying;
};

static cb_err
say(struct table *t, bool refused, long line, const char *why)
{
	char where[48];
	snprintf(where, sizeof where, "line %ld", line);
	cb_err (*fn)(void *, const char *, const char *) = refused ?
	    t->sink->reject : t->sink->warn;
	return fn ? fn(t->sink->arg, where, why) : CB_OK;
}

cb_err
table_new(const struct csv_profile *p, const char *format, bool date1904,
    const struct stmt_sink *sink, struct table **out)
{
	struct table *t = calloc(1, sizeof *t);
	if (!t || !(t->q = calloc(HELD, sizeof *t->q))) {
		free(t);
		return CB_ENOMEM;
	}
	t->p = *p;
	t->sink = sink;
	t->several = csv_has(p, CSV_CURRENCY) && !p->currency[0];
	t->date1904 = date1904;
	t->header_found = !csv_by_name(p);
	t->told = !csv_profile_has_auto(p) || (p->decimal && strcmp(p->date_format,
	    CSV_AUTO_DATE));
	snprintf(t->h.format, sizeof t->h.format, "%s", format);
	snprintf(t->h.account, sizeof t->h.account, "%s", p->account);
	memcpy(t->h.currency, p->currency, sizeof t->h.currency);
	*out = t;
	return CB_OK;
}

void
table_free(struct table *t)
{
	if (!t)
		return;
	if (t->spill)
		fclose(t->spill);
	free(t->q);
	free(t);
}

/* ---- cells ------------------------------------------------------------ */

bool
table_number(double d, char *out, size_t len)
{
	snprintf(out, len, "%.15g", d);
	return !strpbrk(out, "eni");
}

static const char *
cell(const struct held *r, int col)
{
	if (col <= 0 || col > r->n)
		return "";
	const char *f = r->buf + r->off[col - 1];
	while (*f == ' ')
		f++;
	return f;
}

static int
kind(const struct held *r, int col)
{
	return col <= 0 || col > r->n ? CELL_TEXT : r->kind[col - 1];
}

/* A currency written beside an amount ("$ 1.234", "S/ 150.00", "USD 12",
 * "Q 1,000.00", "R$ 10", "1 234,56 €"): symbols, an ISO code, or letters
 * joined to a symbol.  A lone "D", "CR" or "DR" is no currency: it may be
 * a sign, and a sign is not guessed. */
static bool
letter(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* How many bytes at s are a currency mark; 0 when none. */
static size_t
currency_mark(const char *s, const char *start)
{
	unsigned char c = (unsigned char)*s;
	if (c == '$' || c == '/' || c >= 0x80)
		return 1;
	if (!letter(c))
		return 0;
	size_t n = 0;
	while (letter((unsigned char)s[n]))
		n++;
	char next = s[n], before = s > start ? s[-1] : 0;
	bool ok = n == 3 || (n == 1 && (c | 0x20) == 'q') || next == '$' ||
	    next == '/' || next == '.' || before == '$';
	return ok ? n : 0;
}

/* "1.234,56-", "(12,00)", "-5", "$ 1.234.567", "S/ 150.00" → a signed
 * exact decimal; a spreadsheet number is written with '.' and no
 * grouping.  A currency beside the digits is passed over, never one
 * inside them; a value longer than any amount is no amount. */
static bool
amount(const char *s, bool number, const struct csv_profile *p,
    struct dec *out)
{
	char t[48];
	size_t n = 0;
	bool neg = false, digits = false, after = false;
	char dmark = number ? '.' : p->decimal, group = number ? 0 : p->thousands;
	const char *start = s;
	for (bool mark = false; *s; s++) {
		char c = *s;
		size_t k = currency_mark(s, start);
		if (k) {
			after = digits;
			mark = true;
			s += k - 1;
			continue;
		}
		if (letter((unsigned char)c))
			return false;
		/* "Bs." / "S/." before the digits: the abbreviation's dot. */
		if (c == '.' && !digits && mark)
			continue;
		if (c == ' ' || (group && c == group))
			continue;
		if (c == '-' || c == '(' || c == ')') {
			neg = neg || c != ')';
			continue;
		}
		if (c == '+')
			continue;
		if (after || n + 1 >= sizeof t)
			return false;
		digits = digits || (c >= '0' && c <= '9');
		t[n++] = c == dmark ? '.' : c;
	}
	t[n] = '\0';
	if (!n || dec_parse(t, false, out) != CB_OK)
		return false;
	if (neg)
		out->units = -out->units;
	return true;
}

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm). */
static void
civil(long z, struct ymd *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	d->d = (int)(doy - (153 * mp + 2) / 5 + 1);
	d->m = (int)(mp < 10 ? mp + 3 : mp - 9);
	d->y = (int)(yoe + era * 400 + (d->m <= 2));
}

/* A spreadsheet's day serial: 1900 system (day 60 is Lotus's 29 Feb
 * 1900, so later days count from 1899-12-30) or 1904 system. */
static bool
serial_date(const char *s, bool date1904, char out[11])
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || *end || v < 1 || v > 2958465)
		return false;
	long days = (long)v;
	struct ymd d;
	civil(date1904 ? days - 24107 : days - 25569, &d);
	char t[16];
	snprintf(t, sizeof t, "%04d-%02d-%02d", d.y, d.m, d.d);
	if (date_parse(t, &d) != CB_OK)
		return false;
	memcpy(out, t, 11);
	return true;
}

static int
month_named(const char **sp)
{
	static const char *const names[] = {"ene", "jan", "feb", "mar", "abr",
	    "apr", "may", "jun", "jul", "ago", "aug", "sep", "set", "oct", "nov",
	    "dic", "dec"};
	static const int month[] = {1, 1, 2, 3, 4, 4, 5, 6, 7, 8, 8, 9, 9, 10, 11,
	    12, 12};
	const char *s = *sp;
	char t[4];
	int k = 0;
	for (; (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'); s++)
		if (k < 3)
			t[k++] = (char)(*s | 0x20);
	t[k] = '\0';
	if (k < 3)
		return -1;
	if (*s == '.')
		s++;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(t, names[i])) {
			*sp = s;
			return month[i];
		}
	return -1;
}

/* A date as the profile writes it; a time after it (" 12:00", "T…")
 * is not the date's. */
static bool
text_date(const char *s, const char *fmt, char out[11])
{
	int y = -1, m = -1, d = -1;
	for (const char *f = fmt; *f; f++) {
		if (*f == '%' && f[1]) {
			f++;
			int width = *f == 'Y' ? 4 : 2, v = 0, k = 0;
			for (; k < width && *s >= '0' && *s <= '9'; k++, s++)
				v = v * 10 + (*s - '0');
			if (*f == 'b') {
				/* A month by name, Spanish or English: its first three
				 * letters ("mar", "marzo", "Mar.", "setiembre"). */
				if ((m = month_named(&s)) < 0)
					return false;
				continue;
			}
			if (k == 0 || (*f == 'Y' && k != 4))
				return false;
			if (*f == 'd')
				d = v;
			else if (*f == 'm')
				m = v;
			else if (*f == 'Y')
				y = v;
			else if (*f == 'y')
				y = 2000 + v;
			else
				return false;
		} else if (*s++ != *f)
			return false;
	}
	char t[48];
	struct ymd ymd;
	snprintf(t, sizeof t, "%04d-%02d-%02d", y, m, d);
	if ((*s && *s != ' ' && *s != 'T') || date_parse(t, &ymd) != CB_OK)
		return false;
	date_format(&ymd, out);
	return true;
}

static bool
row_date(const struct table *t, const struct held *r, int col, char out[11])
{
	const char *v = cell(r, col);
	switch (kind(r, col)) {
	case CELL_NUMBER:
		return serial_date(v, t->date1904, out);
	case CELL_DATE: {
		struct ymd d;
		char s[11];
		snprintf(s, sizeof s, "%s", v);
		if (date_parse(s, &d) != CB_OK)
			return false;
		memcpy(out, s, 11);
		return true;
	}
	default:
		return text_date(v, t->p.date_format, out);
	}
}

static bool
row_amount(const struct table *t, const struct held *r, int col,
    struct dec *out)
{
	return amount(cell(r, col), kind(r, col) == CELL_NUMBER, &t->p, out);
}

/* ---- the header row --------------------------------------------------- */

/* Header text compared without case, with runs of blanks as one. */
static bool
same_name(const char *a, const char *b)
{
	for (;;) {
		while (*a == ' ' && (a[1] == ' ' || a[1] == '\0' || a[1] == '\n'))
			a++;
		while (*b == ' ' && (b[1] == ' ' || b[1] == '\0'))
			b++;
		char x = *a == '\n' || *a == '\r' || *a == '\t' ? ' ' : *a;
		if (!*a || !*b)
			return !*a && !*b;
		if ((x >= 'A' && x <= 'Z' ? x + 32 : x) !=
		    (*b >= 'A' && *b <= 'Z' ? *b + 32 : *b))
			return false;
		a++;
		b++;
	}
}

/* When the row names every column given by name, their positions. */
static bool
header(struct table *t, const struct held *r)
{
	int pos[CSV_ROLES] = {0};
	for (int role = 0; role < CSV_ROLES; role++) {
		if (!t->p.col_name[role][0])
			continue;
		for (int c = 1; c <= r->n && !pos[role]; c++)
			if (same_name(cell(r, c), t->p.col_name[role]))
				pos[role] = c;
		if (!pos[role])
			return false;
	}
	for (int role = 0; role < CSV_ROLES; role++)
		if (pos[role])
			t->p.col[role] = pos[role];
	return true;
}

/* ---- rows ------------------------------------------------------------- */

static bool
empty(const struct held *r)
{
	for (int c = 1; c <= r->n; c++)
		if (*cell(r, c))
			return false;
	return true;
}

/* The description's columns, joined by a blank. */
static void
description(const struct held *r, const struct csv_profile *p, char *out,
    size_t len)
{
	size_t u = 0;
	out[0] = '\0';
	for (int k = 0; k < CSV_MAX_JOINED; k++) {
		const char *v = cell(r, p->col[CSV_DESCRIPTION + k]);
		if (*v && u + 2 < len)
			u += (size_t)snprintf(out + u, len - u, "%s%s", u ? " " : "", v);
	}
	utf8_trim_tail(out);
}

/* A row of another currency than the statement's, kept for its own
 * statement: its line, kinds and cells, each cell's length first. */
static cb_err
spill(struct table *t, const struct held *r, const char *ccy)
{
	int k = 0;
	while (k < t->others && strcmp(t->other[k], ccy))
		k++;
	if (k == t->others) {
		char why[120];
		if (k == MAX_CURRENCIES) {
			snprintf(why, sizeof why, "in %.8s: more than %d currencies in one"
			    " file", ccy, MAX_CURRENCIES);
			return say(t, true, r->line, why);
		}
		if (!t->spill && !(t->spill = tmpfile()))
			return CB_EIO;
		memcpy(t->other[t->others++], ccy, 4);
		snprintf(why, sizeof why, "rows in %s are read as a statement of their"
		    " own, after the %s one", ccy, t->h.currency);
		cb_err e = say(t, false, r->line, why);
		if (e != CB_OK)
			return e;
	}
	bool ok = fwrite(&r->line, sizeof r->line, 1, t->spill) == 1 &&
	    fwrite(&r->n, sizeof r->n, 1, t->spill) == 1 &&
	    fwrite(r->kind, 1, (size_t)r->n, t->spill) == (size_t)r->n;
	for (int c = 0; ok && c < r->n; c++) {
		const char *v = r->buf + r->off[c];
		unsigned short len = (unsigned short)strlen(v);
		ok = fwrite(&len, sizeof len, 1, t->spill) == 1 &&
		    fwrite(v, 1, len, t->spill) == len;
	}
	return ok ? CB_OK : CB_EIO;
}

/* The next spilled row into r; false at the end. */
static bool
unspill(struct table *t, struct held *r)
{
	size_t u = 0;
	memset(r, 0, sizeof *r);
	if (fread(&r->line, sizeof r->line, 1, t->spill) != 1 ||
	    fread(&r->n, sizeof r->n, 1, t->spill) != 1 || r->n < 0 ||
	    r->n > CSV_MAX_COLUMNS ||
	    fread(r->kind, 1, (size_t)r->n, t->spill) != (size_t)r->n)
		return false;
	for (int c = 0; c < r->n; c++) {
		unsigned short len;
		if (fread(&len, sizeof len, 1, t->spill) != 1 ||
		    u + len + 1 > sizeof r->buf ||
		    fread(r->buf + u, 1, len, t->spill) != len)
			return false;
		r->off[c] = (int)u;
		r->buf[u + len] = '\0';
		u += len + 1;
	}
	return true;
}

static cb_err
movement(struct table *t, const struct held *r)
{
	const struct csv_profile *p = &t->p;
	struct stmt_entry e;
	struct dec a, bal = {0, 0};
	memset(&e, 0, sizeof e);
	if (r->too_long)
		return say(t, true, r->line, "line too long or too many columns");
	if (r->bad_utf8)
		return say(t, true, r->line, "not UTF-8 (is the profile's encoding"
		    " right?)");
	/* The row, its cells joined by the profile's separator. */
	char sep[2] = {p->separator ? p->separator : ';', 0};
	for (int i = 0, u = 0; i < r->n && u + 1 < (int)sizeof e.raw; i++)
		u += snprintf(e.raw + u, sizeof e.raw - (size_t)u, "%s%s", i ? sep :
		    "", r->buf + r->off[i]);
	utf8_trim_tail(e.raw);
	if (!row_date(t, r, p->col[CSV_DATE], e.booking_date))
		return say(t, true, r->line, *cell(r, p->col[CSV_DATE]) ?
		    "the date does not match date_format" : "no date");
	if (*cell(r, p->col[CSV_VALUE_DATE]) && !row_date(t, r,
	    p->col[CSV_VALUE_DATE], e.value_date))
		return say(t, true, r->line, "the value date does not match"
		    " date_format");
	switch (p->amount_kind) {
	case CSV_SIGNED:
		if (!row_amount(t, r, p->col[CSV_AMOUNT], &a))
			return say(t, true, r->line, "the amount is not a number");
		e.credit = a.units > 0;
		break;
	case CSV_DEBIT_CREDIT: {
		struct dec x;
		bool has_d = row_amount(t, r, p->col[CSV_DEBIT], &x) && x.units != 0;
		bool has_c = row_amount(t, r, p->col[CSV_CREDIT], &a) && a.units != 0;
		if (has_d == has_c)
			return say(t, true, r->line, "exactly one of the debit and credit"
			    " columns must hold an amount");
		if (has_d)
			a = x;
		e.credit = has_c;
		break;
	}
	case CSV_DC_COLUMN:
		if (!row_amount(t, r, p->col[CSV_AMOUNT], &a))
			return say(t, true, r->line, "the amount is not a number");
		e.credit = strcasecmp(cell(r, p->col[CSV_DC]), p->dc_credit) == 0;
		break;
	}
	if (a.units < 0)
		a.units = -a.units;
	if (a.units == 0)
		return say(t, true, r->line, "the amount is zero");
	e.amount = a;
	e.status = STMT_BOOKED;
	/* The statement is the first row's account and currency (or the
	 * profile's); a row of another is refused, saying which. */
	const char *acct = cell(r, p->col[CSV_ACCOUNT]);
	const char *ccy = cell(r, p->col[CSV_CURRENCY]);
	if (!t->begun) {
		if (!t->h.account[0])
			utf8_copy(t->h.account, sizeof t->h.account, acct);
		if (!t->h.currency[0] && strlen(ccy) == 3)
			memcpy(t->h.currency, ccy, 4);
		if (!t->h.account[0] || !t->h.currency[0])
			return say(t, true, r->line, !t->h.account[0] ?
			    "no account in account_column" :
			    "no currency in currency_column");
	}
	char why[160];
	if (*acct && strcmp(acct, t->h.account)) {
		snprintf(why, sizeof why, "for account %.40s, not the statement's"
		    " %.40s", acct, t->h.account);
		return say(t, true, r->line, why);
	}
	if (*ccy && strcmp(ccy, t->h.currency)) {
		if (t->several && !t->replaying && strlen(ccy) == 3)
			return spill(t, r, ccy);
		snprintf(why, sizeof why, "in %.8s, not the statement's %s", ccy,
		    t->h.currency);
		return say(t, true, r->line, why);
	}
	memcpy(e.currency, t->h.currency, sizeof e.currency);
	/* Cut where they must be, never inside a character (they are
	 * stored as UTF-8 text). */
	utf8_copy(e.tx_id, sizeof e.tx_id, cell(r, p->col[CSV_REFERENCE]));
	description(r, p, e.info, sizeof e.info);
	utf8_copy(e.party_name, sizeof e.party_name, cell(r, p->col[CSV_PARTY]));
	utf8_copy(e.party_account, sizeof e.party_account, cell(r,
	    p->col[CSV_PARTY_ACCOUNT]));
	/* A running balance column gives the statement its balances. */
	bool has_bal = p->col[CSV_BALANCE] && *cell(r, p->col[CSV_BALANCE]) &&
	    row_amount(t, r, p->col[CSV_BALANCE], &bal);
	/* The balance after the row: the column's, or (balance = before)
	 * the column's plus the row. */
	struct dec signed_amt = a, after = bal;
	if (!e.credit)
		signed_amt.units = -signed_amt.units;
	if (has_bal && p->balance_before && dec_add(&bal, &signed_amt, &after) !=
	    CB_OK)
		return say(t, true, r->line, "the balance overflows");
	if (!t->begun) {
		if (has_bal) {
			/* The opening: the first balance before its row. */
			struct dec neg = signed_amt;
			neg.units = -neg.units;
			if (p->balance_before)
				t->h.opening = bal;
			else if (dec_add(&bal, &neg, &t->h.opening) != CB_OK)
				return say(t, true, r->line, "the balance overflows");
			t->h.has_opening = true;
			memcpy(t->h.opening_date, e.booking_date, 11);
		}
		t->begun = true;
		cb_err err = t->sink->begin ? t->sink->begin(t->sink->arg, &t->h) :
		    CB_OK;
		if (err != CB_OK)
			return err;
	}
	if (has_bal) {
		t->h.closing = after;
		t->h.has_closing = true;
		memcpy(t->h.closing_date, e.booking_date, 11);
	} else
		t->h.has_closing = false;
	e.index = t->h.entries++;
	return t->sink->entry ? t->sink->entry(t->sink->arg, &t->h, &e) : CB_OK;
}

/* What the profile left to the file, told from the held rows. */
static cb_err
tell(struct table *t)
{
	const char *amounts[SAMPLE * 3], *dates[SAMPLE];
	int na = 0, nd = 0;
	const struct csv_profile *p = &t->p;
	for (int i = 0; i < t->count && nd < SAMPLE; i++) {
		const struct held *r = &t->q[(t->head + i) % HELD];
		int cols[] = {p->col[CSV_AMOUNT], p->col[CSV_DEBIT],
		    p->col[CSV_CREDIT]};
		for (int c = 0; c < 3; c++)
			if (kind(r, cols[c]) == CELL_TEXT && *cell(r, cols[c]))
				amounts[na++] = cell(r, cols[c]);
		if (kind(r, p->col[CSV_DATE]) == CELL_TEXT && *cell(r,
		    p->col[CSV_DATE]))
			dates[nd++] = cell(r, p->col[CSV_DATE]);
	}
	char said[200], msg[240];
	csv_detect_values(&t->p, amounts, na, dates, nd, said, sizeof said);
	t->told = true;
	if (!*said)
		return CB_OK;
	snprintf(msg, sizeof msg, "told from the file: %s", said);
	return say(t, false, t->count ? t->q[t->head].line : 1, msg);
}

/* The held rows that may go: all but the footer's, once marks are told. */
static cb_err
drain(struct table *t, bool all)
{
	cb_err e = CB_OK;
	int keep = all ? 0 : t->p.skip_footer;
	while (e == CB_OK && t->told && t->count > keep) {
		e = movement(t, &t->q[t->head]);
		t->head = (t->head + 1) % HELD;
		t->count--;
	}
	return e;
}

cb_err
table_row(struct table *t, const struct table_row *in)
{
	if (t->rows++ < t->p.skip_header)
		return CB_OK;
	struct held *r = &t->q[(t->head + t->count) % HELD];
	size_t u = 0;
	r->n = in->n < CSV_MAX_COLUMNS ? in->n : CSV_MAX_COLUMNS;
	r->line = in->line;
	r->too_long = in->too_long || in->n > CSV_MAX_COLUMNS;
	r->bad_utf8 = in->bad_utf8;
	for (int i = 0; i < r->n; i++) {
		size_t n = strlen(in->cell[i]);
		if (u + n + 1 > sizeof r->buf) {
			r->too_long = true;
			n = u < sizeof r->buf ? sizeof r->buf - u - 1 : 0;
		}
		r->off[i] = (int)(u < sizeof r->buf ? u : sizeof r->buf - 1);
		memcpy(r->buf + r->off[i], in->cell[i], n);
		r->buf[r->off[i] + n] = '\0';
		u = (size_t)r->off[i] + n + 1;
		r->kind[i] = in->kind[i];
	}
	if (empty(r) && !r->too_long)
		return CB_OK; /* an empty line */
	if (!t->header_found) {
		if (header(t, r)) {
			t->header_found = true;
			if (t->before_first) {
				char why[120];
				snprintf(why, sizeof why, "lines %ld to %ld before the header"
				    " row were not read", t->before_first, t->before_last);
				return say(t, false, t->before_first, why);
			}
		} else {
			if (!t->before_first)
				t->before_first = r->line;
			t->before_last = r->line;
		}
		return CB_OK;
	}
	t->count++;
	if (!t->told && t->count >= SAMPLE + t->p.skip_footer) {
		cb_err e = tell(t);
		if (e != CB_OK)
			return e;
	}
	return drain(t, false);
}

cb_err
table_finish(struct table *t, char *err, size_t errlen)
{
	cb_err e = CB_OK;
	if (!t->header_found) {
		char names[200] = "";
		size_t u = 0;
		for (int role = 0; role < CSV_ROLES; role++)
			if (t->p.col_name[role][0] && u + 2 < sizeof names)
				u += (size_t)snprintf(names + u, sizeof names - u, "%s'%s'",
				    u ? ", " : "", t->p.col_name[role]);
		snprintf(err, errlen, "no row of the file names the columns %s (CSV"
		    " profile %s)", names, t->p.name);
		return CB_EINVAL;
	}
	/* The last skip_footer rows stay held: the profile's footer. */
	if (!t->told)
		e = tell(t);
	if (e == CB_OK)
		e = drain(t, false);
	if (e == CB_OK && !t->begun) {
		snprintf(err, errlen, "no line of the file could be read with CSV"
		    " profile %s", t->p.name);
		return CB_EINVAL;
	}
	if (e == CB_OK && t->sink->end)
		e = t->sink->end(t->sink->arg, &t->h);
	/* Then a statement for each other currency, in the order they came. */
	struct held *r = t->others ? malloc(sizeof *r) : NULL;
	if (t->others && !r)
		return CB_ENOMEM;
	t->replaying = true;
	for (int k = 0; e == CB_OK && k < t->others; k++) {
		char acct[sizeof t->h.account], fmt[sizeof t->h.format];
		memcpy(acct, t->h.account, sizeof acct);
		memcpy(fmt, t->h.format, sizeof fmt);
		memset(&t->h, 0, sizeof t->h);
		memcpy(t->h.account, acct, sizeof acct);
		memcpy(t->h.format, fmt, sizeof fmt);
		memcpy(t->h.currency, t->other[k], 4);
		t->begun = false;
		if (fseek(t->spill, 0, SEEK_SET) != 0) {
			e = CB_EIO;
			break;
		}
		while (e == CB_OK && unspill(t, r))
			if (!strcmp(cell(r, t->p.col[CSV_CURRENCY]), t->other[k]))
				e = movement(t, r);
		if (e == CB_OK && t->begun && t->sink->end)
			e = t->sink->end(t->sink->arg, &t->h);
	}
	free(r);
	return e;
}
