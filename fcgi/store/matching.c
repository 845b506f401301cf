/* matching.c — see matching.h. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "store/matching.h"
#include "util/jsonx.h"

/* Who the bank may reconcile: validated vouchers, and pending ones whose
 * client asked for the bank to judge them (sql/009). */
#define RECONCILABLE "(status = 'validado' OR (status = 'pendiente'" \
    " AND bank_validation = 1))"

static const char SQL_VOUCHERS[] =
    "SELECT p.id, COALESCE(p.bank_account_id, 0), p.currency, p.amount_minor,"
    " DATE_FORMAT(p.transaction_date, '%Y-%m-%d'), COALESCE(p.reference, ''),"
    " c.name, c.document_id, p.version, p.bank_judged,"
    " p.duplicate_of IS NOT NULL, p.customer_id, p.registered_by FROM payments p"
    " JOIN customers c ON c.id = p.customer_id"
    " WHERE (p.status = 'validado' OR (p.status = 'pendiente'"
    " AND p.bank_validation = 1)) AND p.bank_match_manual = 0"
    " AND p.amount_minor IS NOT NULL"
    " AND p.transaction_date IS NOT NULL"
    " AND NOT (p.duplicate_of IS NOT NULL AND p.requires_manual_review = 1)"
    " AND NOT EXISTS (SELECT 1 FROM bank_movements m WHERE m.payment_id = p.id)";
static const char SQL_VOUCHER[] =
    "SELECT p.id, COALESCE(p.bank_account_id, 0), p.currency, p.amount_minor,"
    " DATE_FORMAT(p.transaction_date, '%Y-%m-%d'), COALESCE(p.reference, ''),"
    " c.name, c.document_id, p.version, p.status FROM payments p"
    " JOIN customers c ON c.id = p.customer_id WHERE p.id = ?";
static const char SQL_MOVEMENTS[] =
    "SELECT id, account_id, currency, amount_minor,"
    " DATE_FORMAT(booking_date, '%Y-%m-%d'),"
    " CONCAT_WS(' ', svcr_ref, tx_id, end_to_end, creditor_ref, entry_ref,"
    " entry_svcr_ref, LEFT(info, 80)),"
    " COALESCE(party_name, ''), COALESCE(party_id, '') FROM bank_movements"
    " WHERE payment_id IS NULL AND credit = 1 AND reversal = 0"
    " AND reversed_by IS NULL"
    " AND status = 'booked' AND amount_minor IS NOT NULL"
    " AND booking_date BETWEEN ? AND ?";
static const char SQL_WINDOW_ALL[] =
    "SELECT id, account_id, currency, amount_minor,"
    " DATE_FORMAT(booking_date, '%Y-%m-%d'),"
    " CONCAT_WS(' ', svcr_ref, tx_id, end_to_end, creditor_ref, entry_ref,"
    " entry_svcr_ref, LEFT(info, 80)),"
    " COALESCE(party_name, ''), COALESCE(party_id, ''),"
    " COALESCE(payment_id, 0) FROM bank_movements"
    " WHERE account_id = ? AND credit = 1 AND reversal = 0"
    " AND reversed_by IS NULL AND status = 'booked'"
    " AND amount_minor IS NOT NULL AND booking_date BETWEEN ? AND ?";
/* Movements of one amount already tied to a payment: what a second
 * voucher for the same deposit would claim. */
static const char SQL_USED_LIKE[] =
    "SELECT id, account_id, currency, amount_minor,"
    " DATE_FORMAT(booking_date, '%Y-%m-%d'),"
    " CONCAT_WS(' ', svcr_ref, tx_id, end_to_end, creditor_ref, entry_ref,"
    " entry_svcr_ref, LEFT(info, 80)),"
    " COALESCE(party_name, ''), COALESCE(party_id, ''),"
    " COALESCE(payment_id, 0) FROM bank_movements"
    " WHERE account_id = ? AND booking_date BETWEEN ? AND ?"
    " AND amount_minor = ? AND payment_id IS NOT NULL AND credit = 1"
    " AND reversal = 0 AND reversed_by IS NULL AND status = 'booked'";
static const char SQL_FLAG_DUPLICATE[] =
    "UPDATE payments SET requires_manual_review = 1,"
    " bank_match_ambiguous = (status = 'validado'), duplicate_of = ?,"
    " review_reason = ?, version = version + 1, updated_at = UTC_TIMESTAMP(6)"
    " WHERE id = ? AND status IN ('validado', 'pendiente')"
    " AND NOT (duplicate_of <=> ? AND review_reason <=> ?)";
/* The account's statements that reach into [from, to], by first day. */
/* The statements around a window (from a week before it, for the chain
 * of balances into it), oldest first. */
static const char SQL_COVERAGE[] =
    "SELECT DATE_FORMAT(COALESCE(opening_date, first_date), '%Y-%m-%d'),"
    " DATE_FORMAT(COALESCE(closing_date, last_date), '%Y-%m-%d'),"
    " balance_gap = 0, opening, closing FROM bank_statements"
    " WHERE account_id = ?"
    " AND COALESCE(closing_date, last_date) >= ? - INTERVAL 7 DAY"
    " AND COALESCE(opening_date, first_date) <= ?"
    " ORDER BY COALESCE(opening_date, first_date), id";
static const char SQL_REJECT[] =
    "UPDATE payments SET previous_status = status, status = 'rechazado',"
    " review_reason = ?, duplicate_of = COALESCE(?, duplicate_of),"
    " requires_manual_review = 0, bank_match_ambiguous = 0,"
    " version = version + 1, updated_at = UTC_TIMESTAMP(6)"
    " WHERE id = ? AND status = 'pendiente' AND bank_validation = 1"
    " AND version = ?";
static const char SQL_FLAG_INVALID[] =
    "UPDATE payments SET requires_manual_review = 1, bank_match_ambiguous = 1,"
    " bank_judged = 1,"
    " review_reason = ?, duplicate_of = COALESCE(?, duplicate_of),"
    " version = version + 1, updated_at = UTC_TIMESTAMP(6)"
    " WHERE id = ? AND status = 'validado' AND version = ?"
    " AND NOT (bank_match_ambiguous = 1 AND review_reason <=> ?)";
/* Reconciling many pairs at once: the pairs as a JSON parameter
 * [[payment, version, movement], …]; those still free and reconcilable
 * are locked and read, then tied and updated together. */
#define PAIRS "JSON_TABLE(?, '$[*]' COLUMNS (pid BIGINT UNSIGNED PATH '$[0]'," \
    " ver INT UNSIGNED PATH '$[1]', mid BIGINT UNSIGNED PATH '$[2]')) AS t"
static const char SQL_MANY_LOCK[] =
    "SELECT t.pid, t.mid, p.amount_minor, DATE_FORMAT(p.transaction_date,"
    " '%Y-%m-%d'), p.currency, p.status, m.amount_minor,"
    " DATE_FORMAT(m.booking_date, '%Y-%m-%d'),"
    " COALESCE(m.svcr_ref, m.tx_id, m.end_to_end, '') FROM " PAIRS
    " JOIN payments p ON p.id = t.pid AND p.version = t.ver"
    " AND (p.status = 'validado' OR (p.status = 'pendiente'"
    " AND p.bank_validation = 1))"
    " AND NOT (p.duplicate_of IS NOT NULL AND p.requires_manual_review = 1)"
    " JOIN bank_movements m ON m.id = t.mid AND m.payment_id IS NULL"
    " AND m.reversed_by IS NULL FOR UPDATE";
static const char SQL_MANY_TIE[] =
    "UPDATE bank_movements m JOIN " PAIRS " ON m.id = t.mid"
    " SET m.payment_id = t.pid";
/* A multi-table UPDATE promises no order among its assignments: with
 * SIMULTANEOUS_ASSIGNMENT every right-hand side reads the row as it was,
 * so what is kept is the voucher's own (the rest of sql_mode as the
 * server's default). */
static const char SQL_MANY_RECONCILE[] =
    "SET STATEMENT sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,"
    "NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION,SIMULTANEOUS_ASSIGNMENT' FOR"
    " UPDATE payments p JOIN " PAIRS " ON p.id = t.pid"
    " JOIN bank_movements m ON m.id = t.mid"
    " SET p.previous_status = p.status, p.voucher_amount_minor = p.amount_minor,"
    " p.voucher_date = p.transaction_date, p.requires_manual_review ="
    " IF(p.bank_match_ambiguous, 0, p.requires_manual_review),"
    " p.status = 'conciliado', p.amount_minor = m.amount_minor,"
    " p.transaction_date = m.booking_date, p.bank_operation_number ="
    " NULLIF(COALESCE(m.svcr_ref, m.tx_id, m.end_to_end, ''), ''),"
    " p.bank_match_ambiguous = 0, p.bank_judged = 0,"
    " p.version = p.version + 1,"
    " p.updated_at = UTC_TIMESTAMP(6)";
/* Whether nobody hears of these payments (no client listens anywhere, and
 * none of them has its own webhook URL): then the batch's UPDATE tells the
 * outbox trigger (sql/010) to stay quiet, as it would have found no one;
 * its per-row listener lookup cost a third of a 10 k-payment pass. */
static const char SQL_MANY_QUIET[] =
    "SELECT NOT EXISTS (SELECT 1 FROM webhook_listeners) AND NOT EXISTS"
    " (SELECT 1 FROM payments p JOIN " PAIRS " ON p.id = t.pid"
    "  WHERE p.webhook_url IS NOT NULL)";
/* A voucher paid in up to MATCH_SPLIT_MAX deposits (unused ids are 0). */
static const char SQL_PARTS_LOCK[] =
    "SELECT COUNT(*), SUM(amount_minor), DATE_FORMAT(MAX(booking_date),"
    " '%Y-%m-%d'), GROUP_CONCAT(COALESCE(svcr_ref, tx_id, end_to_end, id)"
    " ORDER BY booking_date, id SEPARATOR '+') FROM bank_movements"
    " WHERE id IN (?, ?, ?, ?, ?) AND payment_id IS NULL"
    " AND reversed_by IS NULL FOR UPDATE";
static const char SQL_PARTS_TIE[] =
    "UPDATE bank_movements SET payment_id = ? WHERE id IN (?, ?, ?, ?, ?)"
    " AND payment_id IS NULL";
/* One of the vouchers a shared deposit paid: its amount stays its own
 * part of the deposit (assignments run left to right). */
static const char SQL_PAY_SHARED[] =
    "UPDATE payments SET previous_status = status, status = 'conciliado',"
    " voucher_amount_minor = amount_minor, voucher_date = transaction_date,"
    " transaction_date = ?, bank_operation_number = ?, shared_movement_id = ?,"
    " requires_manual_review = IF(bank_match_ambiguous, 0, requires_manual_review),"
    " bank_match_ambiguous = 0, bank_judged = 0, version = version + 1,"
    " updated_at = UTC_TIMESTAMP(6) WHERE id = ? AND " RECONCILABLE
    " AND version = ?";
static const char SQL_TIED[] =
    "SELECT id, account_id, currency, COALESCE(amount_minor, 0),"
    " DATE_FORMAT(booking_date, '%Y-%m-%d'),"
    " CONCAT_WS(' ', svcr_ref, tx_id, end_to_end, creditor_ref, entry_ref,"
    " entry_svcr_ref, LEFT(info, 80)),"
    " COALESCE(party_name, ''), COALESCE(party_id, '') FROM bank_movements"
    " WHERE payment_id = ? OR id = (SELECT shared_movement_id FROM payments"
    " WHERE id = ?) ORDER BY id LIMIT 1";
static const char SQL_MOV_LOCK[] =
    "SELECT amount_minor, DATE_FORMAT(booking_date, '%Y-%m-%d'),"
    " COALESCE(svcr_ref, tx_id, end_to_end, '') FROM bank_movements"
    " WHERE id = ? AND payment_id IS NULL FOR UPDATE";
static const char SQL_PAY_LOCK[] =
    "SELECT amount_minor, DATE_FORMAT(transaction_date, '%Y-%m-%d'), currency,"
    " status FROM payments WHERE id = ? AND " RECONCILABLE " AND version = ?"
    " FOR UPDATE";
static const char SQL_MOV_TIE[] =
    "UPDATE bank_movements SET payment_id = ? WHERE id = ? AND payment_id IS NULL";
/* The voucher's own amount and day are kept before the bank's replace
 * them (assignments run left to right). */
static const char SQL_PAY_RECONCILE[] =
    "UPDATE payments SET previous_status = status, status = 'conciliado',"
    " voucher_amount_minor = amount_minor, voucher_date = transaction_date,"
    " amount_minor = ?, transaction_date = ?, bank_operation_number = ?,"
    " requires_manual_review = IF(bank_match_ambiguous, 0, requires_manual_review),"
    " bank_match_ambiguous = 0, bank_judged = 0, version = version + 1,"
    " updated_at = UTC_TIMESTAMP(6) WHERE id = ? AND " RECONCILABLE
    " AND version = ?";
static const char SQL_UNDO_LOCK[] =
    "SELECT status, version, currency, amount_minor,"
    " DATE_FORMAT(transaction_date, '%Y-%m-%d'), COALESCE(voucher_amount_minor,"
    " amount_minor), DATE_FORMAT(COALESCE(voucher_date, transaction_date),"
    " '%Y-%m-%d'), COALESCE(bank_operation_number, ''),"
    " IF(previous_status = 'pendiente', 'pendiente', 'validado'),"
    " COALESCE(shared_movement_id, (SELECT MIN(id) FROM bank_movements"
    " WHERE payment_id = payments.id))"
    " FROM payments WHERE id = ? FOR UPDATE";
/* Its own deposits, and a shared one (whose payment_id may name a
 * partner). */
static const char SQL_UNDO_FREE[] =
    "UPDATE bank_movements SET payment_id = NULL WHERE payment_id = ?"
    " OR id = (SELECT shared_movement_id FROM payments WHERE id = ?)";
static const char SQL_PARTNERS[] =
    "SELECT q.id FROM payments p JOIN payments q"
    " ON q.shared_movement_id = p.shared_movement_id AND q.id <> p.id"
    " AND q.status = 'conciliado' WHERE p.id = ? ORDER BY q.id LIMIT 5";
/* status before previous_status: assignments run left to right. */
static const char SQL_UNDO_PAY[] =
    "UPDATE payments SET status = ?, previous_status = 'conciliado',"
    " amount_minor = COALESCE(voucher_amount_minor, amount_minor),"
    " transaction_date = COALESCE(voucher_date, transaction_date),"
    " voucher_amount_minor = NULL, voucher_date = NULL,"
    " bank_operation_number = NULL, shared_movement_id = NULL,"
    " bank_match_manual = GREATEST(bank_match_manual, ?), bank_judged = 0,"
    " version = version + 1, updated_at = UTC_TIMESTAMP(6)"
    " WHERE id = ? AND status = 'conciliado'";
/* A voucher the engine cannot decide goes to a person: a validated one,
 * and a bank-validation one still waiting (before, those waited forever
 * with no flag, no reason and no webhook). */
static const char SQL_FLAG[] =
    "UPDATE payments SET requires_manual_review = 1, bank_match_ambiguous = 1,"
    " review_reason = ?, version = version + 1, updated_at = UTC_TIMESTAMP(6)"
    " WHERE id = ? AND (status = 'validado' OR (status = 'pendiente'"
    " AND bank_validation = 1))"
    " AND NOT (bank_match_ambiguous = 1 AND review_reason <=> ?)";

static void
copy(char *out, size_t len, const char *v)
{
	snprintf(out, len, "%s", v ? v : "");
}

cb_err
matching_vouchers(struct db_conn *c,
    cb_err (*fn)(const struct match_voucher *, const struct voucher_state *,
    void *), void *arg)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	if ((e = db_prepare(c, SQL_VOUCHERS, &s)) != CB_OK ||
	    (e = db_exec(c, s)) != CB_OK)
		return e;
	while ((e = db_next(c, s, &row)) == CB_OK && row) {
		struct match_voucher v;
		memset(&v, 0, sizeof v);
		v.id = db_col_i64(s, 0);
		v.account = db_col_i64(s, 1);
		copy(v.currency, sizeof v.currency, db_col(s, 2));
		v.amount_minor = db_col_i64(s, 3);
		v.day = match_day(db_col(s, 4));
		copy(v.ref, sizeof v.ref, db_col(s, 5));
		copy(v.payer_name, sizeof v.payer_name, db_col(s, 6));
		copy(v.payer_id, sizeof v.payer_id, db_col(s, 7));
		struct voucher_state st = {.version = (unsigned)db_col_i64(s, 8),
		    .judged = db_col_i64(s, 9) != 0,
		    .duplicate = db_col_i64(s, 10) != 0,
		    .customer = db_col_i64(s, 11), .client = db_col_i64(s, 12)};
		if ((e = fn(&v, &st, arg)) != CB_OK)
			return e;
	}
	return e;
}

cb_err
matching_voucher(struct db_conn *c, int64_t payment_id, struct match_voucher *v,
    unsigned *version, char status[16])
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	memset(v, 0, sizeof *v);
	if ((e = db_prepare(c, SQL_VOUCHER, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, payment_id);
	if ((e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, &row)) != CB_OK)
		return e;
	if (!row)
		return CB_ENOTFOUND;
	bool usable = db_col(s, 3) && db_col(s, 4);
	v->id = db_col_i64(s, 0);
	v->account = db_col_i64(s, 1);
	copy(v->currency, sizeof v->currency, db_col(s, 2));
	v->amount_minor = db_col_i64(s, 3);
	v->day = match_day(db_col(s, 4));
	copy(v->ref, sizeof v->ref, db_col(s, 5));
	copy(v->payer_name, sizeof v->payer_name, db_col(s, 6));
	copy(v->payer_id, sizeof v->payer_id, db_col(s, 7));
	*version = (unsigned)db_col_i64(s, 8);
	snprintf(status, 16, "%s", db_col(s, 9) ? db_col(s, 9) : "");
	return usable ? CB_OK : CB_EINVAL;
}

/* A movement row as SQL_MOVEMENTS and SQL_TIED select it. */
static void
movement_fill(const struct db_stmt *s, struct match_movement *m)
{
	memset(m, 0, sizeof *m);
	m->id = db_col_i64(s, 0);
	m->account = db_col_i64(s, 1);
	copy(m->currency, sizeof m->currency, db_col(s, 2));
	m->amount_minor = db_col_i64(s, 3);
	m->day = match_day(db_col(s, 4));
	m->credit = m->booked = true;
	copy(m->refs, sizeof m->refs, db_col(s, 5));
	copy(m->party_name, sizeof m->party_name, db_col(s, 6));
	copy(m->party_id, sizeof m->party_id, db_col(s, 7));
}

/* Movements booked from_day..to_day as sql selects them (SQL_MOVEMENTS:
 * free ones; SQL_WINDOW_ALL: one account's, used ones with their payment
 * as a ninth column). */
static cb_err
movements_query(struct db_conn *c, const char *sql, int64_t account,
    int from_day, int to_day, int64_t amount,
    cb_err (*fn)(const struct match_movement *, void *), void *arg)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	char from[11], to[11];
	unsigned k = 0;
	match_day_text(from_day, from);
	match_day_text(to_day, to);
	if ((e = db_prepare(c, sql, &s)) != CB_OK)
		return e;
	if (account)
		db_bind_i64(s, k++, account);
	db_bind_str(s, k++, from);
	db_bind_str(s, k++, to);
	if (amount)
		db_bind_i64(s, k, amount);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	while ((e = db_next(c, s, &row)) == CB_OK && row) {
		struct match_movement m;
		movement_fill(s, &m);
		if (account) {
			m.used_by = db_col_i64(s, 8);
			m.used = m.used_by != 0;
		}
		if ((e = fn(&m, arg)) != CB_OK)
			return e;
	}
	return e;
}

cb_err
matching_movements(struct db_conn *c, int from_day, int to_day,
    cb_err (*fn)(const struct match_movement *, void *), void *arg)
{
	return movements_query(c, SQL_MOVEMENTS, 0, from_day, to_day, 0, fn, arg);
}

cb_err
matching_tied(struct db_conn *c, int64_t payment_id, struct match_movement *m,
    bool *found)
{
	struct db_stmt *s;
	cb_err e;
	memset(m, 0, sizeof *m);
	if ((e = db_prepare(c, SQL_TIED, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, payment_id);
	db_bind_i64(s, 1, payment_id);
	if ((e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, found)) != CB_OK)
		return e;
	if (*found)
		movement_fill(s, m);
	return CB_OK;
}

/* The movement, locked and still free: the bank's amount, day and
 * operation number into d's new_* and operation; *row false when not. */
static cb_err
mov_lock(struct db_conn *c, int64_t movement_id, struct reconcile_diff *d,
    bool *row)
{
	struct db_stmt *s;
	cb_err e;
	*row = false;
	if ((e = db_prepare(c, SQL_MOV_LOCK, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, movement_id);
	if ((e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, row)) != CB_OK ||
	    !*row)
		return e;
	d->new_amount = db_col_i64(s, 0);
	copy(d->new_date, sizeof d->new_date, db_col(s, 1));
	copy(d->operation, sizeof d->operation, db_col(s, 2));
	return CB_OK;
}

/* Ties the movement locked by mov_lock to payment_id: CB_ECONFLICT when
 * that missed (roll back). */
static cb_err
mov_tie(struct db_conn *c, int64_t payment_id, int64_t movement_id)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_MOV_TIE, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, payment_id);
	db_bind_i64(s, 1, movement_id);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	return db_affected(s) == 1 ? CB_OK : CB_ECONFLICT;
}

/* The payment, locked, at version and still reconcilable: its old_* and
 * from_status into d; *row false when not. */
static cb_err
pay_lock(struct db_conn *c, int64_t payment_id, unsigned version,
    struct reconcile_diff *d, bool *row)
{
	struct db_stmt *s;
	cb_err e;
	*row = false;
	if ((e = db_prepare(c, SQL_PAY_LOCK, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, payment_id);
	db_bind_i64(s, 1, version);
	if ((e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, row)) != CB_OK ||
	    !*row)
		return e;
	d->had_amount = db_col(s, 0) != NULL;
	d->old_amount = db_col_i64(s, 0);
	copy(d->old_date, sizeof d->old_date, db_col(s, 1));
	copy(d->currency, sizeof d->currency, db_col(s, 2));
	copy(d->from_status, sizeof d->from_status, db_col(s, 3));
	return CB_OK;
}

/* The payment locked by pay_lock takes d's new_* and operation. */
static cb_err
pay_reconcile(struct db_conn *c, int64_t payment_id, unsigned version,
    struct reconcile_diff *d, bool *done)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_PAY_RECONCILE, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, d->new_amount);
	db_bind_str(s, 1, d->new_date);
	db_bind_str(s, 2, d->operation[0] ? d->operation : NULL);
	db_bind_i64(s, 3, payment_id);
	db_bind_i64(s, 4, version);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	*done = db_affected(s) == 1;
	d->version = version + 1;
	return CB_OK;
}

cb_err
matching_reconcile(struct db_conn *c, int64_t payment_id, unsigned version,
    int64_t movement_id, bool *done, struct reconcile_diff *d)
{
	bool row;
	cb_err e;
	*done = false;
	memset(d, 0, sizeof *d);
	if ((e = mov_lock(c, movement_id, d, &row)) != CB_OK || !row ||
	    (e = pay_lock(c, payment_id, version, d, &row)) != CB_OK || !row ||
	    (e = mov_tie(c, payment_id, movement_id)) != CB_OK ||
	    (e = pay_reconcile(c, payment_id, version, d, done)) != CB_OK)
		return e;
	d->movement = movement_id;
	snprintf(d->to_status, sizeof d->to_status, "conciliado");
	return CB_OK;
}

cb_err
matching_flag(struct db_conn *c, int64_t payment_id, const char *why)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_FLAG, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, why);
	db_bind_i64(s, 1, payment_id);
	db_bind_str(s, 2, why);
	return db_exec(c, s);
}

cb_err
matching_undo(struct db_conn *c, int64_t payment_id, unsigned version,
    bool by_person, bool *done, struct reconcile_diff *d)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	*done = false;
	memset(d, 0, sizeof *d);
	if ((e = db_prepare(c, SQL_UNDO_LOCK, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, payment_id);
	if ((e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, &row)) != CB_OK)
		return e;
	if (!row)
		return CB_ENOTFOUND;
	if (strcmp(db_col(s, 0), "conciliado") != 0 ||
	    (version && (unsigned)db_col_i64(s, 1) != version))
		return CB_OK;
	d->version = (unsigned)db_col_i64(s, 1) + 1;
	copy(d->currency, sizeof d->currency, db_col(s, 2));
	d->had_amount = db_col(s, 3) != NULL;
	d->old_amount = db_col_i64(s, 3);
	copy(d->old_date, sizeof d->old_date, db_col(s, 4));
	d->new_amount = db_col_i64(s, 5);
	copy(d->new_date, sizeof d->new_date, db_col(s, 6));
	copy(d->old_operation, sizeof d->old_operation, db_col(s, 7));
	snprintf(d->from_status, sizeof d->from_status, "conciliado");
	copy(d->to_status, sizeof d->to_status, db_col(s, 8));
	d->movement = db_col_i64(s, 9);
	if ((e = db_prepare(c, SQL_UNDO_FREE, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, payment_id);
	db_bind_i64(s, 1, payment_id);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	if ((e = db_prepare(c, SQL_UNDO_PAY, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, d->to_status);
	db_bind_i64(s, 1, by_person);
	db_bind_i64(s, 2, payment_id);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	*done = db_affected(s) == 1;
	return CB_OK;
}

cb_err
matching_window_all(struct db_conn *c, int64_t account, int from_day,
    int to_day, cb_err (*fn)(const struct match_movement *, void *), void *arg)
{
	return movements_query(c, SQL_WINDOW_ALL, account, from_day, to_day, 0,
	    fn, arg);
}

cb_err
matching_used_like(struct db_conn *c, int64_t account, int from_day,
    int to_day, int64_t amount,
    cb_err (*fn)(const struct match_movement *, void *), void *arg)
{
	return movements_query(c, SQL_USED_LIKE, account, from_day, to_day,
	    amount, fn, arg);
}

cb_err
matching_flag_duplicate(struct db_conn *c, int64_t payment_id,
    int64_t original, const char *why)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_FLAG_DUPLICATE, &s)) != CB_OK)
		return e;
	/* 0: a payment of another client, which is never named. */
	for (unsigned i = 0; i < 4; i += 3) {
		if (original)
			db_bind_i64(s, i, original);
		else
			db_bind_null(s, i);
	}
	db_bind_str(s, 1, why);
	db_bind_i64(s, 2, payment_id);
	db_bind_str(s, 4, why);
	return db_exec(c, s);
}

cb_err
matching_coverage(struct db_conn *c, int64_t account, int from_day,
    int to_day, bool *covered)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	char from[11], to[11];
	*covered = false;
	match_day_text(from_day, from);
	match_day_text(to_day, to);
	if ((e = db_prepare(c, SQL_COVERAGE, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, account);
	db_bind_str(s, 1, from);
	db_bind_str(s, 2, to);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	/* Sweep: every day from..to inside a statement that adds up, and no
	 * statement there that does not (a missing movement could be it).
	 * Days between two statements are covered when the later one opens
	 * with the earlier one's closing balance: nothing moved between them
	 * (daily statements whose opening is dated their own day leave the
	 * weekend between Friday's and Monday's). */
	int next = from_day, prev_end = INT_MIN;
	char prev_close[48] = "";
	bool broken = false;
	while ((e = db_next(c, s, &row)) == CB_OK && row) {
		int a = match_day(db_col(s, 0)), b = match_day(db_col(s, 1));
		const char *open = db_col(s, 3), *close = db_col(s, 4);
		if (!db_col(s, 2) || db_col_i64(s, 2) != 1 || a < 0 || b < 0) {
			if (b >= from_day || b < 0)
				broken = true;
			prev_close[0] = '\0';
			continue;
		}
		if (a <= next && b >= next)
			next = b + 1;
		else if (a > next && prev_end < next && prev_close[0] && open &&
		    !strcmp(open, prev_close) && b >= next)
			next = b + 1; /* chained over the gap */
		if (b > prev_end) {
			prev_end = b;
			snprintf(prev_close, sizeof prev_close, "%s", close ? close : "");
		}
	}
	if (e == CB_OK)
		*covered = !broken && next > to_day;
	return e;
}

cb_err
matching_invalidate(struct db_conn *c, int64_t payment_id, unsigned version,
    const char *why, int64_t duplicate_of, enum invalidated *done)
{
	struct db_stmt *s;
	cb_err e;
	*done = INVALIDATED_NOTHING;
	if ((e = db_prepare(c, SQL_REJECT, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, why);
	if (duplicate_of)
		db_bind_i64(s, 1, duplicate_of);
	else
		db_bind_null(s, 1);
	db_bind_i64(s, 2, payment_id);
	db_bind_i64(s, 3, version);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	if (db_affected(s) == 1) {
		*done = INVALIDATED_REJECTED;
		return CB_OK;
	}
	if ((e = db_prepare(c, SQL_FLAG_INVALID, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, why);
	if (duplicate_of)
		db_bind_i64(s, 1, duplicate_of);
	else
		db_bind_null(s, 1);
	db_bind_i64(s, 2, payment_id);
	db_bind_i64(s, 3, version);
	db_bind_str(s, 4, why);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	if (db_affected(s) == 1)
		*done = INVALIDATED_FLAGGED;
	return CB_OK;
}

/* [[payment, version, movement], …] for the pairs (all, or the ok ones). */
static char *
pairs_json(const struct reconcile_pair *p, size_t n, const bool *ok)
{
	json_object *a = jx_array();
	for (size_t i = 0; i < n; i++) {
		if (ok && !ok[i])
			continue;
		json_object *t = jx_array();
		jx_push(t, jx_int64(p[i].payment));
		jx_push(t, jx_int64(p[i].version));
		jx_push(t, jx_int64(p[i].movement));
		jx_push(a, t);
	}
	char *out = strdup(json_object_to_json_string_ext(a,
	    JSON_C_TO_STRING_PLAIN));
	json_object_put(a);
	return out;
}

static cb_err
exec_pairs(struct db_conn *c, const char *sql, const char *pairs,
    uint64_t *affected)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, sql, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, pairs);
	if ((e = db_exec(c, s)) == CB_OK && affected)
		*affected = db_affected(s);
	return e;
}

cb_err
matching_reconcile_many(struct db_conn *c, const struct reconcile_pair *p,
    size_t n, bool *ok, struct reconcile_diff *d, size_t *done)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	char *all = NULL, *good = NULL;
	*done = 0;
	memset(ok, 0, n * sizeof *ok);
	memset(d, 0, n * sizeof *d);
	if (!n)
		return CB_OK;
	if (!(all = pairs_json(p, n, NULL)))
		return CB_ENOMEM;
	if ((e = db_prepare(c, SQL_MANY_LOCK, &s)) != CB_OK)
		goto out;
	db_bind_str(s, 0, all);
	if ((e = db_exec(c, s)) != CB_OK)
		goto out;
	while ((e = db_next(c, s, &row)) == CB_OK && row) {
		int64_t pid = db_col_i64(s, 0), mid = db_col_i64(s, 1);
		for (size_t i = 0; i < n; i++) {
			if (ok[i] || p[i].payment != pid || p[i].movement != mid)
				continue;
			struct reconcile_diff *x = &d[i];
			ok[i] = true;
			x->had_amount = db_col(s, 2) != NULL;
			x->old_amount = db_col_i64(s, 2);
			copy(x->old_date, sizeof x->old_date, db_col(s, 3));
			copy(x->currency, sizeof x->currency, db_col(s, 4));
			copy(x->from_status, sizeof x->from_status, db_col(s, 5));
			x->new_amount = db_col_i64(s, 6);
			copy(x->new_date, sizeof x->new_date, db_col(s, 7));
			copy(x->operation, sizeof x->operation, db_col(s, 8));
			snprintf(x->to_status, sizeof x->to_status, "conciliado");
			x->movement = mid;
			x->version = p[i].version + 1;
			(*done)++;
			break;
		}
	}
	if (e != CB_OK || !*done)
		goto out;
	if (!(good = pairs_json(p, n, ok))) {
		e = CB_ENOMEM;
		goto out;
	}
	/* The rows are locked: every write below meets them as read. */
	uint64_t a = 0;
	if ((e = exec_pairs(c, SQL_MANY_TIE, good, &a)) != CB_OK)
		goto out;
	if (a != *done) {
		e = CB_ECONFLICT; /* two pairs named one movement */
		goto out;
	}
	bool quiet = false;
	if ((e = db_prepare(c, SQL_MANY_QUIET, &s)) != CB_OK)
		goto out;
	db_bind_str(s, 0, good);
	if ((e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, &row)) != CB_OK)
		goto out;
	quiet = row && db_col_i64(s, 0) == 1;
	if (quiet && (e = db_query(c, "SET @cb_outbox_quiet = 1")) != CB_OK)
		goto out;
	e = exec_pairs(c, SQL_MANY_RECONCILE, good, NULL);
	/* Always reset: the connection goes on to other work.  (If this
	 * fails the connection is broken, and so is its session.) */
	if (quiet) {
		cb_err r = db_query(c, "SET @cb_outbox_quiet = NULL");
		if (e == CB_OK)
			e = r;
	}
out:
	free(all);
	free(good);
	return e;
}

cb_err
matching_reconcile_parts(struct db_conn *c, int64_t payment_id,
    unsigned version, const int64_t *movements, size_t n, bool *done,
    struct reconcile_diff *d)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	*done = false;
	memset(d, 0, sizeof *d);
	if (n < 1 || n > MATCH_SPLIT_MAX)
		return CB_EINVAL;
	if ((e = db_prepare(c, SQL_PARTS_LOCK, &s)) != CB_OK)
		return e;
	for (size_t i = 0; i < MATCH_SPLIT_MAX; i++)
		db_bind_i64(s, (unsigned)i, i < n ? movements[i] : 0);
	if ((e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, &row)) != CB_OK ||
	    !row || (size_t)db_col_i64(s, 0) != n)
		return e;
	d->new_amount = db_col_i64(s, 1);
	copy(d->new_date, sizeof d->new_date, db_col(s, 2));
	copy(d->operation, sizeof d->operation, db_col(s, 3));
	if ((e = pay_lock(c, payment_id, version, d, &row)) != CB_OK || !row)
		return e;
	/* The parts add up to the voucher, or this is no split of it. */
	if (!d->had_amount || d->old_amount != d->new_amount)
		return CB_OK;
	if ((e = db_prepare(c, SQL_PARTS_TIE, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, payment_id);
	for (size_t i = 0; i < MATCH_SPLIT_MAX; i++)
		db_bind_i64(s, (unsigned)i + 1, i < n ? movements[i] : 0);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	if (db_affected(s) != n)
		return CB_ECONFLICT;
	if ((e = pay_reconcile(c, payment_id, version, d, done)) != CB_OK)
		return e;
	d->movement = movements[0];
	snprintf(d->to_status, sizeof d->to_status, "conciliado");
	return CB_OK;
}

cb_err
matching_partners(struct db_conn *c, int64_t payment_id,
    int64_t out[MATCH_SPLIT_MAX], size_t *n)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	*n = 0;
	if ((e = db_prepare(c, SQL_PARTNERS, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, payment_id);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	while ((e = db_next(c, s, &row)) == CB_OK && row)
		if (*n < MATCH_SPLIT_MAX)
			out[(*n)++] = db_col_i64(s, 0);
	return e;
}

cb_err
matching_reconcile_shared(struct db_conn *c, const struct reconcile_pair *p,
    size_t n, bool *done, struct reconcile_diff *d)
{
	struct db_stmt *s;
	struct reconcile_diff bank = {0};
	bool row;
	cb_err e;
	int64_t sum = 0;
	*done = false;
	memset(d, 0, n * sizeof *d);
	if (n < 2 || n > MATCH_SPLIT_MAX)
		return CB_EINVAL;
	if ((e = mov_lock(c, p[0].movement, &bank, &row)) != CB_OK || !row)
		return e;
	for (size_t i = 0; i < n; i++) {
		if ((e = pay_lock(c, p[i].payment, p[i].version, &d[i], &row)) !=
		    CB_OK || !row || !d[i].had_amount)
			return e;
		sum += d[i].old_amount;
	}
	/* The parts add up to the deposit, or this is no split of it. */
	if (sum != bank.new_amount)
		return CB_OK;
	if ((e = mov_tie(c, p[0].payment, p[0].movement)) != CB_OK)
		return e;
	for (size_t i = 0; i < n; i++) {
		if ((e = db_prepare(c, SQL_PAY_SHARED, &s)) != CB_OK)
			return e;
		db_bind_str(s, 0, bank.new_date);
		db_bind_str(s, 1, bank.operation[0] ? bank.operation : NULL);
		db_bind_i64(s, 2, p[0].movement);
		db_bind_i64(s, 3, p[i].payment);
		db_bind_i64(s, 4, p[i].version);
		if ((e = db_exec(c, s)) != CB_OK)
			return e;
		if (db_affected(s) != 1)
			return CB_ECONFLICT;
		d[i].new_amount = d[i].old_amount;
		copy(d[i].new_date, sizeof d[i].new_date, bank.new_date);
		copy(d[i].operation, sizeof d[i].operation, bank.operation);
		snprintf(d[i].to_status, sizeof d[i].to_status, "conciliado");
		d[i].movement = p[0].movement;
		d[i].version = p[i].version + 1;
	}
	*done = true;
	return CB_OK;
}
