/*
 * csv.h — bank statements as CSV, read by a per-bank profile (one small
 * key = value file a bank in [bank] csv_profiles_dir): separator, encoding
 * (UTF-8 or Latin-1), decimal and thousands marks, date format, where the
 * amount is (signed, debit and credit columns, or a D/C column), the
 * lines to skip at the top and bottom, and the account and currency the
 * file is for (CSV exports rarely say).  Fields may be quoted (RFC 4180).
 */
#ifndef CB_CSV_H
#define CB_CSV_H

#include <stdbool.h>

#include "bank/statement.h"

#define CSV_MAX_COLUMNS 64

enum csv_amount { CSV_SIGNED, CSV_DEBIT_CREDIT, CSV_DC_COLUMN };

struct csv_profile {
	char name[33];
	char separator;
	bool latin1;
	char decimal, thousands;      /* thousands 0: none */
	char date_format[16];         /* strptime-like: %d %m %Y %y and literals */
	enum csv_amount amount_kind;
	/* 1-based columns; 0 = absent */
	int col_date, col_value_date, col_amount, col_debit, col_credit, col_dc,
	    col_reference, col_description, col_party, col_balance;
	char dc_credit[8];            /* the D/C column's word for a credit */
	int skip_header, skip_footer;
	char account[64], currency[4];
};

/* Parses a profile file's text; false with why (naming the line). */
bool csv_profile_parse(const char *text, const char *name,
    struct csv_profile *out, char *why, size_t whylen);

/* Reads rd to the end (at most max_bytes) as one statement of the
 * profile's account; refused lines are reported by number.  CB_EINVAL for
 * a file with no usable line. */
cb_err csv_read(stmt_read_fn rd, void *ctx, long long max_bytes,
    const struct csv_profile *p, const struct stmt_sink *sink, char *err,
    size_t errlen);

#endif
