/*
 * health.c — /healthz (the process answers) and /readyz (the database is
 * reachable and its schema is the one this build expects).  Both public,
 * both JSON; load balancers poll /readyz.
 */
#include <stdio.h>

#include "api/api.h"
#include "http/response.h"
#include "store/migrate.h"
#include "store/schema_version.h"
#include "util/jsonx.h"

void
api_healthz(struct http_req *req)
{
	static const char body[] = "{\"status\":\"ok\"}";
	http_send(req, 200, "application/json; charset=utf-8", NULL, body,
	    sizeof body - 1);
}

void
api_readyz(struct http_req *req)
{
	int current = 0;
	cb_err e = db_ready(req->db);
	if (e == CB_OK)
		e = migrate_current(req->db, &current);
	json_object *schema = jx_object();
	jx_add(schema, "current", jx_int(current));
	jx_add(schema, "expected",
	    jx_int(SCHEMA_VERSION));
	if (e != CB_OK || current != SCHEMA_VERSION) {
		struct problem p;
		char hdr[64];
		problem_init(&p, 503, "not-ready", "Service Unavailable",
		    e != CB_OK ? "the database is unreachable"
		               : "the database schema is not the one this build "
		                 "expects; run: comprobarctl migrate");
		p.extra = jx_object();
		jx_add(p.extra, "database",
		    jx_string(e == CB_OK ? "up" : "down"));
		jx_add(p.extra, "schema", schema);
		snprintf(hdr, sizeof hdr, "Retry-After: %d\r\n",
		    req->cfg->db_retry_after);
		http_send_problem(req, &p, hdr);
		return;
	}
	json_object *o = jx_object();
	jx_add(o, "status", jx_string("ready"));
	jx_add(o, "database", jx_string("up"));
	jx_add(o, "schema", schema);
	http_json(req, 200, o, NULL);
	json_object_put(o);
}
