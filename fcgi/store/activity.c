/* activity.c — see activity.h. */
#include <stdio.h>
#include <string.h>

#include "store/activity.h"

static const char SQL_INSERT[] =
    "INSERT INTO activity_log (at, action, principal_type, principal_id,"
    " target, request_id, detail) VALUES (UTC_TIMESTAMP(6), ?, ?, ?, ?, ?, ?)";

static const char SQL_INSERT_MANY[] =
    "INSERT INTO activity_log (at, action, principal_type, principal_id,"
    " target, request_id, detail) SELECT UTC_TIMESTAMP(6), ?, ?, ?, target,"
    " NULL, detail FROM JSON_TABLE(?, '$[*]' COLUMNS (target VARCHAR(128)"
    " PATH '$[0]', detail TEXT PATH '$[1]')) AS a";

/* A target ending in ':' is a prefix ("payment:" = every payment's). */
static const char SQL_LIST[] =
    "SELECT id, at, action, principal_type, principal_id, target, request_id,"
    " detail FROM activity_log"
    " WHERE (? IS NULL OR action = ?) AND (? IS NULL OR principal_type = ?)"
    " AND (? IS NULL OR principal_id = ?)"
    " AND (? IS NULL OR target = ? OR (RIGHT(?, 1) = ':' AND"
    "   target LIKE CONCAT(REPLACE(REPLACE(?, '%', '\\\\%'), '_', '\\\\_'), '%')))"
    " AND (? IS NULL OR at >= ?) AND (? IS NULL OR at < ?)"
    " AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?";

cb_err
activity_list(struct db_conn *c, const struct activity_filter *f,
    cb_err (*fn)(const struct activity_row *, void *), void *arg)
{
	struct db_stmt *s;
	struct activity_row r;
	bool row;
	cb_err e;
	const char *v;
	if ((e = db_prepare(c, SQL_LIST, &s)) != CB_OK)
		return e;
	unsigned i = 0;
	const char *pairs[] = {f->action, f->principal_type, f->principal_id};
	for (size_t k = 0; k < 3; k++) {
		db_bind_str(s, i++, pairs[k]);
		db_bind_str(s, i++, pairs[k]);
	}
	for (int k = 0; k < 4; k++)
		db_bind_str(s, i++, f->target);
	db_bind_str(s, i++, f->from);
	db_bind_str(s, i++, f->from);
	db_bind_str(s, i++, f->to);
	db_bind_str(s, i++, f->to);
	db_bind_i64(s, i++, f->before_id);
	db_bind_i64(s, i++, f->before_id);
	db_bind_i64(s, i++, f->limit);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	while ((e = db_next(c, s, &row)) == CB_OK && row) {
		memset(&r, 0, sizeof r);
		r.id = db_col_i64(s, 0);
		snprintf(r.at, sizeof r.at, "%s", (v = db_col(s, 1)) ? v : "");
		snprintf(r.action, sizeof r.action, "%s", (v = db_col(s, 2)) ? v : "");
		snprintf(r.principal_type, sizeof r.principal_type, "%s",
		    (v = db_col(s, 3)) ? v : "");
		snprintf(r.principal_id, sizeof r.principal_id, "%s",
		    (v = db_col(s, 4)) ? v : "");
		snprintf(r.target, sizeof r.target, "%s", (v = db_col(s, 5)) ? v : "");
		snprintf(r.request_id, sizeof r.request_id, "%s",
		    (v = db_col(s, 6)) ? v : "");
		r.detail = db_col(s, 7);
		if ((e = fn(&r, arg)) != CB_OK)
			return e;
	}
	return e;
}

cb_err
activity_record_many(struct db_conn *c, const char *action, const char *ptype,
    const char *pid, const char *targets_details)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_INSERT_MANY, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, action);
	db_bind_str(s, 1, ptype);
	db_bind_str(s, 2, pid);
	db_bind_str(s, 3, targets_details);
	return db_exec(c, s);
}

cb_err
activity_record(struct db_conn *c, const char *action, const char *ptype,
    const char *pid, const char *target, const char *rid, const char *detail)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_INSERT, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, action);
	db_bind_str(s, 1, ptype);
	db_bind_str(s, 2, pid);
	db_bind_str(s, 3, target);
	db_bind_str(s, 4, rid);
	db_bind_str(s, 5, detail);
	return db_exec(c, s);
}
