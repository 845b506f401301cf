/* metrics.c — see metrics.h. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "ops/metrics.h"

static const int STATUSES[] = METRICS_STATUSES;
/* Seconds: the upper bounds of the latency and OCR histograms. */
static const double LAT_LE[METRICS_LAT_BUCKETS] = {0.001, 0.0025, 0.005, 0.01,
    0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};
static const double OCR_LE[METRICS_OCR_BUCKETS] = {0.25, 0.5, 1, 2, 3, 5, 8,
    13, 30, 60};

cb_err
metrics_new_shared(struct metrics **out)
{
	void *p = mmap(NULL, sizeof(struct metrics), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return CB_ENOMEM;
	memset(p, 0, sizeof(struct metrics));
	*out = p;
	return CB_OK;
}

static void
add(uint64_t *v, uint64_t n)
{
	__atomic_add_fetch(v, n, __ATOMIC_RELAXED);
}

static uint64_t
get(const uint64_t *v)
{
	return __atomic_load_n(v, __ATOMIC_RELAXED);
}

void
metrics_request(struct metrics *m, int route, int status, double ms)
{
	if (!m)
		return;
	int r = route >= 0 && route < METRICS_ROUTES - 1 ? route :
	    METRICS_ROUTES - 1;
	int s = METRICS_NSTATUS - 1;
	for (int i = 0; i < METRICS_NSTATUS - 1; i++)
		if (STATUSES[i] == status)
			s = i;
	add(&m->requests[r][s], 1);
	double sec = ms / 1000.0;
	for (int b = 0; b < METRICS_LAT_BUCKETS; b++)
		if (sec <= LAT_LE[b]) {
			add(&m->lat_bucket[r][b], 1);
			break;
		}
	add(&m->lat_sum_us[r], (uint64_t)(ms * 1000.0));
}

void
metrics_ocr(struct metrics *m, double seconds)
{
	if (!m)
		return;
	for (int b = 0; b < METRICS_OCR_BUCKETS; b++)
		if (seconds <= OCR_LE[b]) {
			add(&m->ocr_bucket[b], 1);
			break;
		}
	add(&m->ocr_sum_ms, (uint64_t)(seconds * 1000.0));
	add(&m->ocr_count, 1);
}

void
metrics_webhook(struct metrics *m, enum metrics_webhook o)
{
	if (m && o < MW_NOUTCOMES)
		add(&m->webhook_attempts[o], 1);
}

void
metrics_db_busy(struct metrics *m, int delta)
{
	if (m)
		__atomic_add_fetch(&m->db_in_use, delta, __ATOMIC_RELAXED);
}

cb_err
metrics_gauge(struct buf *out, const char *name, const char *help,
    const char *labels, double value)
{
	cb_err e = CB_OK;
	if (help)
		e = buf_printf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help,
		    name);
	if (e == CB_OK)
		e = buf_printf(out, "%s%s%s%s %.17g\n", name, labels ? "{" : "",
		    labels ? labels : "", labels ? "}" : "", value);
	return e;
}

/* A label value: backslash, quote and newline escaped. */
static void
label(const char *in, char *out, size_t len)
{
	size_t o = 0;
	for (; *in && o + 2 < len; in++) {
		if (*in == '\\' || *in == '"') {
			out[o++] = '\\';
			out[o++] = *in;
		} else if (*in == '\n') {
			out[o++] = '\\';
			out[o++] = 'n';
		} else
			out[o++] = *in;
	}
	out[o] = '\0';
}

cb_err
metrics_render(const struct metrics *m, size_t nroutes,
    const char *(*route_method)(size_t), const char *(*route_pattern)(size_t),
    struct buf *out)
{
	cb_err e = buf_puts(out,
	    "# HELP comprobar_http_requests_total Requests answered, by route and"
	    " status.\n# TYPE comprobar_http_requests_total counter\n");
	char route[200], method[16];
	if (nroutes > METRICS_ROUTES - 1)
		nroutes = METRICS_ROUTES - 1;
	for (size_t r = 0; e == CB_OK && r <= nroutes; r++) {
		size_t slot = r < nroutes ? r : METRICS_ROUTES - 1;
		label(r < nroutes ? route_pattern(r) : "(none)", route, sizeof route);
		label(r < nroutes ? route_method(r) : "", method, sizeof method);
		for (int s = 0; e == CB_OK && s < METRICS_NSTATUS; s++) {
			uint64_t v = get(&m->requests[slot][s]);
			if (!v)
				continue;
			char st[8];
			if (s < METRICS_NSTATUS - 1)
				snprintf(st, sizeof st, "%d", STATUSES[s]);
			else
				snprintf(st, sizeof st, "other");
			e = buf_printf(out, "comprobar_http_requests_total{method=\"%s\","
			    "route=\"%s\",status=\"%s\"} %llu\n", method, route, st,
			    (unsigned long long)v);
		}
	}
	if (e == CB_OK)
		e = buf_puts(out, "# HELP comprobar_http_request_duration_seconds Time"
		    " from the request's start to its answer, by route.\n"
		    "# TYPE comprobar_http_request_duration_seconds histogram\n");
	for (size_t r = 0; e == CB_OK && r <= nroutes; r++) {
		size_t slot = r < nroutes ? r : METRICS_ROUTES - 1;
		uint64_t total = 0, cum = 0;
		for (int s = 0; s < METRICS_NSTATUS; s++)
			total += get(&m->requests[slot][s]);
		if (!total)
			continue;
		label(r < nroutes ? route_pattern(r) : "(none)", route, sizeof route);
		label(r < nroutes ? route_method(r) : "", method, sizeof method);
		for (int b = 0; e == CB_OK && b < METRICS_LAT_BUCKETS; b++) {
			cum += get(&m->lat_bucket[slot][b]);
			e = buf_printf(out, "comprobar_http_request_duration_seconds_bucket"
			    "{method=\"%s\",route=\"%s\",le=\"%g\"} %llu\n", method, route,
			    LAT_LE[b], (unsigned long long)cum);
		}
		if (e == CB_OK)
			e = buf_printf(out, "comprobar_http_request_duration_seconds_bucket"
			    "{method=\"%s\",route=\"%s\",le=\"+Inf\"} %llu\n"
			    "comprobar_http_request_duration_seconds_sum{method=\"%s\","
			    "route=\"%s\"} %.6f\n"
			    "comprobar_http_request_duration_seconds_count{method=\"%s\","
			    "route=\"%s\"} %llu\n", method, route,
			    (unsigned long long)total, method, route,
			    (double)get(&m->lat_sum_us[slot]) / 1e6, method, route,
			    (unsigned long long)total);
	}
	uint64_t cum = 0, n = get(&m->ocr_count);
	if (e == CB_OK)
		e = buf_puts(out, "# HELP comprobar_ocr_seconds Time to read one"
		    " document.\n# TYPE comprobar_ocr_seconds histogram\n");
	for (int b = 0; e == CB_OK && b < METRICS_OCR_BUCKETS; b++) {
		cum += get(&m->ocr_bucket[b]);
		e = buf_printf(out, "comprobar_ocr_seconds_bucket{le=\"%g\"} %llu\n",
		    OCR_LE[b], (unsigned long long)cum);
	}
	if (e == CB_OK)
		e = buf_printf(out, "comprobar_ocr_seconds_bucket{le=\"+Inf\"} %llu\n"
		    "comprobar_ocr_seconds_sum %.3f\ncomprobar_ocr_seconds_count %llu\n",
		    (unsigned long long)n, (double)get(&m->ocr_sum_ms) / 1000.0,
		    (unsigned long long)n);
	static const char *const outcomes[] = {"succeeded", "retried", "failed"};
	if (e == CB_OK)
		e = buf_puts(out, "# HELP comprobar_webhook_attempts_total Webhook"
		    " delivery attempts, by outcome.\n"
		    "# TYPE comprobar_webhook_attempts_total counter\n");
	for (int o = 0; e == CB_OK && o < MW_NOUTCOMES; o++)
		e = buf_printf(out, "comprobar_webhook_attempts_total{outcome=\"%s\"}"
		    " %llu\n", outcomes[o],
		    (unsigned long long)get(&m->webhook_attempts[o]));
	if (e == CB_OK)
		e = metrics_gauge(out, "comprobar_db_connections_in_use",
		    "Request threads using their database connection now.", NULL,
		    (double)__atomic_load_n(&m->db_in_use, __ATOMIC_RELAXED));
	return e;
}

bool
metrics_loopback(const char *a)
{
	if (!a)
		return false;
	if (!strncmp(a, "::ffff:", 7))
		a += 7;
	return !strncmp(a, "127.", 4) || !strcmp(a, "::1");
}
