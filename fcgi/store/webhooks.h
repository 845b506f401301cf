/*
 * webhooks.h — the webhook tables (sql/010_webhooks.sql): endpoints per
 * client, the per-client secret that signs calls to a payment's own URL,
 * the outbox of events (filled by triggers on payments), deliveries (one
 * per event and receiver, leased while being sent) and the attempt log.
 */
#ifndef CB_WEBHOOKS_STORE_H
#define CB_WEBHOOKS_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

#define WH_URL_MAX 2000
#define WH_EVENTS_MAX 1000

struct wh_endpoint_row {
	int64_t id, api_key_id;
	char url[WH_URL_MAX + 1];
	char description[201];
	char events[WH_EVENTS_MAX + 1];   /* comma-separated, or "*" */
	bool enabled;
	char disabled_reason[301];
	char disabled_at[32], failing_since[32], previous_until[32];
	char created_at[32], updated_at[32];
	unsigned version;
};

cb_err wh_endpoints_insert(struct db_conn *c, int64_t api_key_id,
    const char *url, const char *description, const char *events,
    const char *secret, int64_t *id);
/* api_key_id 0: any client's (admin).  CB_ENOTFOUND if absent or deleted. */
cb_err wh_endpoints_get(struct db_conn *c, int64_t id, int64_t api_key_id,
    struct wh_endpoint_row *r);
cb_err wh_endpoints_list(struct db_conn *c, int64_t api_key_id,
    int64_t before, int limit,
    cb_err (*fn)(const struct wh_endpoint_row *, void *), void *arg);
/* NULL / -1 keep a field.  Enabling clears the reason it was disabled and
 * its failure streak.  expected_version 0: any.  *changed false when the
 * version differed (or the row is gone). */
struct wh_endpoint_patch {
	const char *url, *description, *events;
	int enabled;
};
cb_err wh_endpoints_update(struct db_conn *c, int64_t id, int64_t api_key_id,
    const struct wh_endpoint_patch *p, unsigned expected_version,
    bool *changed);
cb_err wh_endpoints_delete(struct db_conn *c, int64_t id, int64_t api_key_id);
/* The old secret keeps signing for overlap_hours beside the new one. */
cb_err wh_endpoints_rotate(struct db_conn *c, int64_t id, int64_t api_key_id,
    const char *secret, int overlap_hours);

/* The client's secret for calls to payments' own webhook URLs: created
 * when missing (ensure), replaced (rotate: the old one overlaps). */
cb_err wh_callback_secret_ensure(struct db_conn *c, int64_t api_key_id,
    const char *secret_if_new);
cb_err wh_callback_secret_rotate(struct db_conn *c, int64_t api_key_id,
    const char *secret, int overlap_hours);

/* ---- outbox ---- */
struct wh_event {
	int64_t id, payment_id, api_key_id;
	unsigned payment_version;
	char type[41];
	char occurred_at[32];
};
/* Up to max events not yet fanned out, locked (SKIP LOCKED) in the
 * caller's transaction. */
cb_err wh_events_take(struct db_conn *c, struct wh_event *out, int max, int *n);
/* Stores the rendered event and creates its deliveries: one per enabled
 * endpoint of the client subscribed to its type, and one to callback_url
 * (the payment's own webhook) unless NULL, with callback_payload as its
 * body when not NULL (a seed surface's own words). */
cb_err wh_event_fan_out(struct db_conn *c, const struct wh_event *ev,
    const char *msg_id, const char *payload, const char *callback_url,
    const char *callback_payload);

/* ---- deliveries ---- */
/* Claims up to max due deliveries (pending and due, or sending with an
 * expired lease: their worker died) under a lease of lease_seconds, in a
 * transaction of its own.  An interrupted one gets an attempt-log line. */
cb_err wh_deliveries_claim(struct db_conn *c, int max, int lease_seconds,
    int64_t *ids, int *n);

struct wh_send {
	int64_t id, endpoint_id, api_key_id;
	char url[WH_URL_MAX + 1];
	char msg_id[41];
	char *payload;                 /* owned */
	char secret[101], previous_secret[101]; /* previous: "" if none */
	unsigned round, attempts;
	bool receiver_gone;            /* endpoint deleted or disabled */
};
cb_err wh_delivery_load(struct db_conn *c, int64_t id, struct wh_send *s);
void wh_send_release(struct wh_send *s);

enum wh_outcome { WH_SUCCEEDED, WH_RETRY, WH_FAILED };
struct wh_attempt {
	long http_status;              /* 0: no answer */
	long latency_ms;
	const char *error;             /* NULL on success */
	const char *response_head;     /* may be NULL */
	enum wh_outcome outcome;
	double next_in;                /* seconds, for WH_RETRY */
	const char *disable_reason;    /* non-NULL: disable the endpoint */
	int disable_after_hours;       /* a failure streak this long disables */
};
/* Logs n attempts and moves their deliveries on, in one transaction (a
 * burst of answers costs one commit). */
cb_err wh_deliveries_record(struct db_conn *c, const struct wh_send *const *w,
    const struct wh_attempt *const *a, size_t n);

struct wh_delivery_row {
	int64_t id, event_id, payment_id, endpoint_id;
	const char *type, *msg_id, *url, *state, *next_at, *last_error,
	    *created_at, *updated_at;
	long last_status;              /* -1: none */
	unsigned attempts;
	unsigned payment_version;
};
struct wh_delivery_filter {
	int64_t api_key_id;            /* 0: every client's */
	int64_t endpoint_id, payment_id, before;
	const char *state;             /* NULL: any */
	int limit;
};
cb_err wh_deliveries_list(struct db_conn *c, const struct wh_delivery_filter *f,
    cb_err (*fn)(const struct wh_delivery_row *, void *), void *arg);
struct wh_attempt_row {
	int64_t id;
	const char *at, *error, *response_head, *next_at;
	long http_status;              /* -1: none */
	long latency_ms;
};
cb_err wh_attempts_list(struct db_conn *c, int64_t delivery_id,
    cb_err (*fn)(const struct wh_attempt_row *, void *), void *arg);
/* Sends again from the start of the schedule (same webhook-id).
 * CB_ENOTFOUND if not the client's; CB_ECONFLICT while being sent. */
cb_err wh_delivery_redeliver(struct db_conn *c, int64_t id, int64_t api_key_id);

/* fn(state, count) for every delivery state present (/metrics). */
cb_err wh_deliveries_counts(struct db_conn *c,
    cb_err (*fn)(const char *state, int64_t n, void *arg), void *arg);

/* Deletes up to batch finished deliveries (with their attempt logs) and
 * events older than days; *n how many rows of either went. */
cb_err wh_purge(struct db_conn *c, int days, int batch, uint64_t *n);

#endif
