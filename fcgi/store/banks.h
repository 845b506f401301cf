/*
 * banks.h — the bank registry (sql/002: code, name, country, aliases), as
 * the OCR extractor needs it.
 */
#ifndef CB_BANKS_H
#define CB_BANKS_H

#include "store/db.h"

/* Calls fn for every bank; the strings are borrowed for the call. */
cb_err banks_list(struct db_conn *c,
    cb_err (*fn)(const char *code, const char *country, const char *aliases,
        void *arg),
    void *arg);

/* The registry's spelling of code (matched in any letter case);
 * CB_ENOTFOUND when it is not a bank of the registry. */
cb_err banks_canonical(struct db_conn *c, const char *code, char out[17]);

#endif
