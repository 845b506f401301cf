/* mt940.c — see mt940.h.
 *
 * DESIGN: a line reader (bounded lines, CR LF or LF, SOH/ETX/^Z bytes
 * and FIN block wrappers dropped, text not in UTF-8 decoded) feeds a
 * field assembler (a field runs from its ":NN:" tag to the next tag,
 * wrapped lines joined; lines outside any field are skipped and said),
 * which feeds the statement builder.  A :61: waits for its :86: before it is handed over.
 * Nothing but the current statement's header and one entry is kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/mt940.h"
#include "bank/mt940_info.h"
#include "core/bank_number.h"
#include "core/date.h"
#include "core/money.h"
#include "util/codec.h"

struct mt {
	stmt_read_fn rd;
	void *ctx;
	long long max_bytes, read;
	const struct stmt_sink *sink;
	char buf[65536];
	size_t have, pos;
	bool eof;
	long line;                 /* the current line's number */
	char tag[8];               /* the field being assembled */
	char val[STMT_MAX_TEXT];
	size_t vlen;
	long tag_line;
	bool overlong;
	struct stmt_header h;
	bool in_stmt, begun;
	bool pending;              /* a :61: waiting for its :86: */
	struct stmt_entry e;
	long e_line;
	int statements;
	bool dash;                 /* a bare "-" read: an end, unless text
	                              follows it in the same field */
	long dash_line;
	long outside_from, outside_to; /* lines outside any field, not yet
	                                  reported */
	bool legacy_known;
	enum legacy_charset legacy;
};

/* A line that is not UTF-8 (banks write Windows-1252, CP852) read in the
 * charset the file's first such line suggests, so that its text can be
 * stored; said once a file, naming the charset. */
static cb_err warn(struct mt *m, long line, const char *why);

static cb_err
as_utf8(struct mt *m, char *line, size_t size)
{
	size_t n = strlen(line);
	if (utf8_valid(line, n))
		return CB_OK;
	bool first = !m->legacy_known;
	if (first) {
		m->legacy = legacy_guess(line, n);
		m->legacy_known = true;
	}
	char *u = malloc(size);
	if (!u)
		return CB_ENOMEM;
	legacy_to_utf8(line, m->legacy, u, size);
	memcpy(line, u, strlen(u) + 1);
	free(u);
	if (!first)
		return CB_OK;
	return warn(m, m->line, m->legacy == LEGACY_CP852 ? "the text is not"
	    " UTF-8: read as CP852" : "the text is not UTF-8: read as"
	    " Windows-1252");
}

/* ---- lines ----------------------------------------------------------- */

/* The next line into out (without CR LF, control bytes dropped); 0 at the
 * end, 1 for a line, -1 for an error (err set). */
static int
next_line(struct mt *m, char *out, size_t len, bool *cut, char *err,
    size_t errlen)
{
	size_t n = 0;
	*cut = false;
	for (;;) {
		if (m->pos == m->have) {
			if (m->eof)
				break;
			if (m->read >= m->max_bytes) {
				snprintf(err, errlen, "the statement is larger than %lld bytes",
				    m->max_bytes);
				return -1;
			}
			long long room = m->max_bytes - m->read;
			long r = m->rd(m->ctx, m->buf, (size_t)(room < (long long)sizeof
			    m->buf ? room : (long long)sizeof m->buf));
			if (r < 0) {
				snprintf(err, errlen, "the statement could not be read");
				return -1;
			}
			if (r == 0) {
				m->eof = true;
				break;
			}
			m->read += r;
			m->have = (size_t)r;
			m->pos = 0;
		}
		unsigned char ch = (unsigned char)m->buf[m->pos++];
		if (ch == '\n') {
			m->line++;
			out[n] = '\0';
			return 1;
		}
		if (ch == '\r' || ch == 0x01 || ch == 0x03 || ch == 0x1A || ch == 0)
			continue; /* CR, SOH, ETX, DOS's end of file: not content */
		if (n + 1 < len)
			out[n++] = (char)ch;
		else
			*cut = true;
	}
	if (n == 0)
		return 0;
	m->line++;
	out[n] = '\0';
	return 1;
}

/* ---- fields ---------------------------------------------------------- */

static bool
digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int
num(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static bool
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* YYMMDD → "20YY-MM-DD" (19YY from 80 on).  A day past its month's end
 * (Feb 30, Apr 31: banks write them for month-end value dates) is taken
 * as the month's last day, *clamped says so; false for anything else
 * that is not a day. */
static bool
yymmdd(const char *s, char out[11], bool *clamped)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	struct ymd d;
	*clamped = false;
	if (!digits(s, 6))
		return false;
	int yy = num(s, 2);
	d.y = yy >= 80 ? 1900 + yy : 2000 + yy;
	d.m = num(s + 2, 2);
	d.d = num(s + 4, 2);
	if (d.m < 1 || d.m > 12 || d.d < 1 || d.d > 31)
		return false;
	int last = days[d.m - 1] + (d.m == 2 && leap(d.y));
	if (d.d > last) {
		d.d = last;
		*clamped = true;
	}
	date_format(&d, out);
	return true;
}

/* "1000,00" or "1000," → an exact decimal. */
static bool
amount(const char *s, size_t n, struct dec *out)
{
	char t[32];
	if (n == 0 || n >= sizeof t)
		return false;
	memcpy(t, s, n);
	t[n] = '\0';
	if (t[n - 1] == ',')
		t[--n] = '\0';
	return dec_parse(t, true, out) == CB_OK;
}

static cb_err
reject(struct mt *m, long line, const char *why)
{
	char where[64];
	snprintf(where, sizeof where, "line %ld", line);
	return m->sink->reject ? m->sink->reject(m->sink->arg, where, why) : CB_OK;
}

static cb_err
warn(struct mt *m, long line, const char *why)
{
	char where[64];
	snprintf(where, sizeof where, "line %ld", line);
	return m->sink->warn ? m->sink->warn(m->sink->arg, where, why) : CB_OK;
}

/* :60F: / :62F: — C|D, YYMMDD, currency, amount, on its first line. */
static bool
balance(const char *v, struct dec *out, char date[11], char ccy[4],
    bool *clamped)
{
	size_t n = strcspn(v, "\n");
	while (n && v[n - 1] == ' ')
		n--;
	if (n < 11 || (v[0] != 'C' && v[0] != 'D') || !yymmdd(v + 1, date,
	    clamped))
		return false;
	memcpy(ccy, v + 7, 3);
	ccy[3] = '\0';
	if (!amount(v + 10, n - 10, out))
		return false;
	if (v[0] == 'D')
		out->units = -out->units;
	return true;
}

static cb_err
begin(struct mt *m)
{
	if (m->begun)
		return CB_OK;
	m->begun = true;
	return m->sink->begin ? m->sink->begin(m->sink->arg, &m->h) : CB_OK;
}

static cb_err
flush_entry(struct mt *m)
{
	if (!m->pending)
		return CB_OK;
	m->pending = false;
	cb_err e = begin(m);
	if (e != CB_OK)
		return e;
	m->e.index = m->h.entries++;
	return m->sink->entry ? m->sink->entry(m->sink->arg, &m->h, &m->e) : CB_OK;
}

static cb_err
end_statement(struct mt *m)
{
	cb_err e = flush_entry(m);
	if (e == CB_OK && m->in_stmt) {
		e = begin(m);
		if (e == CB_OK && m->sink->end)
			e = m->sink->end(m->sink->arg, &m->h);
	}
	m->in_stmt = false;
	m->begun = false;
	return e;
}

/* The entry date (MMDD, no year) nearest the value date. */
static bool
entry_date(const char *value, const char *mmdd, char out[11])
{
	struct ymd v, best = {0, 0, 0};
	long bestd = 0;
	if (date_parse(value, &v) != CB_OK || !digits(mmdd, 4))
		return false;
	for (int dy = -1; dy <= 1; dy++) {
		char t[24], day[11];
		struct ymd c;
		bool clamped;
		/* Through yymmdd, so that Feb 30 is the month's last day here
		 * too. */
		snprintf(t, sizeof t, "%02d%.4s", (v.y + dy) % 100, mmdd);
		if (!yymmdd(t, day, &clamped) || date_parse(day, &c) != CB_OK)
			continue;
		c.y = v.y + dy; /* yymmdd's century rule aside */
		long dist = labs((long)(c.y - v.y) * 372 + (c.m - v.m) * 31 +
		    (c.d - v.d));
		if (!best.y || dist < bestd) {
			best = c;
			bestd = dist;
		}
	}
	if (!best.y)
		return false;
	date_format(&best, out);
	return true;
}

/* :61: YYMMDD[MMDD](C|D|RC|RD)[funds]amount[type]ref[//bankref]
 * [\n details].  What banks write besides the standard is read too:
 * spaces where the entry date would be, no type code (or "NONREF" right
 * after the amount), a space before it, a zero amount (an information
 * line), a day past the month's end. */
static cb_err
statement_line(struct mt *m, const char *v, long line)
{
	cb_err e = flush_entry(m);
	if (e != CB_OK)
		return e;
	memset(&m->e, 0, sizeof m->e);
	m->e_line = line;
	struct stmt_entry *x = &m->e;
	const char *p = v;
	bool clamped;
	snprintf(x->raw, sizeof x->raw, ":61:%.1019s", v);
	utf8_trim_tail(x->raw);
	x->status = STMT_BOOKED;
	snprintf(x->currency, sizeof x->currency, "%s", m->h.currency);
	if (!yymmdd(p, x->value_date, &clamped))
		return reject(m, line, ":61: value date is not a YYMMDD day");
	if (clamped && (e = warn(m, line, ":61: value date past the month's"
	    " end: taken as its last day")) != CB_OK)
		return e;
	p += 6;
	memcpy(x->booking_date, x->value_date, sizeof x->booking_date);
	if (digits(p, 4)) {
		if (!entry_date(x->value_date, p, x->booking_date))
			return reject(m, line, ":61: entry date is not a real MMDD day");
		p += 4;
	} else if (!strncmp(p, "    ", 4))
		p += 4; /* entry date left blank */
	if (p[0] == 'R' && (p[1] == 'C' || p[1] == 'D')) {
		x->reversal = true;
		x->credit = p[1] == 'D'; /* reversing a debit puts money back */
		p += 2;
	} else if (p[0] == 'C' || p[0] == 'D') {
		x->credit = p[0] == 'C';
		p += 1;
	} else
		return reject(m, line, ":61: debit/credit mark must be C, D, RC or RD");
	if (*p >= 'A' && *p <= 'Z')
		p++; /* funds code */
	size_t n = strspn(p, "0123456789,");
	if (!amount(p, n, &x->amount) || x->amount.units < 0)
		return reject(m, line, ":61: amount is not an amount with a decimal"
		    " comma");
	if (x->amount.units == 0)
		x->status = STMT_INFO; /* moves no money: a notice */
	p += n;
	while (*p == ' ')
		p++;
	/* The type: a letter and three letters or digits (N, F, S by the
	 * standard; banks use others), unless what follows is a reference. */
	if (strncmp(p, "NONREF", 6) && strncmp(p, "//", 2) && p[0] >= 'A' &&
	    p[0] <= 'Z' && strspn(p + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") >=
	    3) {
		snprintf(x->tx_code, sizeof x->tx_code, "%.4s", p);
		p += 4;
	}
	/* Customer reference, up to // or the end of the first line. */
	size_t first = strcspn(p, "\n");
	const char *sl = strstr(p, "//");
	size_t rl = sl && (size_t)(sl - p) < first ? (size_t)(sl - p) : first;
	/* 16 by the standard; some banks write an IBAN there (ASN). */
	if (rl > 34)
		rl = 34;
	/* Cut by length, never inside a character. */
	mt940_put_text(x->tx_id, sizeof x->tx_id, p, rl);
	if (strcmp(x->tx_id, "NONREF") == 0)
		x->tx_id[0] = '\0';
	if (sl && (size_t)(sl - p) < first) {
		size_t bl = strcspn(sl + 2, "\n");
		mt940_put_text(x->svcr_ref, 17, sl + 2, bl);
	}
	if (p[first] == '\n') {
		size_t dl = strcspn(p + first + 1, "\n");
		mt940_put_text(x->info, 35, p + first + 1, dl);
		/* Rabobank writes the other party's IBAN there. */
		char acct[64];
		snprintf(acct, sizeof acct, "%.*s", (int)strcspn(x->info, "\n "),
		    x->info);
		if (bank_number_is_iban(acct)) {
			snprintf(x->party_account, sizeof x->party_account, "%s", acct);
			x->info[0] = '\0';
		}
	}
	m->pending = true;
	return CB_OK;
}

static cb_err
field(struct mt *m)
{
	const char *t = m->tag, *v = m->val;
	long line = m->tag_line;
	cb_err e = CB_OK;
	if (!t[0])
		return CB_OK;
	if (m->overlong)
		return reject(m, line, "field longer than the format allows");
	if (!strcmp(t, "20")) {
		if (m->in_stmt && (e = end_statement(m)) != CB_OK)
			return e;
		memset(&m->h, 0, sizeof m->h);
		snprintf(m->h.format, sizeof m->h.format, "mt940");
		mt940_put_text(m->h.id, 31, v, strcspn(v, "\n"));
		m->in_stmt = true;
		m->statements++;
		return CB_OK;
	}
	if (!m->in_stmt)
		return reject(m, line, "a field before any :20:");
	if (!strcmp(t, "25")) {
		/* "NL10BUNQ2290325473 EUR", "1567.50.961EUR", "…/HUF": the
		 * account, then its currency. */
		size_t n = strcspn(v, "\n");
		while (n && v[n - 1] == ' ')
			n--;
		if (n > 4 && strspn(v + n - 3, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 3 &&
		    ((v[n - 4] >= '0' && v[n - 4] <= '9') || v[n - 4] == ' ' ||
		    v[n - 4] == '/')) {
			char ccy[4];
			memcpy(ccy, v + n - 3, 3);
			ccy[3] = '\0';
			if (currency_find(ccy)) {
				memcpy(m->h.currency, ccy, 4);
				n -= 3;
				while (n && (v[n - 1] == ' ' || v[n - 1] == '/'))
					n--;
			}
		}
		mt940_put_text(m->h.account, 36, v, n);
	}
	else if (!strcmp(t, "28C") || !strcmp(t, "28")) {
		size_t u = strlen(m->h.id);
		size_t room = sizeof m->h.id - u - 1; /* after the '/' */
		if (u + 2 < sizeof m->h.id) {
			m->h.id[u] = '/';
			mt940_put_text(m->h.id + u + 1, room < 17 ? room : 17, v, strcspn(v,
			    "\n"));
		}
	} else if (!strcmp(t, "60F") || !strcmp(t, "60M")) {
		bool clamped;
		if (!balance(v, &m->h.opening, m->h.opening_date, m->h.currency,
		    &clamped))
			return reject(m, line, ":60F: is not C|D YYMMDD currency amount");
		m->h.has_opening = true;
		if (clamped)
			return warn(m, line, ":60F: date past the month's end: taken as"
			    " its last day");
	} else if (!strcmp(t, "61"))
		return statement_line(m, v, line);
	else if (!strcmp(t, "86")) {
		if (m->pending)
			mt940_information(&m->e, v);
		return flush_entry(m);
	} else if (!strcmp(t, "62F") || !strcmp(t, "62M")) {
		if ((e = flush_entry(m)) != CB_OK)
			return e;
		char ccy[4];
		bool clamped;
		if (!balance(v, &m->h.closing, m->h.closing_date, ccy, &clamped))
			return reject(m, line, ":62F: is not C|D YYMMDD currency amount");
		m->h.has_closing = true;
		if (!m->h.currency[0])
			memcpy(m->h.currency, ccy, sizeof ccy);
		if (clamped)
			return warn(m, line, ":62F: date past the month's end: taken as"
			    " its last day");
	}
	else if (!strcmp(t, "64")) {
		char ccy[4];
		bool clamped;
		if (balance(v, &m->h.avail_closing, (char[11]){0}, ccy, &clamped))
			m->h.has_avail_closing = true;
	}
	/* :21:, :34F:, :13D:, :65:, :90D:/:90C: and the banks' own :NS:
	 * carry nothing we use. */
	return CB_OK;
}

/* The lines outside any field read since the last report, as one
 * warning. */
static cb_err
note_outside(struct mt *m)
{
	char why[128];
	if (!m->outside_from)
		return CB_OK;
	if (m->outside_to > m->outside_from)
		snprintf(why, sizeof why, "lines %ld to %ld are outside any statement"
		    " (a header?): skipped", m->outside_from, m->outside_to);
	else
		snprintf(why, sizeof why, "outside any statement (a header?):"
		    " skipped");
	long at = m->outside_from;
	m->outside_from = m->outside_to = 0;
	return warn(m, at, why);
}

/* A line that opens a field: ":NN:", ":NNa:", or the non-SWIFT ":NS:"
 * some banks add (kept apart: before, its text was glued onto the field
 * above it). */
static bool
tag_of(const char *line, char tag[8], const char **rest)
{
	if (!strncmp(line, ":NS:", 4)) {
		memcpy(tag, "NS", 3);
		*rest = line + 4;
		return true;
	}
	if (line[0] != ':' || !digits(line + 1, 2))
		return false;
	size_t n = 2;
	if (line[3] >= 'A' && line[3] <= 'Z')
		n = 3;
	if (line[1 + n] != ':')
		return false;
	memcpy(tag, line + 1, n);
	tag[n] = '\0';
	*rest = line + 2 + n;
	return true;
}

cb_err
mt940_read(stmt_read_fn rd, void *ctx, long long max_bytes,
    const struct stmt_sink *sink, char *err, size_t errlen)
{
	struct mt *m = calloc(1, sizeof *m);
	char line[STMT_MAX_TEXT];
	cb_err e = CB_OK;
	bool cut;
	int r;
	if (!m)
		return CB_ENOMEM;
	m->rd = rd;
	m->ctx = ctx;
	m->max_bytes = max_bytes;
	m->sink = sink;
	err[0] = '\0';
	while (e == CB_OK && (r = next_line(m, line, sizeof line, &cut, err,
	    errlen)) == 1) {
		if ((e = as_utf8(m, line, sizeof line)) != CB_OK)
			break;
		char *s = line;
		/* FIN wrapper: {1:…}{2:…}{4: then the text; -} ends block 4. */
		if (s[0] == '{') {
			char *b4 = strstr(s, "{4:");
			if (!b4)
				continue; /* {5:…} trailers and other blocks */
			s = b4 + 3;
			if (!*s)
				continue;
		}
		size_t sl = strlen(s);
		while (sl && (s[sl - 1] == ' ' || s[sl - 1] == '\t'))
			s[--sl] = '\0';
		if (!sl)
			continue; /* blank lines carry nothing, wherever they are */
		const char *rest = NULL;
		char tag[8];
		bool is_tag = tag_of(s, tag, &rest);
		/* A bare "-" ends the message, unless the field's text goes on
		 * after it (a wrapped line that is just a dash). */
		if (m->dash) {
			m->dash = false;
			if (!is_tag && m->tag[0] && s[0] != '-' && m->vlen + 3 + sl <
			    sizeof m->val) {
				memcpy(m->val + m->vlen, "\n-", 3);
				m->vlen += 2;
				m->val[m->vlen] = '\0';
			} else {
				e = field(m);
				m->tag[0] = '\0';
				if (e != CB_OK)
					break;
			}
		}
		if (!strcmp(s, "-")) {
			m->dash = true;
			m->dash_line = m->line;
			continue;
		}
		if (!strcmp(s, "-}") || !strncmp(s, "-}{", 3) || (s[0] == '-' &&
		    sl <= 4 && strspn(s + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == sl - 1)) {
			e = field(m);
			m->tag[0] = '\0';
			continue;
		}
		if (is_tag) {
			if ((e = note_outside(m)) != CB_OK || (e = field(m)) != CB_OK)
				break;
			memcpy(m->tag, tag, sizeof tag);
			m->tag_line = m->line;
			m->overlong = cut;
			m->vlen = (size_t)snprintf(m->val, sizeof m->val, "%s", rest);
			if (m->vlen >= sizeof m->val) {
				m->vlen = sizeof m->val - 1;
				m->overlong = true;
			}
			continue;
		}
		if (!m->tag[0]) {
			/* A bank's header, a preamble, "940": outside any statement;
			 * reported once per run of such lines. */
			if (!m->outside_from)
				m->outside_from = m->line;
			m->outside_to = m->line;
			continue;
		}
		/* A wrapped line continues the field. */
		if (m->vlen + 1 + sl >= sizeof m->val)
			m->overlong = true;
		else {
			m->val[m->vlen++] = '\n';
			memcpy(m->val + m->vlen, s, sl + 1);
			m->vlen += sl;
		}
	}
	if (e == CB_OK)
		e = note_outside(m);
	if (e == CB_OK && r < 0)
		e = m->read >= m->max_bytes ? CB_ETOOBIG : CB_EIO;
	if (e == CB_OK)
		e = field(m);
	if (e == CB_OK && m->in_stmt)
		e = end_statement(m);
	if (e == CB_OK && !m->statements) {
		snprintf(err, errlen, "not an MT940 statement (no :20: field)");
		e = CB_EINVAL;
	}
	free(m);
	return e;
}
