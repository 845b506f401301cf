/* csv.c — see csv.h: the profile's text, and CSV text cut into rows for
 * bank/table.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bank/csv.h"
#include "bank/csv_detect.h"
#include "bank/table.h"
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

static const char *const role_keys[CSV_DESCRIPTION + 1] = {
	[CSV_DATE] = "date_column", [CSV_VALUE_DATE] = "value_date_column",
	[CSV_AMOUNT] = "amount_column", [CSV_DEBIT] = "debit_column",
	[CSV_CREDIT] = "credit_column", [CSV_DC] = "dc_column",
	[CSV_REFERENCE] = "reference_column", [CSV_PARTY] = "party_column",
	[CSV_PARTY_ACCOUNT] = "party_account_column",
	[CSV_BALANCE] = "balance_column", [CSV_ACCOUNT] = "account_column",
	[CSV_CURRENCY] = "currency_column",
	[CSV_DESCRIPTION] = "description_column",
};

const char *
csv_role_key(enum csv_role r)
{
	return r <= CSV_DESCRIPTION ? role_keys[r] : NULL;
}

bool
csv_has(const struct csv_profile *p, enum csv_role r)
{
	return p->col[r] > 0 || p->col_name[r][0];
}

bool
csv_by_name(const struct csv_profile *p)
{
	for (int r = 0; r < CSV_ROLES; r++)
		if (p->col_name[r][0])
			return true;
	return false;
}

/* A column by position ("3") or by its header's name ("Fecha"). */
static bool
column_or_name(const char *v, int *pos, char name[CSV_NAME_MAX])
{
	*pos = 0;
	name[0] = '\0';
	if (*v >= '0' && *v <= '9')
		return column(v, pos);
	size_t n = strlen(v);
	if (!n || n >= CSV_NAME_MAX || strchr(v, '|') || !utf8_valid(v, n))
		return false;
	memcpy(name, v, n + 1);
	return true;
}

/* "Text | Verwendungszweck": the description's columns, joined. */
static bool
columns(char *v, struct csv_profile *p)
{
	int k = 0;
	for (char *save = NULL, *t = strtok_r(v, "|", &save); t;
	    t = strtok_r(NULL, "|", &save)) {
		if (k == CSV_MAX_JOINED || !column_or_name(trim(t),
		    &p->col[CSV_DESCRIPTION + k], p->col_name[CSV_DESCRIPTION + k]))
			return false;
		k++;
	}
	return k > 0;
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

static int
role_of(const char *key)
{
	for (int r = 0; r < CSV_DESCRIPTION; r++)
		if (!strcmp(key, role_keys[r]))
			return r;
	return -1;
}

bool
csv_profile_each(const char *text, csv_profile_kv_fn fn, void *arg,
    char *why, size_t whylen)
{
	char line[512], msg[160];
	int lineno = 0;
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
		if (!fn(arg, trim(l), trim(eq + 1), msg, sizeof msg)) {
			snprintf(why, whylen, "line %d: %s", lineno, msg);
			return false;
		}
	}
	return true;
}

/* One key of a profile into p. */
static bool
apply(void *arg, const char *k, const char *cv, char *why, size_t whylen)
{
	struct csv_profile *p = arg;
	char v[512];
	bool ok = true;
	int role;
	snprintf(v, sizeof v, "%s", cv);
	if (!strcmp(k, "separator"))
		ok = !strcmp(v, "auto") ? (p->separator = 0, true) :
		    mark(v, &p->separator, false);
	else if (!strcmp(k, "quote"))
		ok = !strcmp(v, "none") ? (p->quote = 0, true) : !strcmp(v, "'") ?
		    (p->quote = '\'', true) : !strcmp(v, "\"") ? (p->quote = '"', true) :
		    false;
	else if (!strcmp(k, "encoding")) {
		static const struct {
			const char *name;
			enum csv_encoding e;
		} names[] = {{"utf-8", CSV_UTF8}, {"latin-1", CSV_LATIN1},
		    {"latin1", CSV_LATIN1}, {"iso-8859-1", CSV_LATIN1},
		    {"windows-1252", CSV_CP1252}, {"cp1252", CSV_CP1252},
		    {"cp852", CSV_CP852}};
		ok = false;
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
			if (!strcasecmp(v, names[i].name)) {
				p->encoding = names[i].e;
				ok = true;
			}
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
		    (strstr(v, "%m") || strstr(v, "%b")) && (strstr(v, "%Y") ||
		    strstr(v, "%y")) &&
		    snprintf(p->date_format, sizeof p->date_format, "%s", v) > 0;
	else if (!strcmp(k, "amount"))
		ok = !strcmp(v, "signed") ? (p->amount_kind = CSV_SIGNED, true) :
		    !strcmp(v, "debit_credit") ? (p->amount_kind =
		    CSV_DEBIT_CREDIT, true) : !strcmp(v, "dc_column") ?
		    (p->amount_kind = CSV_DC_COLUMN, true) : false;
	else if (!strcmp(k, "balance"))
		ok = !strcmp(v, "after") ? (p->balance_before = false, true) :
		    !strcmp(v, "before") ? (p->balance_before = true, true) : false;
	else if (!strcmp(k, "dc_credit"))
		ok = *v && strlen(v) < sizeof p->dc_credit &&
		    snprintf(p->dc_credit, sizeof p->dc_credit, "%s", v) > 0;
	else if (!strcmp(k, "description_column"))
		ok = columns(v, p);
	else if ((role = role_of(k)) >= 0)
		ok = column_or_name(v, &p->col[role], p->col_name[role]);
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
		snprintf(why, whylen, "unknown key '%.40s'", k);
		return false;
	}
	if (!ok)
		snprintf(why, whylen, "bad value for %.40s", k);
	return ok;
}

bool
csv_profile_parse(const char *text, const char *name, struct csv_profile *p,
    char *why, size_t whylen)
{
	memset(p, 0, sizeof *p);
	snprintf(p->name, sizeof p->name, "%s", name);
	p->separator = ',';
	p->quote = '"';
	p->decimal = '.';
	snprintf(p->date_format, sizeof p->date_format, "%%Y-%%m-%%d");
	snprintf(p->dc_credit, sizeof p->dc_credit, "C");
	if (!csv_profile_each(text, apply, p, why, whylen))
		return false;
	const char *missing = !csv_has(p, CSV_DATE) ? "date_column" :
	    !p->account[0] && !csv_has(p, CSV_ACCOUNT) ?
	    "account (or account_column)" :
	    !p->currency[0] && !csv_has(p, CSV_CURRENCY) ?
	    "currency (or currency_column)" :
	    p->amount_kind == CSV_DEBIT_CREDIT ? (!csv_has(p, CSV_DEBIT) ||
	    !csv_has(p, CSV_CREDIT) ? "debit_column and credit_column" : NULL) :
	    !csv_has(p, CSV_AMOUNT) ? "amount_column" :
	    p->amount_kind == CSV_DC_COLUMN && !csv_has(p, CSV_DC) ? "dc_column" :
	    NULL;
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

/* Byte c of the file, in its encoding, as UTF-8 (raw: a separator's
 * NUL or a quote). */
static void
put(struct record *rec, unsigned char c, enum csv_encoding enc)
{
	if (rec->len + 4 >= sizeof rec->buf) {
		rec->too_long = true;
		return;
	}
	unsigned cp = c < 0x80 || enc == CSV_UTF8 ? c : enc == CSV_LATIN1 ? c :
	    legacy_codepoint(c, enc == CSV_CP852 ? LEGACY_CP852 : LEGACY_CP1252);
	if (c < 0x80 || enc == CSV_UTF8)
		rec->buf[rec->len++] = (char)c;
	else if (cp < 0x800) {
		rec->buf[rec->len++] = (char)(0xC0 | (cp >> 6));
		rec->buf[rec->len++] = (char)(0x80 | (cp & 0x3F));
	} else {
		rec->buf[rec->len++] = (char)(0xE0 | (cp >> 12));
		rec->buf[rec->len++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		rec->buf[rec->len++] = (char)(0x80 | (cp & 0x3F));
	}
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
			if (c == p->quote) {
				int d = byte(r);
				if (d == p->quote) {
					put(rec, (unsigned char)p->quote, CSV_UTF8);
					continue;
				}
				quoted = false;
				if (d < 0)
					break;
				c = d; /* fall through to the unquoted handling */
			} else {
				if (c == '\n')
					r->line++;
				put(rec, (unsigned char)c, p->encoding);
				continue;
			}
		}
		if (c == p->quote && p->quote && field_start) {
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
			put(rec, '\0', CSV_UTF8);
			if (rec->n < CSV_MAX_COLUMNS)
				rec->off[rec->n++] = (int)rec->len;
			else
				rec->too_long = true;
			field_start = true;
			continue;
		}
		field_start = false;
		put(rec, (unsigned char)c, p->encoding);
	}
	if (c < 0 && any)
		r->line++;
	put(rec, '\0', CSV_UTF8);
	/* Each field must be UTF-8 (single-byte text was converted above). */
	for (int i = 0; i < rec->n; i++) {
		const char *f = rec->buf + rec->off[i];
		if (!utf8_valid(f, strlen(f)))
			rec->bad_utf8 = true;
	}
	return any;
}

cb_err
csv_read(stmt_read_fn rdfn, void *ctx, long long max_bytes,
    const struct csv_profile *p, const struct stmt_sink *sink, char *err,
    size_t errlen)
{
	struct rd *r = calloc(1, sizeof *r);
	struct record *rec = calloc(1, sizeof *rec);
	struct table_row row;
	struct table *t = NULL;
	char format[40];
	cb_err e = CB_OK;
	if (!r || !rec) {
		free(r);
		free(rec);
		return CB_ENOMEM;
	}
	r->rd = rdfn;
	r->ctx = ctx;
	r->max = max_bytes;
	/* A UTF-8 byte order mark is not content. */
	if (p->encoding == CSV_UTF8 && byte(r) == 0xEF) {
		if (byte(r) != 0xBB || byte(r) != 0xBF)
			r->pos = 0;
	} else if (r->have)
		r->pos = 0;
	/* The separator a profile leaves to the file, told from its first
	 * bytes (already read), and said; marks and dates are told from the
	 * rows (bank/table.c). */
	struct csv_profile told = *p;
	if (!p->separator) {
		char said[80];
		told.separator = csv_detect_separator(r->in + r->pos, r->have - r->pos,
		    p->skip_header);
		snprintf(said, sizeof said, "told from the file: separator '%s'",
		    told.separator == '\t' ? "tab" : (char[]){told.separator, 0});
		if (sink->warn)
			e = sink->warn(sink->arg, "line 1", said);
	}
	snprintf(format, sizeof format, "csv:%.19s", p->name);
	if (e == CB_OK)
		e = table_new(&told, format, false, sink, &t);
	while (e == CB_OK && next_record(r, &told, rec)) {
		row.line = rec->line;
		row.n = rec->n;
		row.too_long = rec->too_long;
		row.bad_utf8 = rec->bad_utf8;
		for (int i = 0; i < rec->n; i++) {
			row.cell[i] = rec->buf + rec->off[i];
			row.kind[i] = CELL_TEXT;
		}
		e = table_row(t, &row);
	}
	if (e == CB_OK && r->error) {
		snprintf(err, errlen, r->read >= r->max ?
		    "the statement is larger than %lld bytes" :
		    "the statement could not be read", max_bytes);
		e = r->read >= r->max ? CB_ETOOBIG : CB_EIO;
	}
	if (e == CB_OK)
		e = table_finish(t, err, errlen);
	table_free(t);
	free(r);
	free(rec);
	return e;
}
