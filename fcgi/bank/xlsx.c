/* xlsx.c — see xlsx.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/xmlreader.h>

#include "bank/camt.h"
#include "bank/table.h"
#include "bank/xlsx.h"
#include "bank/zip.h"

bool
xlsx_sniff(const char *head, size_t n)
{
	static const char *const parts[] = {"[Content_Types].xml", "_rels/",
	    "docProps/", "xl/"};
	if (n < 30 || memcmp(head, "PK\3\4", 4))
		return false;
	size_t len = (unsigned char)head[26] | (size_t)(unsigned char)head[27] << 8;
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		size_t k = strlen(parts[i]);
		if (len >= k && 30 + k <= n && !memcmp(head + 30, parts[i], k))
			return true;
	}
	return false;
}

/* The shared strings: one arena, offsets into it. */
struct sst {
	char *text;
	size_t len, cap;
	size_t *at;
	size_t n, ncap;
};

struct xlsx {
	const struct csv_profile *p;
	const struct stmt_sink *sink;
	struct sst sst;
	bool date1904;
	char sheet_rid[64];
	char sheet[256];        /* the first sheet's part name */
	bool in_sheet_done;
	struct table *t;
	char *err;
	size_t errlen;
};

struct io {
	stmt_read_fn rd;
	void *ctx;
};

static int
io_read(void *ctx, char *buf, int len)
{
	struct io *io = ctx;
	long n = io->rd(io->ctx, buf, (size_t)len);
	return n < 0 ? -1 : (int)n;
}

static xmlTextReaderPtr
reader(struct io *io)
{
	camt_global_init();
	return xmlReaderForIO(io_read, NULL, io, NULL, NULL, XML_PARSE_NONET |
	    XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

/* The next node, refusing a DOCTYPE or an entity (no part of a workbook
 * has one; an external entity would read another file). */
static int
next(xmlTextReaderPtr r, struct xlsx *x, cb_err *e)
{
	int ret = xmlTextReaderRead(r);
	if (ret == 1) {
		int type = xmlTextReaderNodeType(r);
		if (type == XML_READER_TYPE_DOCUMENT_TYPE ||
		    type == XML_READER_TYPE_ENTITY_REFERENCE) {
			snprintf(x->err, x->errlen, "a DOCTYPE or entity is not allowed"
			    " in a workbook");
			*e = CB_EINVAL;
			return -1;
		}
		if (xmlTextReaderDepth(r) > STMT_MAX_DEPTH) {
			snprintf(x->err, x->errlen, "elements nested deeper than %d",
			    STMT_MAX_DEPTH);
			*e = CB_EINVAL;
			return -1;
		}
	} else if (ret < 0 && *e == CB_OK) {
		snprintf(x->err, x->errlen, "a part of the workbook is not well-formed"
		    " XML");
		*e = CB_EINVAL;
	}
	return ret;
}

static bool
is(xmlTextReaderPtr r, int type, const char *name)
{
	return xmlTextReaderNodeType(r) == type &&
	    !strcmp((const char *)xmlTextReaderConstLocalName(r), name);
}

static cb_err
sst_put(struct xlsx *x, const char *s, size_t n)
{
	struct sst *t = &x->sst;
	if (t->len + n + 1 > (size_t)XLSX_MAX_STRING_BYTES) {
		snprintf(x->err, x->errlen, "the shared strings hold more than %ld"
		    " bytes", XLSX_MAX_STRING_BYTES);
		return CB_ETOOBIG;
	}
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 4096;
		while (cap < t->len + n + 1)
			cap *= 2;
		char *p = realloc(t->text, cap);
		if (!p)
			return CB_ENOMEM;
		t->text = p;
		t->cap = cap;
	}
	memcpy(t->text + t->len, s, n);
	t->len += n;
	t->text[t->len] = '\0';
	return CB_OK;
}

/* xl/sharedStrings.xml: each <si>'s <t> texts joined (rich text runs),
 * phonetic readings (<rPh>) left out. */
static cb_err
read_sst(struct xlsx *x, stmt_read_fn rd, void *rctx)
{
	struct io io = {rd, rctx};
	xmlTextReaderPtr r = reader(&io);
	cb_err e = CB_OK;
	int in_t = 0, in_rph = 0;
	if (!r)
		return CB_ENOMEM;
	while (e == CB_OK && next(r, x, &e) == 1) {
		int type = xmlTextReaderNodeType(r);
		if (is(r, XML_READER_TYPE_ELEMENT, "si")) {
			struct sst *t = &x->sst;
			if (t->n == XLSX_MAX_STRINGS) {
				snprintf(x->err, x->errlen, "the shared strings table holds"
				    " more than %d strings", XLSX_MAX_STRINGS);
				e = CB_ETOOBIG;
				break;
			}
			if (t->n == t->ncap) {
				size_t cap = t->ncap ? t->ncap * 2 : 256;
				size_t *p = realloc(t->at, cap * sizeof *p);
				if (!p) {
					e = CB_ENOMEM;
					break;
				}
				t->at = p;
				t->ncap = cap;
			}
			/* Each string ends with its NUL; the next starts after it. */
			if ((e = sst_put(x, "", t->n ? 1 : 0)) != CB_OK)
				break;
			t->at[t->n] = t->len;
			t->n++;
		} else if (is(r, XML_READER_TYPE_ELEMENT, "rPh"))
			in_rph += !xmlTextReaderIsEmptyElement(r);
		else if (is(r, XML_READER_TYPE_END_ELEMENT, "rPh"))
			in_rph--;
		else if (is(r, XML_READER_TYPE_ELEMENT, "t"))
			in_t = !xmlTextReaderIsEmptyElement(r);
		else if (is(r, XML_READER_TYPE_END_ELEMENT, "t"))
			in_t = 0;
		else if (in_t && !in_rph && x->sst.n && (type == XML_READER_TYPE_TEXT ||
		    type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
		    type == XML_READER_TYPE_CDATA)) {
			const char *v = (const char *)xmlTextReaderConstValue(r);
			e = sst_put(x, v, strlen(v));
		}
	}
	xmlFreeTextReader(r);
	return e;
}

/* What a small part's reader does at each element. */
typedef void (*part_fn)(struct xlsx *x, xmlTextReaderPtr r);

static cb_err
read_part(struct xlsx *x, stmt_read_fn rd, void *rctx, part_fn fn)
{
	struct io io = {rd, rctx};
	xmlTextReaderPtr r = reader(&io);
	cb_err e = CB_OK;
	if (!r)
		return CB_ENOMEM;
	while (e == CB_OK && next(r, x, &e) == 1)
		if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT)
			fn(x, r);
	xmlFreeTextReader(r);
	return e;
}

/* xl/workbook.xml: the date system and the first sheet's relation id. */
static void
on_workbook(struct xlsx *x, xmlTextReaderPtr r)
{
	if (is(r, XML_READER_TYPE_ELEMENT, "workbookPr")) {
		xmlChar *v = xmlTextReaderGetAttribute(r, BAD_CAST "date1904");
		x->date1904 = v && (!strcmp((char *)v, "1") ||
		    !strcmp((char *)v, "true"));
		xmlFree(v);
	} else if (is(r, XML_READER_TYPE_ELEMENT, "sheet") && !x->sheet_rid[0]) {
		xmlChar *v = xmlTextReaderGetAttributeNs(r, BAD_CAST "id",
		    BAD_CAST "http://schemas.openxmlformats.org/officeDocument/"
		    "2006/relationships");
		if (v)
			snprintf(x->sheet_rid, sizeof x->sheet_rid, "%s", (char *)v);
		xmlFree(v);
	}
}

/* xl/_rels/workbook.xml.rels: the part the first sheet's id names. */
static void
on_rels(struct xlsx *x, xmlTextReaderPtr r)
{
	if (!is(r, XML_READER_TYPE_ELEMENT, "Relationship"))
		return;
	xmlChar *id = xmlTextReaderGetAttribute(r, BAD_CAST "Id");
	xmlChar *to = xmlTextReaderGetAttribute(r, BAD_CAST "Target");
	if (id && to && x->sheet_rid[0] && !strcmp((char *)id, x->sheet_rid))
		snprintf(x->sheet, sizeof x->sheet, to[0] == '/' ? "%s" : "xl/%s",
		    to[0] == '/' ? (char *)to + 1 : (char *)to);
	xmlFree(id);
	xmlFree(to);
}

static cb_err
first_pass(void *arg, const char *name, stmt_read_fn rd, void *rctx)
{
	struct xlsx *x = arg;
	if (!strcmp(name, "xl/sharedStrings.xml"))
		return read_sst(x, rd, rctx);
	if (!strcmp(name, "xl/workbook.xml"))
		return read_part(x, rd, rctx, on_workbook);
	if (!strcmp(name, "xl/_rels/workbook.xml.rels"))
		return read_part(x, rd, rctx, on_rels);
	return CB_OK;
}

/* "BC12" → 55 (1-based); 0 when it is no cell reference. */
static int
column_of(const char *ref)
{
	int c = 0;
	for (; *ref >= 'A' && *ref <= 'Z'; ref++) {
		c = c * 26 + (*ref - 'A' + 1);
		if (c > 16384)
			return 0;
	}
	return c;
}

/* One row's cells as the sheet gives them. */
struct sheet_row {
	char buf[STMT_MAX_TEXT];
	size_t len;
	struct table_row row;
};

static void
row_reset(struct sheet_row *s, long line)
{
	s->len = 0;
	s->buf[0] = '\0';
	memset(&s->row, 0, sizeof s->row);
	s->row.line = line;
}

/* The cell at column col (1-based) gets text v of kind k; the cells
 * skipped before it are empty. */
static void
row_put(struct sheet_row *s, int col, const char *v, int k)
{
	struct table_row *r = &s->row;
	if (col <= r->n)
		col = r->n + 1; /* out of order: after the last */
	if (col > CSV_MAX_COLUMNS) {
		r->too_long = true;
		return;
	}
	while (r->n < col - 1) {
		r->cell[r->n] = "";
		r->kind[r->n++] = CELL_TEXT;
	}
	size_t n = strlen(v);
	if (s->len + n + 1 > sizeof s->buf) {
		r->too_long = true;
		n = 0;
	}
	memcpy(s->buf + s->len, v, n);
	s->buf[s->len + n] = '\0';
	r->cell[r->n] = s->buf + s->len;
	r->kind[r->n++] = (unsigned char)k;
	s->len += n + 1;
}

/* A number cell's text as the spreadsheet meant it (table_number). */
static bool
number(const char *v, char *out, size_t len)
{
	char *end;
	double d = strtod(v, &end);
	return end != v && !*end && table_number(d, out, len);
}

static cb_err
read_sheet(struct xlsx *x, stmt_read_fn rd, void *rctx)
{
	struct io io = {rd, rctx};
	struct sheet_row *s = calloc(1, sizeof *s);
	xmlTextReaderPtr r = s ? reader(&io) : NULL;
	cb_err e = CB_OK;
	char val[STMT_MAX_TEXT], type[16] = "";
	size_t vlen = 0;
	int col = 0, in_v = 0, in_row = 0;
	long line = 0, rows = 0;
	if (!r) {
		free(s);
		return CB_ENOMEM;
	}
	x->in_sheet_done = true;
	while (e == CB_OK && next(r, x, &e) == 1) {
		int nt = xmlTextReaderNodeType(r);
		if (is(r, XML_READER_TYPE_ELEMENT, "row")) {
			xmlChar *a = xmlTextReaderGetAttribute(r, BAD_CAST "r");
			long n = a ? strtol((char *)a, NULL, 10) : 0;
			xmlFree(a);
			line = n > line ? n : line + 1;
			if (++rows > XLSX_MAX_ROWS) {
				snprintf(x->err, x->errlen, "the worksheet has more than %d"
				    " rows", XLSX_MAX_ROWS);
				e = CB_ETOOBIG;
				break;
			}
			row_reset(s, line);
			in_row = 1;
			col = 0;
			if (xmlTextReaderIsEmptyElement(r)) {
				in_row = 0;
				e = table_row(x->t, &s->row);
			}
		} else if (is(r, XML_READER_TYPE_END_ELEMENT, "row") && in_row) {
			in_row = 0;
			e = table_row(x->t, &s->row);
		} else if (is(r, XML_READER_TYPE_ELEMENT, "c") && in_row) {
			xmlChar *a = xmlTextReaderGetAttribute(r, BAD_CAST "r");
			xmlChar *t = xmlTextReaderGetAttribute(r, BAD_CAST "t");
			int c = a ? column_of((char *)a) : 0;
			col = c ? c : col + 1;
			snprintf(type, sizeof type, "%s", t ? (char *)t : "n");
			xmlFree(a);
			xmlFree(t);
			vlen = 0;
			val[0] = '\0';
			if (xmlTextReaderIsEmptyElement(r))
				row_put(s, col, "", CELL_TEXT);
		} else if (is(r, XML_READER_TYPE_END_ELEMENT, "c") && in_row) {
			char num[40];
			if (!strcmp(type, "s")) {
				char *end;
				long i = strtol(val, &end, 10);
				row_put(s, col, end != val && !*end && i >= 0 &&
				    (size_t)i < x->sst.n ? x->sst.text + x->sst.at[i] : "",
				    CELL_TEXT);
			} else if (!strcmp(type, "n") && number(val, num, sizeof num))
				row_put(s, col, num, CELL_NUMBER);
			else
				row_put(s, col, val, !strcmp(type, "d") ? CELL_DATE :
				    CELL_TEXT);
		} else if ((is(r, XML_READER_TYPE_ELEMENT, "v") || is(r,
		    XML_READER_TYPE_ELEMENT, "t")) && in_row)
			in_v = !xmlTextReaderIsEmptyElement(r);
		else if (is(r, XML_READER_TYPE_END_ELEMENT, "v") || is(r,
		    XML_READER_TYPE_END_ELEMENT, "t"))
			in_v = 0;
		else if (in_v && (nt == XML_READER_TYPE_TEXT ||
		    nt == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
		    nt == XML_READER_TYPE_CDATA)) {
			const char *v = (const char *)xmlTextReaderConstValue(r);
			size_t n = strlen(v);
			if (vlen + n >= sizeof val)
				n = sizeof val - vlen - 1;
			memcpy(val + vlen, v, n);
			vlen += n;
			val[vlen] = '\0';
		}
	}
	xmlFreeTextReader(r);
	free(s);
	return e;
}

static cb_err
second_pass(void *arg, const char *name, stmt_read_fn rd, void *rctx)
{
	struct xlsx *x = arg;
	return !x->in_sheet_done && !strcmp(name, x->sheet) ? read_sheet(x, rd,
	    rctx) : CB_OK;
}

cb_err
xlsx_read(int fd, long long max_bytes, const struct csv_profile *p,
    const struct stmt_sink *sink, char *err, size_t errlen)
{
	struct xlsx x = {.p = p, .sink = sink, .err = err, .errlen = errlen};
	char format[40];
	cb_err e;
	err[0] = '\0';
	if (lseek(fd, 0, SEEK_SET) < 0)
		return CB_EIO;
	e = zip_each(fd, max_bytes, first_pass, &x, err, errlen);
	/* A workbook without relations: its first sheet by the usual name. */
	if (e == CB_OK && !x.sheet[0])
		snprintf(x.sheet, sizeof x.sheet, "xl/worksheets/sheet1.xml");
	snprintf(format, sizeof format, "xlsx:%.19s", p->name);
	if (e == CB_OK)
		e = table_new(p, format, x.date1904, sink, &x.t);
	if (e == CB_OK && lseek(fd, 0, SEEK_SET) < 0)
		e = CB_EIO;
	if (e == CB_OK)
		e = zip_each(fd, max_bytes, second_pass, &x, err, errlen);
	if (e == CB_OK && !x.in_sheet_done) {
		snprintf(err, errlen, "the workbook has no worksheet %.200s", x.sheet);
		e = CB_EINVAL;
	}
	if (e == CB_OK)
		e = table_finish(x.t, err, errlen);
	table_free(x.t);
	free(x.sst.text);
	free(x.sst.at);
	return e;
}
