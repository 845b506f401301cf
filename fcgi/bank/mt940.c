/* mt940.c — see mt940.h.
 *
 * DESIGN: a line reader (bounded lines, CR LF or LF, SOH/ETX bytes and
 * FIN block wrappers dropped) feeds a field assembler (a field runs from
 * its ":NN:" tag to the next tag, wrapped lines joined), which feeds the
 * statement builder.  A :61: waits for its :86: before it is handed over.
 * Nothing but the current statement's header and one entry is kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/mt940.h"
#include "core/date.h"

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
};

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
		if (ch == '\r' || ch == 0x01 || ch == 0x03 || ch == 0)
			continue; /* CR, SOH, ETX: framing, not content */
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

/* YYMMDD → "20YY-MM-DD" (19YY from 80 on); false for an impossible day. */
static bool
yymmdd(const char *s, char out[11])
{
	struct ymd d;
	if (!digits(s, 6))
		return false;
	int yy = num(s, 2);
	d.y = yy >= 80 ? 1900 + yy : 2000 + yy;
	d.m = num(s + 2, 2);
	d.d = num(s + 4, 2);
	char t[24];
	snprintf(t, sizeof t, "%04d-%02d-%02d", d.y, d.m, d.d);
	if (date_parse(t, &d) != CB_OK)
		return false;
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

/* :60F: / :62F: — C|D, YYMMDD, currency, amount. */
static bool
balance(const char *v, struct dec *out, char date[11], char ccy[4])
{
	size_t n = strlen(v);
	if (n < 11 || (v[0] != 'C' && v[0] != 'D') || !yymmdd(v + 1, date))
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
		char t[24];
		struct ymd c;
		snprintf(t, sizeof t, "%04d-%02d-%02d", v.y + dy, num(mmdd, 2),
		    num(mmdd + 2, 2));
		if (date_parse(t, &c) != CB_OK)
			continue;
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

/* :61: YYMMDD[MMDD](C|D|RC|RD)[funds]amount(N|F|S)xxx ref[//bankref]
 * [\n details]. */
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
	x->status = STMT_BOOKED;
	snprintf(x->currency, sizeof x->currency, "%s", m->h.currency);
	if (!yymmdd(p, x->value_date))
		return reject(m, line, ":61: value date is not a real YYMMDD day");
	p += 6;
	memcpy(x->booking_date, x->value_date, sizeof x->booking_date);
	if (digits(p, 4)) {
		if (!entry_date(x->value_date, p, x->booking_date))
			return reject(m, line, ":61: entry date is not a real MMDD day");
		p += 4;
	}
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
	if (!amount(p, n, &x->amount) || x->amount.units <= 0)
		return reject(m, line, ":61: amount is not a positive amount with a"
		    " decimal comma");
	p += n;
	if (!(p[0] == 'N' || p[0] == 'F' || p[0] == 'S') || strlen(p) < 4)
		return reject(m, line, ":61: transaction type (N/F/S + 3) is missing");
	snprintf(x->tx_code, sizeof x->tx_code, "%.4s", p);
	p += 4;
	/* Customer reference, up to // or the end of the first line. */
	size_t first = strcspn(p, "\n");
	const char *sl = strstr(p, "//");
	size_t rl = sl && (size_t)(sl - p) < first ? (size_t)(sl - p) : first;
	if (rl > 16)
		rl = 16;
	snprintf(x->tx_id, sizeof x->tx_id, "%.*s", (int)rl, p);
	if (strcmp(x->tx_id, "NONREF") == 0)
		x->tx_id[0] = '\0';
	if (sl && (size_t)(sl - p) < first) {
		size_t bl = strcspn(sl + 2, "\n");
		snprintf(x->svcr_ref, sizeof x->svcr_ref, "%.*s", (int)(bl > 16 ? 16 :
		    bl), sl + 2);
	}
	if (p[first] == '\n')
		snprintf(x->info, sizeof x->info, "%.34s", p + first + 1);
	m->pending = true;
	return CB_OK;
}

/* :86: text: its lines joined by spaces, after any :61: details. */
static void
information(struct mt *m, const char *v)
{
	struct stmt_entry *x = &m->e;
	size_t u = strlen(x->info);
	if (u && u + 2 < sizeof x->info) {
		memcpy(x->info + u, "; ", 2);
		u += 2;
	}
	for (const char *p = v; *p && u + 1 < sizeof x->info; p++)
		x->info[u++] = *p == '\n' ? ' ' : *p;
	/* Never end inside a character. */
	if (u + 1 >= sizeof x->info)
		while (u && ((unsigned char)x->info[u] & 0xC0) == 0x80)
			u--;
	x->info[u] = '\0';
	/* Structured /NAME/ or ?32 payer names, when banks give them. */
	const char *nm = strstr(v, "/NAME/");
	if (nm)
		snprintf(x->party_name, sizeof x->party_name, "%.*s",
		    (int)strcspn(nm + 6, "/\n"), nm + 6);
	else if ((nm = strstr(v, "?32")))
		snprintf(x->party_name, sizeof x->party_name, "%.*s",
		    (int)strcspn(nm + 3, "?\n"), nm + 3);
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
		snprintf(m->h.id, sizeof m->h.id, "%.30s", v);
		m->in_stmt = true;
		m->statements++;
		return CB_OK;
	}
	if (!m->in_stmt)
		return reject(m, line, "a field before any :20:");
	if (!strcmp(t, "25"))
		snprintf(m->h.account, sizeof m->h.account, "%.35s", v);
	else if (!strcmp(t, "28C") || !strcmp(t, "28")) {
		size_t u = strlen(m->h.id);
		snprintf(m->h.id + u, sizeof m->h.id - u, "/%.16s", v);
	} else if (!strcmp(t, "60F") || !strcmp(t, "60M")) {
		if (!balance(v, &m->h.opening, m->h.opening_date, m->h.currency))
			return reject(m, line, ":60F: is not C|D YYMMDD currency amount");
		m->h.has_opening = true;
	} else if (!strcmp(t, "61"))
		return statement_line(m, v, line);
	else if (!strcmp(t, "86")) {
		if (m->pending)
			information(m, v);
		return flush_entry(m);
	} else if (!strcmp(t, "62F") || !strcmp(t, "62M")) {
		if ((e = flush_entry(m)) != CB_OK)
			return e;
		char ccy[4];
		if (!balance(v, &m->h.closing, m->h.closing_date, ccy))
			return reject(m, line, ":62F: is not C|D YYMMDD currency amount");
		m->h.has_closing = true;
		if (!m->h.currency[0])
			memcpy(m->h.currency, ccy, sizeof ccy);
	}
	/* :21:, :34F:, :13D:, :64:, :65:, :90D:/:90C: carry nothing we use. */
	return CB_OK;
}

/* A line that opens a field: ":NN:" or ":NNa:". */
static bool
tag_of(const char *line, char tag[8], const char **rest)
{
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
		if (!strcmp(s, "-}") || !strcmp(s, "-") || !strncmp(s, "-}{5:", 5)) {
			e = field(m);
			m->tag[0] = '\0';
			continue;
		}
		const char *rest;
		char tag[8];
		if (tag_of(s, tag, &rest)) {
			if ((e = field(m)) != CB_OK)
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
			if (*s && s[0] != '{')
				e = reject(m, m->line, "text outside any field");
			continue;
		}
		/* A wrapped line continues the field. */
		size_t n = strlen(s);
		if (m->vlen + 1 + n >= sizeof m->val)
			m->overlong = true;
		else {
			m->val[m->vlen++] = '\n';
			memcpy(m->val + m->vlen, s, n + 1);
			m->vlen += n;
		}
	}
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
