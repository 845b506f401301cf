/* invoices.h — invoices and their balances (minor units, never floats). */
#ifndef CB_INVOICES_H
#define CB_INVOICES_H

#include <stdint.h>

#include "store/db.h"

struct invoice_row {
	int64_t id;
	int64_t customer_id;
	char number[257];
	char currency[4];
	int64_t amount_minor;
	int64_t balance_minor;
	char issue_date[11];
	char due_date[11];
	char concept[2001];      /* "" when none */
	char created_at[32];
	char public_ref[37];     /* seed 003's payable reference, "" = none */
	char payable_type[17];
	int64_t owner;           /* its customer's owner (core/ownership.h) */
};

struct invoice_new {
	int64_t customer_id;
	const char *number;
	const char *currency;
	int64_t amount_minor;
	const char *issue_date;
	const char *due_date;
	const char *concept; /* or NULL */
	const char *public_ref;   /* or NULL */
	const char *payable_type; /* or NULL */
};

/* CB_EEXIST when the customer already has an invoice with that number. */
cb_err invoices_insert(struct db_conn *c, const struct invoice_new *n,
    int64_t *id);
/* Lookups take the owner whose rows they may return, 0 for anyone's. */
cb_err invoices_get(struct db_conn *c, int64_t id, int64_t owner,
    struct invoice_row *r);
/* customer_id 0 = all customers; newest first below `before`. */
cb_err invoices_list(struct db_conn *c, int64_t owner, int64_t customer_id,
    int64_t before, int limit,
    cb_err (*fn)(const struct invoice_row *, void *), void *arg);
/* balance += delta (negative when a payment is applied). */
cb_err invoices_adjust_balance(struct db_conn *c, int64_t id, int64_t delta);

#endif
