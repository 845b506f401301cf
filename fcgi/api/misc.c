/* misc.c — /api/me (who am I) and the test-only debug routes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "api/api.h"
#include "http/query.h"
#include "http/response.h"
#include "http/validate.h"
#include "jobs/pool.h"
#include "store/jobs.h"
#include "util/jsonx.h"

/* GET / — what this server is and where to start; public. */
void
api_index(struct http_req *req)
{
	json_object *o = jx_object();
	json_object *links = jx_object();
	jx_add(o, "service", jx_string("comprobar"));
	jx_add(o, "version", jx_string(PACKAGE_VERSION));
	jx_add(links, "health", jx_string("/healthz"));
	jx_add(links, "ready", jx_string("/readyz"));
	jx_add(links, "me", jx_string("/api/me"));
	jx_add(links, "apiKeys", jx_string("/api/api-keys"));
	jx_add(o, "links", links);
	http_json(req, 200, o, NULL);
	json_object_put(o);
}

void
api_me(struct http_req *req)
{
	json_object *o = jx_object();
	jx_add(o, "keyId", jx_int64(req->who.key_id));
	jx_add(o, "name", jx_string(req->who.name));
	jx_add(o, "role",
	    jx_string(role_name(req->who.role)));
	http_json(req, 200, o, NULL);
	json_object_put(o);
}

/* GET /api/debug/sleep?ms=N — holds a request thread, to test graceful
 * shutdown and reloads with a request in flight. */
void
api_debug_sleep(struct http_req *req)
{
	char v[16];
	long ms = 1000;
	if (query_get(req->query, "ms", v, sizeof v) == CB_OK) {
		char *end;
		errno = 0;
		ms = strtol(v, &end, 10);
		if (errno || *end || ms < 0 || ms > 60000) {
			struct problem p;
			problem_init(&p, 422, "validation", "Unprocessable Content",
			    NULL);
			problem_field(&p, "ms", "out_of_range", "0..60000");
			http_send_problem(req, &p, NULL);
			return;
		}
	}
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	json_object *o = jx_object();
	jx_add(o, "slept", jx_int64(ms));
	http_json(req, 200, o, NULL);
	json_object_put(o);
}

/* POST /api/debug/jobs {kind, payload, maxAttempts} — enqueues a job in a
 * transaction and wakes this worker's job threads, as real producers do. */
void
api_debug_job_create(struct http_req *req)
{
	static const struct field_rule rules[] = {
		{"kind", FIELD_STRING, true, JOB_KIND_MAX, NULL, 0, 0},
		{"maxAttempts", FIELD_INT, false, 0, NULL, 1, 100},
		{"payload", FIELD_STRING, false, 4096, NULL, 0, 0},
	};
	json_object *in, *v;
	struct problem p;
	int64_t id;
	cb_err e;
	if (!http_json_body(req, &in))
		return;
	problem_init(&p, 422, "validation", "Unprocessable Content", NULL);
	VALIDATE_OBJECT(in, rules, &p);
	if (problem_count(&p)) {
		json_object_put(in);
		http_send_problem(req, &p, NULL);
		return;
	}
	problem_free(&p);
	unsigned max = (unsigned)req->cfg->job_max_attempts;
	if (json_object_object_get_ex(in, "maxAttempts", &v))
		max = (unsigned)json_object_get_int(v);
	const char *payload = json_object_object_get_ex(in, "payload", &v)
	    ? json_object_get_string(v) : NULL;
	json_object_object_get_ex(in, "kind", &v);
	if ((e = db_begin(req->db)) != CB_OK ||
	    (e = jobs_enqueue(req->db, json_object_get_string(v), payload, 0, max,
	         &id)) != CB_OK ||
	    (e = db_commit(req->db)) != CB_OK) {
		db_rollback(req->db);
		json_object_put(in);
		http_fail(req, e);
		return;
	}
	json_object_put(in);
	job_pool_wake(req->jobs);
	json_object *o = jx_object();
	jx_add(o, "jobId", jx_int64(id));
	http_json(req, 201, o, NULL);
	json_object_put(o);
}

/* GET /api/debug/jobs/{id} */
void
api_debug_job_get(struct http_req *req)
{
	struct job_status st;
	int64_t id = strtoll(route_param(&req->params, "id"), NULL, 10);
	cb_err e = jobs_get(req->db, id, &st);
	if (e != CB_OK) {
		http_fail(req, e);
		return;
	}
	json_object *o = jx_object();
	jx_add(o, "jobId", jx_int64(id));
	jx_add(o, "kind", jx_string(st.kind));
	jx_add(o, "state", jx_string(st.state));
	jx_add(o, "attempts", jx_int64(st.attempts));
	jx_add(o, "maxAttempts", jx_int64(st.max_attempts));
	jx_add(o, "lastError",
	    st.last_error[0] ? jx_string(st.last_error) : NULL);
	http_json(req, 200, o, NULL);
	json_object_put(o);
}
