/* db.c — see db.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errmsg.h>
#include <mysqld_error.h>

#include "store/db.h"
#include "util/log.h"

struct db_stmt {
	struct db_stmt *next;
	const char *sql; /* borrowed: cache key */
	MYSQL_STMT *st;
	unsigned nparams, ncols;
	MYSQL_BIND params[DB_MAX_PARAMS];
	long long ints[DB_MAX_PARAMS];
	unsigned long plens[DB_MAX_PARAMS];
	my_bool pnull[DB_MAX_PARAMS];
	MYSQL_BIND *cols;        /* owned, ncols entries */
	char **colbuf;           /* owned buffers */
	unsigned long *colcap;
	unsigned long *collen;
	my_bool *colnull;
	my_bool *colerr;
	bool has_result;
};

static void
stmt_free(struct db_stmt *s)
{
	if (!s)
		return;
	if (s->st)
		mysql_stmt_close(s->st);
	for (unsigned i = 0; s->colbuf && i < s->ncols; i++)
		free(s->colbuf[i]);
	free(s->cols);
	free(s->colbuf);
	free(s->colcap);
	free(s->collen);
	free(s->colnull);
	free(s->colerr);
	free(s);
}

static void
drop(struct db_conn *c)
{
	struct db_stmt *s = c->stmts;
	while (s) {
		struct db_stmt *n = s->next;
		stmt_free(s);
		s = n;
	}
	c->stmts = NULL;
	if (c->my)
		mysql_close(c->my);
	c->my = NULL;
	c->in_txn = c->txn_doomed = false; /* the server rolled it back */
}

void
db_conn_init(struct db_conn *c, const struct config *cfg)
{
	memset(c, 0, sizeof *c);
	c->cfg = cfg;
}

void
db_conn_close(struct db_conn *c)
{
	if (c)
		drop(c);
}

static bool
is_conn_error(unsigned e)
{
	switch (e) {
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_LOST:
	case CR_CONNECTION_ERROR:
	case CR_CONN_HOST_ERROR:
	case CR_SERVER_LOST_EXTENDED:
	case CR_COMMANDS_OUT_OF_SYNC:
	case ER_SERVER_SHUTDOWN:
	case ER_CONNECTION_KILLED:
	case 2026: /* CR_SSL_CONNECTION_ERROR */
		return true;
	}
	return false;
}

/* Turns a MySQL error into cb_err; a connection error drops the conn. */
static cb_err
fail(struct db_conn *c, unsigned e, const char *msg, const char *what)
{
	c->last_errno = e;
	if (is_conn_error(e)) {
		log_warn("database unavailable during %s: %s (%u)", what, msg, e);
		drop(c);
		return CB_EUNAVAILABLE;
	}
	if (e == ER_DUP_ENTRY)
		return CB_EEXIST;
	if (e == ER_LOCK_DEADLOCK || e == ER_LOCK_WAIT_TIMEOUT)
		return CB_ECONFLICT;
	log_error("database error during %s: %s (%u)", what, msg, e);
	return CB_EDB;
}

static void
touch(struct db_conn *c)
{
	clock_gettime(CLOCK_MONOTONIC, &c->last_ok);
}

static cb_err
connect_now(struct db_conn *c)
{
	const struct config *cfg = c->cfg;
	unsigned timeout = (unsigned)cfg->db_connect_timeout;
	unsigned rw_timeout = 60;
	my_bool off = 0;
	unsigned long flags = CLIENT_FOUND_ROWS;

	c->my = mysql_init(NULL);
	if (!c->my)
		return CB_ENOMEM;
	mysql_options(c->my, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(c->my, MYSQL_OPT_READ_TIMEOUT, &rw_timeout);
	mysql_options(c->my, MYSQL_OPT_WRITE_TIMEOUT, &rw_timeout);
	mysql_options(c->my, MYSQL_OPT_RECONNECT, &off);
	mysql_options(c->my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	/* Storage is UTC; the edges convert to the installation's zone. */
	mysql_options(c->my, MYSQL_INIT_COMMAND, "SET time_zone = '+00:00'");
	if (c->multi_statements)
		flags |= CLIENT_MULTI_STATEMENTS;
	const char *host = *cfg->db_host ? cfg->db_host : NULL;
	const char *sock = host ? NULL : cfg->db_socket;
	if (!mysql_real_connect(c->my, host, cfg->db_user, cfg->db_password,
	        cfg->db_name, (unsigned)cfg->db_port, sock, flags)) {
		unsigned e = mysql_errno(c->my);
		log_warn("cannot connect to the database (%s%s): %s (%u)",
		    host ? "host " : "socket ", host ? host : sock,
		    mysql_error(c->my), e);
		mysql_close(c->my);
		c->my = NULL;
		/* Bad credentials or a missing database are configuration
		 * errors, but from the client's view the service is down. */
		return CB_EUNAVAILABLE;
	}
	touch(c);
	return CB_OK;
}

cb_err
db_ready(struct db_conn *c)
{
	struct timespec now;
	if (!c->my)
		return connect_now(c);
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec - c->last_ok.tv_sec >= 1) {
		if (mysql_ping(c->my) != 0) {
			log_info("database connection lost (%s); reconnecting",
			    mysql_error(c->my));
			drop(c);
			return connect_now(c);
		}
		touch(c);
	}
	return CB_OK;
}

cb_err
db_prepare(struct db_conn *c, const char *sql, struct db_stmt **out)
{
	cb_err e;
	*out = NULL;
	if (!c->my && (e = connect_now(c)) != CB_OK)
		return e;
	for (struct db_stmt *s = c->stmts; s; s = s->next)
		if (s->sql == sql) {
			memset(s->params, 0, sizeof s->params);
			*out = s;
			return CB_OK;
		}
	struct db_stmt *s = calloc(1, sizeof *s);
	if (!s)
		return CB_ENOMEM;
	s->sql = sql;
	s->st = mysql_stmt_init(c->my);
	if (!s->st) {
		free(s);
		return CB_ENOMEM;
	}
	if (mysql_stmt_prepare(s->st, sql, strlen(sql)) != 0) {
		unsigned err = mysql_stmt_errno(s->st);
		char msg[256];
		snprintf(msg, sizeof msg, "%s", mysql_stmt_error(s->st));
		stmt_free(s);
		return fail(c, err, msg, "prepare");
	}
	s->nparams = mysql_stmt_param_count(s->st);
	if (s->nparams > DB_MAX_PARAMS) {
		log_error("statement has %u parameters, max %d", s->nparams,
		    DB_MAX_PARAMS);
		stmt_free(s);
		return CB_EDB; /* our bug, not the client's: a 500 */
	}
	s->ncols = mysql_stmt_field_count(s->st);
	if (s->ncols) {
		s->cols = calloc(s->ncols, sizeof *s->cols);
		s->colbuf = calloc(s->ncols, sizeof *s->colbuf);
		s->colcap = calloc(s->ncols, sizeof *s->colcap);
		s->collen = calloc(s->ncols, sizeof *s->collen);
		s->colnull = calloc(s->ncols, sizeof *s->colnull);
		s->colerr = calloc(s->ncols, sizeof *s->colerr);
		if (!s->cols || !s->colbuf || !s->colcap || !s->collen ||
		    !s->colnull || !s->colerr) {
			stmt_free(s);
			return CB_ENOMEM;
		}
		my_bool on = 1;
		mysql_stmt_attr_set(s->st, STMT_ATTR_UPDATE_MAX_LENGTH, &on);
	}
	s->next = c->stmts;
	c->stmts = s;
	*out = s;
	return CB_OK;
}

void
db_bind_strn(struct db_stmt *s, unsigned i, const char *v, size_t n)
{
	if (i >= s->nparams)
		return;
	if (!v) {
		db_bind_null(s, i);
		return;
	}
	MYSQL_BIND *b = &s->params[i];
	memset(b, 0, sizeof *b);
	s->plens[i] = n;
	b->buffer_type = MYSQL_TYPE_STRING;
	b->buffer = (void *)v;
	b->buffer_length = n;
	b->length = &s->plens[i];
}

void
db_bind_str(struct db_stmt *s, unsigned i, const char *v)
{
	db_bind_strn(s, i, v, v ? strlen(v) : 0);
}

void
db_bind_i64(struct db_stmt *s, unsigned i, int64_t v)
{
	if (i >= s->nparams)
		return;
	MYSQL_BIND *b = &s->params[i];
	memset(b, 0, sizeof *b);
	s->ints[i] = v;
	b->buffer_type = MYSQL_TYPE_LONGLONG;
	b->buffer = &s->ints[i];
}

void
db_bind_null(struct db_stmt *s, unsigned i)
{
	if (i >= s->nparams)
		return;
	MYSQL_BIND *b = &s->params[i];
	memset(b, 0, sizeof *b);
	s->pnull[i] = 1;
	b->buffer_type = MYSQL_TYPE_NULL;
	b->is_null = &s->pnull[i];
}

cb_err
db_params_check(const MYSQL_BIND *params, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (params[i].buffer_type == MYSQL_TYPE_DECIMAL &&
		    !params[i].buffer) {
			/* Unbound (zeroed) parameters are a caller bug. */
			log_error("parameter %u of a statement is unbound", i);
			return CB_EDB; /* a 500, never the client's 400 */
		}
	return CB_OK;
}

cb_err
db_exec(struct db_conn *c, struct db_stmt *s)
{
	if (s->has_result) {
		mysql_stmt_free_result(s->st);
		s->has_result = false;
	}
	cb_err e = db_params_check(s->params, s->nparams);
	if (e != CB_OK)
		return e;
	if ((s->nparams && mysql_stmt_bind_param(s->st, s->params) != 0) ||
	    mysql_stmt_execute(s->st) != 0)
		return fail(c, mysql_stmt_errno(s->st), mysql_stmt_error(s->st),
		    "execute");
	if (s->ncols) {
		if (mysql_stmt_store_result(s->st) != 0)
			return fail(c, mysql_stmt_errno(s->st),
			    mysql_stmt_error(s->st), "store result");
		s->has_result = true;
		MYSQL_RES *meta = mysql_stmt_result_metadata(s->st);
		if (!meta)
			return fail(c, mysql_stmt_errno(s->st),
			    mysql_stmt_error(s->st), "metadata");
		MYSQL_FIELD *f = mysql_fetch_fields(meta);
		for (unsigned i = 0; i < s->ncols; i++) {
			unsigned long want = f[i].max_length + 1;
			if (want < 64)
				want = 64;
			if (s->colcap[i] < want) {
				char *nb = realloc(s->colbuf[i], want);
				if (!nb) {
					mysql_free_result(meta);
					return CB_ENOMEM;
				}
				s->colbuf[i] = nb;
				s->colcap[i] = want;
			}
			MYSQL_BIND *b = &s->cols[i];
			memset(b, 0, sizeof *b);
			b->buffer_type = MYSQL_TYPE_STRING;
			b->buffer = s->colbuf[i];
			b->buffer_length = s->colcap[i] - 1;
			b->length = &s->collen[i];
			b->is_null = &s->colnull[i];
			b->error = &s->colerr[i];
		}
		mysql_free_result(meta);
		if (mysql_stmt_bind_result(s->st, s->cols) != 0)
			return fail(c, mysql_stmt_errno(s->st),
			    mysql_stmt_error(s->st), "bind result");
	}
	touch(c);
	return CB_OK;
}

cb_err
db_next(struct db_conn *c, struct db_stmt *s, bool *row)
{
	*row = false;
	if (!s->has_result)
		return CB_OK;
	int r = mysql_stmt_fetch(s->st);
	if (r == MYSQL_NO_DATA)
		return CB_OK;
	if (r == 1)
		return fail(c, mysql_stmt_errno(s->st), mysql_stmt_error(s->st),
		    "fetch");
	for (unsigned i = 0; i < s->ncols; i++) {
		if (s->colnull[i])
			continue;
		unsigned long len = s->collen[i];
		if (len >= s->colcap[i]) {
			/* Truncated: grow and fetch this column again. */
			char *nb = realloc(s->colbuf[i], len + 1);
			if (!nb)
				return CB_ENOMEM;
			s->colbuf[i] = nb;
			s->colcap[i] = len + 1;
			s->cols[i].buffer = nb;
			s->cols[i].buffer_length = len;
			if (mysql_stmt_fetch_column(s->st, &s->cols[i], i, 0) != 0)
				return fail(c, mysql_stmt_errno(s->st),
				    mysql_stmt_error(s->st), "fetch column");
		}
		s->colbuf[i][len] = '\0';
	}
	*row = true;
	return CB_OK;
}

const char *
db_col(const struct db_stmt *s, unsigned i)
{
	if (i >= s->ncols || s->colnull[i])
		return NULL;
	return s->colbuf[i];
}

int64_t
db_col_i64(const struct db_stmt *s, unsigned i)
{
	const char *v = db_col(s, i);
	return v ? strtoll(v, NULL, 10) : 0;
}

uint64_t
db_affected(const struct db_stmt *s)
{
	return mysql_stmt_affected_rows(s->st);
}

uint64_t
db_insert_id(const struct db_stmt *s)
{
	return mysql_stmt_insert_id(s->st);
}

cb_err
db_exec_one(struct db_conn *c, struct db_stmt *s)
{
	bool row;
	cb_err e;
	if ((e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, &row)) != CB_OK)
		return e;
	return row ? CB_OK : CB_ENOTFOUND;
}

/* The first row of sql run with an id (and an owner twice, when given). */
static cb_err
get_row(struct db_conn *c, const char *sql, int64_t id, const int64_t *owner,
    cb_err (*fill)(const struct db_stmt *s, void *out), void *out)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, sql, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, id);
	if (owner) {
		db_bind_i64(s, 1, *owner);
		db_bind_i64(s, 2, *owner);
	}
	if ((e = db_exec_one(c, s)) != CB_OK)
		return e;
	return fill(s, out);
}

cb_err
db_get_by_id(struct db_conn *c, const char *sql, int64_t id,
    cb_err (*fill)(const struct db_stmt *s, void *out), void *out)
{
	return get_row(c, sql, id, NULL, fill, out);
}

cb_err
db_get_owned(struct db_conn *c, const char *sql, int64_t id, int64_t owner,
    cb_err (*fill)(const struct db_stmt *s, void *out), void *out)
{
	return get_row(c, sql, id, &owner, fill, out);
}

cb_err
db_query(struct db_conn *c, const char *sql)
{
	cb_err e;
	if (!c->my && (e = connect_now(c)) != CB_OK)
		return e;
	if (mysql_real_query(c->my, sql, strlen(sql)) != 0)
		return fail(c, mysql_errno(c->my), mysql_error(c->my), "query");
	/* Drain every result of a multi-statement batch. */
	for (;;) {
		MYSQL_RES *r = mysql_store_result(c->my);
		if (r)
			mysql_free_result(r);
		else if (mysql_field_count(c->my) != 0)
			return fail(c, mysql_errno(c->my), mysql_error(c->my),
			    "query result");
		int more = mysql_next_result(c->my);
		if (more == -1)
			break;
		if (more > 0)
			return fail(c, mysql_errno(c->my), mysql_error(c->my),
			    "query");
	}
	touch(c);
	return CB_OK;
}

cb_err
db_begin(struct db_conn *c)
{
	cb_err e = db_query(c, "START TRANSACTION");
	c->in_txn = e == CB_OK;
	c->txn_doomed = false;
	return e;
}

cb_err
db_commit(struct db_conn *c)
{
	if (c->txn_doomed) {
		log_error("a write of this transaction failed: rolled back");
		db_rollback(c);
		return CB_EDB;
	}
	cb_err e = db_query(c, "COMMIT");
	c->in_txn = false;
	return e;
}

cb_err
db_rollback(struct db_conn *c)
{
	c->in_txn = c->txn_doomed = false;
	if (!c->my)
		return CB_OK;
	return db_query(c, "ROLLBACK");
}

bool
db_txn_doom(struct db_conn *c)
{
	if (!c->in_txn)
		return false;
	c->txn_doomed = true;
	return true;
}

const char *
db_errmsg(const struct db_conn *c)
{
	return c->my ? mysql_error(c->my) : "not connected";
}
