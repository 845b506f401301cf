/*
 * webhook_job.h — "webhook.deliver", the periodic job that tells clients.
 *
 * DESIGN: one job thread does all the sending of a run, with libcurl's
 * multi interface: up to [webhooks] concurrency transfers in flight, so a
 * slow receiver holds a socket, not a thread.  A run
 *   1. renders new outbox events (sql/010's triggers wrote them) into the
 *      Standard Webhooks payload {type, timestamp, data} with the payment
 *      as the API shows it, gives each its webhook-id, and creates one
 *      delivery per subscribed endpoint (and the payment's own URL);
 *   2. claims due deliveries under a lease (a worker killed mid-send
 *      leaves a lease that expires: the delivery is sent again, and its
 *      interrupted attempt logged), signs and sends them;
 *   3. records each attempt and schedules the next by [webhooks] schedule
 *      with jitter and the receiver's Retry-After, until it is spent
 *      (failed; redeliverable by the API).
 * 2xx within [webhooks] timeout is success; a redirect is a failure; 410
 * disables the endpoint, as does a failure streak of disable_after_hours.
 */
#ifndef CB_WEBHOOK_JOB_H
#define CB_WEBHOOK_JOB_H

#include "jobs/pool.h"

#define WEBHOOK_JOB_KIND "webhook.deliver"

enum job_result webhook_job_run(struct job_ctx *ctx);
int webhook_job_period(const struct config *cfg);

#endif
