/*
 * match_job.h — the "bank.match" job: one matching pass over the open
 * vouchers and the free movements (core/match.c decides), recording
 * automatic reconciliations (payment → conciliado, its fields now the
 * bank's, the originals in its history) and sending ambiguous vouchers to
 * review with their candidates.  Periodic ([bank] match_interval) and run
 * at the end of every statement import.
 */
#ifndef CB_MATCH_JOB_H
#define CB_MATCH_JOB_H

#include "conf/config.h"
#include "jobs/pool.h"
#include "store/db.h"

#define MATCH_JOB_KIND "bank.match"
/* After a voucher becomes matchable, the pass runs within this many
 * seconds (a burst of them, one pass). */
#define MATCH_NUDGE_SECONDS 5

struct match_pass_stats {
	long vouchers, movements, auto_matched, review, invalid;
};

/* One pass; nothing is written for a voucher whose payment moved
 * meanwhile (the next pass sees it again). */
cb_err match_pass(struct db_conn *db, const struct config *cfg,
    struct match_pass_stats *st);

enum job_result match_job_run(struct job_ctx *ctx);
int match_job_period(const struct config *cfg);

#endif
