/* receipts.c — see receipts.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/receipts.h"

static const char SQL_SET_DOC[] =
    "UPDATE payments SET document_key = ?, document_name = ?,"
    " document_type = ?, document_size = ?, document_sha256 = ?,"
    " ocr_status = 'processing' WHERE id = ?";
static const char SQL_STORE_OCR[] =
    "UPDATE payments SET ocr_status = ?, ocr_data = ?, ocr_words = ?,"
    " ocr_candidates = ?,"
    " currency_default = IF(amount_minor IS NULL AND ? IS NOT NULL, 0,"
    " currency_default), currency = IF(amount_minor IS NULL AND ? IS NOT NULL, ?, currency),"
    " amount_minor = COALESCE(amount_minor, ?),"
    " payment_method = COALESCE(payment_method, ?),"
    " bank_code = COALESCE(bank_code, (SELECT code FROM banks WHERE code = ?)),"
    " reference = COALESCE(reference, ?),"
    " transaction_date = COALESCE(transaction_date, ?),"
    " requires_manual_review = requires_manual_review OR ?,"
    " review_reason = ?, duplicate_of = COALESCE(?, duplicate_of),"
    " version = version + 1, updated_at = UTC_TIMESTAMP(6) WHERE id = ?";
static const char SQL_REASON_LOCK[] =
    "SELECT review_reason FROM payments WHERE id = ? FOR UPDATE";
static const char SQL_FIND_DUP[] =
    "SELECT id, registered_by FROM payments WHERE id <> ?"
    " AND status <> 'rechazado' AND"
    " (document_sha256 = ? OR (bank_code = ? AND reference = ? AND"
    " amount_minor = ?)) ORDER BY registered_by = ? DESC, id LIMIT 1";
static const char SQL_FLAG[] =
    "UPDATE payments SET requires_manual_review = 1, review_reason = ?,"
    " ocr_status = COALESCE(?, ocr_status),"
    " version = version + 1, updated_at = UTC_TIMESTAMP(6) WHERE id = ?";
static const char SQL_RECEIPT[] =
    "UPDATE payments SET receipt_status = ?, receipt_error = ?,"
    " requires_manual_review = requires_manual_review OR ? = 'failed',"
    " review_reason = IF(? = 'failed', ?, review_reason),"
    " version = version + 1, updated_at = UTC_TIMESTAMP(6)"
    " WHERE id = ? AND receipt_status = 'fetching'";
static const char SQL_WORDS[] = "SELECT ocr_words FROM payments WHERE id = ?";
static const char SQL_CANDS[] =
    "SELECT ocr_candidates FROM payments WHERE id = ?";
static const char SQL_DOC_REF[] =
    "SELECT COUNT(*) FROM payments WHERE id = ? AND document_key = ?";

cb_err
payments_set_document(struct db_conn *c, int64_t id,
    const struct payment_document *d)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_SET_DOC, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, d->key);
	db_bind_str(s, 1, d->name);
	db_bind_str(s, 2, d->type);
	db_bind_i64(s, 3, d->size);
	db_bind_str(s, 4, d->sha256);
	db_bind_i64(s, 5, id);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	return db_affected(s) == 1 ? CB_OK : CB_ENOTFOUND;
}

cb_err
payments_store_ocr(struct db_conn *c, int64_t id, const struct ocr_outcome *o,
    bool *changed)
{
	struct db_stmt *s;
	cb_err e;
	*changed = false;
	if ((e = db_prepare(c, SQL_STORE_OCR, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, o->status);
	db_bind_str(s, 1, o->data);
	db_bind_str(s, 2, o->words);
	db_bind_str(s, 3, o->candidates);
	/* The currency follows the amount OCR supplied, never alone; it is
	 * assigned first because MariaDB's SET sees earlier assignments. */
	const char *cur = o->has_amount ? o->currency : NULL;
	db_bind_str(s, 4, cur);
	db_bind_str(s, 5, cur);
	db_bind_str(s, 6, cur);
	if (o->has_amount)
		db_bind_i64(s, 7, o->amount_minor);
	else
		db_bind_null(s, 7);
	db_bind_str(s, 8, o->payment_method);
	db_bind_str(s, 9, o->bank_code);
	db_bind_str(s, 10, o->reference);
	db_bind_str(s, 11, o->transaction_date);
	db_bind_i64(s, 12, o->review);
	db_bind_str(s, 13, o->review_reason && *o->review_reason ?
	    o->review_reason : NULL);
	if (o->duplicate_of)
		db_bind_i64(s, 14, o->duplicate_of);
	else
		db_bind_null(s, 14);
	db_bind_i64(s, 15, id);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	*changed = db_affected(s) == 1;
	return CB_OK;
}

cb_err
payments_review_reason_locked(struct db_conn *c, int64_t id, char **reason)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	*reason = NULL;
	if ((e = db_prepare(c, SQL_REASON_LOCK, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, id);
	if ((e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, &row)) != CB_OK)
		return e;
	if (!row)
		return CB_ENOTFOUND;
	if (db_col(s, 0) && !(*reason = strdup(db_col(s, 0))))
		return CB_ENOMEM;
	return CB_OK;
}

cb_err
payments_find_duplicate(struct db_conn *c, int64_t id, const char *sha256,
    const char *bank_code, const char *reference, bool has_amount,
    int64_t amount_minor, int64_t owner, int64_t *dup, int64_t *dup_owner)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	*dup = *dup_owner = 0;
	if ((e = db_prepare(c, SQL_FIND_DUP, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, id);
	db_bind_str(s, 1, sha256 && *sha256 ? sha256 : NULL);
	/* NULL never compares equal: a missing part matches nothing. */
	bool triple = bank_code && *bank_code && reference && *reference &&
	    has_amount;
	db_bind_str(s, 2, triple ? bank_code : NULL);
	db_bind_str(s, 3, triple ? reference : NULL);
	if (triple)
		db_bind_i64(s, 4, amount_minor);
	else
		db_bind_null(s, 4);
	db_bind_i64(s, 5, owner);
	if ((e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, &row)) != CB_OK)
		return e;
	if (row) {
		*dup = db_col_i64(s, 0);
		*dup_owner = db_col_i64(s, 1);
	}
	return CB_OK;
}

cb_err
payments_flag_review(struct db_conn *c, int64_t id, const char *reason,
    const char *ocr_status)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_FLAG, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, reason);
	db_bind_str(s, 1, ocr_status);
	db_bind_i64(s, 2, id);
	return db_exec(c, s);
}

static cb_err
fill_words(const struct db_stmt *s, void *out)
{
	const char *v = db_col(s, 0);
	char **json = out;
	if (v && !(*json = strdup(v)))
		return CB_ENOMEM;
	return CB_OK;
}

cb_err
payments_ocr_words(struct db_conn *c, int64_t id, char **json)
{
	*json = NULL;
	return db_get_by_id(c, SQL_WORDS, id, fill_words, json);
}

cb_err
payments_ocr_candidates(struct db_conn *c, int64_t id, char **json)
{
	*json = NULL;
	return db_get_by_id(c, SQL_CANDS, id, fill_words, json);
}

cb_err
payments_document_referenced(struct db_conn *c, const char *key, bool *exists)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	*exists = true; /* on error, keep the file */
	/* Keys are "…/{paymentId}-{name}": look the payment up by its id. */
	const char *base = strrchr(key, '/');
	base = base ? base + 1 : key;
	char *end = NULL;
	long long id = strtoll(base, &end, 10);
	if (!end || end == base || *end != '-' || id <= 0) {
		*exists = false;
		return CB_OK;
	}
	if ((e = db_prepare(c, SQL_DOC_REF, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, id);
	db_bind_str(s, 1, key);
	if ((e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, &row)) != CB_OK)
		return e;
	*exists = row && db_col_i64(s, 0) > 0;
	return CB_OK;
}

cb_err
payments_receipt_result(struct db_conn *c, int64_t id, const char *status,
    const char *error, bool *changed)
{
	struct db_stmt *s;
	char reason[256];
	cb_err e;
	*changed = false;
	snprintf(reason, sizeof reason, "the receipt could not be fetched: %.190s",
	    error ? error : "");
	if ((e = db_prepare(c, SQL_RECEIPT, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, status);
	db_bind_str(s, 1, error);
	db_bind_str(s, 2, status);
	db_bind_str(s, 3, status);
	db_bind_str(s, 4, reason);
	db_bind_i64(s, 5, id);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	*changed = db_affected(s) > 0;
	return CB_OK;
}
