/* webhook_job.c — see webhook_job.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "api/apagos_view.h"
#include "api/common.h"
#include "api/payment_view.h"
#include "core/retry_schedule.h"
#include "core/webhook_events.h"
#include "crypto/crypto.h"
#include "crypto/webhook_sign.h"
#include "jobs/webhook_job.h"
#include "net/outbound.h"
#include "ops/metrics.h"
#include "store/payments.h"
#include "store/webhooks.h"
#include "util/codec.h"
#include "util/log.h"
#include "util/jsonx.h"

#define FAN_OUT_BATCH 100
#define RUN_SECONDS 30        /* then the run ends and the next one starts */

struct slot {
	bool used;
	bool done;                  /* answered: waiting to be recorded */
	struct outbound_xfer x;
	struct wh_send w;
	struct wh_attempt a;        /* its strings point into the slot */
	char error[400];
	char head[513];
};

struct run {
	struct job_ctx *ctx;
	struct outbound_opts opts;
	struct retry_schedule sched;
	CURLM *multi;
	struct slot *slots;
	int nslots, running;
	long sent;
};

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- 1. the outbox ---------------------------------------------------- */

static cb_err
msg_id_new(char out[41])
{
	unsigned char raw[12];
	cb_err e = crypto_random(raw, sizeof raw);
	if (e != CB_OK)
		return e;
	memcpy(out, "msg_", 4);
	hex_encode(raw, sizeof raw, out + 4);
	return CB_OK;
}

static char *
render(const struct wh_event *ev, const struct payment_row *row,
    const char *base)
{
	json_object *o = jx_object(), *d = jx_object();
	jx_add(o, "type", jx_string(ev->type));
	jx_add(o, "timestamp", api_time(ev->occurred_at));
	jx_add(d, "eventId", jx_int64(ev->id));
	/* The version the change made; the payment shown is as it was when the
	 * event was sent out (its own version ≥ this). */
	jx_add(d, "paymentVersion",
	    jx_int64(ev->payment_version));
	jx_add(d, "payment", row ? payment_view_json(row, base) :
	    NULL);
	jx_add(o, "data", d);
	const char *t = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	char *s = t ? strdup(t) : NULL;
	json_object_put(o);
	return s;
}

static cb_err
fan_out_one(struct db_conn *db, const struct wh_event *ev, const char *base)
{
	struct payment_row row;
	char msg_id[41];
	cb_err e = payments_get(db, ev->payment_id, &row);
	bool have = e == CB_OK;
	if (e != CB_OK && e != CB_ENOTFOUND)
		return e;
	char *payload = render(ev, have ? &row : NULL, base), *cb_body = NULL;
	const char *cb = NULL;
	if (have && row.webhook_url) {
		/* A seed 002 voucher's callback speaks seed 002. */
		if (!strcmp(row.surface, "apagos")) {
			if ((cb_body = apagos_callback_body(ev->type, &row)))
				cb = row.webhook_url;
		} else if (webhook_event_is_callback(ev->type))
			cb = row.webhook_url;
	}
	if (!payload)
		e = CB_ENOMEM;
	else if ((e = msg_id_new(msg_id)) == CB_OK && cb) {
		char *secret;
		if ((e = webhook_secret_new(&secret)) == CB_OK) {
			e = wh_callback_secret_ensure(db, ev->api_key_id, secret);
			free(secret);
		}
	}
	if (e == CB_OK)
		e = wh_event_fan_out(db, ev, msg_id, payload, cb, cb_body);
	free(payload);
	free(cb_body);
	if (have)
		payment_row_release(&row);
	return e;
}

/* Renders and fans out what the triggers wrote; *n how many events. */
static cb_err
fan_out(struct db_conn *db, const char *base, int *n)
{
	struct wh_event ev[FAN_OUT_BATCH];
	cb_err e;
	*n = 0;
	if ((e = db_begin(db)) != CB_OK)
		return e;
	if ((e = wh_events_take(db, ev, FAN_OUT_BATCH, n)) != CB_OK)
		goto fail;
	for (int i = 0; i < *n; i++)
		if ((e = fan_out_one(db, &ev[i], base)) != CB_OK)
			goto fail;
	if ((e = db_commit(db)) == CB_OK)
		return CB_OK;
fail:
	db_rollback(db);
	*n = 0;
	return e;
}

/* ---- 2. sending --------------------------------------------------------- */

/* The attempt is over: keep what it said for the next flush. */
static void
conclude(struct run *r, struct slot *s, const struct wh_attempt *a)
{
	s->a = *a;
	/* Every failure counts toward the streak that disables an endpoint. */
	s->a.disable_after_hours = r->ctx->cfg->webhook_disable_after_hours;
	snprintf(s->error, sizeof s->error, "%s", a->error ? a->error : "");
	s->a.error = a->error ? s->error : NULL;
	if (a->response_head && a->response_head != s->head)
		snprintf(s->head, sizeof s->head, "%s", a->response_head);
	s->a.response_head = a->response_head ? s->head : NULL;
	if (s->x.h) {
		curl_multi_remove_handle(r->multi, s->x.h);
		outbound_xfer_cleanup(&s->x);
		r->running--;
	}
	s->done = true;
}

/* Records every concluded attempt in one transaction and frees the slots. */
static void
flush(struct run *r)
{
	const struct wh_send **w = calloc((size_t)r->nslots, sizeof *w);
	const struct wh_attempt **a = calloc((size_t)r->nslots, sizeof *a);
	size_t n = 0;
	if (!w || !a)
		goto out; /* recorded on the next flush */
	for (int i = 0; i < r->nslots; i++)
		if (r->slots[i].used && r->slots[i].done) {
			w[n] = &r->slots[i].w;
			a[n++] = &r->slots[i].a;
		}
	cb_err e = wh_deliveries_record(r->ctx->db, w, a, n);
	if (e != CB_OK)
		/* Their leases expire and they are sent again. */
		log_warn("webhooks: %zu attempts not recorded: %s", n, cb_strerror(e));
	static const enum metrics_webhook outcome[] = {MW_SUCCEEDED, MW_RETRIED,
	    MW_FAILED};
	for (int i = 0; i < r->nslots; i++)
		if (r->slots[i].used && r->slots[i].done) {
			if (e == CB_OK)
				metrics_webhook(r->ctx->env->metrics,
				    outcome[r->slots[i].a.outcome]);
			wh_send_release(&r->slots[i].w);
			r->slots[i].used = r->slots[i].done = false;
		}
	r->sent += (long)n;
out:
	free(w);
	free(a);
}

static double
jitter(void)
{
	unsigned char b[2];
	if (crypto_random(b, sizeof b) != CB_OK)
		return 0;
	return ((double)(b[0] << 8 | b[1]) / 65535.0) * 2 - 1;
}

static void
send_start(struct run *r, struct slot *s, int64_t id)
{
	struct wh_attempt a = {.outcome = WH_FAILED};
	char why[300], ts[24], sig[2 * WEBHOOK_SIG_MAX + 2], line[200];
	const char *code;
	memset(s, 0, sizeof *s);
	s->used = true;
	if (wh_delivery_load(r->ctx->db, id, &s->w) != CB_OK) {
		s->used = false;
		wh_send_release(&s->w);
		return; /* its lease expires; tried again then */
	}
	if (s->w.receiver_gone) {
		a.error = "not sent: the endpoint was disabled or deleted";
		conclude(r, s, &a);
		return;
	}
	if (outbound_url_check(&r->opts, s->w.url, false, &code, why, sizeof why)
	    != CB_OK) {
		a.error = why;
		conclude(r, s, &a);
		return;
	}
	long t = (long)time(NULL);
	snprintf(ts, sizeof ts, "%ld", t);
	size_t len = strlen(s->w.payload);
	if (webhook_sign(s->w.secret, s->w.msg_id, t, s->w.payload, len, sig) !=
	    CB_OK) {
		a.error = "not sent: the signing secret is unusable";
		conclude(r, s, &a);
		return;
	}
	if (s->w.previous_secret[0]) {
		/* Rotation: both signatures until the old secret expires. */
		size_t k = strlen(sig);
		sig[k] = ' ';
		if (webhook_sign(s->w.previous_secret, s->w.msg_id, t, s->w.payload,
		    len, sig + k + 1) != CB_OK)
			sig[k] = '\0';
	}
	if (outbound_xfer_init(&s->x, &r->opts, s->w.url) != CB_OK)
		goto broken;
	snprintf(line, sizeof line, "webhook-id: %s", s->w.msg_id);
	if (outbound_xfer_header(&s->x, "Content-Type: application/json") ||
	    outbound_xfer_header(&s->x, "Expect:") ||
	    outbound_xfer_header(&s->x, line))
		goto broken;
	snprintf(line, sizeof line, "webhook-timestamp: %s", ts);
	if (outbound_xfer_header(&s->x, line))
		goto broken;
	char sigline[sizeof sig + 32];
	snprintf(sigline, sizeof sigline, "webhook-signature: %s", sig);
	if (outbound_xfer_header(&s->x, sigline) ||
	    curl_easy_setopt(s->x.h, CURLOPT_POSTFIELDSIZE_LARGE,
	        (curl_off_t)len) != CURLE_OK ||
	    curl_easy_setopt(s->x.h, CURLOPT_POSTFIELDS, s->w.payload) !=
	        CURLE_OK ||
	    curl_multi_add_handle(r->multi, s->x.h) != CURLM_OK)
		goto broken;
	r->running++;
	return;
broken:
	outbound_xfer_cleanup(&s->x);
	a.outcome = WH_RETRY;
	a.error = "not sent: the request could not be set up";
	a.next_in = 60;
	conclude(r, s, &a);
}

/* Makes the answer's first bytes storable text. */
static void
printable_head(const struct buf *b, char *out, size_t len)
{
	size_t n = b->len < len - 1 ? b->len : len - 1;
	memcpy(out, b->data ? b->data : "", n);
	out[n] = '\0';
	if (!utf8_valid(out, n))
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)out[i] >= 0x80)
				out[i] = '?';
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)out[i] < 0x20 && out[i] != '\n' && out[i] != '\t')
			out[i] = ' ';
}

static void
send_done(struct run *r, struct slot *s, CURLcode rc)
{
	const struct config *cfg = r->ctx->cfg;
	struct wh_attempt a = {.outcome = WH_RETRY};
	char why[400];
	long status;
	curl_off_t us = 0;
	enum outbound_result o = outbound_xfer_outcome(&s->x, rc, &status, why,
	    sizeof why);
	curl_easy_getinfo(s->x.h, CURLINFO_TOTAL_TIME_T, &us);
	a.latency_ms = (long)(us / 1000);
	a.http_status = status;
	printable_head(&s->x.body, s->head, sizeof s->head);
	a.response_head = s->head[0] ? s->head : NULL;
	long retry_after = -1;
	if (o == OUT_OK && status >= 200 && status < 300) {
		a.outcome = WH_SUCCEEDED;
		conclude(r, s, &a);
		return;
	}
	if (o == OUT_OK) {
		if (status >= 300 && status < 400)
			snprintf(why, sizeof why, "HTTP %ld: redirects are not"
			    " followed", status);
		else if (status == 410) {
			snprintf(why, sizeof why, "HTTP 410: the receiver is gone");
			a.outcome = WH_FAILED;
			if (s->w.endpoint_id)
				a.disable_reason = "the receiver answered 410 Gone";
		}
		if (status == 429 || status >= 500)
			retry_after = s->x.retry_after;
	}
	a.error = why;
	if (a.outcome == WH_RETRY && !retry_schedule_next(&r->sched,
	    (int)s->w.round + 1, jitter(), cfg->webhook_jitter_percent,
	    retry_after, cfg->webhook_retry_after_max, &a.next_in))
		a.outcome = WH_FAILED; /* the schedule is spent */
	conclude(r, s, &a);
}

static void
collect(struct run *r)
{
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(r->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		struct outbound_xfer *x = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		CURLcode rc = m->data.result;
		for (int i = 0; i < r->nslots; i++)
			if (r->slots[i].used && !r->slots[i].done &&
			    &r->slots[i].x == x) {
				send_done(r, &r->slots[i], rc);
				break;
			}
	}
	flush(r);
}

static int
claim(struct run *r)
{
	int free_slots = r->nslots - r->running, n = 0;
	if (free_slots <= 0)
		return 0;
	int64_t *ids = calloc((size_t)free_slots, sizeof *ids);
	if (!ids)
		return 0;
	int lease = r->ctx->cfg->webhook_timeout + 5;
	if (wh_deliveries_claim(r->ctx->db, free_slots, lease, ids, &n) != CB_OK)
		n = 0;
	for (int i = 0, k = 0; i < n; i++) {
		while (k < r->nslots && r->slots[k].used)
			k++;
		if (k == r->nslots)
			break;
		send_start(r, &r->slots[k], ids[i]);
	}
	free(ids);
	flush(r); /* those that ended before sending */
	return n;
}

static void
abandon(struct run *r)
{
	for (int i = 0; i < r->nslots; i++)
		if (r->slots[i].used) {
			if (r->slots[i].x.h) {
				curl_multi_remove_handle(r->multi, r->slots[i].x.h);
				outbound_xfer_cleanup(&r->slots[i].x);
			}
			wh_send_release(&r->slots[i].w);
			r->slots[i].used = false;
		}
	r->running = 0;
}

enum job_result
webhook_job_run(struct job_ctx *ctx)
{
	struct run r = {.ctx = ctx};
	enum job_result res = JOB_DONE;
	if (outbound_opts_webhooks(ctx->cfg, &r.opts) != CB_OK ||
	    retry_schedule_parse(ctx->cfg->webhook_schedule, &r.sched) != CB_OK) {
		snprintf(ctx->error, sizeof ctx->error, "bad [webhooks] config");
		return JOB_RETRY;
	}
	r.nslots = ctx->cfg->webhook_concurrency;
	if (!(r.multi = curl_multi_init()) ||
	    !(r.slots = calloc((size_t)r.nslots, sizeof *r.slots))) {
		curl_multi_cleanup(r.multi);
		snprintf(ctx->error, sizeof ctx->error, "out of memory");
		return JOB_RETRY;
	}
	double start = now_s(), next_fan = 0, next_claim = 0, next_beat = start + 1;
	bool idle = false;
	while (!idle || r.running > 0) {
		double t = now_s();
		bool budget_left = t - start < RUN_SECONDS && !job_stopping(ctx);
		int fanned = 0, claimed = 0;
		if (budget_left && t >= next_fan) {
			/* One batch, then sending: a burst of events starts going out
			 * after its first hundred are rendered, not its last. */
			if (fan_out(ctx->db, ctx->cfg->public_url, &fanned) != CB_OK)
				fanned = 0;
			if (fanned < FAN_OUT_BATCH)
				next_fan = t + 0.2;
		}
		if (budget_left && t >= next_claim) {
			claimed = claim(&r);
			if (!claimed)
				next_claim = t + 0.2;
		}
		idle = !budget_left || (fanned == 0 && claimed == 0);
		if (r.running > 0) {
			int still;
			curl_multi_perform(r.multi, &still);
			collect(&r);
			curl_multi_poll(r.multi, NULL, 0, 50, NULL);
			curl_multi_perform(r.multi, &still);
			collect(&r);
		}
		if (now_s() >= next_beat) {
			next_beat = now_s() + 1;
			if (!job_heartbeat(ctx)) {
				snprintf(ctx->error, sizeof ctx->error, "lease lost");
				abandon(&r);
				res = JOB_RETRY;
				break;
			}
		}
	}
	if (r.sent)
		log_info("webhooks: %ld attempts in %.2f s", r.sent, now_s() - start);
	free(r.slots);
	curl_multi_cleanup(r.multi);
	return res;
}

int
webhook_job_period(const struct config *cfg)
{
	return cfg->webhook_poll_seconds;
}
