/*
 * matching.h — what the match job reads and writes: open vouchers
 * (validated payments, or pending ones whose client asked for bank
 * validation, no movement has been tied to), free movements (booked
 * credits not used nor reversed), and the outcomes it records: a payment
 * reconciled with its movement (fields taken from the bank's record, the
 * voucher's own kept beside them), that undone (by a person, or by the
 * bank's reversal), or a payment flagged for review with its candidates.
 */
#ifndef CB_STORE_MATCHING_H
#define CB_STORE_MATCHING_H

#include <stdint.h>

#include "core/match.h"
#include "store/db.h"

/* What the pass needs of an open voucher beside what it is matched by. */
struct voucher_state {
	unsigned version;   /* the payment's, for the conditional updates */
	bool judged;        /* flagged unpaid already (bank_judged) */
	bool duplicate;     /* duplicate_of already set */
	int64_t customer;   /* customers.id */
	int64_t client;     /* the API key that registered it */
};
/* Calls fn for every open voucher (both structs borrowed for the call). */
cb_err matching_vouchers(struct db_conn *c,
    cb_err (*fn)(const struct match_voucher *v, const struct voucher_state *st,
    void *arg), void *arg);
/* One payment as a voucher (any status), with its version and status;
 * CB_ENOTFOUND when absent, CB_EINVAL when it has no amount or date. */
cb_err matching_voucher(struct db_conn *c, int64_t payment_id,
    struct match_voucher *v, unsigned *version, char status[16]);

/* Calls fn for every free movement booked between from and to (days). */
cb_err matching_movements(struct db_conn *c, int from_day, int to_day,
    cb_err (*fn)(const struct match_movement *m, void *arg), void *arg);

/* The movement payment_id is tied to; *found false when none. */
cb_err matching_tied(struct db_conn *c, int64_t payment_id,
    struct match_movement *m, bool *found);

/* What reconciling, or undoing it, changed, for the payment's history:
 * old_* as it was, new_* / operation as it is now. */
struct reconcile_diff {
	char currency[4];
	bool had_amount;
	int64_t old_amount, new_amount;
	char old_date[11], new_date[11];
	char old_operation[65];     /* the bank's, when undoing */
	char operation[65];         /* the bank's operation number */
	char from_status[16];       /* validado, or pendiente (bank validation) */
	char to_status[16];
	int64_t movement;           /* tied or freed */
	unsigned version;           /* the payment's, after */
};

/* Inside the caller's transaction: ties movement to payment and moves the
 * payment from validado (or pendiente, when its client asked for bank
 * validation) to conciliado at exactly version, its amount,
 * date and bank operation number now the bank's; *done false (nothing
 * written) when either moved meanwhile. */
cb_err matching_reconcile(struct db_conn *c, int64_t payment_id,
    unsigned version, int64_t movement_id, bool *done,
    struct reconcile_diff *d);

struct reconcile_pair {
	int64_t payment, movement;
	unsigned version;
};
/* matching_reconcile for n pairs at once, in a few statements whatever n
 * (a new statement's thousands of matches are not thousands of round
 * trips).  Inside the caller's transaction; a movement named twice is
 * CB_ECONFLICT.  ok[i] and d[i] per pair (d[i] as matching_reconcile
 * fills it), *done how many. */
cb_err matching_reconcile_many(struct db_conn *c,
    const struct reconcile_pair *p, size_t n, bool *ok,
    struct reconcile_diff *d, size_t *done);

/* matching_reconcile for one voucher paid in n (1..MATCH_SPLIT_MAX)
 * deposits that add up to its amount: all tied to it, its day the
 * latest, its bank operation number theirs joined by '+'.  *done false,
 * nothing written, when a part is taken or the sum differs. */
cb_err matching_reconcile_parts(struct db_conn *c, int64_t payment_id,
    unsigned version, const int64_t *movements, size_t n, bool *done,
    struct reconcile_diff *d);

/* matching_reconcile for one deposit (p[0].movement) that paid n
 * (2..MATCH_SPLIT_MAX) vouchers p[i].payment at p[i].version whose
 * amounts add up to it: each conciliado with the deposit's day and
 * operation number, its own amount, naming the deposit
 * (shared_movement_id).  *done false, nothing written, when one moved or
 * the sum differs; CB_ECONFLICT (roll back) when a write missed. */
cb_err matching_reconcile_shared(struct db_conn *c,
    const struct reconcile_pair *p, size_t n, bool *done,
    struct reconcile_diff *d);
/* The other reconciled payments a shared deposit paid with payment_id. */
cb_err matching_partners(struct db_conn *c, int64_t payment_id,
    int64_t out[MATCH_SPLIT_MAX], size_t *n);

/* Inside the caller's transaction: unties payment_id from its movement
 * and puts it back where it was before (validado, or pendiente for bank
 * validation) with the voucher's own amount and day; at exactly version
 * unless version is 0.  by_person: the engine leaves the voucher to
 * people from now on.  *done false (nothing written) when the payment is
 * not conciliado (or not at version). */
cb_err matching_undo(struct db_conn *c, int64_t payment_id, unsigned version,
    bool by_person, bool *done, struct reconcile_diff *d);

/* Flags a validated payment, or a bank-validation one still pending, for
 * review with why (the candidates); nothing when it already says so. */
cb_err matching_flag(struct db_conn *c, int64_t payment_id, const char *why);

/* Every booked credit of account from..to (days), used ones too with the
 * payment they are tied to (used, used_by): what explains an invalid
 * voucher. */
cb_err matching_window_all(struct db_conn *c, int64_t account, int from_day,
    int to_day, cb_err (*fn)(const struct match_movement *m, void *arg),
    void *arg);
/* The movements of exactly amount on account from..to (days) that are
 * already tied to a payment (used, used_by): what a duplicate claims. */
cb_err matching_used_like(struct db_conn *c, int64_t account, int from_day,
    int to_day, int64_t amount,
    cb_err (*fn)(const struct match_movement *m, void *arg), void *arg);
/* Flags payment_id (validado or pendiente) for review as a duplicate of
 * original (0: another client's payment, which is never named), with why;
 * nothing when it already says so. */
cb_err matching_flag_duplicate(struct db_conn *c, int64_t payment_id,
    int64_t original, const char *why);

/* *covered: the account's imported statements cover every day from..to
 * and each of those that does adds up (opening + movements = closing). */
cb_err matching_coverage(struct db_conn *c, int64_t account, int from_day,
    int to_day, bool *covered);

enum invalidated { INVALIDATED_NOTHING, INVALIDATED_REJECTED,
    INVALIDATED_FLAGGED };
/* The bank has no movement for payment_id (at version): rejected with why
 * when it is pendiente with bank validation (seed 002's INVALID); a
 * validated one, which a person approved, is flagged for review with why
 * instead.  duplicate_of (0: none) is the payment whose movement it
 * claims. */
cb_err matching_invalidate(struct db_conn *c, int64_t payment_id,
    unsigned version, const char *why, int64_t duplicate_of,
    enum invalidated *done);

#endif
