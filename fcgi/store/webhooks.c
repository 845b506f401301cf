/* webhooks.c — see webhooks.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/webhooks.h"

#define ENDPOINT_COLS "id, api_key_id, url, description, events, enabled," \
	" disabled_reason, disabled_at, failing_since," \
	" IF(previous_until > UTC_TIMESTAMP(6), previous_until, NULL)," \
	" created_at, updated_at, version"

static const char SQL_EP_INSERT[] =
    "INSERT INTO webhook_endpoints (api_key_id, url, description, events,"
    " secret, created_at, updated_at) VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(6),"
    " UTC_TIMESTAMP(6))";
static const char SQL_EP_GET[] =
    "SELECT " ENDPOINT_COLS " FROM webhook_endpoints WHERE id = ?"
    " AND deleted = 0 AND (? = 0 OR api_key_id = ?)";
static const char SQL_EP_LIST[] =
    "SELECT " ENDPOINT_COLS " FROM webhook_endpoints WHERE deleted = 0"
    " AND (? = 0 OR api_key_id = ?) AND (? = 0 OR id < ?)"
    " ORDER BY id DESC LIMIT ?";
static const char SQL_EP_UPDATE[] =
    "UPDATE webhook_endpoints SET url = COALESCE(?, url),"
    " description = IF(?, ?, description), events = COALESCE(?, events),"
    " enabled = IF(? < 0, enabled, ?),"
    " disabled_reason = IF(? = 1, NULL, IF(? = 0, 'disabled by the client',"
    "   disabled_reason)),"
    " disabled_at = IF(? = 1, NULL, IF(? = 0 AND enabled = 1,"
    "   UTC_TIMESTAMP(6), disabled_at)),"
    " failing_since = IF(? = 1, NULL, failing_since),"
    " version = version + 1, updated_at = UTC_TIMESTAMP(6)"
    " WHERE id = ? AND deleted = 0 AND (? = 0 OR api_key_id = ?)"
    " AND (? = 0 OR version = ?)";
static const char SQL_EP_DELETE[] =
    "UPDATE webhook_endpoints SET deleted = 1, enabled = 0,"
    " version = version + 1, updated_at = UTC_TIMESTAMP(6)"
    " WHERE id = ? AND deleted = 0 AND (? = 0 OR api_key_id = ?)";
static const char SQL_EP_ROTATE[] =
    "UPDATE webhook_endpoints SET previous_secret = secret,"
    " previous_until = UTC_TIMESTAMP(6) + INTERVAL ? HOUR, secret = ?,"
    " version = version + 1, updated_at = UTC_TIMESTAMP(6)"
    " WHERE id = ? AND deleted = 0 AND (? = 0 OR api_key_id = ?)";
static const char SQL_CB_ENSURE[] =
    "INSERT IGNORE INTO webhook_callback_secrets (api_key_id, secret,"
    " updated_at) VALUES (?, ?, UTC_TIMESTAMP(6))";
static const char SQL_CB_ROTATE[] =
    "INSERT INTO webhook_callback_secrets (api_key_id, secret, updated_at)"
    " VALUES (?, ?, UTC_TIMESTAMP(6)) ON DUPLICATE KEY UPDATE"
    " previous_secret = secret,"
    " previous_until = UTC_TIMESTAMP(6) + INTERVAL ? HOUR,"
    " secret = VALUES(secret), updated_at = UTC_TIMESTAMP(6)";

static const char SQL_EV_TAKE[] =
    "SELECT id, type, payment_id, payment_version, api_key_id, occurred_at"
    " FROM webhook_events WHERE fanned_out = 0 ORDER BY id LIMIT ?"
    " FOR UPDATE SKIP LOCKED";
static const char SQL_EV_STORE[] =
    "UPDATE webhook_events SET msg_id = ?, payload = ?, fanned_out = 1"
    " WHERE id = ?";
static const char SQL_EV_FAN_OUT[] =
    "INSERT INTO webhook_deliveries (event_id, endpoint_id, api_key_id, url,"
    " state, next_at, created_at, updated_at)"
    " SELECT ?, id, api_key_id, url, 'pending', UTC_TIMESTAMP(6),"
    " UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) FROM webhook_endpoints"
    " WHERE api_key_id = ? AND enabled = 1 AND deleted = 0"
    " AND (events = '*' OR FIND_IN_SET(?, events) > 0)";
static const char SQL_EV_CALLBACK[] =
    "INSERT INTO webhook_deliveries (event_id, endpoint_id, api_key_id, url,"
    " state, next_at, created_at, updated_at, payload) VALUES (?, NULL, ?, ?,"
    " 'pending', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), ?)";

static const char SQL_DL_DUE[] =
    "SELECT id, state FROM webhook_deliveries"
    " WHERE (state = 'pending' AND next_at <= UTC_TIMESTAMP(6))"
    " OR (state = 'sending' AND lease_expires < UTC_TIMESTAMP(6))"
    " ORDER BY next_at, id LIMIT ? FOR UPDATE SKIP LOCKED";
static const char SQL_DL_LEASE[] =
    "UPDATE webhook_deliveries SET state = 'sending',"
    " lease_expires = UTC_TIMESTAMP(6) + INTERVAL ? SECOND,"
    " updated_at = UTC_TIMESTAMP(6) WHERE id = ?";
static const char SQL_DL_INTERRUPTED[] =
    "UPDATE webhook_deliveries SET attempts = attempts + 1, round = round + 1,"
    " last_status = NULL, last_error = ? WHERE id = ?";
static const char SQL_AT_INSERT[] =
    "INSERT INTO webhook_attempts (delivery_id, at, http_status, latency_ms,"
    " error, response_head, next_at) VALUES (?, UTC_TIMESTAMP(6), ?, ?, ?, ?,"
    " IF(? < 0, NULL, UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND))";
static const char SQL_DL_LOAD[] =
    "SELECT d.id, d.endpoint_id, d.api_key_id, d.url, ev.msg_id,"
    " COALESCE(d.payload, ev.payload),"
    " COALESCE(e.secret, cs.secret),"
    " IF(COALESCE(e.previous_until, cs.previous_until) > UTC_TIMESTAMP(6),"
    "   COALESCE(e.previous_secret, cs.previous_secret), NULL),"
    " d.round, d.attempts,"
    " d.endpoint_id IS NOT NULL AND (e.id IS NULL OR e.enabled = 0"
    "   OR e.deleted = 1)"
    " FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id"
    " LEFT JOIN webhook_endpoints e ON e.id = d.endpoint_id"
    " LEFT JOIN webhook_callback_secrets cs ON d.endpoint_id IS NULL"
    "   AND cs.api_key_id = d.api_key_id"
    " WHERE d.id = ?";
static const char SQL_DL_DONE[] =
    "UPDATE webhook_deliveries SET state = ?, attempts = attempts + 1,"
    " round = round + 1, lease_expires = NULL,"
    " next_at = IF(? < 0, next_at, UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND),"
    " last_status = ?, last_error = ?, updated_at = UTC_TIMESTAMP(6)"
    " WHERE id = ? AND state = 'sending'";
static const char SQL_EP_OK[] =
    "UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ?"
    " AND failing_since IS NOT NULL";
static const char SQL_EP_FAILED[] =
    "UPDATE webhook_endpoints SET"
    " failing_since = COALESCE(failing_since, UTC_TIMESTAMP(6)) WHERE id = ?";
static const char SQL_EP_DISABLE[] =
    "UPDATE webhook_endpoints SET enabled = 0, disabled_at = UTC_TIMESTAMP(6),"
    " disabled_reason = ?, version = version + 1,"
    " updated_at = UTC_TIMESTAMP(6) WHERE id = ? AND enabled = 1";
static const char SQL_EP_STREAK[] =
    "SELECT failing_since <= UTC_TIMESTAMP(6) - INTERVAL ? HOUR,"
    " DATE_FORMAT(failing_since, '%Y-%m-%dT%H:%i:%sZ')"
    " FROM webhook_endpoints WHERE id = ? AND enabled = 1";

#define DELIVERY_COLS "d.id, d.event_id, ev.payment_id, d.endpoint_id," \
	" ev.type, ev.msg_id, d.url, d.state, d.next_at, d.last_error," \
	" d.created_at, d.updated_at, d.last_status, d.attempts," \
	" ev.payment_version"
static const char SQL_DL_LIST[] =
    "SELECT " DELIVERY_COLS " FROM webhook_deliveries d"
    " JOIN webhook_events ev ON ev.id = d.event_id"
    " WHERE (? = 0 OR d.api_key_id = ?) AND (? = 0 OR d.endpoint_id = ?)"
    " AND (? = 0 OR ev.payment_id = ?) AND (? IS NULL OR d.state = ?)"
    " AND (? = 0 OR d.id < ?) ORDER BY d.id DESC LIMIT ?";
static const char SQL_AT_LIST[] =
    "SELECT id, at, http_status, latency_ms, error, response_head, next_at"
    " FROM webhook_attempts WHERE delivery_id = ? ORDER BY id";
static const char SQL_DL_REDELIVER[] =
    "UPDATE webhook_deliveries SET state = 'pending', round = 0,"
    " next_at = UTC_TIMESTAMP(6), updated_at = UTC_TIMESTAMP(6)"
    " WHERE id = ? AND (? = 0 OR api_key_id = ?) AND state <> 'sending'";
static const char SQL_DL_EXISTS[] =
    "SELECT state FROM webhook_deliveries WHERE id = ?"
    " AND (? = 0 OR api_key_id = ?)";

/* Finished deliveries past the retention, with their attempts, then the
 * events left without deliveries. */
static const char SQL_PURGE_OLD[] =
    "SELECT id FROM webhook_deliveries WHERE state IN ('succeeded', 'failed')"
    " AND next_at < UTC_TIMESTAMP(6) - INTERVAL ? DAY"
    " AND updated_at < UTC_TIMESTAMP(6) - INTERVAL ? DAY LIMIT ?";
static const char SQL_PURGE_ATTEMPTS[] =
    "DELETE FROM webhook_attempts WHERE delivery_id = ?";
static const char SQL_PURGE_DELIVERY[] =
    "DELETE FROM webhook_deliveries WHERE id = ?";
static const char SQL_PURGE_EVENTS[] =
    "DELETE FROM webhook_events WHERE fanned_out = 1"
    " AND occurred_at < UTC_TIMESTAMP(6) - INTERVAL ? DAY"
    " AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d"
    "   WHERE d.event_id = webhook_events.id) ORDER BY id LIMIT ?";

static const char SQL_DL_COUNTS[] =
    "SELECT state, COUNT(*) FROM webhook_deliveries GROUP BY state";

static void
copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static void
bind_opt(struct db_stmt *s, unsigned i, const char *v)
{
	if (v)
		db_bind_str(s, i, v);
	else
		db_bind_null(s, i);
}

static void
bind_client(struct db_stmt *s, unsigned i, int64_t api_key_id)
{
	db_bind_i64(s, i, api_key_id);
	db_bind_i64(s, i + 1, api_key_id);
}

static void
fill_endpoint(const struct db_stmt *s, struct wh_endpoint_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = db_col_i64(s, 0);
	r->api_key_id = db_col_i64(s, 1);
	copy(r->url, sizeof r->url, db_col(s, 2));
	copy(r->description, sizeof r->description, db_col(s, 3));
	copy(r->events, sizeof r->events, db_col(s, 4));
	r->enabled = db_col_i64(s, 5) != 0;
	copy(r->disabled_reason, sizeof r->disabled_reason, db_col(s, 6));
	copy(r->disabled_at, sizeof r->disabled_at, db_col(s, 7));
	copy(r->failing_since, sizeof r->failing_since, db_col(s, 8));
	copy(r->previous_until, sizeof r->previous_until, db_col(s, 9));
	copy(r->created_at, sizeof r->created_at, db_col(s, 10));
	copy(r->updated_at, sizeof r->updated_at, db_col(s, 11));
	r->version = (unsigned)db_col_i64(s, 12);
}

cb_err
wh_endpoints_insert(struct db_conn *c, int64_t api_key_id, const char *url,
    const char *description, const char *events, const char *secret,
    int64_t *id)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_EP_INSERT, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, api_key_id);
	db_bind_str(s, 1, url);
	bind_opt(s, 2, description);
	db_bind_str(s, 3, events);
	db_bind_str(s, 4, secret);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	*id = (int64_t)db_insert_id(s);
	return CB_OK;
}

cb_err
wh_endpoints_get(struct db_conn *c, int64_t id, int64_t api_key_id,
    struct wh_endpoint_row *r)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_EP_GET, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, id);
	bind_client(s, 1, api_key_id);
	if ((e = db_exec_one(c, s)) != CB_OK)
		return e;
	fill_endpoint(s, r);
	return CB_OK;
}

cb_err
wh_endpoints_list(struct db_conn *c, int64_t api_key_id, int64_t before,
    int limit, cb_err (*fn)(const struct wh_endpoint_row *, void *), void *arg)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	if ((e = db_prepare(c, SQL_EP_LIST, &s)) != CB_OK)
		return e;
	bind_client(s, 0, api_key_id);
	db_bind_i64(s, 2, before);
	db_bind_i64(s, 3, before);
	db_bind_i64(s, 4, limit);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	struct wh_endpoint_row *r = malloc(sizeof *r);
	if (!r)
		return CB_ENOMEM;
	while ((e = db_next(c, s, &row)) == CB_OK && row) {
		fill_endpoint(s, r);
		if ((e = fn(r, arg)) != CB_OK)
			break;
	}
	free(r);
	return e;
}

cb_err
wh_endpoints_update(struct db_conn *c, int64_t id, int64_t api_key_id,
    const struct wh_endpoint_patch *p, unsigned expected_version, bool *changed)
{
	struct db_stmt *s;
	cb_err e;
	*changed = false;
	if ((e = db_prepare(c, SQL_EP_UPDATE, &s)) != CB_OK)
		return e;
	bind_opt(s, 0, p->url);
	db_bind_i64(s, 1, p->description != NULL);
	bind_opt(s, 2, p->description && *p->description ? p->description : NULL);
	bind_opt(s, 3, p->events);
	db_bind_i64(s, 4, p->enabled);
	db_bind_i64(s, 5, p->enabled);
	for (unsigned i = 6; i <= 10; i++)
		db_bind_i64(s, i, p->enabled);
	db_bind_i64(s, 11, id);
	bind_client(s, 12, api_key_id);
	db_bind_i64(s, 14, expected_version);
	db_bind_i64(s, 15, expected_version);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	*changed = db_affected(s) > 0;
	return CB_OK;
}

static cb_err
exec_by_id_client(struct db_conn *c, const char *sql, int64_t id,
    int64_t api_key_id)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, sql, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, id);
	bind_client(s, 1, api_key_id);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	return db_affected(s) ? CB_OK : CB_ENOTFOUND;
}

cb_err
wh_endpoints_delete(struct db_conn *c, int64_t id, int64_t api_key_id)
{
	return exec_by_id_client(c, SQL_EP_DELETE, id, api_key_id);
}

cb_err
wh_endpoints_rotate(struct db_conn *c, int64_t id, int64_t api_key_id,
    const char *secret, int overlap_hours)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_EP_ROTATE, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, overlap_hours);
	db_bind_str(s, 1, secret);
	db_bind_i64(s, 2, id);
	bind_client(s, 3, api_key_id);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	return db_affected(s) ? CB_OK : CB_ENOTFOUND;
}

cb_err
wh_callback_secret_ensure(struct db_conn *c, int64_t api_key_id,
    const char *secret_if_new)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_CB_ENSURE, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, api_key_id);
	db_bind_str(s, 1, secret_if_new);
	return db_exec(c, s);
}

cb_err
wh_callback_secret_rotate(struct db_conn *c, int64_t api_key_id,
    const char *secret, int overlap_hours)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_CB_ROTATE, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, api_key_id);
	db_bind_str(s, 1, secret);
	db_bind_i64(s, 2, overlap_hours);
	return db_exec(c, s);
}

cb_err
wh_events_take(struct db_conn *c, struct wh_event *out, int max, int *n)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	*n = 0;
	if ((e = db_prepare(c, SQL_EV_TAKE, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, max);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	while ((e = db_next(c, s, &row)) == CB_OK && row && *n < max) {
		struct wh_event *ev = &out[(*n)++];
		ev->id = db_col_i64(s, 0);
		copy(ev->type, sizeof ev->type, db_col(s, 1));
		ev->payment_id = db_col_i64(s, 2);
		ev->payment_version = (unsigned)db_col_i64(s, 3);
		ev->api_key_id = db_col_i64(s, 4);
		copy(ev->occurred_at, sizeof ev->occurred_at, db_col(s, 5));
	}
	return e;
}

cb_err
wh_event_fan_out(struct db_conn *c, const struct wh_event *ev,
    const char *msg_id, const char *payload, const char *callback_url,
    const char *callback_payload)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_EV_STORE, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, msg_id);
	db_bind_str(s, 1, payload);
	db_bind_i64(s, 2, ev->id);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	if ((e = db_prepare(c, SQL_EV_FAN_OUT, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, ev->id);
	db_bind_i64(s, 1, ev->api_key_id);
	db_bind_str(s, 2, ev->type);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	if (!callback_url)
		return CB_OK;
	if ((e = db_prepare(c, SQL_EV_CALLBACK, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, ev->id);
	db_bind_i64(s, 1, ev->api_key_id);
	db_bind_str(s, 2, callback_url);
	db_bind_str(s, 3, callback_payload);
	return db_exec(c, s);
}

static cb_err
attempt_log(struct db_conn *c, int64_t delivery_id, long status,
    long latency_ms, const char *error, const char *head, double next_in)
{
	struct db_stmt *s;
	cb_err e;
	if ((e = db_prepare(c, SQL_AT_INSERT, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, delivery_id);
	if (status > 0)
		db_bind_i64(s, 1, status);
	else
		db_bind_null(s, 1);
	db_bind_i64(s, 2, latency_ms < 0 ? 0 : latency_ms);
	bind_opt(s, 3, error);
	bind_opt(s, 4, head);
	int64_t us = next_in < 0 ? -1 : (int64_t)(next_in * 1e6);
	db_bind_i64(s, 5, us);
	db_bind_i64(s, 6, us);
	return db_exec(c, s);
}

cb_err
wh_deliveries_claim(struct db_conn *c, int max, int lease_seconds,
    int64_t *ids, int *n)
{
	static const char interrupted[] =
	    "interrupted: the worker stopped during the attempt";
	struct db_stmt *s;
	bool row;
	cb_err e;
	bool stale[1024];
	*n = 0;
	if (max > 1024)
		max = 1024;
	if ((e = db_begin(c)) != CB_OK)
		return e;
	if ((e = db_prepare(c, SQL_DL_DUE, &s)) != CB_OK)
		goto fail;
	db_bind_i64(s, 0, max);
	if ((e = db_exec(c, s)) != CB_OK)
		goto fail;
	while ((e = db_next(c, s, &row)) == CB_OK && row && *n < max) {
		stale[*n] = strcmp(db_col(s, 1), "sending") == 0;
		ids[(*n)++] = db_col_i64(s, 0);
	}
	if (e != CB_OK)
		goto fail;
	for (int i = 0; i < *n; i++) {
		if (stale[i]) {
			if ((e = attempt_log(c, ids[i], 0, 0, interrupted, NULL, 0)) !=
			    CB_OK || (e = db_prepare(c, SQL_DL_INTERRUPTED, &s)) != CB_OK)
				goto fail;
			db_bind_str(s, 0, interrupted);
			db_bind_i64(s, 1, ids[i]);
			if ((e = db_exec(c, s)) != CB_OK)
				goto fail;
		}
		if ((e = db_prepare(c, SQL_DL_LEASE, &s)) != CB_OK)
			goto fail;
		db_bind_i64(s, 0, lease_seconds);
		db_bind_i64(s, 1, ids[i]);
		if ((e = db_exec(c, s)) != CB_OK)
			goto fail;
	}
	if ((e = db_commit(c)) == CB_OK)
		return CB_OK;
fail:
	db_rollback(c);
	*n = 0;
	return e;
}

cb_err
wh_delivery_load(struct db_conn *c, int64_t id, struct wh_send *w)
{
	struct db_stmt *s;
	cb_err e;
	memset(w, 0, sizeof *w);
	if ((e = db_prepare(c, SQL_DL_LOAD, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, id);
	if ((e = db_exec_one(c, s)) != CB_OK)
		return e;
	w->id = db_col_i64(s, 0);
	w->endpoint_id = db_col_i64(s, 1);
	w->api_key_id = db_col_i64(s, 2);
	copy(w->url, sizeof w->url, db_col(s, 3));
	copy(w->msg_id, sizeof w->msg_id, db_col(s, 4));
	if (!(w->payload = strdup(db_col(s, 5) ? db_col(s, 5) : "")))
		return CB_ENOMEM;
	copy(w->secret, sizeof w->secret, db_col(s, 6));
	copy(w->previous_secret, sizeof w->previous_secret, db_col(s, 7));
	w->round = (unsigned)db_col_i64(s, 8);
	w->attempts = (unsigned)db_col_i64(s, 9);
	w->receiver_gone = db_col_i64(s, 10) != 0;
	return CB_OK;
}

void
wh_send_release(struct wh_send *s)
{
	free(s->payload);
	s->payload = NULL;
}

static cb_err
endpoint_after(struct db_conn *c, const struct wh_send *w,
    const struct wh_attempt *a)
{
	struct db_stmt *s;
	bool row;
	char reason[300];
	cb_err e;
	if (!w->endpoint_id)
		return CB_OK;
	if (a->outcome == WH_SUCCEEDED) {
		if ((e = db_prepare(c, SQL_EP_OK, &s)) != CB_OK)
			return e;
		db_bind_i64(s, 0, w->endpoint_id);
		return db_exec(c, s);
	}
	const char *disable = a->disable_reason;
	if (!disable) {
		if ((e = db_prepare(c, SQL_EP_FAILED, &s)) != CB_OK)
			return e;
		db_bind_i64(s, 0, w->endpoint_id);
		if ((e = db_exec(c, s)) != CB_OK ||
		    (e = db_prepare(c, SQL_EP_STREAK, &s)) != CB_OK)
			return e;
		db_bind_i64(s, 0, a->disable_after_hours);
		db_bind_i64(s, 1, w->endpoint_id);
		if ((e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, &row)) != CB_OK)
			return e;
		if (row && db_col_i64(s, 0) == 1) {
			snprintf(reason, sizeof reason, "every delivery has failed since"
			    " %s (more than %d hours)", db_col(s, 1) ? db_col(s, 1) : "?",
			    a->disable_after_hours);
			disable = reason;
		}
	}
	if (!disable)
		return CB_OK;
	if ((e = db_prepare(c, SQL_EP_DISABLE, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, disable);
	db_bind_i64(s, 1, w->endpoint_id);
	return db_exec(c, s);
}

static cb_err
record_one(struct db_conn *c, const struct wh_send *w,
    const struct wh_attempt *a)
{
	static const char *const states[] = {"succeeded", "pending", "failed"};
	struct db_stmt *s;
	cb_err e;
	double next = a->outcome == WH_RETRY ? a->next_in : -1;
	if ((e = attempt_log(c, w->id, a->http_status, a->latency_ms, a->error,
	    a->response_head, next)) != CB_OK)
		return e;
	if ((e = db_prepare(c, SQL_DL_DONE, &s)) != CB_OK)
		return e;
	db_bind_str(s, 0, states[a->outcome]);
	int64_t us = next < 0 ? -1 : (int64_t)(next * 1e6);
	db_bind_i64(s, 1, us);
	db_bind_i64(s, 2, us);
	if (a->http_status > 0)
		db_bind_i64(s, 3, a->http_status);
	else
		db_bind_null(s, 3);
	bind_opt(s, 4, a->error);
	db_bind_i64(s, 5, w->id);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	return endpoint_after(c, w, a);
}

cb_err
wh_deliveries_record(struct db_conn *c, const struct wh_send *const *w,
    const struct wh_attempt *const *a, size_t n)
{
	cb_err e;
	if (n == 0)
		return CB_OK;
	if ((e = db_begin(c)) != CB_OK)
		return e;
	for (size_t i = 0; i < n; i++)
		if ((e = record_one(c, w[i], a[i])) != CB_OK)
			goto fail;
	if ((e = db_commit(c)) == CB_OK)
		return CB_OK;
fail:
	db_rollback(c);
	return e;
}

cb_err
wh_deliveries_list(struct db_conn *c, const struct wh_delivery_filter *f,
    cb_err (*fn)(const struct wh_delivery_row *, void *), void *arg)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	if ((e = db_prepare(c, SQL_DL_LIST, &s)) != CB_OK)
		return e;
	bind_client(s, 0, f->api_key_id);
	db_bind_i64(s, 2, f->endpoint_id);
	db_bind_i64(s, 3, f->endpoint_id);
	db_bind_i64(s, 4, f->payment_id);
	db_bind_i64(s, 5, f->payment_id);
	bind_opt(s, 6, f->state);
	bind_opt(s, 7, f->state);
	db_bind_i64(s, 8, f->before);
	db_bind_i64(s, 9, f->before);
	db_bind_i64(s, 10, f->limit);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	while ((e = db_next(c, s, &row)) == CB_OK && row) {
		struct wh_delivery_row r = {
			.id = db_col_i64(s, 0), .event_id = db_col_i64(s, 1),
			.payment_id = db_col_i64(s, 2), .endpoint_id = db_col_i64(s, 3),
			.type = db_col(s, 4), .msg_id = db_col(s, 5), .url = db_col(s, 6),
			.state = db_col(s, 7), .next_at = db_col(s, 8),
			.last_error = db_col(s, 9), .created_at = db_col(s, 10),
			.updated_at = db_col(s, 11),
			.last_status = db_col(s, 12) ? db_col_i64(s, 12) : -1,
			.attempts = (unsigned)db_col_i64(s, 13),
			.payment_version = (unsigned)db_col_i64(s, 14),
		};
		if ((e = fn(&r, arg)) != CB_OK)
			break;
	}
	return e;
}

cb_err
wh_attempts_list(struct db_conn *c, int64_t delivery_id,
    cb_err (*fn)(const struct wh_attempt_row *, void *), void *arg)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	if ((e = db_prepare(c, SQL_AT_LIST, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, delivery_id);
	if ((e = db_exec(c, s)) != CB_OK)
		return e;
	while ((e = db_next(c, s, &row)) == CB_OK && row) {
		struct wh_attempt_row r = {
			.id = db_col_i64(s, 0), .at = db_col(s, 1),
			.http_status = db_col(s, 2) ? db_col_i64(s, 2) : -1,
			.latency_ms = db_col_i64(s, 3), .error = db_col(s, 4),
			.response_head = db_col(s, 5), .next_at = db_col(s, 6),
		};
		if ((e = fn(&r, arg)) != CB_OK)
			break;
	}
	return e;
}

cb_err
wh_delivery_redeliver(struct db_conn *c, int64_t id, int64_t api_key_id)
{
	struct db_stmt *s;
	bool row;
	cb_err e = exec_by_id_client(c, SQL_DL_REDELIVER, id, api_key_id);
	if (e != CB_ENOTFOUND)
		return e;
	/* Absent, or being sent right now. */
	if ((e = db_prepare(c, SQL_DL_EXISTS, &s)) != CB_OK)
		return e;
	db_bind_i64(s, 0, id);
	bind_client(s, 1, api_key_id);
	if ((e = db_exec(c, s)) != CB_OK || (e = db_next(c, s, &row)) != CB_OK)
		return e;
	return row ? CB_ECONFLICT : CB_ENOTFOUND;
}

cb_err
wh_purge(struct db_conn *c, int days, int batch, uint64_t *n)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	*n = 0;
	int64_t *ids = calloc((size_t)batch, sizeof *ids);
	int k = 0;
	if (!ids)
		return CB_ENOMEM;
	if ((e = db_prepare(c, SQL_PURGE_OLD, &s)) != CB_OK)
		goto out;
	db_bind_i64(s, 0, days);
	db_bind_i64(s, 1, days);
	db_bind_i64(s, 2, batch);
	if ((e = db_exec(c, s)) != CB_OK)
		goto out;
	while ((e = db_next(c, s, &row)) == CB_OK && row && k < batch)
		ids[k++] = db_col_i64(s, 0);
	if (e != CB_OK || (e = db_begin(c)) != CB_OK)
		goto out;
	for (int i = 0; i < k; i++) {
		static const char *const sql[] = {SQL_PURGE_ATTEMPTS,
		    SQL_PURGE_DELIVERY};
		for (int j = 0; j < 2; j++) {
			if ((e = db_prepare(c, sql[j], &s)) != CB_OK)
				goto rollback;
			db_bind_i64(s, 0, ids[i]);
			if ((e = db_exec(c, s)) != CB_OK)
				goto rollback;
		}
	}
	if ((e = db_prepare(c, SQL_PURGE_EVENTS, &s)) != CB_OK)
		goto rollback;
	db_bind_i64(s, 0, days);
	db_bind_i64(s, 1, batch);
	if ((e = db_exec(c, s)) != CB_OK)
		goto rollback;
	*n = (uint64_t)k + db_affected(s);
	e = db_commit(c);
	goto out;
rollback:
	db_rollback(c);
out:
	free(ids);
	return e;
}

cb_err
wh_deliveries_counts(struct db_conn *c,
    cb_err (*fn)(const char *state, int64_t n, void *arg), void *arg)
{
	struct db_stmt *s;
	bool row;
	cb_err e;
	if ((e = db_prepare(c, SQL_DL_COUNTS, &s)) != CB_OK ||
	    (e = db_exec(c, s)) != CB_OK)
		return e;
	while ((e = db_next(c, s, &row)) == CB_OK && row)
		if ((e = fn(db_col(s, 0), db_col_i64(s, 1), arg)) != CB_OK)
			break;
	return e;
}
