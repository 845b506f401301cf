/* activity_api.c — GET /api/activity: the activity log, for admins.
 * Every mutating call writes a line (store/activity.h); this is where they
 * are read: by action, principal, target and time, newest first, in keyset
 * pages that stay stable while lines are added. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/common.h"
#include "core/date.h"
#include "http/query.h"
#include "http/response.h"
#include "store/activity.h"
#include "util/jsonx.h"

static cb_err
add_line(const struct activity_row *r, void *arg)
{
	json_object *o = jx_object();
	jx_add(o, "id", jx_int64(r->id));
	jx_add(o, "at", api_time(r->at));
	jx_add(o, "action", jx_string(r->action));
	jx_add(o, "principalType",
	    jx_string(r->principal_type));
	jx_add(o, "principalId", api_str_or_null(r->principal_id));
	jx_add(o, "target", api_str_or_null(r->target));
	jx_add(o, "requestId", api_str_or_null(r->request_id));
	jx_add(o, "detail", api_str_or_null(r->detail));
	return api_page_add(arg, r->id, o);
}

/* "2026-03-03" or "2026-03-03T15:30:00Z" → "2026-03-03 15:30:00" (UTC);
 * false for anything else. */
static bool
instant(const char *in, char out[20])
{
	struct ymd d;
	char day[11];
	size_t n = strlen(in);
	if (n != 10 && n != 20)
		return false;
	memcpy(day, in, 10);
	day[10] = '\0';
	if (date_parse(day, &d) != CB_OK)
		return false;
	if (n == 10) {
		snprintf(out, 20, "%s 00:00:00", day);
		return true;
	}
	unsigned h, m, s;
	char t, z;
	if (sscanf(in + 10, "%c%2u:%2u:%2u%c", &t, &h, &m, &s, &z) != 5 ||
	    t != 'T' || z != 'Z' || h > 23 || m > 59 || s > 59)
		return false;
	snprintf(out, 20, "%s %02u:%02u:%02u", day, h, m, s);
	return true;
}

void
api_activity_list(struct http_req *req)
{
	struct activity_filter f = {0};
	struct problem p;
	char action[65], ptype[9], pid[65], target[129], from_s[24], to_s[24];
	char from[20], to[20];
	int64_t before;

	if (!api_query_begin(req, &p))
		return;
	api_page_params(req, &f.limit, &before, &p);
	f.before_id = before;
	if (query_get(req->query, "action", action, sizeof action) == CB_OK)
		f.action = action;
	if (query_get(req->query, "principalType", ptype, sizeof ptype) == CB_OK) {
		static const char *const types[] = {"api_key", "user", "cli",
		    "system", "jwt"};
		bool known = false;
		for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
			known |= strcmp(ptype, types[i]) == 0;
		if (!known)
			problem_field(&p, "principalType", "not_allowed",
			    "api_key, user, cli, system or jwt");
		f.principal_type = ptype;
	}
	if (query_get(req->query, "principalId", pid, sizeof pid) == CB_OK)
		f.principal_id = pid;
	if (query_get(req->query, "target", target, sizeof target) == CB_OK)
		f.target = target;
	if (query_get(req->query, "from", from_s, sizeof from_s) == CB_OK) {
		if (!instant(from_s, from))
			problem_field(&p, "from", "invalid",
			    "YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
		f.from = from;
	}
	if (query_get(req->query, "to", to_s, sizeof to_s) == CB_OK) {
		if (!instant(to_s, to))
			problem_field(&p, "to", "invalid",
			    "YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
		f.to = to;
	}
	struct api_page pg;
	if (!api_page_ready(req, &p, &pg, f.limit))
		return;
	f.limit++; /* one more than asked: is there a next page? */
	cb_err e = activity_list(req->db, &f, add_line, &pg);
	api_page_send(req, &pg, e, "activity");
}
