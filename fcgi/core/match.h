/*
 * match.h — the matching engine's core: which bank movement paid which
 * voucher.  Pure: it knows vouchers and movements as plain structs, not
 * rows or JSON; the match job (jobs/) loads them and writes decisions.
 *
 * Seed 002's rule is the model: a voucher's amount, date and operation
 * number are referential, the bank's record is the truth.  So:
 *  - normalise: operation numbers to letters and digits without leading
 *    zeros, OCR look-alikes folded (O/0, I/l/1, S/5, B/8, Z/2, G/6) when
 *    comparing digits; every digit run of 3 or more from a movement's
 *    references and free text is a reference it may carry;
 *  - candidates: same account (or any when the voucher names none) and
 *    currency, a credit, booked, not used; dated from days_before to
 *    days_after business days around the voucher; amount exact, short by
 *    at most fee_tolerance (bank fees), or off by one digit / two
 *    neighbouring digits swapped;
 *  - score with explicit weights (MATCH_W_*), and a penalty for how many
 *    open vouchers share the amount;
 *  - assign one to one by maximum total weight within each connected group
 *    of candidates (Hungarian method), not greedily;
 *  - decide: AUTO only above auto_score with a margin over the runner-up
 *    on both sides; REVIEW when there are candidates but no clear winner;
 *    NONE when nothing fits.
 */
#ifndef CB_MATCH_H
#define CB_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define MATCH_REF_MAX 64
#define MATCH_TEXT_MAX 128  /* references and digit runs: free text is
                             * reduced to them before matching */
#define MATCH_NAME_MAX 64
#define MATCH_TOP 3

struct match_voucher {
	int64_t id;
	int64_t account;            /* 0: not said */
	char currency[4];
	int64_t amount_minor;
	int day;                    /* days since 1970-01-01 */
	char ref[MATCH_REF_MAX];    /* the operation number as the client gave it */
	char payer_name[MATCH_NAME_MAX];
	char payer_id[32];
};

struct match_movement {
	int64_t id;
	int64_t account;
	char currency[4];
	int64_t amount_minor;
	int day;
	bool credit, booked, used;
	int64_t used_by;            /* the payment a used one is tied to, or 0 */
	char refs[MATCH_TEXT_MAX];  /* bank refs and free text, any order */
	char party_name[MATCH_NAME_MAX];
	char party_id[32];
};

/* A growable list of movements, as the loaders fill it. */
struct match_movements {
	struct match_movement *m;   /* owned */
	size_t n, cap;
};
/* Appends a copy of m to list (a struct match_movements): the callback a
 * loader calls for every movement it reads. */
cb_err match_movements_add(const struct match_movement *m, void *list);
void match_movements_free(struct match_movements *l);

struct match_params {
	int days_before, days_after;  /* business days around the voucher */
	int64_t fee_tolerance;        /* minor units a movement may fall short */
	int auto_score;               /* at least this to match automatically */
	int margin;                   /* over the runner-up, on both sides */
	int min_score;                /* below this a pair is no candidate */
};
void match_params_default(struct match_params *p);

/* Why a pair scored as it did (bits), for reviewers and tests. */
enum match_why {
	MW_REF_EXACT = 1 << 0, MW_REF_SUFFIX = 1 << 1, MW_REF_PREFIX = 1 << 2,
	MW_REF_EDIT = 1 << 3, MW_REF_CONFLICT = 1 << 4, MW_REF_NONE = 1 << 5,
	MW_AMT_EXACT = 1 << 6, MW_AMT_FEE = 1 << 7, MW_AMT_TYPO = 1 << 8,
	MW_PAYER = 1 << 9, MW_SHARED_AMOUNT = 1 << 10,
	MW_AMT_REF = 1 << 11,       /* another amount, the whole reference */
};

struct match_candidate {
	int64_t movement;
	int score;
	unsigned why;
	int days;                    /* business days from voucher to movement */
};

enum match_decision { MATCH_NONE, MATCH_AUTO, MATCH_REVIEW };

struct match_result {
	int64_t voucher;
	enum match_decision decision;
	int64_t movement;            /* the assigned one (AUTO and REVIEW) or 0 */
	int score;
	size_t ncand;
	struct match_candidate top[MATCH_TOP]; /* best first */
};

/* Matches vouchers against movements; out[i] is vouchers[i]'s result.
 * Movements are not changed (the caller marks the used ones). */
cb_err match_run(const struct match_voucher *v, size_t nv,
    const struct match_movement *m, size_t nm, const struct match_params *p,
    struct match_result *out);

/* Whether the bank's amount is near enough what the client typed for a
 * movement with the voucher's whole reference to be its payment (seed
 * 002: the voucher's amount is referential): within a quarter for a long
 * reference (6+), a tenth for a short one. */
bool match_amount_near(int64_t voucher, int64_t bank, bool long_ref);

/* Why nothing may pay a voucher — for deciding it is invalid once the
 * bank's statements cover its whole window. */
enum match_invalid {       /* weakest first */
	MI_NO_MOVEMENT,        /* nothing of its amount or reference */
	MI_REFERENCE_CONFLICT, /* a free movement of its amount, another reference */
	MI_AMOUNT_CONFLICT,    /* a free movement with its reference, another amount */
	MI_USED,               /* the movement that fits it paid another voucher */
};
const char *match_invalid_name(enum match_invalid r);
/* The calendar days [*from, *to] of v's window under p. */
void match_window(int day, const struct match_params *p, int *from, int *to);
/* Given every booked credit of v's account and currency in its window,
 * used ones too (used, used_by): the strongest reason none pays v.
 * *other: the payment holding the movement for MI_USED, else 0;
 * *movement: the movement the reason is about, or 0. */
enum match_invalid match_explain(const struct match_voucher *v,
    const struct match_movement *m, size_t nm, const struct match_params *p,
    int64_t *movement, int64_t *other);

/* Several vouchers and one deposit, or one voucher and several deposits
 * (subset sums), among what nothing single fits. */
#define MATCH_SPLIT_MAX 5      /* parts */
#define MATCH_SPLIT_POOL 20    /* candidates a subset is sought among */
enum match_split_kind { SPLIT_DEPOSITS, SPLIT_VOUCHERS };
struct match_split {
	enum match_split_kind kind; /* DEPOSITS: one voucher, several movements */
	int64_t voucher[MATCH_SPLIT_MAX];
	size_t nv;
	int64_t movement[MATCH_SPLIT_MAX];
	size_t nm;
	bool tied;                  /* references tie every part to the whole */
	bool unique;                /* no other subset of the pool adds up */
};
/* v: vouchers nothing single fits; m: movements still free.  Finds, for a
 * voucher, 2 to MATCH_SPLIT_MAX movements of its account, currency and
 * window that add up to it exactly, among the MATCH_SPLIT_POOL nearest in
 * time that name its payer or carry its reference; and for a movement, 2
 * to MATCH_SPLIT_MAX vouchers of one payer in whose windows it falls
 * that add up to it.  A voucher or movement is in one split at most.
 * *out (owned by the caller, free()) holds *n splits. */
cb_err match_splits(const struct match_voucher *v, size_t nv,
    const struct match_movement *m, size_t nm, const struct match_params *p,
    struct match_split **out, size_t *n);

/* ---- pieces, exported for tests ---------------------------------------- */

/* "000-10696" → "10696": letters and digits, upper case, leading zeros
 * gone.  out needs MATCH_REF_MAX bytes. */
void match_norm_ref(const char *in, char *out);
/* How a voucher's reference relates to a movement's text (MW_REF_* bit)
 * and its score. */
int match_ref_score(const char *voucher_ref, const char *movement_text,
    unsigned *why);
/* The movement names the voucher's payer: two words of 3+ letters in
 * common, or the same document id. */
bool match_same_payer(const struct match_voucher *v,
    const struct match_movement *m);
/* At most one substitution, insertion, deletion or swap of neighbours
 * turns a into b. */
bool match_one_edit(const char *a, const char *b);
/* Business days (Mon–Fri) from day a to day b (negative when b < a). */
int match_business_days(int a, int b);
/* "2026-03-03" → days since 1970-01-01; -1 when not a date. */
int match_day(const char *ymd);
/* The other way; out holds 11 bytes. */
void match_day_text(int day, char out[11]);

#endif
