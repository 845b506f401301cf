/*
 * activity.h — the append-only activity log: every mutating call records an
 * action name (API_KEY_CREATE, USER_ADD …), who, the target and the request.
 */
#ifndef CB_ACTIVITY_H
#define CB_ACTIVITY_H

#include "store/db.h"

/* principal_type: "api_key", "user", "cli" or "system".  Any of
 * principal_id, target, request_id, detail may be NULL. */
cb_err activity_record(struct db_conn *c, const char *action,
    const char *principal_type, const char *principal_id, const char *target,
    const char *request_id, const char *detail);

/* Many lines of one action by one principal: targets_details is a JSON
 * array of [target, detail] pairs. */
cb_err activity_record_many(struct db_conn *c, const char *action,
    const char *principal_type, const char *principal_id,
    const char *targets_details);

#endif
