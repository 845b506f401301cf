/*
 * review.h — the review queue: pending payments flagged for a person,
 * oldest first, filtered by why (review_kind), bank, customer and age;
 * its counts; and an item's neighbours, for "next" after a decision.
 */
#ifndef CB_REVIEW_H
#define CB_REVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "store/payments.h"

#define REVIEW_KINDS 4
/* low_confidence, duplicate, ocr_failed, bank_match (sql/007). */
extern const char *const review_kind_names[REVIEW_KINDS];

struct review_filter {
	const char *kind;          /* one of review_kind_names; NULL = any */
	const char *bank_code;     /* NULL = any */
	int64_t customer_id;       /* 0 = any */
	const char *customer_name; /* a part of the name; NULL = any */
	int min_age_hours;         /* received at least this long ago; 0 = any */
	int offset, limit;
};

struct review_item {
	struct payment_row row;
	char customer_name[201];
	char claimed_by[65];       /* a live claim's holder; "" when none */
	int64_t claimed_by_id;
};

/* Calls fn for each queued payment the filter admits, oldest first. */
cb_err review_queue_list(struct db_conn *c, const struct review_filter *f,
    cb_err (*fn)(const struct review_item *, void *), void *arg);

/* How many the filter admits, in all and by kind (f->kind ignored). */
struct review_counts {
	long total;
	long by_kind[REVIEW_KINDS];
};
cb_err review_queue_counts(struct db_conn *c, const struct review_filter *f,
    struct review_counts *out);

/* The queued payments just before and after id in queue order that no one
 * but user_id holds a live claim on; 0 where there is none. */
cb_err review_queue_neighbours(struct db_conn *c, int64_t id,
    int64_t user_id, int64_t *prev, int64_t *next);

/* Up to max payments recorded as duplicates of id, oldest first. */
cb_err review_duplicates(struct db_conn *c, int64_t id, int64_t *ids,
    size_t max, size_t *n);

#endif
