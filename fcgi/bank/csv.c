/* csv.c — see csv.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bank/csv.h"
#include "bank/csv_detect.h"
#include "core/date.h"
#include "util/codec.h"

#define MAX_FOOTER 10

/* ---- profiles --------------------------------------------------------- */

static char *
trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	char *e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static bool
column(const char *v, int *out)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (!*v || *end || n < 0 || n > CSV_MAX_COLUMNS)
		return false;
	*out = (int)n;
	return true;
}

/* One character, or the words for the awkward ones. */
static bool
mark(const char *v, char *out, bool allow_none)
{
	if (!strcmp(v, "tab"))
		*out = '\t';
	else if (!strcmp(v, "space"))
		*out = ' ';
	else if (allow_none && !strcmp(v, "none"))
		*out = 0;
	else if (strlen(v) == 1 && v[0] != '"')
		*out = v[0];
	else
		return false;
	return true;
}

bool
csv_profile_parse(const char *text, const char *name, struct csv_profile *p,
    char *why, size_t whylen)
{
	char line[512];
	int lineno = 0;
	memset(p, 0, sizeof *p);
	snprintf(p->name, sizeof p->name, "%s", name);
	p->separator = ',';
	p->decimal = '.';
	snprintf(p->date_format, sizeof p->date_format, "%%Y-%%m-%%d");
	snprintf(p->dc_credit, sizeof p->dc_credit, "C");
	for (const char *s = text; *s;) {
		size_t n = strcspn(s, "\n");
		lineno++;
		if (n >= sizeof line) {
			snprintf(why, whylen, "line %d: too long", lineno);
			return false;
		}
		memcpy(line, s, n);
		line[n] = '\0';
		s += n + (s[n] == '\n');
		char *l = trim(line);
		if (!*l || *l == '#')
			continue;
		char *eq = strchr(l, '=');
		if (!eq) {
			snprintf(why, whylen, "line %d: expected key = value", lineno);
			return false;
		}
		*eq = '\0';
		char *k = trim(l), *v = trim(eq + 1);
		bool ok = true;
		if (!strcmp(k, "separator"))
			ok = !strcmp(v, "auto") ? (p->separator = 0, true) :
			    mark(v, &p->separator, false);
		else if (!strcmp(k, "encoding")) {
			ok = !strcasecmp(v, "utf-8") || !strcasecmp(v, "latin-1") ||
			    !strcasecmp(v, "latin1") || !strcasecmp(v, "iso-8859-1");
			p->latin1 = ok && strcasecmp(v, "utf-8") != 0;
		} else if (!strcmp(k, "decimal"))
			ok = !strcmp(v, "auto") ? (p->decimal = 0, true) :
			    mark(v, &p->decimal, false) && (p->decimal == '.' ||
			    p->decimal == ',');
		else if (!strcmp(k, "thousands"))
			ok = mark(v, &p->thousands, true);
		else if (!strcmp(k, "date_format"))
			ok = !strcmp(v, CSV_AUTO_DATE) ? (snprintf(p->date_format,
			    sizeof p->date_format, "%s", CSV_AUTO_DATE), true) :
			    strlen(v) < sizeof p->date_format && strstr(v, "%d") &&
			    strstr(v, "%m") && (strstr(v, "%Y") || strstr(v, "%y")) &&
			    snprintf(p->date_format, sizeof p->date_format, "%s", v) > 0;
		else if (!strcmp(k, "amount"))
			ok = !strcmp(v, "signed") ? (p->amount_kind = CSV_SIGNED, true) :
			    !strcmp(v, "debit_credit") ? (p->amount_kind =
			    CSV_DEBIT_CREDIT, true) : !strcmp(v, "dc_column") ?
			    (p->amount_kind = CSV_DC_COLUMN, true) : false;
		else if (!strcmp(k, "dc_credit"))
			ok = *v && strlen(v) < sizeof p->dc_credit &&
			    snprintf(p->dc_credit, sizeof p->dc_credit, "%s", v) > 0;
		else if (!strcmp(k, "date_column"))
			ok = column(v, &p->col_date);
		else if (!strcmp(k, "value_date_column"))
			ok = column(v, &p->col_value_date);
		else if (!strcmp(k, "amount_column"))
			ok = column(v, &p->col_amount);
		else if (!strcmp(k, "debit_column"))
			ok = column(v, &p->col_debit);
		else if (!strcmp(k, "credit_column"))
			ok = column(v, &p->col_credit);
		else if (!strcmp(k, "dc_column"))
			ok = column(v, &p->col_dc);
		else if (!strcmp(k, "reference_column"))
			ok = column(v, &p->col_reference);
		else if (!strcmp(k, "description_column"))
			ok = column(v, &p->col_description);
		else if (!strcmp(k, "party_column"))
			ok = column(v, &p->col_party);
		else if (!strcmp(k, "balance_column"))
			ok = column(v, &p->col_balance);
		else if (!strcmp(k, "skip_header"))
			ok = column(v, &p->skip_header);
		else if (!strcmp(k, "skip_footer"))
			ok = column(v, &p->skip_footer) && p->skip_footer <= MAX_FOOTER;
		else if (!strcmp(k, "account"))
			ok = *v && strlen(v) < sizeof p->account &&
			    snprintf(p->account, sizeof p->account, "%s", v) > 0;
		else if (!strcmp(k, "currency"))
			ok = strlen(v) == 3 && snprintf(p->currency, sizeof p->currency,
			    "%s", v) > 0;
		else {
			snprintf(why, whylen, "line %d: unknown key '%.40s'", lineno, k);
			return false;
		}
		if (!ok) {
			snprintf(why, whylen, "line %d: bad value for %.40s", lineno, k);
			return false;
		}
	}
	const char *missing = !p->col_date ? "date_column" : !p->account[0] ?
	    "account" : !p->currency[0] ? "currency" :
	    p->amount_kind == CSV_DEBIT_CREDIT ? (!p->col_debit || !p->col_credit ?
	    "debit_column and credit_column" : NULL) : !p->col_amount ?
	    "amount_column" : p->amount_kind == CSV_DC_COLUMN && !p->col_dc ?
	    "dc_column" : NULL;
	if (missing) {
		snprintf(why, whylen, "%s is required", missing);
		return false;
	}
	/* A decimal comma in a comma-separated file is fine: such amounts
	 * come quoted ("1.234,56"), and quotes keep a field whole. */
	if (p->decimal && p->decimal == p->thousands) {
		snprintf(why, whylen, "the decimal and thousands marks are the same");
		return false;
	}
	return true;
}

/* ---- records ---------------------------------------------------------- */

struct record {
	char buf[STMT_MAX_TEXT];
	size_t len;
	int off[CSV_MAX_COLUMNS];
	int n;
	long line;
	bool bad_utf8, too_long;
};

struct rd {
	stmt_read_fn rd;
	void *ctx;
	long long max, read;
	char in[65536];
	size_t have, pos;
	bool eof, error;
	long line;
};

static int
byte(struct rd *r)
{
	if (r->pos == r->have) {
		if (r->eof)
			return -1;
		if (r->read >= r->max) {
			r->error = true;
			return -1;
		}
		long long room = r->max - r->read;
		long n = r->rd(r->ctx, r->in, (size_t)(room < (long long)sizeof r->in ?
		    room : (long long)sizeof r->in));
		if (n <= 0) {
			r->eof = true;
			r->error = n < 0;
			return -1;
		}
		r->read += n;
		r->have = (size_t)n;
		r->pos = 0;
	}
	return (unsigned char)r->in[r->pos++];
}

static void
put(struct record *rec, unsigned char c, bool latin1)
{
	if (rec->len + 3 >= sizeof rec->buf) {
		rec->too_long = true;
		return;
	}
	if (latin1 && c >= 0x80) {
		rec->buf[rec->len++] = (char)(0xC0 | (c >> 6));
		rec->buf[rec->len++] = (char)(0x80 | (c & 0x3F));
	} else
		rec->buf[rec->len++] = (char)c;
}

/* The next record (quoted fields may span lines); false at the end. */
static bool
next_record(struct rd *r, const struct csv_profile *p, struct record *rec)
{
	int c;
	bool quoted = false, any = false, field_start = true;
	rec->len = 0;
	rec->n = 0;
	rec->bad_utf8 = rec->too_long = false;
	rec->off[rec->n++] = 0;
	rec->line = r->line + 1;
	while ((c = byte(r)) >= 0) {
		any = true;
		if (quoted) {
			if (c == '"') {
				int d = byte(r);
				if (d == '"') {
					put(rec, '"', false);
					continue;
				}
				quoted = false;
				if (d < 0)
					break;
				c = d; /* fall through to the unquoted handling */
			} else {
				if (c == '\n')
					r->line++;
				put(rec, (unsigned char)c, p->latin1);
				continue;
			}
		}
		if (c == '"' && field_start) {
			quoted = true;
			field_start = false;
			continue;
		}
		if (c == '\r')
			continue;
		if (c == '\n') {
			r->line++;
			break;
		}
		if (c == p->separator) {
			put(rec, '\0', false);
			if (rec->n < CSV_MAX_COLUMNS)
				rec->off[rec->n++] = (int)rec->len;
			else
				rec->too_long = true;
			field_start = true;
			continue;
		}
		field_start = false;
		put(rec, (unsigned char)c, p->latin1);
	}
	if (c < 0 && any)
		r->line++;
	put(rec, '\0', false);
	/* Each field must be UTF-8 (Latin-1 was converted above). */
	for (int i = 0; i < rec->n; i++) {
		const char *f = rec->buf + rec->off[i];
		if (!utf8_valid(f, strlen(f)))
			rec->bad_utf8 = true;
	}
	return any;
}

static const char *
field(const struct record *rec, int col)
{
	if (col <= 0 || col > rec->n)
		return "";
	const char *f = rec->buf + rec->off[col - 1];
	while (*f == ' ')
		f++;
	return f;
}

/* "1.234,56-", "(12,00)", "-5" → a signed exact decimal. */
static bool
amount(const char *s, const struct csv_profile *p, struct dec *out)
{
	char t[48];
	size_t n = 0;
	bool neg = false;
	for (; *s && n + 1 < sizeof t; s++) {
		char c = *s;
		if (c == ' ' || (p->thousands && c == p->thousands))
			continue;
		if (c == '-' || c == '(' || c == ')') {
			neg = neg || c != ')';
			continue;
		}
		if (c == '+')
			continue;
		t[n++] = c == p->decimal ? '.' : c;
	}
	t[n] = '\0';
	if (!n || dec_parse(t, false, out) != CB_OK)
		return false;
	if (neg)
		out->units = -out->units;
	return true;
}

static bool
date(const char *s, const char *fmt, char out[11])
{
	int y = -1, m = -1, d = -1;
	for (const char *f = fmt; *f; f++) {
		if (*f == '%' && f[1]) {
			f++;
			int width = *f == 'Y' ? 4 : 2, v = 0, k = 0;
			for (; k < width && *s >= '0' && *s <= '9'; k++, s++)
				v = v * 10 + (*s - '0');
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
	if (*s || date_parse(t, &ymd) != CB_OK)
		return false;
	date_format(&ymd, out);
	return true;
}

struct state {
	const struct csv_profile *p;
	const struct stmt_sink *sink;
	struct stmt_header h;
	bool begun;
	long good;
};

static cb_err
reject(struct state *st, long line, const char *why)
{
	char where[48];
	snprintf(where, sizeof where, "line %ld", line);
	return st->sink->reject ? st->sink->reject(st->sink->arg, where, why) :
	    CB_OK;
}

static cb_err
record(struct state *st, const struct record *rec)
{
	const struct csv_profile *p = st->p;
	struct stmt_entry e;
	struct dec a, bal;
	memset(&e, 0, sizeof e);
	if (rec->too_long)
		return reject(st, rec->line, "line too long or too many columns");
	if (rec->bad_utf8)
		return reject(st, rec->line, "not UTF-8 (is the profile's encoding"
		    " right?)");
	/* The row, its fields joined by the profile's separator. */
	for (int i = 0, u = 0; i < rec->n && u + 1 < (int)sizeof e.raw; i++)
		u += snprintf(e.raw + u, sizeof e.raw - (size_t)u, "%s%s", i ? (char[])
		    {p->separator, 0} : "", rec->buf + rec->off[i]);
	utf8_trim_tail(e.raw);
	if (!date(field(rec, p->col_date), p->date_format, e.booking_date))
		return reject(st, rec->line, "the date does not match date_format");
	if (p->col_value_date && *field(rec, p->col_value_date) &&
	    !date(field(rec, p->col_value_date), p->date_format, e.value_date))
		return reject(st, rec->line, "the value date does not match"
		    " date_format");
	switch (p->amount_kind) {
	case CSV_SIGNED:
		if (!amount(field(rec, p->col_amount), p, &a))
			return reject(st, rec->line, "the amount is not a number");
		e.credit = a.units > 0;
		break;
	case CSV_DEBIT_CREDIT: {
		const char *dr = field(rec, p->col_debit), *cr = field(rec,
		    p->col_credit);
		struct dec x;
		bool has_d = *dr && amount(dr, p, &x) && x.units != 0;
		bool has_c = *cr && amount(cr, p, &a) && a.units != 0;
		if (has_d == has_c)
			return reject(st, rec->line, "exactly one of the debit and credit"
			    " columns must hold an amount");
		if (has_d)
			a = x;
		e.credit = has_c;
		break;
	}
	case CSV_DC_COLUMN:
		if (!amount(field(rec, p->col_amount), p, &a))
			return reject(st, rec->line, "the amount is not a number");
		e.credit = strcasecmp(field(rec, p->col_dc), p->dc_credit) == 0;
		break;
	}
	if (a.units < 0)
		a.units = -a.units;
	if (a.units == 0)
		return reject(st, rec->line, "the amount is zero");
	e.amount = a;
	e.status = STMT_BOOKED;
	memcpy(e.currency, p->currency, sizeof e.currency);
	/* Cut where they must be, never inside a character (they are
	 * stored as UTF-8 text). */
	utf8_copy(e.tx_id, sizeof e.tx_id, field(rec, p->col_reference));
	utf8_copy(e.info, sizeof e.info, field(rec, p->col_description));
	utf8_copy(e.party_name, sizeof e.party_name, field(rec, p->col_party));
	/* A running balance column gives the statement its balances. */
	bool has_bal = p->col_balance && amount(field(rec, p->col_balance), p, &bal);
	if (!st->begun) {
		if (has_bal) {
			struct dec signed_amt = a;
			if (e.credit)
				signed_amt.units = -signed_amt.units;
			dec_add(&bal, &signed_amt, &st->h.opening);
			st->h.has_opening = true;
			memcpy(st->h.opening_date, e.booking_date, 11);
		}
		st->begun = true;
		cb_err err = st->sink->begin ? st->sink->begin(st->sink->arg, &st->h) :
		    CB_OK;
		if (err != CB_OK)
			return err;
	}
	if (has_bal) {
		st->h.closing = bal;
		st->h.has_closing = true;
		memcpy(st->h.closing_date, e.booking_date, 11);
	} else
		st->h.has_closing = false;
	e.index = st->h.entries++;
	st->good++;
	return st->sink->entry ? st->sink->entry(st->sink->arg, &st->h, &e) : CB_OK;
}

cb_err
csv_read(stmt_read_fn rdfn, void *ctx, long long max_bytes,
    const struct csv_profile *p, const struct stmt_sink *sink, char *err,
    size_t errlen)
{
	struct rd *r = calloc(1, sizeof *r);
	struct record *ring = calloc(MAX_FOOTER + 1, sizeof *ring);
	struct state st = {.p = p, .sink = sink};
	cb_err e = CB_OK;
	if (!r || !ring) {
		free(r);
		free(ring);
		return CB_ENOMEM;
	}
	r->rd = rdfn;
	r->ctx = ctx;
	r->max = max_bytes;
	snprintf(st.h.format, sizeof st.h.format, "csv:%.19s", p->name);
	snprintf(st.h.account, sizeof st.h.account, "%s", p->account);
	memcpy(st.h.currency, p->currency, sizeof st.h.currency);
	/* A UTF-8 byte order mark is not content. */
	if (!p->latin1 && byte(r) == 0xEF) {
		if (byte(r) != 0xBB || byte(r) != 0xBF)
			r->pos = 0;
	} else if (r->have)
		r->pos = 0;
	/* What the profile leaves to the file, told from its first bytes
	 * (already read), and said. */
	struct csv_profile told;
	if (csv_profile_has_auto(p)) {
		char said[300];
		told = *p;
		csv_detect(&told, r->in + r->pos, r->have - r->pos, said, sizeof said);
		p = st.p = &told;
		if (sink->warn && (e = sink->warn(sink->arg, "line 1", said)) != CB_OK) {
			free(r);
			free(ring);
			return e;
		}
	}
	long n = 0;
	size_t held = 0, head = 0;
	size_t cap = (size_t)p->skip_footer + 1;
	while (e == CB_OK) {
		struct record *rec = &ring[(head + held) % cap];
		if (!next_record(r, p, rec))
			break;
		if (n++ < p->skip_header)
			continue;
		if (rec->len <= 1 && rec->n == 1)
			continue; /* an empty line */
		/* Held back until skip_footer later records have come. */
		if (held < (size_t)p->skip_footer) {
			held++;
			continue;
		}
		e = record(&st, &ring[head]);
		if (p->skip_footer)
			head = (head + 1) % cap;
	}
	if (e == CB_OK && r->error) {
		snprintf(err, errlen, r->read >= r->max ?
		    "the statement is larger than %lld bytes" :
		    "the statement could not be read", max_bytes);
		e = r->read >= r->max ? CB_ETOOBIG : CB_EIO;
	}
	if (e == CB_OK && !st.begun) {
		snprintf(err, errlen, "no line of the file could be read with CSV"
		    " profile %s", p->name);
		e = CB_EINVAL;
	}
	if (e == CB_OK && sink->end)
		e = sink->end(sink->arg, &st.h);
	free(r);
	free(ring);
	return e;
}
