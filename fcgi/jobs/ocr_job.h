/*
 * ocr_job.h — the "ocr.payment" job kind: reads a payment's stored
 * document, extracts its fields, decides review and duplicates, and writes
 * the outcome in one transaction.  Payload: {"paymentId": N}.
 */
#ifndef CB_OCR_JOB_H
#define CB_OCR_JOB_H

#include <stdint.h>

#include "jobs/pool.h"

#define OCR_JOB_KIND "ocr.payment"

/* The kind's parts (jobs/kinds.c puts them in the table). */
enum job_result ocr_job_run(struct job_ctx *ctx);
void ocr_job_dead(struct job_ctx *ctx);
void *ocr_job_state_new(const struct config *cfg);
void ocr_job_state_free(void *state);

/* The payload for a payment's OCR job; out holds 48 bytes. */
void ocr_job_payload(int64_t payment_id, char *out, size_t len);
/* Queues OCR of the payment's document, in the caller's transaction. */
cb_err ocr_job_enqueue(struct db_conn *c, int64_t payment_id,
    unsigned max_attempts);
/* The payment id of an OCR-style payload ({"paymentId": N}); 0 if none. */
int64_t ocr_job_payload_id(const char *payload);

#endif
