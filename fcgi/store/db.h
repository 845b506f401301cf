/*
 * db.h — MariaDB access for one thread: a connection that reconnects, and
 * prepared statements with every value bound (never spliced into SQL).
 *
 * DESIGN: a struct db_conn belongs to exactly one thread and is never
 * shared.  It connects lazily; db_ready() pings a connection that has been
 * idle for a second, so that a restarted server is noticed before a
 * statement fails.  A lost connection becomes CB_EUNAVAILABLE (HTTP 503)
 * and is dropped with every cached statement; the next request reconnects.
 * Statements are cached per connection, keyed by the address of their SQL
 * text, so callers pass string literals.  Results are read as text; the
 * store modules convert them at the edge.
 */
#ifndef CB_DB_H
#define CB_DB_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <mysql.h>

#include "conf/config.h"
#include "util/err.h"

#define DB_MAX_PARAMS 32

struct db_stmt;

struct db_conn {
	MYSQL *my;                 /* owned; NULL while disconnected */
	const struct config *cfg;  /* borrowed; must outlive the conn */
	struct db_stmt *stmts;     /* owned cache of prepared statements */
	struct timespec last_ok;   /* monotonic time of the last success */
	bool multi_statements;     /* for migrations only */
	unsigned last_errno;       /* server error number of the last failure */
	bool in_txn;               /* between db_begin and commit / rollback */
	bool txn_doomed;           /* db_txn_doom: the commit rolls back */
};

/* No I/O: the first db_ready() connects. */
void db_conn_init(struct db_conn *c, const struct config *cfg);
void db_conn_close(struct db_conn *c);

/* Connects if needed and pings an idle connection.  CB_EUNAVAILABLE if the
 * server cannot be reached. */
cb_err db_ready(struct db_conn *c);

/* A prepared statement for sql (a string literal: cached by address).  The
 * statement is owned by the connection; valid until the next call that
 * fails with CB_EUNAVAILABLE. */
cb_err db_prepare(struct db_conn *c, const char *sql, struct db_stmt **out);

/* Binds parameter i (0-based).  Strings are borrowed until db_exec. */
void db_bind_str(struct db_stmt *s, unsigned i, const char *v);
void db_bind_strn(struct db_stmt *s, unsigned i, const char *v, size_t n);
void db_bind_i64(struct db_stmt *s, unsigned i, int64_t v);
void db_bind_null(struct db_stmt *s, unsigned i);

/* Executes with the bound parameters; a result set is buffered.
 * CB_EEXIST for a duplicate key. */
cb_err db_exec(struct db_conn *c, struct db_stmt *s);
/* CB_EDB (a 500) when a parameter was never bound: db_exec asks this
 * before anything reaches the server. */
cb_err db_params_check(const MYSQL_BIND *params, unsigned n);
/* Advances to the next row; *row is false after the last. */
cb_err db_next(struct db_conn *c, struct db_stmt *s, bool *row);
/* Column i of the current row as text, NULL for SQL NULL.  Borrowed until
 * the next db_next / db_exec. */
const char *db_col(const struct db_stmt *s, unsigned i);
int64_t db_col_i64(const struct db_stmt *s, unsigned i);
uint64_t db_affected(const struct db_stmt *s);
uint64_t db_insert_id(const struct db_stmt *s);

/* Runs s (parameters bound) and moves to its first row: CB_ENOTFOUND
 * when there is none.  The row's columns are then db_col's. */
cb_err db_exec_one(struct db_conn *c, struct db_stmt *s);
/* Runs sql with one integer parameter (an id) and hands the first row to
 * fill(s, out).  CB_ENOTFOUND when there is no row. */
cb_err db_get_by_id(struct db_conn *c, const char *sql, int64_t id,
    cb_err (*fill)(const struct db_stmt *s, void *out), void *out);
/* The same for an owned row (core/ownership.h): sql takes the id, then
 * the owner twice ("… WHERE id = ? AND (? = 0 OR owner = ?)"). */
cb_err db_get_owned(struct db_conn *c, const char *sql, int64_t id,
    int64_t owner, cb_err (*fill)(const struct db_stmt *s, void *out),
    void *out);

/* Plain SQL without parameters (DDL, migrations, transactions). */
cb_err db_query(struct db_conn *c, const char *sql);
cb_err db_begin(struct db_conn *c);
/* CB_EDB, the transaction rolled back, when it was doomed. */
cb_err db_commit(struct db_conn *c);
cb_err db_rollback(struct db_conn *c);
/* A write that belongs to the open transaction failed where the caller
 * could not answer for it (the activity log): the commit will roll back
 * and fail, so that no change is kept without its record.  Returns false
 * when no transaction is open (the change is already committed). */
bool db_txn_doom(struct db_conn *c);

/* The last server error message, for logs (never sent to clients). */
const char *db_errmsg(const struct db_conn *c);

#endif
