/*
 * bank.h — bank accounts, statement imports, statements and movements
 * (sql/008_bank.sql).
 */
#ifndef CB_STORE_BANK_H
#define CB_STORE_BANK_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "store/db.h"

struct bank_account_row {
	int64_t id;
	char public_id[65];
	char bank_code[17];
	char number[65];
	char number_kind[9];
	char currency[4];
	char holder[801];
	bool active;
	char created_at[32], updated_at[32];
	unsigned version;
	int64_t client_key_id;     /* the client it is given to; 0 = shared */
};

struct bank_account_fields {
	const char *public_id, *bank_code, *number, *number_norm, *number_kind,
	    *currency, *holder;
	bool active;
	int64_t client_key_id;     /* 0 = shared by every client */
};

/* CB_EEXIST when the public id or the number (in that currency) is
 * taken. */
cb_err bank_accounts_insert(struct db_conn *c, const struct bank_account_fields *f,
    int64_t *id);
cb_err bank_accounts_get(struct db_conn *c, int64_t id,
    struct bank_account_row *r);
/* By what clients call it (seed 002's bank_account_id). */
cb_err bank_accounts_by_public(struct db_conn *c, const char *public_id,
    struct bank_account_row *r);
/* By the normalised number a statement gives (any currency when currency
 * is NULL and only one account has that number). */
cb_err bank_accounts_by_number(struct db_conn *c, const char *number_norm,
    const char *currency, struct bank_account_row *r);
/* Newest first, ids below before (0: from the newest). */
/* The accounts owner may use: shared ones and those given to it (0:
 * every account). */
cb_err bank_accounts_list(struct db_conn *c, int64_t owner, int64_t before,
    int limit,
    cb_err (*fn)(const struct bank_account_row *, void *), void *arg);
/* Sets holder and active at exactly version; *changed false when stale. */
cb_err bank_accounts_update(struct db_conn *c, int64_t id, unsigned version,
    const char *holder, bool active, bool *changed);

/* ---- imports ---------------------------------------------------------- */

struct bank_import_row {
	int64_t id;
	char file_name[256];
	char file_key[401];
	char file_sha256[65];
	int64_t file_size;
	char format[25];
	char status[13];
	char *report;              /* JSON text or NULL; owned */
	char error[501];
	char created_at[32], finished_at[32];
};

cb_err bank_imports_insert(struct db_conn *c, const char *file_name,
    const char *file_key, const char *sha256, int64_t size,
    const char *format, int64_t created_by, int64_t *id);
cb_err bank_imports_get(struct db_conn *c, int64_t id, struct bank_import_row *r);
void bank_import_row_release(struct bank_import_row *r);
/* Imports newest first, before id `before` (0: from the newest), at most
 * limit, each to fn. */
cb_err bank_imports_list(struct db_conn *c, int64_t before, int limit,
    cb_err (*fn)(const struct bank_import_row *r, void *arg), void *arg);
/* The latest import of the same file (sha256) read the same way (format,
 * NULL for sniffed) that has not failed; CB_ENOTFOUND when none. */
cb_err bank_imports_same_file(struct db_conn *c, const char *sha256,
    const char *format, struct bank_import_row *r);
/* status "running", or "done"/"failed" with the report and error. */
cb_err bank_imports_finish(struct db_conn *c, int64_t id, const char *status,
    const char *report, const char *error);

/* ---- statements and movements ----------------------------------------- */

struct bank_statement_fields {
	int64_t import_id, account_id;
	const char *format, *stmt_ref;
	const char *opening, *closing;   /* exact decimal text or NULL */
	const char *opening_date, *closing_date;
};
cb_err bank_statements_insert(struct db_conn *c,
    const struct bank_statement_fields *f, int64_t *id);
/* After its movements: the closing balance, their dates and count, the
 * gap (decimal text, NULL when a balance is unknown), and the available
 * balances (NULL when not given). */
struct bank_statement_end {
	const char *closing, *closing_date, *first_date, *last_date, *gap;
	const char *available_opening, *available_closing;
	int entries;
};
cb_err bank_statements_finish(struct db_conn *c, int64_t id,
    const struct bank_statement_end *f);

struct bank_movement_fields {
	int64_t account_id, statement_id;
	const char *dedup_key;           /* 64 hex */
	const char *booking_date, *value_date;
	const char *amount;              /* exact decimal text */
	bool has_minor;
	int64_t amount_minor;
	const char *currency, *status;
	bool credit, reversal;
	const char *svcr_ref, *entry_ref, *end_to_end, *tx_id, *party_name,
	    *party_id, *party_account, *info, *tx_code, *raw, *entry_svcr_ref,
	    *creditor_ref;
};
/* *added false when the account already has a movement with that key;
 * *id the new movement's when added. */
cb_err bank_movements_insert(struct db_conn *c,
    const struct bank_movement_fields *f, bool *added, int64_t *id);
/* f as one element of bank_movements_insert_many's rows (owned). */
json_object *bank_movement_json(const struct bank_movement_fields *f);
/* Stores the movements rows (an array of bank_movement_json, all of one
 * account and statement) in one statement; those whose key the account
 * already has are left out.  *added how many were new. */
cb_err bank_movements_insert_many(struct db_conn *c, int64_t account_id,
    int64_t statement_id, json_object *rows, uint64_t *added);
/* Each movement of statement_id whose bank reference (svcr_ref) another
 * movement of its account carries with another amount or sign, with that
 * other one, to fn; at most limit pairs. */
cb_err bank_movements_ref_conflicts(struct db_conn *c, int64_t statement_id,
    int limit, cb_err (*fn)(void *arg, int64_t id, int64_t other,
    const char *ref), void *arg);
/* ---- reading movements back (bank_movements.c) ------------------------- */

struct bank_movement_row {
	int64_t id, account_id, statement_id, payment_id, reversed_by;
	char booking_date[11], value_date[11];
	char amount[40];
	bool has_minor;
	int64_t amount_minor;
	char currency[4], status[9];
	bool credit, reversal;
	char svcr_ref[65], entry_ref[65], end_to_end[65], tx_id[65];
	char entry_svcr_ref[65], creditor_ref[65];
	char party_name[141], party_id[65], party_account[65];
	char info[513], tx_code[37];
	char raw[1025];
	char created_at[32];
};

struct bank_movement_filter {
	int64_t import_id;         /* 0: any; else first stored by one of
	                              its statements */
	int64_t account_id;        /* 0: any */
	const char *from, *to;     /* booking days, inclusive; NULL: open */
	int credit;                /* 1 credits, 0 debits, -1 both */
	int matched;               /* 1 tied to a payment, 0 not, -1 both */
	const char *text;          /* in a reference, the party or the
	                              information; NULL: any */
};
/* The movements f selects, newest first, before id `before` (0: from the
 * newest), at most limit, each to fn. */
cb_err bank_movements_list(struct db_conn *c,
    const struct bank_movement_filter *f, int64_t before, int limit,
    cb_err (*fn)(const struct bank_movement_row *r, void *arg), void *arg);

/* For f, a booked reversal just stored as reversal_id: finds the movement
 * it undoes (the same amount the other way on the account, booked up to
 * 90 days before; sharing a reference with it first, then the latest)
 * and marks it reversed.  *orig 0 when there is none; *payment the
 * payment that movement was tied to, or 0. */
cb_err bank_movements_reverse(struct db_conn *c, int64_t reversal_id,
    const struct bank_movement_fields *f, int64_t *orig, int64_t *payment);

#endif
