/* activity.c — see activity.h. */
#include "store/activity.h"

static const char SQL_INSERT[] =
    "INSERT INTO activity_log (at, action, principal_type, principal_id,"
    " target, request_id, detail) VALUES (UTC_TIMESTAMP(6), ?, ?, ?, ?, ?, ?)";

static const char SQL_INSERT_MANY[] =
    "INSERT INTO activity_log (at, action, principal_type, principal_id,"
    " target, request_id, detail) SELECT UTC_TIMESTAMP(6), ?, ?, ?, target,"
    " NULL, detail FROM JSON_TABLE(?, '$[*]' COLUMNS (target VARCHAR(128)"
    " PATH '$[0]', detail TEXT PATH '$[1]')) AS a";

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
