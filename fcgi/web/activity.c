/*
 * activity.c — the activity log page (GET /activity), for signed-in
 * admins: who did what to which object and when, newest first, filtered
 * by action, target and day (a plain GET form), in pages that follow the
 * log's ids.  The same lines GET /api/activity gives.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "http/query.h"
#include "http/response.h"
#include "store/activity.h"
#include "util/codec.h"
#include "util/timefmt.h"
#include "web/pages.h"
#include "web/web.h"
#include "util/jsonx.h"

#define ACTIVITY_PAGE 50

struct lines {
	json_object *items;
	int n;
	int64_t last_shown;        /* the id of the page's last line */
};

static cb_err
add_line(const struct activity_row *r, void *arg)
{
	struct lines *l = arg;
	json_object *o = jx_object();
	char who[96];
	jx_add(o, "at", web_time(r->at));
	jx_add(o, "action", jx_string(r->action));
	snprintf(who, sizeof who, "%s %s", r->principal_type, r->principal_id);
	jx_add(o, "who", jx_string(who));
	jx_add(o, "target", jx_string(r->target));
	jx_add(o, "detail", r->detail ?
	    jx_string(r->detail) : NULL);
	jx_add(o, "requestId", jx_string(
	    r->request_id));
	if (++l->n <= ACTIVITY_PAGE)
		l->last_shown = r->id;
	jx_push(l->items, o);
	return CB_OK;
}

/* A filter value: kept when it is UTF-8 without control characters. */
static bool
param(struct http_req *req, const char *name, char *out, size_t len)
{
	if (query_get(req->query, name, out, len) != CB_OK || !out[0] ||
	    !utf8_valid(out, strlen(out))) {
		out[0] = '\0';
		return false;
	}
	for (const char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20) {
			out[0] = '\0';
			return false;
		}
	return true;
}

/* A day ("YYYY-MM-DD", the installation's) as the UTC instant it begins,
 * or the next day's when next (an inclusive "to"). */
static bool
day(struct http_req *req, const char *name, bool next, char *shown,
    char out[20])
{
	struct ymd d;
	if (!param(req, name, shown, 11) || date_parse(shown, &d) != CB_OK ||
	    time_local_day_to_db(d.y, d.m, d.d, next ? 1 : 0, out, 20) != CB_OK) {
		shown[0] = '\0';
		return false;
	}
	return true;
}

void
web_activity(struct http_req *req)
{
	struct session s;
	if (!web_session(req, &s)) {
		web_redirect(req, "/login", NULL);
		return;
	}
	if (strcmp(s.role, "admin") != 0) {
		web_forbidden(req);
		return;
	}
	struct activity_filter f = {.limit = ACTIVITY_PAGE + 1};
	char action[65], target[129], from_s[11], to_s[11], from[20], to[20];
	char before[24];
	if (param(req, "action", action, sizeof action))
		f.action = action;
	if (param(req, "target", target, sizeof target))
		f.target = target;
	if (day(req, "from", false, from_s, from))
		f.from = from;
	if (day(req, "to", true, to_s, to))
		f.to = to;
	if (param(req, "before", before, sizeof before)) {
		char *end;
		long long b = strtoll(before, &end, 10);
		f.before_id = !*end && b > 0 ? b : 0;
	}
	struct lines l = {jx_array(), 0, 0};
	cb_err e = activity_list(req->db, &f, add_line, &l);
	if (e != CB_OK) {
		json_object_put(l.items);
		http_fail(req, e);
		return;
	}
	json_object *m = web_model(&s);
	bool more = json_object_array_length(l.items) > ACTIVITY_PAGE;
	if (more)
		json_object_array_del_idx(l.items, ACTIVITY_PAGE, 1);
	jx_add(m, "items", l.items);
	json_object *flt = jx_object();
	jx_add(flt, "action", jx_string(action));
	jx_add(flt, "target", jx_string(target));
	jx_add(flt, "from", jx_string(from_s));
	jx_add(flt, "to", jx_string(to_s));
	jx_add(m, "filter", flt);
	if (more) {
		/* Same filters, lines older than the last one shown. */
		char url[1024], enc[400];
		size_t o = (size_t)snprintf(url, sizeof url, "/activity?");
		const char *names[] = {"action", "target", "from", "to"};
		const char *vals[] = {action, target, from_s, to_s};
		for (int i = 0; i < 4; i++)
			if (vals[i][0] && pct_encode(vals[i], enc, sizeof enc))
				o += (size_t)snprintf(url + o, sizeof url - o, "%s=%s&",
				    names[i], enc);
		snprintf(url + o, sizeof url - o, "before=%lld",
		    (long long)l.last_shown);
		jx_add(m, "older", jx_string(url));
	}
	web_page(req, 200, "activity.xhtml", m, NULL);
}
