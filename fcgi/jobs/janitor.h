/*
 * janitor.h — the "storage.janitor" periodic job: removes documents that
 * no payment references (a crash between writing the file and committing
 * the payment) and temporary files a crash left, once they are older than
 * [storage] janitor_grace.
 */
#ifndef CB_JANITOR_H
#define CB_JANITOR_H

#include "jobs/pool.h"

#define DOCUMENTS_DIR "payments/documents"

/* period_seconds is taken from the config by job_kinds(). */
enum job_result janitor_run(struct job_ctx *ctx);

#endif
