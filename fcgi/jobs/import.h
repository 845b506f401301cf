/*
 * import.h — importing a bank statement file: the format sniffed (camt
 * XML or MT940; CSV, XLSX or XLS by its profile), each statement tied to
 * its registered bank account, each line stored once (the same line again is
 * known; a bank reference two different lines carry keeps both and is
 * reported), opening + movements = closing checked, and a JSON report with
 * what was refused, read otherwise than written, or in conflict.  The
 * "bank.import" job runs it on an uploaded file; `comprobarctl
 * import-statement` on a local one; import_preview reads a file and
 * stores nothing.
 */
#ifndef CB_IMPORT_H
#define CB_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "bank/csv.h"
#include "conf/config.h"
#include "jobs/pool.h"
#include "store/db.h"

#define IMPORT_JOB_KIND "bank.import"

enum import_format { IMPORT_UNKNOWN, IMPORT_CAMT, IMPORT_MT940, IMPORT_CSV,
	IMPORT_XLSX, IMPORT_XLS };

/* What a profile reads fd's first bytes head as: an XLSX or XLS
 * workbook by its content (whatever its name says), else CSV text. */
enum import_format import_sniff_profiled(const char *head, size_t n);

/* Loads CSV profile name ([a-z0-9_-], at most 32): one registered through
 * the API (db, when not NULL), else the file in [bank] csv_profiles_dir;
 * CB_ENOTFOUND or CB_EINVAL with why, or the database's error. */
cb_err import_csv_profile(struct db_conn *db, const struct config *cfg,
    const char *name, struct csv_profile *out, char *why, size_t whylen);

/* Imports fd (read from offset 0, at most max_bytes) under bank_imports
 * row import_id, in one transaction; by profile when one is given (CSV,
 * XLSX or XLS by the content), else camt or MT940 by its first bytes.  *report (malloc'd JSON) on
 * success; CB_EINVAL / CB_ETOOBIG with err for a file that is not a
 * statement or breaks, nothing written then. */
cb_err import_run(struct db_conn *db, int64_t import_id, int fd,
    long long max_bytes, const struct csv_profile *profile, char **report,
    char *err, size_t errlen);

/* What fd (a statement file or a workbook, not a zip) would give, read
 * to the end and nothing stored: {"format", "statements", "entries", "movements" (the
 * first 100), "shown", "rejections", "warnings"} in *out (owned);
 * CB_EINVAL / CB_ETOOBIG with err as import_run. */
cb_err import_preview(int fd, long long max_bytes,
    const struct csv_profile *profile, json_object **out, char *err,
    size_t errlen);

/* Whether an import's report (JSON text, NULL while it runs) says every
 * statement in it was read: false when one named an account that was not
 * registered (or not active) then, so that sending the file again after
 * registering it imports it, where otherwise the same file is answered
 * with the earlier import. */
bool import_report_whole(const char *report);

/* The job kind's parts; payload {"importId": N}. */
enum job_result import_job_run(struct job_ctx *ctx);
void import_job_dead(struct job_ctx *ctx);
void import_job_payload(int64_t import_id, char *out, size_t len);

/* What the first bytes of a file say it is. */
enum import_format import_sniff(const char *head, size_t n);

#endif
