/*
 * match_job.h — the "bank.match" job: one matching pass over the open
 * vouchers and the free movements.  core/match.c pairs them one to one,
 * core/match_split.c finds subset sums among the rest, core/
 * match_explain.c says why nothing pays a voucher whose window the
 * statements cover.  Recorded: automatic reconciliations (payment →
 * conciliado, its fields now the bank's, the voucher's kept), ambiguous
 * vouchers and split suggestions sent to review, unpaid ones rejected
 * (bank validation) or flagged.  Periodic ([bank] match_interval),
 * brought forward when a voucher becomes matchable, and run at the end of
 * every statement import.
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
