/* customers.h — customers (payers), in the database.  The bank registry
 * is read with a payment's other references (payments_lookup_refs).
 * A customer belongs to the key that registered it (core/ownership.h):
 * lookups take the owner whose rows they may return, 0 for anyone's. */
#ifndef CB_CUSTOMERS_H
#define CB_CUSTOMERS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

struct customer_row {
	int64_t id;
	char name[801];          /* 200 characters of UTF-8 */
	char document_type[16];
	char document_id[129];
	char email[255];         /* "" when none */
	char created_at[32];
	char public_ref[37];     /* seed 003's beneficiary reference, "" = none */
	char deleted_at[32];     /* "" = not deleted */
	int64_t owner;           /* api_keys.id; 0 = nobody's (command line) */
};

/* Owned by created_by.  CB_EEXIST when that owner already registered the
 * document type + id. */
cb_err customers_insert(struct db_conn *c, const char *name,
    const char *doc_type, const char *doc_id, const char *email,
    int64_t created_by, int64_t *id);
/* created_by's customer with this document, registered with name when
 * new. */
cb_err customers_find_or_insert(struct db_conn *c, const char *name,
    const char *doc_type, const char *doc_id, int64_t created_by, int64_t *id);
/* Seed 003's beneficiaries: customers with a public reference. */
cb_err customers_by_ref(struct db_conn *c, const char *ref, int64_t owner,
    struct customer_row *r);
/* Exactly owner's (never 0 = anyone's here); locks the row (inside a
 * transaction). */
cb_err customers_by_document(struct db_conn *c, int64_t owner,
    const char *doc_type, const char *doc_id, struct customer_row *r);
/* Gives a customer without one its reference; CB_ECONFLICT if it had. */
cb_err customers_set_ref(struct db_conn *c, int64_t id, const char *ref);
cb_err customers_soft_delete(struct db_conn *c, const char *ref,
    int64_t owner);
cb_err customers_list_refs(struct db_conn *c, int64_t owner, int64_t before,
    int limit, cb_err (*fn)(const struct customer_row *, void *), void *arg);
cb_err customers_get(struct db_conn *c, int64_t id, int64_t owner,
    struct customer_row *r);
/* Newest first, ids below `before` (0 = from the newest). */
cb_err customers_list(struct db_conn *c, int64_t owner, int64_t before,
    int limit,
    cb_err (*fn)(const struct customer_row *, void *), void *arg);

#endif
