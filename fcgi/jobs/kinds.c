/*
 * kinds.c — see kinds.h.  The debug kinds let the tests drive the queue
 * through the real stack: debug.sleep (holds its lease, renewing it, then
 * succeeds), debug.fail (always fails), debug.log (succeeds at once).
 * Each run logs "job N ran", which tests count.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "jobs/import.h"
#include "jobs/janitor.h"
#include "jobs/match_job.h"
#include "jobs/kinds.h"
#include "jobs/ocr_job.h"
#include "jobs/receipt_job.h"
#include "jobs/webhook_job.h"
#include "util/log.h"

static enum job_result
debug_log(struct job_ctx *ctx)
{
	log_info("job %lld ran (%s, attempt %u)", (long long)ctx->job->id,
	    ctx->job->kind, ctx->job->attempts);
	return JOB_DONE;
}

static enum job_result
debug_sleep(struct job_ctx *ctx)
{
	long ms = 1000;
	json_object *o = ctx->job->payload ? json_tokener_parse(ctx->job->payload)
	                                   : NULL, *v;
	if (o && json_object_object_get_ex(o, "ms", &v))
		ms = json_object_get_int(v);
	json_object_put(o);
	if (ms < 0 || ms > 60000)
		ms = 1000;
	/* Sleep in steps, renewing the lease as a long OCR run would. */
	while (ms > 0) {
		long step = ms > 200 ? 200 : ms;
		struct timespec ts = {0, step * 1000000L};
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		ms -= step;
		if (!job_heartbeat(ctx)) {
			snprintf(ctx->error, sizeof ctx->error, "lease lost");
			return JOB_RETRY;
		}
	}
	return debug_log(ctx);
}

static enum job_result
debug_fail(struct job_ctx *ctx)
{
	snprintf(ctx->error, sizeof ctx->error, "asked to fail (attempt %u)",
	    ctx->job->attempts);
	return JOB_RETRY;
}

static void
debug_dead(struct job_ctx *ctx)
{
	log_warn("job %lld dead hook ran", (long long)ctx->job->id);
}

static int
janitor_period(const struct config *cfg)
{
	return cfg->janitor_interval;
}

#define PRODUCTION_KINDS \
	{OCR_JOB_KIND, ocr_job_run, ocr_job_dead, ocr_job_state_new, \
	    ocr_job_state_free, NULL}, \
	{"storage.janitor", janitor_run, NULL, NULL, NULL, janitor_period}, \
	{IMPORT_JOB_KIND, import_job_run, import_job_dead, NULL, NULL, NULL}, \
	{MATCH_JOB_KIND, match_job_run, NULL, NULL, NULL, match_job_period}, \
	{RECEIPT_JOB_KIND, receipt_job_run, receipt_job_dead, NULL, NULL, NULL}, \
	{WEBHOOK_JOB_KIND, webhook_job_run, NULL, NULL, NULL, webhook_job_period}

/* The debug kinds come after the production ones: debug builds run both. */
static const struct job_kind all_kinds[] = {
	PRODUCTION_KINDS,
	{"debug.log", debug_log, NULL, NULL, NULL, NULL},
	{"debug.sleep", debug_sleep, NULL, NULL, NULL, NULL},
	{"debug.fail", debug_fail, debug_dead, NULL, NULL, NULL},
};
/* Counted, not written down: a kind added to PRODUCTION_KINDS runs in
 * production too (a hand-kept 2 once left imports and matching to debug
 * builds only). */
static const struct job_kind production_kinds[] = {PRODUCTION_KINDS};
#define NPRODUCTION (sizeof production_kinds / sizeof production_kinds[0])

const struct job_kind *
job_kinds(const struct config *cfg, size_t *n)
{
	*n = cfg->debug_routes ? sizeof all_kinds / sizeof all_kinds[0]
	                       : NPRODUCTION;
	return all_kinds;
}
