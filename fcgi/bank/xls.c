/* xls.c — see xls.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <freexl.h>

#include "bank/table.h"
#include "bank/xls.h"
#include "util/codec.h"

bool
xls_sniff(const char *head, size_t n)
{
	return n >= 8 && !memcmp(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
}

/* One cell as text of its kind, into buf at *len. */
static void
put(struct table_row *row, char *buf, size_t cap, size_t *len,
    const FreeXL_CellValue *v)
{
	char num[40] = "";
	const char *s = num;
	int k = CELL_TEXT;
	switch (v->type) {
	case FREEXL_CELL_INT:
		snprintf(num, sizeof num, "%d", v->value.int_value);
		k = CELL_NUMBER;
		break;
	case FREEXL_CELL_DOUBLE:
		k = table_number(v->value.double_value, num, sizeof num) ?
		    CELL_NUMBER : CELL_TEXT;
		break;
	case FREEXL_CELL_TEXT:
	case FREEXL_CELL_SST_TEXT:
	case FREEXL_CELL_TIME:
		s = v->value.text_value ? v->value.text_value : "";
		break;
	case FREEXL_CELL_DATE:
	case FREEXL_CELL_DATETIME:
		s = v->value.text_value ? v->value.text_value : "";
		k = CELL_DATE;
		break;
	default:
		break;
	}
	size_t n = strlen(s);
	if (*len + n + 1 > cap) {
		row->too_long = true;
		n = 0;
	}
	memcpy(buf + *len, s, n);
	buf[*len + n] = '\0';
	row->cell[row->n] = buf + *len;
	row->kind[row->n] = (unsigned char)k;
	if (k == CELL_TEXT && !utf8_valid(s, n))
		row->bad_utf8 = true;
	row->n++;
	*len += n + 1;
}

cb_err
xls_read(int fd, long long max_bytes, const struct csv_profile *p,
    const struct stmt_sink *sink, char *err, size_t errlen)
{
	const void *h = NULL;
	struct stat st;
	struct table *t = NULL;
	char path[64], format[40];
	unsigned int rows = 0, mode = FREEXL_BIFF_DATEMODE_1900;
	unsigned short cols = 0;
	cb_err e = CB_OK;
	err[0] = '\0';
	if (fstat(fd, &st) < 0)
		return CB_EIO;
	if (st.st_size > max_bytes) {
		snprintf(err, errlen, "the statement is larger than %lld bytes",
		    max_bytes);
		return CB_ETOOBIG;
	}
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	int r = freexl_open(path, &h);
	if (r != FREEXL_OK) {
		snprintf(err, errlen, "not a readable Excel 97-2003 workbook (libfreexl"
		    " error %d)", r);
		if (h)
			freexl_close(h);
		return r == FREEXL_INSUFFICIENT_MEMORY ? CB_ENOMEM : CB_EINVAL;
	}
	if (freexl_select_active_worksheet(h, 0) != FREEXL_OK ||
	    freexl_worksheet_dimensions(h, &rows, &cols) != FREEXL_OK) {
		snprintf(err, errlen, "the workbook has no worksheet");
		e = CB_EINVAL;
		goto out;
	}
	if (rows > XLS_MAX_ROWS) {
		snprintf(err, errlen, "the worksheet has more than %d rows",
		    XLS_MAX_ROWS);
		e = CB_ETOOBIG;
		goto out;
	}
	freexl_get_info(h, FREEXL_BIFF_DATEMODE, &mode);
	snprintf(format, sizeof format, "xls:%.19s", p->name);
	if ((e = table_new(p, format, mode == FREEXL_BIFF_DATEMODE_1904, sink,
	    &t)) != CB_OK)
		goto out;
	char *buf = malloc(STMT_MAX_TEXT);
	if (!buf) {
		e = CB_ENOMEM;
		goto out;
	}
	for (unsigned int i = 0; e == CB_OK && i < rows; i++) {
		struct table_row row;
		size_t len = 0;
		memset(&row, 0, sizeof row);
		row.line = (long)i + 1;
		for (unsigned short c = 0; c < cols; c++) {
			FreeXL_CellValue v;
			if (c >= CSV_MAX_COLUMNS) {
				/* Columns past the last a profile may name must be empty. */
				if (freexl_get_cell_value(h, i, c, &v) == FREEXL_OK &&
				    v.type != FREEXL_CELL_NULL)
					row.too_long = true;
				continue;
			}
			if (freexl_get_cell_value(h, i, c, &v) != FREEXL_OK)
				v.type = FREEXL_CELL_NULL;
			put(&row, buf, STMT_MAX_TEXT, &len, &v);
		}
		e = table_row(t, &row);
	}
	free(buf);
	if (e == CB_OK)
		e = table_finish(t, err, errlen);
out:
	table_free(t);
	freexl_close(h);
	return e;
}
