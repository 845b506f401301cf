/*
 * apikeys_api.c — /api/api-keys: admins list, create and revoke API keys.
 * The key itself appears once, in the 201 answer to its creation.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "http/response.h"
#include "http/validate.h"
#include "store/activity.h"
#include "store/apikeys.h"
#include "util/log.h"
#include "util/timefmt.h"
#include "util/jsonx.h"

static const char *const role_values[] = {"admin", "client", "reviewer", NULL};
static const struct field_rule create_rules[] = {
	{"name", FIELD_STRING, true, APIKEY_NAME_MAX, NULL, 0, 0},
	{"role", FIELD_STRING, true, 0, role_values, 0, 0},
};

static json_object *
key_json(const struct apikey_row *r)
{
	char when[32];
	json_object *o = jx_object();
	jx_add(o, "id", jx_int64(r->id));
	jx_add(o, "name", jx_string(r->name));
	jx_add(o, "role",
	    jx_string(role_name(r->role)));
	jx_add(o, "prefix", jx_string(r->prefix));
	if (time_db_to_rfc3339(r->created_at, when, sizeof when) == CB_OK)
		jx_add(o, "createdAt", jx_string(when));
	if (r->revoked_at[0] &&
	    time_db_to_rfc3339(r->revoked_at, when, sizeof when) == CB_OK)
		jx_add(o, "revokedAt", jx_string(when));
	else
		jx_add(o, "revokedAt", NULL);
	return o;
}

static cb_err
add_row(const struct apikey_row *r, void *arg)
{
	jx_push(arg, key_json(r));
	return CB_OK;
}

void
api_apikeys_list(struct http_req *req)
{
	json_object *arr = jx_array();
	cb_err e = apikey_list(req->db, add_row, arr);
	if (e != CB_OK) {
		json_object_put(arr);
		http_fail(req, e);
		return;
	}
	json_object *o = jx_object();
	jx_add(o, "apiKeys", arr);
	http_json(req, 200, o, NULL);
	json_object_put(o);
}

void
api_activity(struct http_req *req, const char *target, const char *detail)
{
	if (req->route && req->route->action)
		api_activity_as(req, req->route->action, target, detail);
}

void
api_activity_as(struct http_req *req, const char *action, const char *target,
    const char *detail)
{
	char pid[24];
	bool user = req->who.user_id != 0;
	snprintf(pid, sizeof pid, "%lld", (long long)(user ? req->who.user_id :
	    req->who.key_id));
	cb_err e = activity_record(req->db, action, user ? "user" : "api_key", pid,
	    target, req->request_id, detail);
	if (e != CB_OK && db_txn_doom(req->db))
		log_error("rid=%s: activity log write failed (%s): the change is"
		    " rolled back", req->request_id, cb_strerror(e));
	else if (e != CB_OK)
		log_error("rid=%s: activity log write failed after the change: %s",
		    req->request_id, cb_strerror(e));
}

void
api_apikeys_create(struct http_req *req)
{
	json_object *body, *v;
	struct problem p;
	struct apikey_row row;
	char *key = NULL, target[32], loc[64];

	if (!http_json_body(req, &body))
		return;
	problem_init_invalid(&p);
	VALIDATE_OBJECT(body, create_rules, &p);
	if (problem_count(&p)) {
		json_object_put(body);
		http_send_problem(req, &p, NULL);
		return;
	}
	problem_free(&p);
	json_object_object_get_ex(body, "name", &v);
	const char *name = json_object_get_string(v);
	json_object_object_get_ex(body, "role", &v);
	enum role role = role_parse(json_object_get_string(v));
	cb_err e = apikey_create(req->db, name, role, &row, &key);
	json_object_put(body);
	if (e != CB_OK) {
		http_fail(req, e);
		return;
	}
	snprintf(target, sizeof target, "api_key:%lld", (long long)row.id);
	api_activity(req, target, NULL);
	json_object *o = key_json(&row);
	jx_add(o, "key", jx_string(key));
	free(key);
	snprintf(loc, sizeof loc, "Location: /api/api-keys/%lld\r\n",
	    (long long)row.id);
	http_json(req, 201, o, loc);
	json_object_put(o);
}

void
api_apikeys_revoke(struct http_req *req)
{
	const char *id = route_param(&req->params, "id");
	char *end, target[32];
	errno = 0;
	long long n = strtoll(id, &end, 10);
	if (errno || *end || n <= 0) {
		struct problem p;
		problem_init(&p, 422, "validation", "Unprocessable Content",
		    "the key id is not valid");
		problem_field(&p, "id", "invalid", "must be a positive integer");
		http_send_problem(req, &p, NULL);
		return;
	}
	cb_err e = apikey_revoke(req->db, n);
	if (e != CB_OK) {
		http_fail(req, e);
		return;
	}
	snprintf(target, sizeof target, "api_key:%lld", n);
	api_activity(req, target, NULL);
	http_no_content(req);
}
