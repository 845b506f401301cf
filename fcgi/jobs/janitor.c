/* janitor.c — see janitor.h. */
#include <stdio.h>
#include <time.h>

#include "jobs/janitor.h"
#include "store/sessions.h"
#include "store/webhooks.h"
#include "storage/storage.h"
#include "store/receipts.h"
#include "util/log.h"

struct sweep {
	struct job_ctx *ctx;
	time_t cutoff;
	unsigned removed, kept;
};

static cb_err
visit(const char *key, const char *tmpname, time_t mtime, void *arg)
{
	struct sweep *s = arg;
	cb_err e;
	if (mtime > s->cutoff) {
		s->kept++;
		return CB_OK;
	}
	if (tmpname) {
		if ((e = storage_remove_tmp(s->ctx->env->storage, DOCUMENTS_DIR,
		        tmpname)) == CB_OK)
			s->removed++;
		return CB_OK;
	}
	bool referenced = true;
	if ((e = payments_document_referenced(s->ctx->db, key, &referenced)) !=
	    CB_OK)
		return e;
	if (referenced) {
		s->kept++;
		return CB_OK;
	}
	if (storage_remove(s->ctx->env->storage, key) == CB_OK) {
		log_info("janitor: removed stray document %s", key);
		s->removed++;
	}
	return CB_OK;
}

enum job_result
janitor_run(struct job_ctx *ctx)
{
	struct sweep s = {.ctx = ctx, .cutoff = time(NULL) - ctx->cfg->janitor_grace};
	cb_err e = storage_list(ctx->env->storage, DOCUMENTS_DIR, visit, &s);
	if (e != CB_OK) {
		snprintf(ctx->error, sizeof ctx->error, "sweep failed: %s",
		    cb_strerror(e));
		return JOB_RETRY;
	}
	log_info("janitor: %u stray files removed, %u kept", s.removed, s.kept);
	/* Webhook history past its retention, a batch at a time. */
	uint64_t n, total = 0;
	do {
		if ((e = wh_purge(ctx->db, ctx->cfg->webhook_retention_days, 1000,
		    &n)) != CB_OK) {
			snprintf(ctx->error, sizeof ctx->error, "webhook purge: %s",
			    cb_strerror(e));
			return JOB_RETRY;
		}
		total += n;
	} while (n >= 1000 && job_heartbeat(ctx));
	if (total)
		log_info("janitor: %llu webhook rows past retention removed",
		    (unsigned long long)total);
	/* Sign-in forms never sent back, past their hour. */
	do {
		if ((e = login_pre_purge(ctx->db, 1000, &n)) != CB_OK) {
			snprintf(ctx->error, sizeof ctx->error, "pre-session purge: %s",
			    cb_strerror(e));
			return JOB_RETRY;
		}
	} while (n >= 1000 && job_heartbeat(ctx));
	return JOB_DONE;
}
