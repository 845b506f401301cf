/*
 * metrics_api.c — GET /metrics in Prometheus' text format: the shared
 * counters of every worker (ops/metrics.h) and what the database knows
 * now (jobs by kind and state, webhook deliveries by state, the request
 * threads' connections).  Answered to loopback callers only; the shipped
 * nginx site also keeps it to loopback.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "http/response.h"
#include "ops/metrics.h"
#include "store/jobs.h"
#include "store/webhooks.h"
#include "util/buf.h"

static const char *
route_method(size_t i)
{
	return api_routes[i].method;
}

static const char *
route_pattern(size_t i)
{
	return api_routes[i].pattern;
}

static cb_err
job_line(const char *kind, const char *state, int64_t n, void *arg)
{
	char labels[160];
	snprintf(labels, sizeof labels, "kind=\"%.48s\",state=\"%.8s\"", kind,
	    state);
	return metrics_gauge(arg, "comprobar_jobs", NULL, labels, (double)n);
}

static cb_err
delivery_line(const char *state, int64_t n, void *arg)
{
	char labels[64];
	snprintf(labels, sizeof labels, "state=\"%.12s\"", state);
	return metrics_gauge(arg, "comprobar_webhook_deliveries", NULL, labels,
	    (double)n);
}

void
api_metrics(struct http_req *req)
{
	struct buf b;
	if (!metrics_loopback(http_param(req, "REMOTE_ADDR"))) {
		http_problem(req, 404, "not-found", "Not Found",
		    "no resource at this path");
		return;
	}
	buf_init(&b, 4 << 20);
	cb_err e = req->metrics ? metrics_render(req->metrics, api_routes_count,
	    route_method, route_pattern, &b) : CB_OK;
	if (e == CB_OK)
		e = metrics_gauge(&b, "comprobar_db_connections",
		    "Database connections of request threads (workers x threads).",
		    NULL, (double)req->cfg->workers * req->cfg->threads);
	if (e == CB_OK)
		e = buf_puts(&b, "# HELP comprobar_jobs Jobs in the queue, by kind and"
		    " state.\n# TYPE comprobar_jobs gauge\n");
	if (e == CB_OK)
		e = jobs_counts(req->db, job_line, &b);
	if (e == CB_OK)
		e = buf_puts(&b, "# HELP comprobar_webhook_deliveries Webhook"
		    " deliveries, by state.\n# TYPE comprobar_webhook_deliveries"
		    " gauge\n");
	if (e == CB_OK)
		e = wh_deliveries_counts(req->db, delivery_line, &b);
	if (e != CB_OK) {
		buf_free(&b);
		http_fail(req, e);
		return;
	}
	http_send(req, 200, "text/plain; version=0.0.4; charset=utf-8",
	    "Cache-Control: no-store\r\n", b.data ? b.data : "", b.len);
	buf_free(&b);
}
