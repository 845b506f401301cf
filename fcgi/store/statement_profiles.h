/*
 * statement_profiles.h — the CSV layouts clients register
 * (bank_statement_profiles): a name and the profile's text in the
 * key = value form bank/csv.c reads.
 */
#ifndef CB_STATEMENT_PROFILES_H
#define CB_STATEMENT_PROFILES_H

#include <stdint.h>

#include "store/db.h"

#define PROFILE_NAME_MAX 32

struct statement_profile_row {
	int64_t id;
	char name[PROFILE_NAME_MAX + 1];
	char *body;                /* owned; statement_profile_row_release */
	char created_at[32];
};

/* CB_EEXIST when the name is taken. */
cb_err statement_profiles_insert(struct db_conn *c, const char *name,
    const char *body, int64_t created_by, int64_t *id);
/* CB_ENOTFOUND when there is none by that name. */
cb_err statement_profiles_get(struct db_conn *c, const char *name,
    struct statement_profile_row *r);
/* Every profile, by name, each to fn (r borrowed for the call). */
cb_err statement_profiles_list(struct db_conn *c,
    cb_err (*fn)(const struct statement_profile_row *r, void *arg), void *arg);
/* CB_ENOTFOUND when there was none. */
cb_err statement_profiles_delete(struct db_conn *c, const char *name);
void statement_profile_row_release(struct statement_profile_row *r);

#endif
