/*
 * accounts.h — seed 001's tables (sql/012_accounts.sql): accounts in
 * three levels, their ledger of sales and payouts, the payments and
 * collections that settle a day, and the day's statement, recomputed by
 * statement_refresh in the caller's transaction after every change.
 */
#ifndef CB_ACCOUNTS_STORE_H
#define CB_ACCOUNTS_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

#define ACCOUNT_ID_MAX 64

struct account_row {
	char id[ACCOUNT_ID_MAX + 1];
	char level[9];             /* banca | ventana | vendedor */
	char parent_id[ACCOUNT_ID_MAX + 1];
	char name[801];
	char created_at[32];
};

/* CB_EEXIST for a taken id. */
cb_err accounts_insert(struct db_conn *c, const char *id, const char *level,
    const char *parent_id, const char *name);
cb_err accounts_get(struct db_conn *c, const char *id, struct account_row *r);

/* CB_EEXIST when reference (not NULL) is already in the account's ledger. */
cb_err account_entries_insert(struct db_conn *c, const char *account,
    const char *day, const char *kind, int64_t amount_minor,
    const char *reference);
struct account_entry_row {
	int64_t id, amount_minor;
	const char *day, *kind, *reference, *created_at;
};
cb_err account_entries_list(struct db_conn *c, const char *account,
    const char *day, cb_err (*fn)(const struct account_entry_row *, void *),
    void *arg);

struct account_payment {
	char id[41];
	char account_id[ACCOUNT_ID_MAX + 1];
	char level[9];             /* of the account: which dimension it was */
	char day[11], time[6];
	int64_t amount_minor;
	char type[11], method[9];
	char notes[2001];          /* "" = none */
	bool is_final, is_reversed;
	char reversed_at[32], reversed_by[65], reverse_reason[2001];
	char paid_by_id[65];
	char idempotency_key[256];
	char created_at[32];
};
/* CB_EEXIST when (paid_by_id, idempotency_key) is taken. */
cb_err account_payments_insert(struct db_conn *c,
    const struct account_payment *p);
/* lock: FOR UPDATE (inside a transaction). */
cb_err account_payments_get(struct db_conn *c, const char *id, bool lock,
    struct account_payment *p);
cb_err account_payments_by_key(struct db_conn *c, const char *paid_by,
    const char *key, struct account_payment *p);
/* *changed false when it was reversed already. */
cb_err account_payments_reverse(struct db_conn *c, const char *id,
    const char *by, const char *reason, bool *changed);

struct account_statement {
	char id[101];
	char account_id[ACCOUNT_ID_MAX + 1];
	char day[11];
	int64_t total_sales, total_payouts, total_paid, remaining;
	bool is_saldado;
};
/* Recomputes (account, day) from the ledger and the payments, stores it
 * and returns it: in the caller's transaction. */
cb_err statement_refresh(struct db_conn *c, const char *account,
    const char *day, struct account_statement *st);
/* The same figures without storing (a read). */
cb_err statement_compute(struct db_conn *c, const char *account,
    const char *day, struct account_statement *st);

#endif
