/*
 * payments.h — payments and their append-only event history.
 *
 * Status changes are one conditional UPDATE (payments_transition): the WHERE
 * clause carries the allowed source statuses, the expected status and the
 * expected version, so that of N concurrent transitions exactly one
 * matches; the same statement copies the old status into previous_status,
 * which the event row then records.  Callers run these inside a
 * transaction together with the event, the invoice balance and the
 * idempotency record.
 */
#ifndef CB_PAYMENTS_H
#define CB_PAYMENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/lifecycle.h"
#include "store/db.h"

struct payment_row {
	int64_t id;
	int64_t customer_id;
	int64_t invoice_id;        /* 0 = none */
	bool has_amount;
	int64_t amount_minor;
	char currency[4];
	char payment_method[17];   /* "" = none */
	char bank_code[17];
	char reference[257];
	char transaction_date[11];
	char *notes;               /* owned (free with payment_row_release), NULL = none */
	char status[17];
	char previous_status[17];
	bool requires_manual_review;
	int64_t registered_by;
	char created_at[32];
	char updated_at[32];
	unsigned version;
	/* The receipt ("" = none) and what OCR made of it. */
	char document_key[401];
	char document_name[256];
	char document_type[33];
	int64_t document_size;
	char document_sha256[65];
	char ocr_status[13];       /* "" | processing | done | failed */
	char *ocr_data;            /* owned JSON text, NULL = none */
	char review_reason[1024];  /* cut at a character if longer */
	int64_t duplicate_of;      /* 0 = none */
	char review_kind[16];      /* low_confidence | duplicate | ocr_failed |
	                              bank_match (sql/007) */
	int64_t bank_account_id;   /* 0 = not said (sql/008) */
	char bank_account[65];     /* its public id (seed 002's bank_account_id) */
	char bank_operation_number[65]; /* the bank's, once reconciled */
	bool bank_validation;      /* the client asked the bank to judge (sql/009) */
	bool has_voucher_amount;   /* what the voucher said, once the bank's */
	int64_t voucher_amount_minor; /* amount and day replaced them */
	char voucher_date[11];
	/* sql/010: where to call (seed 002 webhook) and where the receipt was
	 * fetched from, with how that went. */
	char *webhook_url;         /* owned, NULL = none */
	char *receipt_url;         /* owned, NULL = none */
	char receipt_status[13];   /* "" | fetching | fetched | failed */
	char receipt_error[501];
	/* sql/011: the seed surface that registered it, and its ids there. */
	char surface[13];          /* "" | apagos | payana */
	char request_id[25];       /* seed 002's 24-hex id, "" = none */
	char client_order_id[257]; /* seed 002's order_id, "" = none */
	char *extra;               /* owned JSON text, NULL = none */
	char public_ref[37];       /* seed 003's payment reference, "" = none */
	char exchange_rate[41];    /* decimal text as sent, "" = none */
	char exchange_currency[4];
	bool currency_default;     /* nobody sent it; nothing implied it */
};

/* Fields a client sets; strings NULL = none. */
struct payment_fields {
	int64_t customer_id;
	int64_t invoice_id;        /* 0 = none */
	int64_t bank_account_id;   /* bank_accounts.id it was paid into; 0 = not said */
	bool has_amount;
	int64_t amount_minor;
	const char *currency;
	const char *payment_method;
	const char *bank_code;
	const char *reference;
	const char *transaction_date;
	const char *notes;
	bool requires_manual_review;
	bool bank_validation;      /* reconcile from pendiente; invalid when absent */
	const char *bank_account;  /* the account's public id, for the row */
	const char *webhook_url;   /* NULL = none */
	const char *receipt_url;   /* NULL = none: a job fetches it */
	const char *surface;       /* NULL = the core API */
	const char *request_id;    /* NULL = none */
	const char *client_order_id;
	const char *extra;         /* JSON text or NULL */
	const char *public_ref;    /* NULL = none */
	const char *exchange_rate; /* decimal text or NULL */
	const char *exchange_currency;
	bool currency_default;     /* insert: the currency is only the default */
};

struct payment_filter {
	int64_t owner;             /* registered_by; 0 = anyone's */
	const char *status;        /* NULL = any */
	int64_t customer_id;       /* 0 = any */
	int64_t invoice_id;
	const char *date_from;     /* transaction_date ≥, NULL = open */
	const char *date_to;
	int review;                /* -1 any, 0, 1 */
	int64_t before_id;         /* keyset cursor: ids below this; 0 = newest */
	int limit;
};

struct payment_event {
	int64_t payment_id;
	const char *kind;          /* created | status | corrected */
	const char *actor_type;    /* api_key | user | system */
	const char *actor_id;
	const char *actor_name;
	const char *remote_addr;
	const char *request_id;
	const char *from_status;
	const char *to_status;
	const char *reason;
	const char *changes;       /* JSON text or NULL */
	unsigned version;
};

void payment_row_release(struct payment_row *r);

/* Inserts a `pendiente` payment stamped `now` (time_now_db) and fills
 * *row with what was stored, so that nothing needs reading back. */
cb_err payments_insert(struct db_conn *c, const struct payment_fields *f,
    int64_t registered_by, const char *now, struct payment_row *row);

/* What a new payment refers to, looked up in one round trip. */
struct payment_refs {
	bool customer_exists;
	bool bank_exists;
	char bank_code[17];        /* the registry's spelling */
	bool invoice_exists;
	int64_t invoice_customer;
	char invoice_currency[4];
	int64_t bank_account_id;   /* 0: no active account has that id */
	char bank_account_currency[4];
	char bank_account[65];     /* its public id as registered */
};
/* Pass 0 / NULL for what is not asked.  Only what `owner` may use is
 * found (0: anyone's; core/ownership.h). */
cb_err payments_lookup_refs(struct db_conn *c, int64_t owner,
    int64_t customer_id,
    const char *bank_code, int64_t invoice_id, const char *bank_account,
    struct payment_refs *out);
/* CB_ENOTFOUND if absent.  for_update locks the row (inside a txn). */
cb_err payments_get(struct db_conn *c, int64_t id, struct payment_row *r);
/* By seed 002's request_id, registered by api_key_id (0: anyone's).
 * CB_ENOTFOUND if none. */
cb_err payments_by_request_id(struct db_conn *c, const char *request_id,
    int64_t api_key_id, struct payment_row *r);
/* By seed 003's reference. */
cb_err payments_by_public_ref(struct db_conn *c, const char *ref,
    int64_t api_key_id, struct payment_row *r);
/* Do payments a and b belong to the same client (registered_by)?  false
 * when either is gone. */
cb_err payments_same_owner(struct db_conn *c, int64_t a, int64_t b,
    bool *same);
/* When it was first paid (conciliado or aplicado), "" if never. */
cb_err payments_paid_at(struct db_conn *c, int64_t id, char out[32]);
/* By the client's order_id. */
cb_err payments_by_order_id(struct db_conn *c, int64_t api_key_id,
    const char *order_id, struct payment_row *r);
cb_err payments_list(struct db_conn *c, const struct payment_filter *f,
    cb_err (*fn)(const struct payment_row *, void *), void *arg);

/* *changed is true when the row moved to `to`.  expected_status NULL and
 * expected_version 0 mean "don't care". */
cb_err payments_transition(struct db_conn *c, int64_t id, enum pay_status to,
    const char *expected_status, unsigned expected_version, bool *changed);

/* Rewrites the client fields of a `pendiente` payment at exactly
 * `version`.  *changed false when status or version moved. */
cb_err payments_correct(struct db_conn *c, int64_t id, unsigned version,
    const struct payment_fields *f, bool *changed);

cb_err payment_events_insert(struct db_conn *c, const struct payment_event *ev);
/* n events in one statement (each as payment_events_insert would). */
cb_err payment_events_insert_many(struct db_conn *c,
    const struct payment_event *ev, size_t n);
/* Calls fn with each event row (columns as text) in order. */
struct payment_event_row {
	int64_t id;
	const char *at, *kind, *actor_type, *actor_id, *actor_name, *remote_addr,
	    *request_id, *from_status, *to_status, *reason, *changes;
	unsigned version;
};
cb_err payment_events_list(struct db_conn *c, int64_t payment_id,
    cb_err (*fn)(const struct payment_event_row *, void *), void *arg);

#endif
