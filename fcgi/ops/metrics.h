/*
 * metrics.h — Prometheus metrics shared by every worker process.
 *
 * DESIGN: the master maps one block of shared memory before it forks any
 * worker; workers count into it with atomic adds (no locks, no IPC), and
 * whichever worker answers GET /metrics renders all of it, with what only
 * the database knows (jobs by kind and state, webhook deliveries by state)
 * read at that moment.  A restarted worker keeps counting into the same
 * block, so counters only go up while the master lives.
 */
#ifndef CB_METRICS_H
#define CB_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

#define METRICS_ROUTES 160     /* route slots; the last one: no route */
#define METRICS_LAT_BUCKETS 12
#define METRICS_OCR_BUCKETS 10

/* Status codes counted by name; the rest as "other". */
#define METRICS_STATUSES {200, 201, 202, 204, 304, 400, 401, 403, 404, 405, \
	409, 412, 413, 415, 422, 429, 500, 503}
#define METRICS_NSTATUS 19     /* the list above and "other" */

enum metrics_webhook { MW_SUCCEEDED, MW_RETRIED, MW_FAILED, MW_NOUTCOMES };

struct metrics {
	uint64_t requests[METRICS_ROUTES][METRICS_NSTATUS];
	uint64_t lat_bucket[METRICS_ROUTES][METRICS_LAT_BUCKETS];
	uint64_t lat_sum_us[METRICS_ROUTES];
	uint64_t ocr_bucket[METRICS_OCR_BUCKETS];
	uint64_t ocr_sum_ms, ocr_count;
	uint64_t webhook_attempts[MW_NOUTCOMES];
	int64_t db_in_use;         /* request threads using their connection */
};

/* In shared memory (MAP_SHARED): made by the master before forking. */
cb_err metrics_new_shared(struct metrics **out);

/* route: its index in the route table, or -1 for none. */
void metrics_request(struct metrics *m, int route, int status, double ms);
void metrics_ocr(struct metrics *m, double seconds);
void metrics_webhook(struct metrics *m, enum metrics_webhook outcome);
void metrics_db_busy(struct metrics *m, int delta);

/* The text exposition format (version 0.0.4) of m's counters; route_name
 * gives "METHOD pattern" for a route index.  The caller adds the database
 * gauges (metrics_gauge). */
cb_err metrics_render(const struct metrics *m, size_t nroutes,
    const char *(*route_method)(size_t i), const char *(*route_pattern)(size_t i),
    struct buf *out);
/* One "# TYPE name gauge" family line, when help is not NULL, then
 * name{labels} value. */
cb_err metrics_gauge(struct buf *out, const char *name, const char *help,
    const char *labels, double value);

/* True for 127.0.0.0/8 and ::1 (and IPv4-mapped loopback). */
bool metrics_loopback(const char *addr);

#endif
