/* review.c — see review.h.  Optional filters are "(? IS NULL OR …)" pairs
 * so that one prepared statement serves every combination. */
#include <stdio.h>
#include <string.h>

#include "store/payment_rows.h"
#include "store/review.h"

const char *const review_kind_names[REVIEW_KINDS] = {
	"low_confidence", "duplicate", "ocr_failed", "bank_match",
};

/* Pending payments flagged for a person, and validated ones whose bank
 * match was ambiguous. */
#define QUEUED " requires_manual_review = 1 AND (status = 'pendiente' OR" \
    " (status = 'validado' AND bank_match_ambiguous = 1))"
#define FILTERS \
    " AND (? IS NULL OR bank_code = ?) AND (? = 0 OR customer_id = ?)" \
    " AND (? IS NULL OR customer_id IN" \
    "   (SELECT id FROM customers WHERE name LIKE ?))" \
    " AND (? = 0 OR created_at <= UTC_TIMESTAMP(6) - INTERVAL ? HOUR)"
#define LIVE_CLAIM(what) "(SELECT " what " FROM review_claims rc" \
    " WHERE rc.payment_id = payments.id AND rc.until > UTC_TIMESTAMP(6))"

static const char SQL_LIST[] = "SELECT " PAYMENT_COLS ","
    " (SELECT name FROM customers cu WHERE cu.id = payments.customer_id),"
    " " LIVE_CLAIM("username") "," LIVE_CLAIM("user_id")
    " FROM payments WHERE" QUEUED " AND (? IS NULL OR review_kind = ?)" FILTERS
    " ORDER BY id LIMIT ? OFFSET ?";
static const char SQL_COUNTS[] = "SELECT review_kind, COUNT(*) FROM payments"
    " WHERE" QUEUED FILTERS " GROUP BY review_kind";
#define FREE_FOR(u) " AND NOT EXISTS (SELECT 1 FROM review_claims rc" \
    " WHERE rc.payment_id = payments.id AND rc.until > UTC_TIMESTAMP(6)" \
    " AND rc.user_id <> " u ")"
static const char SQL_NEIGHBOURS[] =
    "SELECT (SELECT id FROM payments WHERE" QUEUED " AND id < ?" FREE_FOR("?")
    "   ORDER BY id DESC LIMIT 1),"
    " (SELECT id FROM payments WHERE" QUEUED " AND id > ?" FREE_FOR("?")
    "   ORDER BY id LIMIT 1)";

/* "%part%" with LIKE's own characters escaped (backslash is the default
 * escape). */
static void
like_pattern(const char *in, char *out, size_t len)
{
	size_t o = 0;
	if (len < 3)
		return;
	out[o++] = '%';
	for (; *in && o + 3 < len; in++) {
		if (*in == '%' || *in == '_' || *in == '\\')
			out[o++] = '\\';
		out[o++] = *in;
	}
	out[o++] = '%';
	out[o] = '\0';
}

/* Binds FILTERS from position i; pat is the caller's LIKE buffer. */
static void
bind_filters(struct db_stmt *s, unsigned i, const struct review_filter *f,
    char *pat, size_t patlen)
{
	db_bind_str(s, i, f->bank_code);
	db_bind_str(s, i + 1, f->bank_code);
	db_bind_i64(s, i + 2, f->customer_id);
	db_bind_i64(s, i + 3, f->customer_id);
	if (f->customer_name)
		like_pattern(f->customer_name, pat, patlen);
	db_bind_str(s, i + 4, f->customer_name ? pat : NULL);
	db_bind_str(s, i + 5, f->customer_name ? pat : NULL);
	db_bind_i64(s, i + 6, f->min_age_hours);
	db_bind_i64(s, i + 7, f->min_age_hours);
}

cb_err
review_queue_list(struct db_conn *c, const struct review_filter *f,
    cb_err (*fn)(const struct review_item *, void *), void *arg)
{
	struct db_stmt *s;
	struct review_item it;
	char pat[4 * 201 + 3];
	bool row;
	cb_err e;
	const char *v;
	if ((e = db_prepare(c, SQL_LIST, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, f->kind);
	db_bind_str(s, 1, f->kind);
	bind_filters(s, 2, f, pat, sizeof pat);
	db_bind_i64(s, 10, f->limit);
	db_bind_i64(s, 11, f->offset);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	while ((e = db_next(c, s, &row)) == CB_OK && row) {
		if ((e = payments_fill(s, &it.row)) != CB_OK) {
			payment_row_release(&it.row);
			return e;
		}
		snprintf(it.customer_name, sizeof it.customer_name, "%s",
		    (v = db_col(s, PAYMENT_NCOLS)) ? v : "");
		snprintf(it.claimed_by, sizeof it.claimed_by, "%s",
		    (v = db_col(s, PAYMENT_NCOLS + 1)) ? v : "");
		it.claimed_by_id = db_col_i64(s, PAYMENT_NCOLS + 2);
		e = fn(&it, arg);
		payment_row_release(&it.row);
		if (e != CB_OK)
			return e;
	}
	return e;
}

cb_err
review_queue_counts(struct db_conn *c, const struct review_filter *f,
    struct review_counts *out)
{
	struct db_stmt *s;
	char pat[4 * 201 + 3];
	bool row;
	cb_err e;
	memset(out, 0, sizeof *out);
	if ((e = db_prepare(c, SQL_COUNTS, &s)) != CB_OK)
		return e;
	bind_filters(s, 0, f, pat, sizeof pat);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	while ((e = db_next(c, s, &row)) == CB_OK && row) {
		const char *k = db_col(s, 0);
		long n = (long)db_col_i64(s, 1);
		out->total += n;
		for (int i = 0; k && i < REVIEW_KINDS; i++)
			if (strcmp(k, review_kind_names[i]) == 0)
				out->by_kind[i] += n;
	}
	return e;
}

cb_err
review_queue_neighbours(struct db_conn *c, int64_t id, int64_t user_id,
    int64_t *prev, int64_t *next)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	*prev = *next = 0;
	if ((e = db_prepare(c, SQL_NEIGHBOURS, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, id);
	db_bind_i64(s, 1, user_id);
	db_bind_i64(s, 2, id);
	db_bind_i64(s, 3, user_id);
	if ((e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, &row)) != CB_OK)
		return e;
	if (row) {
		*prev = db_col_i64(s, 0);
		*next = db_col_i64(s, 1);
	}
	return CB_OK;
}

static const char SQL_DUPS[] = "SELECT id FROM payments WHERE duplicate_of = ?"
    " ORDER BY id LIMIT ?";

cb_err
review_duplicates(struct db_conn *c, int64_t id, int64_t *ids, size_t max,
    size_t *n)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	*n = 0;
	if ((e = db_prepare(c, SQL_DUPS, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, id);
	db_bind_i64(s, 1, (int64_t)max);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	while ((e = db_next(c, s, &row)) == CB_OK && row)
		if (*n < max)
			ids[(*n)++] = db_col_i64(s, 0);
	return e;
}
