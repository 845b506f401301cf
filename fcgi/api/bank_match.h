/*
 * bank_match.h — matching one payment by hand, shared by the JSON API
 * (api/bank_match_api.c) and the review pages (web/item.c, web/decide.c):
 * its scored candidates, and tying one of them to it.
 */
#ifndef CB_BANK_MATCH_H
#define CB_BANK_MATCH_H

#include <json-c/json.h>

#include "core/match.h"
#include "http/request.h"

struct bank_candidates {
	struct match_voucher v;
	unsigned version;
	char status[16];
	struct match_movements m;  /* the free movements of its window */
	struct match_result r;     /* r.top: the best, scored */
};

/* Scores payment id against the free movements of its window, with a
 * lower bar than the engine's (a person looks further).  CB_EINVAL when
 * the payment has no amount or date to match by. */
cb_err bank_candidates_load(struct http_req *req, int64_t id,
    struct bank_candidates *out);
void bank_candidates_free(struct bank_candidates *c);
/* The k-th best candidate's movement, or NULL. */
const struct match_movement *bank_candidate(const struct bank_candidates *c,
    size_t k);
/* ["reference_exact", "amount_exact", …] for a candidate's why bits. */
json_object *bank_candidate_why(unsigned why);

/* Ties movement to payment id (which must be 'validado', or 'pendiente'
 * with bank validation asked for) as the caller,
 * in a transaction of its own: the payment → conciliado with the bank's
 * amount, day and operation number, the history event with the changes.
 * CB_ECONFLICT (nothing written) when the payment is not validado or the
 * movement is taken or gone.  *changes (owned) and op on success. */
cb_err bank_match_apply(struct http_req *req, int64_t id, int64_t movement,
    json_object **changes, char op[65]);

/* Unties payment id (conciliado; at version unless 0) from its movement
 * as the caller, in a transaction of its own: the payment back to the
 * status it had with the voucher's own amount and day, the movement free,
 * the engine no longer matching it by itself; why (may be NULL) goes into
 * the history.  CB_ECONFLICT when not conciliado (or not at version),
 * CB_ENOTFOUND when absent.  *changes (owned), *movement and status (the
 * one it went back to) on success. */
cb_err bank_match_undo(struct http_req *req, int64_t id, unsigned version,
    const char *why, json_object **changes, int64_t *movement,
    char status[16]);

#endif
