/*
 * claims.h — review claims (sql/006): opening a review item claims it for
 * a few minutes unless another reviewer's claim is still running.
 */
#ifndef CB_CLAIMS_H
#define CB_CLAIMS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

struct claim {
	int64_t user_id;          /* who holds it now */
	char username[65];
	char until[32];           /* DB time (UTC) */
	bool mine;
};

/* Takes (or renews) the claim for seconds unless another user holds a
 * live one; *c tells who holds it afterwards. */
cb_err claims_take(struct db_conn *c, int64_t payment_id, int64_t user_id,
    const char *username, int seconds, struct claim *out);

/* Gives up user_id's claim (after a decision or a skip). */
cb_err claims_release(struct db_conn *c, int64_t payment_id, int64_t user_id);

#endif
