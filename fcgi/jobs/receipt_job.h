/*
 * receipt_job.h — "receipt.fetch": downloads a payment's receipt from the
 * URL the client gave (seed 002 `receipt`, seed 003 `file_path`) through
 * net/outbound.h (https, TLS verified, the address judged at connect time,
 * at most 3 redirects, timeouts, a byte limit), checks it as an upload is
 * checked (type from the bytes, pixels, pages) and hands it to OCR.
 *
 * A server error or a timeout is tried again; anything else (a 404, a
 * denied address, too large, a type we do not read) fails at once, with
 * the reason on the payment (receipt.error, the review flag).  A receipt
 * in a format we do not read invalidates a bank-validation voucher, as
 * seed 002 documents.
 */
#ifndef CB_RECEIPT_JOB_H
#define CB_RECEIPT_JOB_H

#include <stdint.h>

#include "jobs/pool.h"

#define RECEIPT_JOB_KIND "receipt.fetch"

/* In the caller's transaction (the payment's insert). */
cb_err receipt_job_enqueue(struct db_conn *c, int64_t payment_id,
    unsigned max_attempts);
enum job_result receipt_job_run(struct job_ctx *ctx);
void receipt_job_dead(struct job_ctx *ctx);

#endif
