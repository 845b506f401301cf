/*
 * table.h — rows of cells read into movements by a statement profile
 * (bank/csv.h): a CSV file's rows (bank/csv.c) and a spreadsheet's
 * (bank/xlsx.c, bank/xls.c) go through the same rules, so one profile
 * reads a bank's export whichever form it comes in.  The header row of
 * columns given by name is found in the rows; what a profile leaves to
 * the file (decimal mark, date order) is told from the first rows; each
 * row is a movement, or a rejection saying why.  Flat memory: a few
 * rows are held (the footer to skip, the sample to tell marks from).
 */
#ifndef CB_TABLE_H
#define CB_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "bank/csv.h"
#include "bank/statement.h"

enum cell_kind {
	CELL_TEXT,      /* as written; amounts and dates read by the profile */
	CELL_NUMBER,    /* a spreadsheet number: "-1234.5" ('.' decimal);
	                   in a date column, a spreadsheet day serial */
	CELL_DATE,      /* a spreadsheet date: "YYYY-MM-DD…" */
};

struct table_row {
	long line;              /* its line or row number, for reports */
	int n;                  /* cells */
	const char *cell[CSV_MAX_COLUMNS];   /* borrowed; "" when empty */
	unsigned char kind[CSV_MAX_COLUMNS];
	bool too_long;          /* more columns or text than a row may hold */
	bool bad_utf8;
};

/* A spreadsheet's double as the sheet meant it: at most 15 significant
 * digits (what Excel keeps: 0.1 + 0.2 is 0.3 again), '.' decimal; false
 * when it is no plain number (an exponent, inf, nan). */
bool table_number(double d, char *out, size_t len);

struct table;

/* format names the statements ("csv:bank", "xlsx:bank"); date1904: day
 * serials count from 1904 (a workbook says so), else from 1900.  The
 * profile and sink are borrowed until table_free. */
cb_err table_new(const struct csv_profile *p, const char *format,
    bool date1904, const struct stmt_sink *sink, struct table **out);
/* One row, in file order; its cells are copied when held. */
cb_err table_row(struct table *t, const struct table_row *r);
/* After the last row: the held rows, then the statement's end.
 * CB_EINVAL (err says why) when no row could be read. */
cb_err table_finish(struct table *t, char *err, size_t errlen);
void table_free(struct table *t);

#endif
