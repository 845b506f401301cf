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
	json_object *schema = json_object_new_object();
	json_object_object_add(schema, "current", json_object_new_int(current));
	json_object_object_add(schema, "expected",
	    json_object_new_int(SCHEMA_VERSION));
	if (e != CB_OK || current != SCHEMA_VERSION) {
		struct problem p;
		char hdr[64];
		problem_init(&p, 503, "not-ready", "Service Unavailable",
		    e != CB_OK ? "the database is unreachable"
		               : "the database schema is not the one this build "
		                 "expects; run: comprobarctl migrate");
		p.extra = json_object_new_object();
		json_object_object_add(p.extra, "database",
		    json_object_new_string(e == CB_OK ? "up" : "down"));
		json_object_object_add(p.extra, "schema", schema);
		snprintf(hdr, sizeof hdr, "Retry-After: %d\r\n",
		    req->cfg->db_retry_after);
		http_send_problem(req, &p, hdr);
		return;
	}
	json_object *o = json_object_new_object();
	json_object_object_add(o, "status", json_object_new_string("ready"));
	json_object_object_add(o, "database", json_object_new_string("up"));
	json_object_object_add(o, "schema", schema);
	http_json(req, 200, o, NULL);
	json_object_put(o);
}
