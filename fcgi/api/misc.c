/* misc.c — /api/me (who am I) and the test-only debug routes. */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "api/api.h"
#include "http/query.h"
#include "http/response.h"

/* GET / — what this server is and where to start; public. */
void
api_index(struct http_req *req)
{
	json_object *o = json_object_new_object();
	json_object *links = json_object_new_object();
	json_object_object_add(o, "service", json_object_new_string("comprobar"));
	json_object_object_add(o, "version", json_object_new_string(PACKAGE_VERSION));
	json_object_object_add(links, "health", json_object_new_string("/healthz"));
	json_object_object_add(links, "ready", json_object_new_string("/readyz"));
	json_object_object_add(links, "me", json_object_new_string("/api/me"));
	json_object_object_add(links, "apiKeys", json_object_new_string("/api/api-keys"));
	json_object_object_add(o, "links", links);
	http_json(req, 200, o, NULL);
	json_object_put(o);
}

void
api_me(struct http_req *req)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "keyId", json_object_new_int64(req->who.key_id));
	json_object_object_add(o, "name", json_object_new_string(req->who.name));
	json_object_object_add(o, "role",
	    json_object_new_string(role_name(req->who.role)));
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
	json_object *o = json_object_new_object();
	json_object_object_add(o, "slept", json_object_new_int64(ms));
	http_json(req, 200, o, NULL);
	json_object_put(o);
}
