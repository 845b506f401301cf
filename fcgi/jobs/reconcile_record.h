/*
 * reconcile_record.h — what tying a movement to a payment, or undoing it,
 * leaves behind: the status event in the payment's history (the bank's
 * amount, day and operation number against the voucher's) and the
 * activity line.  One writer for the match job, the statement import
 * (reversals) and a person's match or unmatch through the API and pages.
 */
#ifndef CB_RECONCILE_RECORD_H
#define CB_RECONCILE_RECORD_H

#include <json-c/json.h>

#include "store/matching.h"
#include "store/payments.h"

/* Inside the caller's transaction.  ev carries who (actor_*, remote_addr,
 * request_id) and reason; the payment, statuses, changes and version come
 * from d.  action: PAYMENT_RECONCILE or PAYMENT_UNRECONCILE.  *changes
 * (owned by the caller) gets the changes when changes is not NULL. */
cb_err reconcile_record(struct db_conn *db, int64_t payment_id,
    const struct reconcile_diff *d, struct payment_event *ev,
    const char *action, json_object **changes);

/* reconcile_record for a batch of automatic matches (matching_reconcile
 * _many's ok[] and d[]), in two statements: who is the actor of all
 * (its other fields ignored), reasons[i] pair i's reason. */
cb_err reconcile_record_many(struct db_conn *db,
    const struct reconcile_pair *p, const struct reconcile_diff *d,
    const bool *ok, size_t n, const struct payment_event *who,
    const char *const *reasons);

/* matching_undo for payment_id (at version unless 0) and the payments a
 * shared deposit paid with it, each recorded with reason as who (the
 * partners' reasons say with whom).  d and *changes (owned, when changes
 * is not NULL) are payment_id's; *done false when it was not reconciled
 * (at version).  Inside the caller's transaction. */
cb_err reconcile_undo(struct db_conn *db, int64_t payment_id,
    unsigned version, bool by_person, const struct payment_event *who,
    const char *reason, struct reconcile_diff *d, json_object **changes,
    bool *done);

#endif
