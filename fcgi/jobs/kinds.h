/*
 * kinds.h — the job kinds this build runs: one table, like the routes.
 * Receipts (OCR), bank matching and webhooks add theirs here.  The debug
 * kinds exist only when [server] debug_routes is on (tests).
 */
#ifndef CB_JOB_KINDS_H
#define CB_JOB_KINDS_H

#include <stddef.h>

#include "conf/config.h"
#include "jobs/pool.h"

const struct job_kind *job_kinds(const struct config *cfg, size_t *n);

#endif
