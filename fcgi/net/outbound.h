/*
 * outbound.h — every HTTP request comprobar makes (webhook deliveries,
 * receipt downloads) is set up here, so that all of them obey
 * API-CONVENTIONS "Outbound HTTP": https only (http where config allows
 * it), TLS verified, proxies off, the address judged at connect time in
 * CURLOPT_OPENSOCKETFUNCTION (net/addr_policy.h), redirects limited and
 * re-judged, timeouts, and a byte count enforced in the write callback.
 *
 * A struct outbound_xfer is one transfer: the caller owns it, runs its
 * easy handle (curl_easy_perform, or added to a multi handle), then asks
 * outbound_xfer_outcome what happened.
 */
#ifndef CB_OUTBOUND_H
#define CB_OUTBOUND_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <curl/curl.h>

#include "conf/config.h"
#include "net/addr_policy.h"
#include "util/buf.h"
#include "util/err.h"

struct outbound_opts {
	struct addr_policy policy;
	bool allow_http;
	const char *ca_file;      /* borrowed: [outbound] ca_file, "" = system */
	long connect_timeout_ms;
	long total_timeout_ms;
	long low_speed_bytes;     /* fewer bytes a second than this … */
	long low_speed_seconds;   /* … for this long: abandoned (0: never) */
	long max_bytes;           /* of the answer's body */
	long max_redirects;       /* 0: redirects are not followed */
	size_t keep_bytes;        /* of the body kept in memory (≤ max_bytes) */
};

/* Receipt downloads, from [outbound] (the policy parsed already). */
cb_err outbound_opts_receipts(const struct config *cfg, struct outbound_opts *o);
/* Webhook deliveries: no redirects, [webhooks] timeout, a body head. */
cb_err outbound_opts_webhooks(const struct config *cfg, struct outbound_opts *o);

/* Scheme, syntax and a literal address judged without connecting: for a
 * clear 422 when a URL is registered.  resolve: also look the name up and
 * judge every address it has (webhook endpoints; the check is made again
 * at connect time anyway).  On refusal returns CB_EINVAL; *code gets a
 * stable word (invalid, scheme_not_allowed, address_denied, unresolvable)
 * and why a sentence. */
cb_err outbound_url_check(const struct outbound_opts *o, const char *url,
    bool resolve, const char **code, char *why, size_t whylen);

/* outbound_url_check with the installation's rules, for a URL a client
 * registers: a webhook target (its name resolved and every address
 * judged) or a receipt to fetch (judged again at connect time). */
cb_err outbound_url_judge(const struct config *cfg, bool webhook_target,
    const char *url, const char **code, char *why, size_t whylen);

struct outbound_xfer {
	CURL *h;                       /* owned */
	const struct outbound_opts *o; /* borrowed */
	struct curl_slist *headers;    /* owned, may be NULL */
	struct buf body;               /* the first keep_bytes of the body */
	long received;                 /* body bytes seen */
	bool too_big;
	long retry_after;              /* seconds; -1 if the answer had none */
	char content_type[128];
	char denied[200];              /* set when the connect check refused */
	char errbuf[CURL_ERROR_SIZE];
	bool (*tick)(void *arg);       /* see outbound_xfer_tick */
	void *tick_arg;
	time_t last_tick;
};

/* Sets up x->h for url (no request body: a GET). */
cb_err outbound_xfer_init(struct outbound_xfer *x, const struct outbound_opts *o,
    const char *url);
/* Adds a header line ("Name: value") to the request. */
cb_err outbound_xfer_header(struct outbound_xfer *x, const char *line);
/* Calls tick(arg) about once a second while the transfer runs (a job
 * renews its lease); false from it abandons the transfer. */
cb_err outbound_xfer_tick(struct outbound_xfer *x, bool (*tick)(void *arg),
    void *arg);
void outbound_xfer_cleanup(struct outbound_xfer *x);

enum outbound_result {
	OUT_OK,          /* an answer came: see *status */
	OUT_DENIED,      /* scheme or address refused: never connected */
	OUT_TOO_BIG,
	OUT_TIMEOUT,     /* connect, total or low-speed */
	OUT_REDIRECTS,   /* more redirects than allowed */
	OUT_FAILED,      /* anything else: DNS, TLS, reset … */
};
/* After the transfer ended with rc: what happened, the final HTTP status,
 * and why in words (for logs, the attempt log, the payment). */
enum outbound_result outbound_xfer_outcome(struct outbound_xfer *x,
    CURLcode rc, long *status, char *why, size_t whylen);

#endif
