/* bank.c — see bank.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "store/bank.h"
#include "util/jsonx.h"

#define ACOLS "id, public_id, bank_code, number, number_kind, currency," \
	" holder, active, created_at, updated_at, version, client_key_id"
static const char SQL_ACC_INSERT[] =
    "INSERT INTO bank_accounts (public_id, bank_code, number, number_norm,"
    " number_kind, currency, holder, active, created_at, updated_at, version,"
    " client_key_id)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), 1,"
    " NULLIF(?, 0))";
static const char SQL_ACC_GET[] = "SELECT " ACOLS " FROM bank_accounts"
    " WHERE id = ?";
static const char SQL_ACC_PUBLIC[] = "SELECT " ACOLS " FROM bank_accounts"
    " WHERE public_id = ?";
static const char SQL_ACC_NUMBER[] = "SELECT " ACOLS " FROM bank_accounts"
    " WHERE number_norm = ? AND (? IS NULL OR currency = ?) ORDER BY id LIMIT 2";
static const char SQL_ACC_LIST[] = "SELECT " ACOLS " FROM bank_accounts"
    " WHERE (? = 0 OR client_key_id IS NULL OR client_key_id = ?)"
    " AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?";
static const char SQL_ACC_UPDATE[] =
    "UPDATE bank_accounts SET holder = ?, active = ?, version = version + 1,"
    " updated_at = UTC_TIMESTAMP(6) WHERE id = ? AND version = ?";

static void
copy(char *out, size_t len, const struct db_stmt *s, unsigned i)
{
	const char *v = db_col(s, i);
	snprintf(out, len, "%s", v ? v : "");
}

static cb_err
fill_account(const struct db_stmt *s, void *out)
{
	struct bank_account_row *r = out;
	memset(r, 0, sizeof *r);
	r->id = db_col_i64(s, 0);
	copy(r->public_id, sizeof r->public_id, s, 1);
	copy(r->bank_code, sizeof r->bank_code, s, 2);
	copy(r->number, sizeof r->number, s, 3);
	copy(r->number_kind, sizeof r->number_kind, s, 4);
	copy(r->currency, sizeof r->currency, s, 5);
	copy(r->holder, sizeof r->holder, s, 6);
	r->active = db_col_i64(s, 7) != 0;
	copy(r->created_at, sizeof r->created_at, s, 8);
	copy(r->updated_at, sizeof r->updated_at, s, 9);
	r->version = (unsigned)db_col_i64(s, 10);
	r->client_key_id = db_col_i64(s, 11);
	return CB_OK;
}

cb_err
bank_accounts_insert(struct db_conn *c, const struct bank_account_fields *f,
    int64_t *id)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_ACC_INSERT, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, f->public_id);
	db_bind_str(s, 1, f->bank_code);
	db_bind_str(s, 2, f->number);
	db_bind_str(s, 3, f->number_norm);
	db_bind_str(s, 4, f->number_kind);
	db_bind_str(s, 5, f->currency);
	db_bind_str(s, 6, f->holder);
	db_bind_i64(s, 7, f->active);
	db_bind_i64(s, 8, f->client_key_id);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	*id = (int64_t)db_insert_id(s);
	return CB_OK;
}

cb_err
bank_accounts_get(struct db_conn *c, int64_t id, struct bank_account_row *r)
{
	return db_get_by_id(c, SQL_ACC_GET, id, fill_account, r);
}

/* The single row of a prepared, bound statement; CB_ENOTFOUND for none,
 * CB_EEXIST for more than one. */
static cb_err
one_account(struct db_conn *c, struct db_stmt *s, struct bank_account_row *r)
{
	bool row;
	cb_err e;
	if ((e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, &row)) != CB_OK)
		return e;
	if (!row)
		return CB_ENOTFOUND;
	fill_account(s, r);
	if ((e = db_next(c, s, &row)) != CB_OK)
		return e;
	return row ? CB_EEXIST : CB_OK;
}

cb_err
bank_accounts_by_public(struct db_conn *c, const char *public_id,
    struct bank_account_row *r)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_ACC_PUBLIC, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, public_id);
	return one_account(c, s, r);
}

cb_err
bank_accounts_by_number(struct db_conn *c, const char *number_norm,
    const char *currency, struct bank_account_row *r)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_ACC_NUMBER, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, number_norm);
	db_bind_str(s, 1, currency);
	db_bind_str(s, 2, currency);
	return one_account(c, s, r);
}

cb_err
bank_accounts_list(struct db_conn *c, int64_t owner, int64_t before, int limit,
    cb_err (*fn)(const struct bank_account_row *, void *), void *arg)
{
	struct db_stmt *s;
	struct bank_account_row r;
	bool row;
	cb_err e;
	if ((e = db_prepare(c, SQL_ACC_LIST, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, owner);
	db_bind_i64(s, 1, owner);
	db_bind_i64(s, 2, before);
	db_bind_i64(s, 3, before);
	db_bind_i64(s, 4, limit);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	while ((e = db_next(c, s, &row)) == CB_OK && row)
		if ((e = fill_account(s, &r)) != CB_OK || (e = fn(&r, arg)) != CB_OK)
			return e;
	return e;
}

cb_err
bank_accounts_update(struct db_conn *c, int64_t id, unsigned version,
    const char *holder, bool active, bool *changed)
{
	struct db_stmt *s;
	cb_err e;
	*changed = false;
	if ((e = db_prepare(c, SQL_ACC_UPDATE, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, holder);
	db_bind_i64(s, 1, active);
	db_bind_i64(s, 2, id);
	db_bind_i64(s, 3, version);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	*changed = db_affected(s) == 1;
	return CB_OK;
}

/* ---- imports ---------------------------------------------------------- */

#define ICOLS "id, file_name, file_key, file_sha256, file_size, format, status," \
	" report, error, created_at, finished_at"
static const char SQL_IMP_INSERT[] =
    "INSERT INTO bank_imports (file_name, file_key, file_sha256, file_size,"
    " format, status, created_by, created_at) VALUES (?, ?, ?, ?, ?, 'queued',"
    " ?, UTC_TIMESTAMP(6))";
static const char SQL_IMP_GET[] = "SELECT " ICOLS " FROM bank_imports"
    " WHERE id = ?";
static const char SQL_IMP_LIST[] = "SELECT " ICOLS " FROM bank_imports"
    " WHERE (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?";
static const char SQL_IMP_SAME[] = "SELECT " ICOLS " FROM bank_imports"
    " WHERE file_sha256 = ? AND format <=> ? AND status <> 'failed'"
    " ORDER BY id DESC LIMIT 1";
static const char SQL_IMP_FINISH[] =
    "UPDATE bank_imports SET status = ?, report = COALESCE(?, report),"
    " error = ?, finished_at = IF(? = 'running', NULL, UTC_TIMESTAMP(6))"
    " WHERE id = ?";

cb_err
bank_imports_insert(struct db_conn *c, const char *file_name,
    const char *file_key, const char *sha256, int64_t size, const char *format,
    int64_t created_by, int64_t *id)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_IMP_INSERT, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, file_name);
	db_bind_str(s, 1, file_key);
	db_bind_str(s, 2, sha256);
	db_bind_i64(s, 3, size);
	db_bind_str(s, 4, format);
	if (created_by)
		db_bind_i64(s, 5, created_by);
	else
		db_bind_null(s, 5);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	*id = (int64_t)db_insert_id(s);
	return CB_OK;
}

static cb_err
fill_import(const struct db_stmt *s, void *out)
{
	struct bank_import_row *r = out;
	const char *v;
	memset(r, 0, sizeof *r);
	r->id = db_col_i64(s, 0);
	copy(r->file_name, sizeof r->file_name, s, 1);
	copy(r->file_key, sizeof r->file_key, s, 2);
	copy(r->file_sha256, sizeof r->file_sha256, s, 3);
	r->file_size = db_col_i64(s, 4);
	copy(r->format, sizeof r->format, s, 5);
	copy(r->status, sizeof r->status, s, 6);
	if ((v = db_col(s, 7)) && !(r->report = strdup(v)))
		return CB_ENOMEM;
	copy(r->error, sizeof r->error, s, 8);
	copy(r->created_at, sizeof r->created_at, s, 9);
	copy(r->finished_at, sizeof r->finished_at, s, 10);
	return CB_OK;
}

cb_err
bank_imports_get(struct db_conn *c, int64_t id, struct bank_import_row *r)
{
	memset(r, 0, sizeof *r);
	return db_get_by_id(c, SQL_IMP_GET, id, fill_import, r);
}

cb_err
bank_imports_list(struct db_conn *c, int64_t before, int limit,
    cb_err (*fn)(const struct bank_import_row *r, void *arg), void *arg)
{
	struct db_stmt *s;
	struct bank_import_row r;
	bool row;
	cb_err e;
	if ((e = db_prepare(c, SQL_IMP_LIST, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, before);
	db_bind_i64(s, 1, before);
	db_bind_i64(s, 2, limit);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	while ((e = db_next(c, s, &row)) == CB_OK && row) {
		if ((e = fill_import(s, &r)) == CB_OK)
			e = fn(&r, arg);
		bank_import_row_release(&r);
		if (e != CB_OK)
			break;
	}
	return e;
}

cb_err
bank_imports_same_file(struct db_conn *c, const char *sha256,
    const char *format, struct bank_import_row *r)
{
	struct db_stmt *s;
	cb_err e;
	memset(r, 0, sizeof *r);
	if ((e = db_prepare(c, SQL_IMP_SAME, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, sha256);
	db_bind_str(s, 1, format);
	if ((e = db_exec_one(c, s)) != CB_OK)
		return e;
	return fill_import(s, r);
}

void
bank_import_row_release(struct bank_import_row *r)
{
	if (r) {
		free(r->report);
		r->report = NULL;
	}
}

cb_err
bank_imports_finish(struct db_conn *c, int64_t id, const char *status,
    const char *report, const char *error)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_IMP_FINISH, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, status);
	db_bind_str(s, 1, report);
	db_bind_str(s, 2, error);
	db_bind_str(s, 3, status);
	db_bind_i64(s, 4, id);
	return db_exec(c, s);
}

/* ---- statements and movements ----------------------------------------- */

static const char SQL_STMT_INSERT[] =
    "INSERT INTO bank_statements (import_id, account_id, format, stmt_ref,"
    " opening, closing, opening_date, closing_date) VALUES (?, ?, ?, ?, ?, ?,"
    " ?, ?)";
static const char SQL_STMT_FINISH[] =
    "UPDATE bank_statements SET closing = ?, closing_date = ?, first_date = ?,"
    " last_date = ?, entries = ?, balance_gap = ?, available_opening = ?,"
    " available_closing = ? WHERE id = ?";
static const char SQL_MOV_INSERT[] =
    "INSERT IGNORE INTO bank_movements (account_id, dedup_key, statement_id,"
    " booking_date, value_date, amount, amount_minor, currency, credit,"
    " reversal, status, svcr_ref, entry_ref, end_to_end, tx_id, party_name,"
    " party_id, party_account, info, tx_code, raw, entry_svcr_ref,"
    " creditor_ref, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
    " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6))";

/* Many movements in one statement: a JSON array of objects, a key per
 * column, absent for NULL (see bank_movements_json). */
static const char SQL_MOV_INSERT_MANY[] =
    "INSERT IGNORE INTO bank_movements (account_id, dedup_key, statement_id,"
    " booking_date, value_date, amount, amount_minor, currency, credit,"
    " reversal, status, svcr_ref, entry_ref, end_to_end, tx_id, party_name,"
    " party_id, party_account, info, tx_code, raw, entry_svcr_ref,"
    " creditor_ref, created_at) SELECT ?, k, ?, bd, vd, a, am, cur, cr, rv, st,"
    " sr, er, ee, ti, pn, pi, pa, nf, tc, rw, es, cf,"
    " UTC_TIMESTAMP(6) FROM JSON_TABLE(?, '$[*]' COLUMNS ("
    " k CHAR(64) PATH '$.k', bd DATE PATH '$.bd', vd DATE PATH '$.vd',"
    " a DECIMAL(27,9) PATH '$.a', am BIGINT PATH '$.am',"
    " cur CHAR(3) PATH '$.cur', cr TINYINT PATH '$.cr',"
    " rv TINYINT PATH '$.rv', st VARCHAR(8) PATH '$.st',"
    " sr VARCHAR(64) PATH '$.sr', er VARCHAR(64) PATH '$.er',"
    " ee VARCHAR(64) PATH '$.ee', ti VARCHAR(64) PATH '$.ti',"
    " pn VARCHAR(140) PATH '$.pn', pi VARCHAR(64) PATH '$.pi',"
    " pa VARCHAR(64) PATH '$.pa', nf VARCHAR(512) PATH '$.nf',"
    " tc VARCHAR(36) PATH '$.tc', rw VARCHAR(1024) PATH '$.rw',"
    " es VARCHAR(64) PATH '$.es', cf VARCHAR(64) PATH '$.cf')) AS j";

/* The reference index named (015): the statistics the optimizer has are
 * the table's before this import's transaction (often empty), and with
 * them it scanned every movement for each of the statement's (O(n²): a
 * 20 000-line statement did not finish in a minute). */
static const char SQL_MOV_REF_CONFLICTS[] =
    "SELECT m.id, o.id, m.svcr_ref FROM bank_movements m"
    " JOIN bank_movements o FORCE INDEX (ix_bank_movements_ref)"
    " ON o.account_id = m.account_id"
    " AND o.svcr_ref = m.svcr_ref AND o.id < m.id"
    " AND (o.amount <> m.amount OR o.credit <> m.credit)"
    " WHERE m.statement_id = ? AND m.svcr_ref IS NOT NULL"
    " ORDER BY m.id, o.id LIMIT ?";

/* NULL for "" (optional text columns). */
static const char *
opt(const char *s)
{
	return s && *s ? s : NULL;
}

cb_err
bank_statements_insert(struct db_conn *c, const struct bank_statement_fields *f,
    int64_t *id)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_STMT_INSERT, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, f->import_id);
	db_bind_i64(s, 1, f->account_id);
	db_bind_str(s, 2, f->format);
	db_bind_str(s, 3, opt(f->stmt_ref));
	db_bind_str(s, 4, f->opening);
	db_bind_str(s, 5, f->closing);
	db_bind_str(s, 6, opt(f->opening_date));
	db_bind_str(s, 7, opt(f->closing_date));
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	*id = (int64_t)db_insert_id(s);
	return CB_OK;
}

cb_err
bank_statements_finish(struct db_conn *c, int64_t id,
    const struct bank_statement_end *f)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_STMT_FINISH, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, f->closing);
	db_bind_str(s, 1, opt(f->closing_date));
	db_bind_str(s, 2, opt(f->first_date));
	db_bind_str(s, 3, opt(f->last_date));
	db_bind_i64(s, 4, f->entries);
	db_bind_str(s, 5, f->gap);
	db_bind_str(s, 6, f->available_opening);
	db_bind_str(s, 7, f->available_closing);
	db_bind_i64(s, 8, id);
	return db_exec(c, s);
}

cb_err
bank_movements_insert(struct db_conn *c, const struct bank_movement_fields *f,
    bool *added, int64_t *id)
{
	struct db_stmt *s;
	cb_err e;
	*added = false;
	*id = 0;
	if ((e = db_prepare(c, SQL_MOV_INSERT, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, f->account_id);
	db_bind_str(s, 1, f->dedup_key);
	db_bind_i64(s, 2, f->statement_id);
	db_bind_str(s, 3, f->booking_date);
	db_bind_str(s, 4, opt(f->value_date));
	db_bind_str(s, 5, f->amount);
	if (f->has_minor)
		db_bind_i64(s, 6, f->amount_minor);
	else
		db_bind_null(s, 6);
	db_bind_str(s, 7, f->currency);
	db_bind_i64(s, 8, f->credit);
	db_bind_i64(s, 9, f->reversal);
	db_bind_str(s, 10, f->status);
	db_bind_str(s, 11, opt(f->svcr_ref));
	db_bind_str(s, 12, opt(f->entry_ref));
	db_bind_str(s, 13, opt(f->end_to_end));
	db_bind_str(s, 14, opt(f->tx_id));
	db_bind_str(s, 15, opt(f->party_name));
	db_bind_str(s, 16, opt(f->party_id));
	db_bind_str(s, 17, opt(f->party_account));
	db_bind_str(s, 18, opt(f->info));
	db_bind_str(s, 19, opt(f->tx_code));
	db_bind_str(s, 20, opt(f->raw));
	db_bind_str(s, 21, opt(f->entry_svcr_ref));
	db_bind_str(s, 22, opt(f->creditor_ref));
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	*added = db_affected(s) == 1;
	if (*added)
		*id = (int64_t)db_insert_id(s);
	return CB_OK;
}

/* What a reversal undoes: the same amount the other way, booked up to 90
 * days before it, not a reversal, not reversed yet; one sharing a
 * reference with it first, then the latest. */
static const char SQL_REV_FIND[] =
    "SELECT id, COALESCE(payment_id, 0) FROM bank_movements"
    " WHERE account_id = ? AND amount = ? AND credit = ? AND reversal = 0"
    " AND reversed_by IS NULL AND status = 'booked'"
    " AND booking_date BETWEEN ? - INTERVAL 90 DAY AND ?"
    " ORDER BY COALESCE(end_to_end = ? OR tx_id = ? OR entry_ref = ?, 0) DESC,"
    " booking_date DESC, id DESC LIMIT 1 FOR UPDATE";
static const char SQL_REV_MARK[] =
    "UPDATE bank_movements SET reversed_by = ? WHERE id = ?";

cb_err
bank_movements_reverse(struct db_conn *c, int64_t reversal_id,
    const struct bank_movement_fields *f, int64_t *orig, int64_t *payment)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	*orig = *payment = 0;
	if ((e = db_prepare(c, SQL_REV_FIND, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, f->account_id);
	db_bind_str(s, 1, f->amount);
	db_bind_i64(s, 2, !f->credit);
	db_bind_str(s, 3, f->booking_date);
	db_bind_str(s, 4, f->booking_date);
	db_bind_str(s, 5, opt(f->end_to_end));
	db_bind_str(s, 6, opt(f->tx_id));
	db_bind_str(s, 7, opt(f->entry_ref));
	if ((e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, &row)) != CB_OK ||
	    !row)
		return e;
	*orig = db_col_i64(s, 0);
	*payment = db_col_i64(s, 1);
	if ((e = db_prepare(c, SQL_REV_MARK, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, reversal_id);
	db_bind_i64(s, 1, *orig);
	return db_exec(c, s);
}

static void
put(json_object *o, const char *k, const char *v)
{
	if (v && *v)
		jx_add(o, k, jx_string(v));
}

json_object *
bank_movement_json(const struct bank_movement_fields *f)
{
	json_object *o = jx_object();
	put(o, "k", f->dedup_key);
	put(o, "bd", f->booking_date);
	put(o, "vd", f->value_date);
	put(o, "a", f->amount);
	if (f->has_minor)
		jx_add(o, "am", jx_int64(f->amount_minor));
	put(o, "cur", f->currency);
	jx_add(o, "cr", jx_int(f->credit));
	jx_add(o, "rv", jx_int(f->reversal));
	put(o, "st", f->status);
	put(o, "sr", f->svcr_ref);
	put(o, "er", f->entry_ref);
	put(o, "ee", f->end_to_end);
	put(o, "ti", f->tx_id);
	put(o, "pn", f->party_name);
	put(o, "pi", f->party_id);
	put(o, "pa", f->party_account);
	put(o, "nf", f->info);
	put(o, "tc", f->tx_code);
	put(o, "rw", f->raw);
	put(o, "es", f->entry_svcr_ref);
	put(o, "cf", f->creditor_ref);
	return o;
}

cb_err
bank_movements_ref_conflicts(struct db_conn *c, int64_t statement_id,
    int limit, cb_err (*fn)(void *arg, int64_t id, int64_t other,
    const char *ref), void *arg)
{
	struct db_stmt *s;
	cb_err e;
	bool row;
	if ((e = db_prepare(c, SQL_MOV_REF_CONFLICTS, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, statement_id);
	db_bind_i64(s, 1, limit);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	while ((e = db_next(c, s, &row)) == CB_OK && row)
		if ((e = fn(arg, db_col_i64(s, 0), db_col_i64(s, 1), db_col(s, 2))) !=
		    CB_OK)
			return e;
	return e;
}

cb_err
bank_movements_insert_many(struct db_conn *c, int64_t account_id,
    int64_t statement_id, json_object *rows, uint64_t *added)
{
	struct db_stmt *s;
	cb_err e;
	*added = 0;
	if (!json_object_array_length(rows))
		return CB_OK;
	if ((e = db_prepare(c, SQL_MOV_INSERT_MANY, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, account_id);
	db_bind_i64(s, 1, statement_id);
	db_bind_str(s, 2, json_object_to_json_string_ext(rows,
	    JSON_C_TO_STRING_PLAIN));
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	*added = db_affected(s);
	return CB_OK;
}
