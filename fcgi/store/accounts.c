/* accounts.c — see accounts.h. */
#include <stdio.h>
#include <string.h>

#include "store/accounts.h"

static const char SQL_ACC_INSERT[] =
    "INSERT INTO accounts (id, level, parent_id, name, created_at)"
    " VALUES (?, ?, ?, ?, UTC_TIMESTAMP(6))";
static const char SQL_ACC_GET[] =
    "SELECT id, level, parent_id, name, created_at FROM accounts WHERE id = ?";
static const char SQL_ENTRY_INSERT[] =
    "INSERT INTO account_entries (account_id, day, kind, amount_minor,"
    " reference, created_at) VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(6))";
static const char SQL_ENTRY_LIST[] =
    "SELECT id, DATE_FORMAT(day, '%Y-%m-%d'), kind, amount_minor, reference,"
    " created_at FROM account_entries WHERE account_id = ?"
    " AND (? IS NULL OR day = ?) ORDER BY day, id LIMIT 5000";
#define PAY_COLS "p.id, p.account_id, a.level, DATE_FORMAT(p.day, '%Y-%m-%d')," \
	" p.time, p.amount_minor, p.type, p.method, p.notes, p.is_final," \
	" p.is_reversed, p.reversed_at, p.reversed_by, p.reverse_reason," \
	" p.paid_by_id, p.idempotency_key, p.created_at"
static const char SQL_PAY_INSERT[] =
    "INSERT INTO account_payments (id, account_id, day, time, amount_minor,"
    " type, method, notes, is_final, paid_by_id, idempotency_key, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6))";
static const char SQL_PAY_GET[] =
    "SELECT " PAY_COLS " FROM account_payments p JOIN accounts a"
    " ON a.id = p.account_id WHERE p.id = ?";
static const char SQL_PAY_GET_LOCK[] =
    "SELECT " PAY_COLS " FROM account_payments p JOIN accounts a"
    " ON a.id = p.account_id WHERE p.id = ? FOR UPDATE";
static const char SQL_PAY_BY_KEY[] =
    "SELECT " PAY_COLS " FROM account_payments p JOIN accounts a"
    " ON a.id = p.account_id WHERE p.paid_by_id = ? AND p.idempotency_key = ?";
static const char SQL_PAY_REVERSE[] =
    "UPDATE account_payments SET is_reversed = 1, reversed_at ="
    " UTC_TIMESTAMP(6), reversed_by = ?, reverse_reason = ?"
    " WHERE id = ? AND is_reversed = 0";
/* sales − payouts − what was paid (payments and collections settle alike)
 * that day; saldado when a payment marked the day final. */
#define TOTALS \
	" (SELECT COALESCE(SUM(amount_minor), 0) FROM account_entries" \
	"   WHERE account_id = ? AND day = ? AND kind = 'sale')," \
	" (SELECT COALESCE(SUM(amount_minor), 0) FROM account_entries" \
	"   WHERE account_id = ? AND day = ? AND kind = 'payout')," \
	" (SELECT COALESCE(SUM(amount_minor), 0) FROM account_payments" \
	"   WHERE account_id = ? AND day = ? AND is_reversed = 0)," \
	" (SELECT COALESCE(MAX(is_final), 0) FROM account_payments" \
	"   WHERE account_id = ? AND day = ? AND is_reversed = 0)"
static const char SQL_ST_COMPUTE[] = "SELECT" TOTALS;
static const char SQL_ST_STORE[] =
    "INSERT INTO account_statements (id, account_id, day, total_sales,"
    " total_payouts, total_paid, remaining_balance, is_saldado, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6)) ON DUPLICATE KEY UPDATE"
    " total_sales = VALUES(total_sales), total_payouts = VALUES(total_payouts),"
    " total_paid = VALUES(total_paid),"
    " remaining_balance = VALUES(remaining_balance),"
    " is_saldado = VALUES(is_saldado), updated_at = UTC_TIMESTAMP(6)";

static void
copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

cb_err
accounts_insert(struct db_conn *c, const char *id, const char *level,
    const char *parent_id, const char *name)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_ACC_INSERT, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, id);
	db_bind_str(s, 1, level);
	db_bind_str(s, 2, parent_id);
	db_bind_str(s, 3, name);
	return db_exec(c, s);
}

static cb_err
fill_account(const struct db_stmt *s, void *out)
{
	struct account_row *r = out;
	copy(r->id, sizeof r->id, db_col(s, 0));
	copy(r->level, sizeof r->level, db_col(s, 1));
	copy(r->parent_id, sizeof r->parent_id, db_col(s, 2));
	copy(r->name, sizeof r->name, db_col(s, 3));
	copy(r->created_at, sizeof r->created_at, db_col(s, 4));
	return CB_OK;
}

static cb_err
first(struct db_conn *c, struct db_stmt *s,
    cb_err (*fill)(const struct db_stmt *, void *), void *out)
{
	cb_err e = db_exec_one(c, s);
	return e == CB_OK ? fill(s, out) : e;
}

cb_err
accounts_get(struct db_conn *c, const char *id, struct account_row *r)
{
	struct db_stmt *s;
	cb_err e;
	memset(r, 0, sizeof *r);
	if ((e = db_prepare(c, SQL_ACC_GET, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, id);
	return first(c, s, fill_account, r);
}

cb_err
account_entries_insert(struct db_conn *c, const char *account,
    const char *day, const char *kind, int64_t amount, const char *reference)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_ENTRY_INSERT, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, account);
	db_bind_str(s, 1, day);
	db_bind_str(s, 2, kind);
	db_bind_i64(s, 3, amount);
	db_bind_str(s, 4, reference);
	return db_exec(c, s);
}

cb_err
account_entries_list(struct db_conn *c, const char *account, const char *day,
    cb_err (*fn)(const struct account_entry_row *, void *), void *arg)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	if ((e = db_prepare(c, SQL_ENTRY_LIST, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, account);
	db_bind_str(s, 1, day);
	db_bind_str(s, 2, day);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	while ((e = db_next(c, s, &row)) == CB_OK && row) {
		struct account_entry_row r = {.id = db_col_i64(s, 0),
		    .day = db_col(s, 1), .kind = db_col(s, 2),
		    .amount_minor = db_col_i64(s, 3), .reference = db_col(s, 4),
		    .created_at = db_col(s, 5)};
		if ((e = fn(&r, arg)) != CB_OK)
			break;
	}
	return e;
}

cb_err
account_payments_insert(struct db_conn *c, const struct account_payment *p)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_PAY_INSERT, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, p->id);
	db_bind_str(s, 1, p->account_id);
	db_bind_str(s, 2, p->day);
	db_bind_str(s, 3, p->time);
	db_bind_i64(s, 4, p->amount_minor);
	db_bind_str(s, 5, p->type);
	db_bind_str(s, 6, p->method);
	db_bind_str(s, 7, p->notes[0] ? p->notes : NULL);
	db_bind_i64(s, 8, p->is_final);
	db_bind_str(s, 9, p->paid_by_id);
	db_bind_str(s, 10, p->idempotency_key[0] ? p->idempotency_key : NULL);
	return db_exec(c, s);
}

static cb_err
fill_payment(const struct db_stmt *s, void *out)
{
	struct account_payment *p = out;
	memset(p, 0, sizeof *p);
	copy(p->id, sizeof p->id, db_col(s, 0));
	copy(p->account_id, sizeof p->account_id, db_col(s, 1));
	copy(p->level, sizeof p->level, db_col(s, 2));
	copy(p->day, sizeof p->day, db_col(s, 3));
	copy(p->time, sizeof p->time, db_col(s, 4));
	p->amount_minor = db_col_i64(s, 5);
	copy(p->type, sizeof p->type, db_col(s, 6));
	copy(p->method, sizeof p->method, db_col(s, 7));
	copy(p->notes, sizeof p->notes, db_col(s, 8));
	p->is_final = db_col_i64(s, 9) != 0;
	p->is_reversed = db_col_i64(s, 10) != 0;
	copy(p->reversed_at, sizeof p->reversed_at, db_col(s, 11));
	copy(p->reversed_by, sizeof p->reversed_by, db_col(s, 12));
	copy(p->reverse_reason, sizeof p->reverse_reason, db_col(s, 13));
	copy(p->paid_by_id, sizeof p->paid_by_id, db_col(s, 14));
	copy(p->idempotency_key, sizeof p->idempotency_key, db_col(s, 15));
	copy(p->created_at, sizeof p->created_at, db_col(s, 16));
	return CB_OK;
}

cb_err
account_payments_get(struct db_conn *c, const char *id, bool lock,
    struct account_payment *p)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, lock ? SQL_PAY_GET_LOCK : SQL_PAY_GET, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, id);
	return first(c, s, fill_payment, p);
}

cb_err
account_payments_by_key(struct db_conn *c, const char *paid_by,
    const char *key, struct account_payment *p)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_PAY_BY_KEY, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, paid_by);
	db_bind_str(s, 1, key);
	return first(c, s, fill_payment, p);
}

cb_err
account_payments_reverse(struct db_conn *c, const char *id, const char *by,
    const char *reason, bool *changed)
{
	struct db_stmt *s;
	cb_err e;
	*changed = false;
	if ((e = db_prepare(c, SQL_PAY_REVERSE, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, by);
	db_bind_str(s, 1, reason);
	db_bind_str(s, 2, id);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	*changed = db_affected(s) > 0;
	return CB_OK;
}

cb_err
statement_compute(struct db_conn *c, const char *account, const char *day,
    struct account_statement *st)
{
	struct db_stmt *s;
	cb_err e;
	memset(st, 0, sizeof *st);
	if ((e = db_prepare(c, SQL_ST_COMPUTE, &s)) != CB_OK)
		return e;
	for (unsigned i = 0; i < 8; i += 2) {
		db_bind_str(s, i, account);
		db_bind_str(s, i + 1, day);
	}
	if ((e = db_exec_one(c, s)) != CB_OK)
		return e;
	st->total_sales = db_col_i64(s, 0);
	st->total_payouts = db_col_i64(s, 1);
	st->total_paid = db_col_i64(s, 2);
	st->is_saldado = db_col_i64(s, 3) != 0;
	st->remaining = st->total_sales - st->total_payouts - st->total_paid;
	/* One statement per account and day: its id says which. */
	char compact[9];
	snprintf(compact, sizeof compact, "%.4s%.2s%.2s", day, day + 5, day + 8);
	snprintf(st->id, sizeof st->id, "stmt-%s-%s", account, compact);
	copy(st->account_id, sizeof st->account_id, account);
	copy(st->day, sizeof st->day, day);
	return CB_OK;
}

cb_err
statement_refresh(struct db_conn *c, const char *account, const char *day,
    struct account_statement *st)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = statement_compute(c, account, day, st)) != CB_OK ||
	    (e = db_prepare(c, SQL_ST_STORE, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, st->id);
	db_bind_str(s, 1, account);
	db_bind_str(s, 2, day);
	db_bind_i64(s, 3, st->total_sales);
	db_bind_i64(s, 4, st->total_payouts);
	db_bind_i64(s, 5, st->total_paid);
	db_bind_i64(s, 6, st->remaining);
	db_bind_i64(s, 7, st->is_saldado);
	return db_exec(c, s);
}
