/*
 * csv.h — bank statements as CSV, read by a per-bank profile (one small
 * key = value file a bank in [bank] csv_profiles_dir, or one registered
 * through the API): separator and quote, encoding (UTF-8, Latin-1,
 * Windows-1252 or CP852), decimal and thousands marks, date format, where
 * the amount is (signed, debit and credit columns, or a D/C column),
 * columns by position or header name, the lines to skip at the top and
 * bottom, and the account and currency the file is for when its rows do
 * not say.  The rows are read by bank/table.c, as a spreadsheet's are.
 */
#ifndef CB_CSV_H
#define CB_CSV_H

#include <stdbool.h>

#include "bank/statement.h"

#define CSV_MAX_COLUMNS 64
#define CSV_NAME_MAX 48           /* a column's header name, bytes */
#define CSV_MAX_JOINED 4          /* description columns joined */

enum csv_amount { CSV_SIGNED, CSV_DEBIT_CREDIT, CSV_DC_COLUMN };
/* The file's text: UTF-8, or a single-byte charset converted to it. */
enum csv_encoding { CSV_UTF8, CSV_LATIN1, CSV_CP1252, CSV_CP852 };

/* What a column holds.  Each is given by 1-based position or by the
 * name in its header row (then the header row is found in the file). */
enum csv_role {
	CSV_DATE, CSV_VALUE_DATE, CSV_AMOUNT, CSV_DEBIT, CSV_CREDIT, CSV_DC,
	CSV_REFERENCE, CSV_PARTY, CSV_PARTY_ACCOUNT, CSV_BALANCE, CSV_ACCOUNT,
	CSV_CURRENCY,
	CSV_DESCRIPTION,              /* up to CSV_MAX_JOINED, joined */
	CSV_ROLES = CSV_DESCRIPTION + CSV_MAX_JOINED
};

struct csv_profile {
	char name[33];
	char separator;
	char quote;                   /* '"' (RFC 4180), another, or 0: none */
	enum csv_encoding encoding;
	char decimal, thousands;      /* thousands 0: none */
	char date_format[16];         /* strptime-like: %d %m %b (a month's
	                                 name, es/en) %Y %y and literals */
	enum csv_amount amount_kind;
	/* By role: 1-based position (0 = absent or by name) and name. */
	int col[CSV_ROLES];
	char col_name[CSV_ROLES][CSV_NAME_MAX];
	char dc_credit[8];            /* the D/C column's word for a credit */
	bool balance_before;          /* the balance column is before the row */
	int skip_header, skip_footer;
	/* The file's account and currency when its rows do not say
	 * (account_column, currency_column). */
	char account[64], currency[4];
};

/* Whether role r is read, by position or by name. */
bool csv_has(const struct csv_profile *p, enum csv_role r);
/* Whether any column is given by name. */
bool csv_by_name(const struct csv_profile *p);
/* The profile key for role r ("date_column"); NULL for a joined
 * description column after the first. */
const char *csv_role_key(enum csv_role r);

/* Calls fn for each "key = value" line of a profile's text (trimmed;
 * blank lines and # comments passed over).  false with why naming the
 * line when one is malformed or fn refused it (fn says why). */
typedef bool (*csv_profile_kv_fn)(void *arg, const char *key,
    const char *value, char *why, size_t whylen);
bool csv_profile_each(const char *text, csv_profile_kv_fn fn, void *arg,
    char *why, size_t whylen);

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
