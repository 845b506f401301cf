/*
 * idempotency.h — Idempotency-Key for every POST that creates or changes
 * something (API-CONVENTIONS "Idempotency"; seed 001's idempotencyKey).
 *
 * Flow in a handler, after the body is parsed and validated:
 *   if (!idem_begin(req, body, IDEM_CREATE, &st)) return;   (answered)
 *   … api_begin; do the work; idem_store(req, &st, 201, json); api_commit
 *   on any failure before commit: idem_abandon(req, &st)
 * A replay of a stored create answers 200 with "cached": true (seed 001);
 * other replays answer the stored status; both carry
 * Idempotent-Replayed: true.  Same key + different request → 422; same key
 * while the first is in flight → 409.  Only 2xx outcomes are stored.
 */
#ifndef CB_IDEMPOTENCY_API_H
#define CB_IDEMPOTENCY_API_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "http/request.h"

#define IDEM_KEY_MIN 8
#define IDEM_KEY_MAX 255

enum idem_kind { IDEM_CREATE, IDEM_CHANGE };

struct idem {
	int64_t id;    /* 0 when the request carried no key */
	enum idem_kind kind;
};

/* body: the parsed request (its idempotencyKey member is read and left out
 * of the fingerprint).  Returns false after answering (replay, 409, 422,
 * 503); true when the handler should do the work. */
bool idem_begin(struct http_req *req, json_object *body, enum idem_kind kind,
    struct idem *st);
/* Inside the handler's transaction: records the response. */
cb_err idem_store(struct http_req *req, const struct idem *st, int status,
    json_object *response);
/* The work failed: the key may be used again. */
void idem_abandon(struct http_req *req, struct idem *st);

/* The transaction that does the work, tied to the key:
 *   idem_txn_begin   claims the key (idem_begin) and starts the
 *                    transaction; false after answering.
 *   idem_txn_finish  records the activity (target), stores the answer
 *                    under the key, commits and sends `response` with
 *                    `status` and extra headers; on failure rolls back,
 *                    releases the key and answers 5xx.
 *   idem_txn_abort   rolls back, releases the key and answers for e
 *                    (CB_OK: the caller has already answered). */
bool idem_txn_begin(struct http_req *req, json_object *body,
    enum idem_kind kind, struct idem *st);
void idem_txn_finish(struct http_req *req, struct idem *st, const char *target,
    const char *detail, int status, json_object *response, const char *headers);
void idem_txn_abort(struct http_req *req, struct idem *st, cb_err e);

#endif
