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

#include "jobs/kinds.h"
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

static const struct job_kind debug_kinds[] = {
	{"debug.log", debug_log, NULL},
	{"debug.sleep", debug_sleep, NULL},
	{"debug.fail", debug_fail, debug_dead},
};

const struct job_kind *
job_kinds(const struct config *cfg, size_t *n)
{
	if (cfg->debug_routes) {
		*n = sizeof debug_kinds / sizeof debug_kinds[0];
		return debug_kinds;
	}
	*n = 0;
	return NULL;
}
