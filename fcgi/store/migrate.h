/*
 * migrate.h — numbered SQL migrations (sql/NNN_name.sql), applied in order,
 * once each, recorded with their SHA-256 in schema_migrations.
 *
 * The server compares the recorded version with SCHEMA_VERSION (generated
 * at build time from the highest NNN in sql/) and refuses to start on an
 * older schema.  An applied file whose checksum changed is an error: a
 * migration, once shipped, is never edited.
 */
#ifndef CB_MIGRATE_H
#define CB_MIGRATE_H

#include <stdbool.h>

#include "store/db.h"

/* *version: highest applied migration, 0 if none (or no table yet). */
cb_err migrate_current(struct db_conn *c, int *version);

/* Applies every pending migration in dir; prints progress with log_info.
 * *applied counts what ran.  err gets a readable reason on failure. */
cb_err migrate_apply(struct db_conn *c, const char *dir, int *applied,
    char *err, size_t errlen);

#endif
