/* receipt_job.c — see receipt_job.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "api/documents.h"
#include "core/lifecycle.h"
#include "jobs/ocr_job.h"
#include "jobs/receipt_job.h"
#include "ocr/convert.h"
#include "net/outbound.h"
#include "store/jobs.h"
#include "store/payment_status.h"
#include "store/receipts.h"
#include "util/log.h"

cb_err
receipt_job_enqueue(struct db_conn *c, int64_t payment_id,
    unsigned max_attempts)
{
	char payload[48];
	int64_t job;
	/* The same payload as OCR's: {"paymentId": N}. */
	ocr_job_payload(payment_id, payload, sizeof payload);
	return jobs_enqueue(c, RECEIPT_JOB_KIND, payload, 0, max_attempts, &job);
}

static const struct payment_event JOB_ACTOR = {.actor_type = "system",
    .actor_id = RECEIPT_JOB_KIND, .actor_name = "receipt download"};

/* The download failed for good: the reason goes on the payment; a
 * bank-validation voucher whose receipt is of a type we do not read is
 * invalid (seed 002). */
static enum job_result
fail_receipt(struct job_ctx *ctx, const struct payment_row *row,
    const char *why, bool unsupported)
{
	bool changed;
	struct payment_row now;
	cb_err e;
	if ((e = db_begin(ctx->db)) != CB_OK)
		goto retry;
	if ((e = payments_receipt_result(ctx->db, row->id, "failed", why,
	    &changed)) != CB_OK)
		goto rollback;
	if (changed && unsupported && row->bank_validation) {
		char reason[300];
		snprintf(reason, sizeof reason, "the receipt is not in a format we"
		    " read: %.200s", why);
		struct payment_event who = JOB_ACTOR;
		who.reason = reason;
		if ((e = payments_change_status(ctx->db, row->id, PS_RECHAZADO,
		    "pendiente", 0, &who, &changed, &now)) != CB_OK)
			goto rollback;
		if (changed)
			payment_row_release(&now);
	}
	if ((e = db_commit(ctx->db)) != CB_OK)
		goto retry;
	log_info("payment %lld: receipt not fetched: %s", (long long)row->id, why);
	snprintf(ctx->error, sizeof ctx->error, "%s", why);
	return JOB_DONE;
rollback:
	db_rollback(ctx->db);
retry:
	snprintf(ctx->error, sizeof ctx->error, "recording the failure: %s",
	    cb_strerror(e));
	return JOB_RETRY;
}

/* The URL's last path segment, as the upload's file name. */
static void
url_name(const char *url, char *out, size_t len)
{
	const char *end = url + strcspn(url, "?#");
	const char *start = end;
	while (start > url && start[-1] != '/')
		start--;
	size_t n = (size_t)(end - start);
	if (n >= len)
		n = len - 1;
	memcpy(out, start, n);
	out[n] = '\0';
	if (!*out)
		snprintf(out, len, "receipt");
}

static enum job_result
store_receipt(struct job_ctx *ctx, const struct payment_row *row,
    struct outbound_xfer *x)
{
	struct form_field f;
	struct doc_upload up;
	char why[300], key[STORAGE_KEY_MAX + 1], rid[48];
	const char *code;
	bool changed;
	cb_err e;
	struct buf converted;
	buf_init(&converted, (size_t)ctx->cfg->receipt_max_bytes * 4);
	memset(&f, 0, sizeof f);
	f.is_file = true;
	url_name(row->receipt_url, f.filename, sizeof f.filename);
	f.data = x->body;
	f.fd = -1;
	f.size = x->body.len;
	/* Seed 002 takes GIF, BMP, WebP and TIFF too: stored as PNG. */
	const unsigned char *head = (const unsigned char *)x->body.data;
	const char *other = doc_sniff(head, x->body.len) == DOC_NONE ?
	    ocr_convertible(head, x->body.len) : NULL;
	if (other) {
		unsigned char *png;
		size_t len;
		if ((e = ocr_convert_png(head, x->body.len, ctx->cfg->ocr_max_pixels,
		    &png, &len, why, sizeof why)) != CB_OK) {
			char msg[400];
			snprintf(msg, sizeof msg, "%s: %s", other, why);
			buf_free(&converted);
			return fail_receipt(ctx, row, msg, false);
		}
		e = buf_append(&converted, png, len);
		free(png);
		if (e != CB_OK) {
			buf_free(&converted);
			goto retry;
		}
		f.data = converted;
		f.size = converted.len;
		log_info("payment %lld: %s receipt converted to PNG",
		    (long long)row->id, other);
	}
	bool ok = document_check(ctx->cfg, &f, &up, &code, why, sizeof why);
	if (!ok) {
		char msg[400];
		snprintf(msg, sizeof msg, "%s: %s", code, why);
		buf_free(&converted);
		return fail_receipt(ctx, row, msg,
		    strcmp(code, "unsupported_type") == 0);
	}
	snprintf(rid, sizeof rid, "job-%lld", (long long)ctx->job->id);
	e = document_store(ctx->env->storage, rid, &up, row->id, key);
	buf_free(&converted); /* stored (or not): no longer needed */
	if (e != CB_OK)
		goto retry;
	struct payment_document d = {.key = key, .name = up.name,
	    .type = doc_mime(up.type), .sha256 = up.sha256, .size = up.size};
	if ((e = db_begin(ctx->db)) != CB_OK)
		goto unstore;
	if ((e = payments_receipt_result(ctx->db, row->id, "fetched", NULL,
	    &changed)) != CB_OK)
		goto rollback;
	if (!changed) { /* canceled or fetched meanwhile */
		db_rollback(ctx->db);
		storage_remove(ctx->env->storage, key);
		return JOB_DONE;
	}
	if ((e = payments_set_document(ctx->db, row->id, &d)) != CB_OK ||
	    (e = ocr_job_enqueue(ctx->db, row->id,
	        (unsigned)ctx->cfg->job_max_attempts)) != CB_OK)
		goto rollback;
	if ((e = db_commit(ctx->db)) != CB_OK)
		goto unstore;
	log_info("payment %lld: receipt fetched (%lld bytes, %s)",
	    (long long)row->id, (long long)up.size, doc_mime(up.type));
	return JOB_DONE;
rollback:
	db_rollback(ctx->db);
unstore:
	storage_remove(ctx->env->storage, key);
retry:
	snprintf(ctx->error, sizeof ctx->error, "storing the receipt: %s",
	    cb_strerror(e));
	return JOB_RETRY;
}

/* Renews the lease while the download runs; a shutdown abandons it (tried
 * again later, by this process or another). */
static bool
heartbeat(void *arg)
{
	return !job_stopping(arg) && job_heartbeat(arg);
}

enum job_result
receipt_job_run(struct job_ctx *ctx)
{
	struct payment_row row;
	struct outbound_opts o;
	struct outbound_xfer x;
	char why[400];
	long status;
	enum job_result r;
	int64_t id = ocr_job_payload_id(ctx->job->payload);
	if (id <= 0) {
		snprintf(ctx->error, sizeof ctx->error, "bad payload");
		return JOB_DEAD;
	}
	cb_err e = payments_get(ctx->db, id, &row);
	if (e == CB_ENOTFOUND)
		return JOB_DONE;
	if (e != CB_OK) {
		snprintf(ctx->error, sizeof ctx->error, "%s", cb_strerror(e));
		return JOB_RETRY;
	}
	if (!row.receipt_url || strcmp(row.receipt_status, "fetching") != 0) {
		payment_row_release(&row);
		return JOB_DONE;
	}
	if (outbound_opts_receipts(ctx->cfg, &o) != CB_OK ||
	    outbound_xfer_init(&x, &o, row.receipt_url) != CB_OK ||
	    outbound_xfer_tick(&x, heartbeat, ctx) != CB_OK) {
		snprintf(ctx->error, sizeof ctx->error, "could not set up the"
		    " download");
		payment_row_release(&row);
		return JOB_RETRY;
	}
	CURLcode rc = curl_easy_perform(x.h);
	switch (outbound_xfer_outcome(&x, rc, &status, why, sizeof why)) {
	case OUT_OK:
		if (status >= 200 && status < 300)
			r = store_receipt(ctx, &row, &x);
		else if (status == 408 || status == 429 || status >= 500) {
			snprintf(ctx->error, sizeof ctx->error, "the receipt URL"
			    " answered HTTP %ld", status);
			r = JOB_RETRY;
		} else {
			snprintf(why, sizeof why, "the receipt URL answered HTTP %ld",
			    status);
			r = fail_receipt(ctx, &row, why, false);
		}
		break;
	case OUT_TIMEOUT:
	case OUT_FAILED:
		/* Maybe better later; the dead hook records the last reason. */
		snprintf(ctx->error, sizeof ctx->error, "%s", why);
		r = JOB_RETRY;
		break;
	default:
		r = fail_receipt(ctx, &row, why, false);
		break;
	}
	outbound_xfer_cleanup(&x);
	payment_row_release(&row);
	return r;
}

void
receipt_job_dead(struct job_ctx *ctx)
{
	int64_t id = ocr_job_payload_id(ctx->job->payload);
	bool changed;
	if (id > 0 && payments_receipt_result(ctx->db, id, "failed", ctx->error,
	    &changed) != CB_OK)
		log_warn("payment %lld: receipt failure not recorded", (long long)id);
}
