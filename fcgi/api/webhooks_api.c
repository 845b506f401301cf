/*
 * webhooks_api.c — /api/webhook-endpoints (where a client is told about
 * its payments: url, events, a whsec_ secret shown once, enabled) and
 * /api/webhook-deliveries (every delivery with its attempt log; send one
 * again).  A client sees its own; an admin sees everyone's.  The URL is
 * judged when registered (scheme, and every address its name resolves to)
 * and again at each send (net/outbound.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/common.h"
#include "api/idempotency.h"
#include "core/webhook_events.h"
#include "crypto/webhook_sign.h"
#include "http/query.h"
#include "http/validate.h"
#include "jobs/pool.h"
#include "jobs/webhook_job.h"
#include "net/outbound.h"
#include "store/jobs.h"
#include "store/webhooks.h"
#include "util/buf.h"
#include "util/jsonx.h"

static const struct field_rule endpoint_rules[] = {
	{"url", FIELD_STRING, true, WH_URL_MAX, NULL, 0, 0},
	{"description", FIELD_STRING, false, 200, NULL, 0, 0},
	{"enabled", FIELD_BOOL, false, 0, NULL, 0, 0},
	{"events", FIELD_ANY, false, 0, NULL, 0, 0},
	{"idempotencyKey", FIELD_STRING, false, 255, NULL, 0, 0},
};

static json_object *
time_or_null(const char *t)
{
	return t && *t ? api_time(t) : NULL;
}

static json_object *
endpoint_json(const struct wh_endpoint_row *r)
{
	json_object *o = jx_object(), *ev = jx_array();
	char buf[WH_EVENTS_MAX + 1];
	snprintf(buf, sizeof buf, "%s", r->events);
	for (char *save, *t = strtok_r(buf, ",", &save); t;
	    t = strtok_r(NULL, ",", &save))
		jx_push(ev, jx_string(t));
	jx_add(o, "id", jx_int64(r->id));
	jx_add(o, "url", jx_string(r->url));
	jx_add(o, "description", api_str_or_null(r->description));
	jx_add(o, "events", ev);
	jx_add(o, "enabled", jx_bool(r->enabled));
	jx_add(o, "disabledReason",
	    api_str_or_null(r->disabled_reason));
	jx_add(o, "disabledAt", time_or_null(r->disabled_at));
	jx_add(o, "failingSince", time_or_null(r->failing_since));
	jx_add(o, "previousSecretValidUntil",
	    time_or_null(r->previous_until));
	jx_add(o, "createdAt", api_time(r->created_at));
	jx_add(o, "updatedAt", api_time(r->updated_at));
	jx_add(o, "version", jx_int64(r->version));
	return o;
}

/* "events": an array of known types, or ["*"]; into out as "a,b". */
static void
check_events(json_object *in, char *out, size_t len, struct problem *p)
{
	json_object *v;
	snprintf(out, len, "*");
	if (!json_object_object_get_ex(in, "events", &v) ||
	    json_object_is_type(v, json_type_null))
		return;
	if (!json_object_is_type(v, json_type_array) ||
	    json_object_array_length(v) == 0) {
		problem_field(p, "events", "invalid",
		    "a non-empty array of event types, or [\"*\"] for all");
		return;
	}
	out[0] = '\0';
	size_t n = json_object_array_length(v);
	for (size_t i = 0; i < n; i++) {
		json_object *t = json_object_array_get_idx(v, i);
		const char *s = json_object_is_type(t, json_type_string) ?
		    json_object_get_string(t) : NULL;
		char ptr[32], why[600];
		snprintf(ptr, sizeof ptr, "events/%zu", i);
		if (!s || (strcmp(s, "*") != 0 && !webhook_event_known(s))) {
			size_t k = (size_t)snprintf(why, sizeof why, "one of *");
			for (const char *const *e = webhook_event_types; *e &&
			    k < sizeof why; e++)
				k += (size_t)snprintf(why + k, sizeof why - k, ", %s", *e);
			problem_field(p, ptr, "not_allowed", why);
			continue;
		}
		if (strcmp(s, "*") == 0) {
			snprintf(out, len, "*");
			return;
		}
		size_t used = strlen(out);
		snprintf(out + used, len - used, "%s%s", used ? "," : "", s);
	}
}

static void
check_url(struct http_req *req, const char *url, struct problem *p)
{
	const char *code;
	char why[300];
	if (url && outbound_url_judge(req->cfg, true, url, &code, why,
	    sizeof why) != CB_OK)
		problem_field(p, "url", code, why);
}

static void
send_endpoint(struct http_req *req, int status, const struct wh_endpoint_row *r,
    const char *secret)
{
	char hdr[48];
	json_object *e = endpoint_json(r);
	if (secret)
		jx_add(e, "secret", jx_string(secret));
	json_object *o = api_wrap("webhookEndpoint", e);
	snprintf(hdr, sizeof hdr, "ETag: \"v%u\"\r\n", r->version);
	http_json(req, status, o, hdr);
	json_object_put(o);
}

void
api_webhook_endpoints_create(struct http_req *req)
{
	json_object *in = NULL, *resp = NULL;
	struct problem p;
	struct idem st = {0};
	struct wh_endpoint_row row;
	char events[WH_EVENTS_MAX + 1], *secret = NULL;
	int64_t id;
	cb_err e;

	if (!http_json_body(req, &in))
		return;
	problem_init_invalid(&p);
	VALIDATE_OBJECT(in, endpoint_rules, &p);
	check_events(in, events, sizeof events, &p);
	check_url(req, api_member(in, "url"), &p);
	if (problem_count(&p)) {
		http_send_problem(req, &p, NULL);
		goto done;
	}
	if ((e = webhook_secret_new(&secret)) != CB_OK) {
		http_fail(req, e);
		goto done;
	}
	if (!idem_txn_begin(req, in, IDEM_CREATE, &st))
		goto done;
	if ((e = wh_endpoints_insert(req->db, req->who.key_id,
	    api_member(in, "url"), api_member(in, "description"), events, secret,
	    &id)) != CB_OK || (e = wh_endpoints_get(req->db, id, 0, &row)) !=
	    CB_OK) {
		idem_txn_abort(req, &st, e);
		goto done;
	}
	json_object *ep = endpoint_json(&row);
	/* The only time the secret is shown (and its idempotent replay). */
	jx_add(ep, "secret", jx_string(secret));
	resp = api_wrap("webhookEndpoint", ep);
	api_created(req, &st, "webhook_endpoint", "webhook-endpoints", id, resp);
done:
	free(secret);
	problem_free(&p);
	json_object_put(resp);
	json_object_put(in);
}

void
api_webhook_endpoints_get(struct http_req *req)
{
	struct wh_endpoint_row row;
	int64_t id;
	if (!api_path_id(req, "id", &id))
		return;
	cb_err e = wh_endpoints_get(req->db, id, api_client_scope(req), &row);
	if (e != CB_OK) {
		http_fail(req, e);
		return;
	}
	send_endpoint(req, 200, &row, NULL);
}

static cb_err
add_endpoint(const struct wh_endpoint_row *r, void *arg)
{
	return api_page_add(arg, r->id, endpoint_json(r));
}

void
api_webhook_endpoints_list(struct http_req *req)
{
	struct problem p;
	struct api_page pg;
	int limit;
	int64_t before;
	problem_init(&p, 422, "validation", "Unprocessable Content", NULL);
	api_page_params(req, &limit, &before, &p);
	if (!api_page_ready(req, &p, &pg, limit))
		return;
	cb_err e = wh_endpoints_list(req->db, api_client_scope(req), before, limit + 1,
	    add_endpoint, &pg);
	api_page_send(req, &pg, e, "webhookEndpoints");
}

static const struct field_rule patch_rules[] = {
	{"url", FIELD_STRING, false, WH_URL_MAX, NULL, 0, 0},
	{"description", FIELD_STRING, false, 200, NULL, 0, 0},
	{"enabled", FIELD_BOOL, false, 0, NULL, 0, 0},
	{"events", FIELD_ANY, false, 0, NULL, 0, 0},
};

void
api_webhook_endpoints_patch(struct http_req *req)
{
	json_object *in = NULL, *v;
	struct problem p;
	struct wh_endpoint_row row;
	char events[WH_EVENTS_MAX + 1];
	int64_t id;
	bool changed;
	cb_err e;

	if (!api_path_id(req, "id", &id))
		return;
	long want = api_if_match(req);
	if (want < 0) {
		api_bad_if_match(req);
		return;
	}
	if (!http_json_body(req, &in))
		return;
	problem_init_invalid(&p);
	VALIDATE_OBJECT(in, patch_rules, &p);
	bool has_events = json_object_object_get_ex(in, "events", &v);
	check_events(in, events, sizeof events, &p);
	check_url(req, api_member(in, "url"), &p);
	if (problem_count(&p)) {
		http_send_problem(req, &p, NULL);
		goto done;
	}
	struct wh_endpoint_patch patch = {.url = api_member(in, "url"),
	    .description = json_object_object_get_ex(in, "description", &v) ?
	        (api_member(in, "description") ? api_member(in, "description") :
	        "") : NULL,
	    .events = has_events ? events : NULL,
	    .enabled = json_object_object_get_ex(in, "enabled", &v) ?
	        json_object_get_boolean(v) : -1};
	if ((e = wh_endpoints_update(req->db, id, api_client_scope(req),
	    &patch, (unsigned)want, &changed)) != CB_OK) {
		http_fail(req, e);
		goto done;
	}
	if ((e = wh_endpoints_get(req->db, id, api_client_scope(req), &row)) != CB_OK) {
		http_fail(req, e);
		goto done;
	}
	if (!changed) {
		http_problem(req, 412, "precondition-failed", "Precondition Failed",
		    "the endpoint changed since that ETag; read it again");
		goto done;
	}
	api_activity(req, "webhook_endpoint", NULL);
	send_endpoint(req, 200, &row, NULL);
done:
	problem_free(&p);
	json_object_put(in);
}

void
api_webhook_endpoints_delete(struct http_req *req)
{
	int64_t id;
	if (!api_path_id(req, "id", &id))
		return;
	cb_err e = wh_endpoints_delete(req->db, id, api_client_scope(req));
	if (e != CB_OK) {
		http_fail(req, e);
		return;
	}
	api_activity(req, "webhook_endpoint", NULL);
	http_no_content(req);
}

void
api_webhook_endpoints_rotate(struct http_req *req)
{
	struct wh_endpoint_row row;
	char *secret = NULL;
	int64_t id;
	if (!api_path_id(req, "id", &id))
		return;
	cb_err e = webhook_secret_new(&secret);
	if (e == CB_OK)
		e = wh_endpoints_rotate(req->db, id, api_client_scope(req), secret,
		    req->cfg->webhook_secret_overlap_hours);
	if (e == CB_OK)
		e = wh_endpoints_get(req->db, id, api_client_scope(req), &row);
	if (e != CB_OK)
		http_fail(req, e);
	else {
		api_activity(req, "webhook_endpoint", NULL);
		send_endpoint(req, 200, &row, secret);
	}
	free(secret);
}

/* The secret that signs calls to payments' own webhook URLs (seed 002):
 * made or replaced here, shown once; the old one signs beside it for
 * [webhooks] secret_overlap_hours. */
void
api_webhook_callback_secret(struct http_req *req)
{
	char *secret = NULL;
	cb_err e = webhook_secret_new(&secret);
	if (e == CB_OK)
		e = wh_callback_secret_rotate(req->db, req->who.key_id, secret,
		    req->cfg->webhook_secret_overlap_hours);
	if (e != CB_OK) {
		free(secret);
		http_fail(req, e);
		return;
	}
	json_object *o = jx_object();
	jx_add(o, "success", jx_bool(1));
	jx_add(o, "secret", jx_string(secret));
	jx_add(o, "previousSecretValidHours",
	    jx_int(req->cfg->webhook_secret_overlap_hours));
	api_activity(req, "webhook_callback_secret", NULL);
	http_json(req, 200, o, NULL);
	json_object_put(o);
	free(secret);
}

/* ---- deliveries ---- */

static json_object *
delivery_json(const struct wh_delivery_row *r)
{
	json_object *o = jx_object();
	jx_add(o, "id", jx_int64(r->id));
	jx_add(o, "eventId", jx_int64(r->event_id));
	jx_add(o, "webhookId", api_str_or_null(r->msg_id));
	jx_add(o, "type", jx_string(r->type));
	jx_add(o, "paymentId", jx_int64(r->payment_id));
	jx_add(o, "paymentVersion",
	    jx_int64(r->payment_version));
	jx_add(o, "endpointId", r->endpoint_id ?
	    jx_int64(r->endpoint_id) : NULL);
	jx_add(o, "url", jx_string(r->url));
	jx_add(o, "state", jx_string(r->state));
	jx_add(o, "attempts", jx_int64(r->attempts));
	jx_add(o, "nextAttemptAt", strcmp(r->state, "pending") ?
	    NULL : time_or_null(r->next_at));
	jx_add(o, "lastStatus", r->last_status >= 0 ?
	    jx_int64(r->last_status) : NULL);
	jx_add(o, "lastError", api_str_or_null(r->last_error));
	jx_add(o, "createdAt", api_time(r->created_at));
	jx_add(o, "updatedAt", api_time(r->updated_at));
	return o;
}

static cb_err
add_attempt(const struct wh_attempt_row *r, void *arg)
{
	json_object *o = jx_object();
	jx_add(o, "at", api_time(r->at));
	jx_add(o, "status", r->http_status >= 0 ?
	    jx_int64(r->http_status) : NULL);
	jx_add(o, "latencyMs", jx_int64(r->latency_ms));
	jx_add(o, "error", api_str_or_null(r->error));
	jx_add(o, "responseHead", api_str_or_null(r->response_head));
	jx_add(o, "nextAttemptAt", time_or_null(r->next_at));
	jx_push(arg, o);
	return CB_OK;
}

static cb_err
add_delivery(const struct wh_delivery_row *r, void *arg)
{
	return api_page_add(arg, r->id, delivery_json(r));
}

static const char *const delivery_states[] = {"pending", "sending",
    "succeeded", "failed", NULL};

void
api_webhook_deliveries_list(struct http_req *req)
{
	struct problem p;
	struct api_page pg;
	struct wh_delivery_filter f = {.api_key_id = api_client_scope(req)};
	char state[16];
	problem_init(&p, 422, "validation", "Unprocessable Content", NULL);
	api_page_params(req, &f.limit, &f.before, &p);
	api_query_id(req, "endpointId", &f.endpoint_id, &p);
	api_query_id(req, "paymentId", &f.payment_id, &p);
	if (query_get(req->query, "state", state, sizeof state) == CB_OK) {
		bool ok = false;
		for (const char *const *s = delivery_states; *s; s++)
			ok = ok || strcmp(*s, state) == 0;
		if (!ok)
			problem_field(&p, "state", "not_allowed",
			    "pending, sending, succeeded or failed");
		f.state = state;
	}
	int limit = f.limit;
	if (!api_page_ready(req, &p, &pg, limit))
		return;
	f.limit = limit + 1;
	cb_err e = wh_deliveries_list(req->db, &f, add_delivery, &pg);
	api_page_send(req, &pg, e, "webhookDeliveries");
}

static cb_err
first_delivery(const struct wh_delivery_row *r, void *arg)
{
	json_object **o = arg;
	*o = delivery_json(r);
	return CB_OK;
}

void
api_webhook_deliveries_get(struct http_req *req)
{
	int64_t id;
	json_object *d = NULL;
	if (!api_path_id(req, "id", &id))
		return;
	/* Keyset paging by id: the one row below id + 1. */
	struct wh_delivery_filter f = {.api_key_id = api_client_scope(req), .before = id + 1,
	    .limit = 1};
	cb_err e = wh_deliveries_list(req->db, &f, first_delivery, &d);
	if (e == CB_OK && (!d || json_object_get_int64(
	    json_object_object_get(d, "id")) != id))
		e = CB_ENOTFOUND;
	json_object *log = jx_array();
	if (e == CB_OK)
		e = wh_attempts_list(req->db, id, add_attempt, log);
	if (e != CB_OK) {
		json_object_put(d);
		json_object_put(log);
		http_fail(req, e);
		return;
	}
	jx_add(d, "attemptLog", log);
	json_object *o = api_wrap("webhookDelivery", d);
	http_json(req, 200, o, NULL);
	json_object_put(o);
}

void
api_webhook_deliveries_redeliver(struct http_req *req)
{
	int64_t id;
	if (!api_path_id(req, "id", &id))
		return;
	cb_err e = wh_delivery_redeliver(req->db, id, api_client_scope(req));
	if (e == CB_ECONFLICT) {
		http_problem(req, 409, "conflict", "Conflict",
		    "the delivery is being sent right now; try again shortly");
		return;
	}
	if (e == CB_OK)
		e = jobs_nudge(req->db, WEBHOOK_JOB_KIND, 0);
	if (e != CB_OK) {
		http_fail(req, e);
		return;
	}
	job_pool_wake(req->jobs);
	api_activity(req, "webhook_delivery", NULL);
	api_webhook_deliveries_get(req);
}
