/* ocr_job.c — see ocr_job.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "core/document.h"
#include "jobs/ocr_data.h"
#include "core/review_reason.h"
#include "jobs/ocr_job.h"
#include "util/codec.h"
#include "ops/metrics.h"
#include "ocr/engine.h"
#include "ocr/reader.h"
#include "ocr/review.h"
#include "storage/storage.h"
#include "store/banks.h"
#include "store/payments.h"
#include "store/receipts.h"
#include "util/log.h"

/* Per job thread: the engine and the bank registry (read once). */
struct ocr_state {
	struct ocr_engine *engine;
	struct bank_alias *banks;
	size_t nbanks;
	bool banks_loaded;
};

void *
ocr_job_state_new(const struct config *cfg)
{
	struct ocr_state *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	if (ocr_engine_tesseract_new(cfg->ocr_languages, &s->engine) != CB_OK) {
		free(s);
		return NULL;
	}
	return s;
}

static void
free_banks(struct ocr_state *s)
{
	for (size_t i = 0; i < s->nbanks; i++) {
		free((char *)s->banks[i].code);
		free((char *)s->banks[i].country);
		free((char *)s->banks[i].aliases);
	}
	free(s->banks);
	s->banks = NULL;
	s->nbanks = 0;
}

void
ocr_job_state_free(void *p)
{
	struct ocr_state *s = p;
	if (!s)
		return;
	ocr_engine_free(s->engine);
	free_banks(s);
	free(s);
}

static cb_err
add_bank(const char *code, const char *country, const char *aliases, void *arg)
{
	struct ocr_state *s = arg;
	struct bank_alias *b = realloc(s->banks, (s->nbanks + 1) * sizeof *b);
	if (!b)
		return CB_ENOMEM;
	s->banks = b;
	b[s->nbanks].code = strdup(code ? code : "");
	b[s->nbanks].country = strdup(country ? country : "");
	b[s->nbanks].aliases = strdup(aliases ? aliases : "");
	if (!b[s->nbanks].code || !b[s->nbanks].country || !b[s->nbanks].aliases)
		return CB_ENOMEM;
	s->nbanks++;
	return CB_OK;
}

static bool
keep_lease(void *arg)
{
	return job_heartbeat(arg);
}

void
ocr_job_payload(int64_t id, char *out, size_t len)
{
	snprintf(out, len, "{\"paymentId\":%lld}", (long long)id);
}

cb_err
ocr_job_enqueue(struct db_conn *c, int64_t payment_id, unsigned max_attempts)
{
	char payload[48];
	int64_t job;
	ocr_job_payload(payment_id, payload, sizeof payload);
	return jobs_enqueue(c, OCR_JOB_KIND, payload, 0, max_attempts, &job);
}

int64_t
ocr_job_payload_id(const char *payload)
{
	int64_t id = 0;
	json_object *o = payload ? json_tokener_parse(payload) : NULL, *v;
	if (o && json_object_object_get_ex(o, "paymentId", &v))
		id = json_object_get_int64(v);
	json_object_put(o);
	return id;
}

/* Writes the outcome with its event, in one transaction. */
static cb_err
record(struct job_ctx *ctx, const struct payment_row *row,
    const struct ocr_outcome *oc)
{
	struct db_conn *db = ctx->db;
	cb_err e;
	bool changed = false;
	struct payment_row now;
	char *old = NULL, *all = NULL;
	if ((e = db_begin(db)) != CB_OK)
		return e;
	/* This reading's reasons replace an earlier reading's, beside what
	 * matching wrote meanwhile (a bank flag must not vanish). */
	if ((e = payments_review_reason_locked(db, row->id, &old)) == CB_ENOTFOUND) {
		db_rollback(db);
		return CB_OK; /* the payment is gone */
	}
	if (e != CB_OK)
		goto fail;
	if (!(all = review_reasons_with_ocr(old, oc->review ? oc->review_reason :
	    NULL))) {
		e = CB_ENOMEM;
		goto fail;
	}
	struct ocr_outcome merged = *oc;
	merged.review_reason = all;
	if ((e = payments_store_ocr(db, row->id, &merged, &changed)) != CB_OK)
		goto fail;
	free(old);
	free(all);
	old = all = NULL;
	if (!changed) {
		db_rollback(db);
		return CB_OK; /* the payment is gone */
	}
	if ((e = payments_get(db, row->id, &now)) != CB_OK)
		goto fail;
	char actor[32];
	snprintf(actor, sizeof actor, "%.31s", OCR_JOB_KIND);
	struct payment_event ev = {.payment_id = row->id, .kind = "ocr",
	    .actor_type = "system", .actor_id = actor, .actor_name = "OCR",
	    .reason = oc->review ? oc->review_reason : NULL,
	    .version = now.version};
	payment_row_release(&now);
	if ((e = payment_events_insert(db, &ev)) != CB_OK)
		goto fail;
	return db_commit(db);
fail:
	free(old);
	free(all);
	db_rollback(db);
	return e;
}

static enum job_result
fail_document(struct job_ctx *ctx, const struct payment_row *row,
    const char *why)
{
	char reason[256], brief[201];
	snprintf(brief, sizeof brief, "%.200s", why);
	review_reason_format(reason, sizeof reason, "unreadable", NULL, brief,
	    NULL);
	char *data = ocr_data_json(NULL, NULL, "failed", true, reason, 0, why, 0);
	struct ocr_outcome oc = {.status = "failed", .data = data, .review = true,
	    .review_reason = reason};
	cb_err e = record(ctx, row, &oc);
	free(data);
	if (e != CB_OK) {
		snprintf(ctx->error, sizeof ctx->error, "outcome not stored: %s",
		    cb_strerror(e));
		return JOB_RETRY;
	}
	return JOB_DONE;
}

enum job_result
ocr_job_run(struct job_ctx *ctx)
{
	struct ocr_state *st = ctx->state;
	struct payment_row row;
	struct ocr_text text;
	struct ocr_fields f;
	struct timespec t0, t1;
	char why[300] = "";
	int fd = -1;
	off_t size;
	char *cands_json = NULL;
	enum job_result res = JOB_DONE;
	cb_err e;

	int64_t id = ocr_job_payload_id(ctx->job->payload);
	if (id <= 0) {
		snprintf(ctx->error, sizeof ctx->error, "payload has no paymentId");
		return JOB_DEAD;
	}
	if ((e = payments_get(ctx->db, id, &row)) == CB_ENOTFOUND)
		return JOB_DONE;
	if (e != CB_OK) {
		snprintf(ctx->error, sizeof ctx->error, "%s", cb_strerror(e));
		return JOB_RETRY;
	}
	if (!row.document_key[0]) {
		payment_row_release(&row);
		return JOB_DONE;
	}
	if (!st->banks_loaded) {
		if ((e = banks_list(ctx->db, add_bank, st)) != CB_OK) {
			free_banks(st);
			payment_row_release(&row);
			snprintf(ctx->error, sizeof ctx->error, "banks: %s", cb_strerror(e));
			return JOB_RETRY;
		}
		st->banks_loaded = true;
	}
	e = storage_open(ctx->env->storage, row.document_key, &fd, &size);
	if (e != CB_OK) {
		snprintf(ctx->error, sizeof ctx->error, "document %s: %s",
		    row.document_key, cb_strerror(e));
		payment_row_release(&row);
		/* Even a missing file is retried: storage may come back (a
		 * remount); after max_attempts the payment goes to review. */
		return JOB_RETRY;
	}
	struct ocr_limits lim = {.max_pixels = ctx->cfg->ocr_max_pixels,
	    .pdf_max_pages = ctx->cfg->ocr_pdf_max_pages,
	    .time_limit = ctx->cfg->ocr_time_limit,
	    .pdf_dpi = ctx->cfg->ocr_pdf_dpi, .tick = keep_lease, .tick_arg = ctx};
	ocr_text_init(&text);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	e = ocr_read_document(st->engine, doc_type_from_mime(row.document_type),
	    fd, &lim, &text, why, sizeof why);
	close(fd);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	metrics_ocr(ctx->env->metrics, (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (!job_heartbeat(ctx)) {
		snprintf(ctx->error, sizeof ctx->error, "lease lost");
		res = JOB_RETRY;
		goto out;
	}
	if (e == CB_EINVAL || e == CB_ETOOBIG) {
		/* The document is at fault: a retry would read the same. */
		res = fail_document(ctx, &row, why);
		goto out;
	}
	if (e != CB_OK) {
		snprintf(ctx->error, sizeof ctx->error, "%s", why[0] ? why :
		    cb_strerror(e));
		res = JOB_RETRY;
		goto out;
	}
	struct ocr_cands *cands = ocr_cands_new();
	struct ocr_trace tr = {0};
	if (cands)
		ocr_cands_trace(cands, &tr);
	ocr_extract_traced(&text, st->banks, st->nbanks, ctx->env->ocr_model, &f,
	    cands ? &tr : NULL);
	cands_json = cands ? ocr_cands_json(cands, &text) : NULL;
	ocr_cands_free(cands);

	struct manual_values m = {.has_amount = row.has_amount,
	    .amount_minor = row.amount_minor, .currency = row.currency,
	    .date = row.transaction_date, .reference = row.reference,
	    .bank_code = row.bank_code, .method = row.payment_method};
	char reasons[1024];
	bool review = ocr_review(&f, &m, reasons, sizeof reasons);
	/* A receipt in which OCR read nothing proves nothing the client said:
	 * a person looks, whatever the request filled in. */
	if (text.n == 0) {
		size_t u = strlen(reasons);
		char nt[64];
		review_reason_format(nt, sizeof nt, "no_text", NULL, NULL, NULL);
		snprintf(reasons + u, sizeof reasons - u, "%s%s", u ? "; " : "", nt);
		review = true;
	}
	/* Duplicates: by the bytes, or by what the payment will say. */
	int64_t dup = 0, dup_owner = 0;
	bool has_amount = row.has_amount || f.amount.found;
	int64_t amount = row.has_amount ? row.amount_minor : f.amount_minor;
	const char *bank = row.bank_code[0] ? row.bank_code :
	    f.bank.found ? f.bank.value : NULL;
	const char *ref = row.reference[0] ? row.reference :
	    f.reference.found ? f.reference.value : NULL;
	if ((e = payments_find_duplicate(ctx->db, row.id, row.document_sha256,
	        bank, ref, has_amount, amount, row.registered_by, &dup,
	        &dup_owner)) != CB_OK) {
		snprintf(ctx->error, sizeof ctx->error, "duplicate check: %s",
		    cb_strerror(e));
		res = JOB_RETRY;
		goto out;
	}
	if (dup) {
		/* Another client's payment is a warning to the reviewer, never
		 * named to this client (core/ownership.h). */
		char d[96];
		if (dup_owner == row.registered_by) {
			char dup_id[24];
			snprintf(dup_id, sizeof dup_id, "%lld", (long long)dup);
			review_reason_format(d, sizeof d, "duplicate", NULL, dup_id, NULL);
		} else {
			review_reason_format(d, sizeof d, "used_by_another_client", NULL,
			    NULL, NULL);
			dup = 0;
		}
		size_t u = strlen(reasons);
		snprintf(reasons + u, sizeof reasons - u, "%s%s", u ? "; " : "", d);
		review = true;
	}
	double secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	char *data = ocr_data_json(&text, &f, "done", review, reasons, dup, NULL,
	    secs);
	char *words = ocr_words_json(&text);
	if (!data || !words) {
		free(data);
		free(words);
		snprintf(ctx->error, sizeof ctx->error, "out of memory");
		res = JOB_RETRY;
		goto out;
	}
	/* OCR fills what the client left empty (seed 000), even when unsure:
	 * the review flag and ocrData's confidences say how far to trust it.
	 * An amount without a currency is not filled. */
	bool amount_ok = f.amount.found && f.currency.found;
	struct ocr_outcome oc = {.status = "done", .data = data, .words = words,
	    .candidates = cands_json,
	    .has_amount = amount_ok, .amount_minor = f.amount_minor,
	    .currency = amount_ok ? f.currency.value : NULL,
	    .payment_method = f.method.found ? f.method.value : NULL,
	    .bank_code = f.bank.found ? f.bank.value : NULL,
	    .reference = f.reference.found ? f.reference.value : NULL,
	    .transaction_date = f.date.found ? f.date.value : NULL,
	    .review = review, .review_reason = review ? reasons : NULL,
	    .duplicate_of = dup};
	e = record(ctx, &row, &oc);
	free(data);
	free(words);
	if (e != CB_OK) {
		snprintf(ctx->error, sizeof ctx->error, "outcome not stored: %s",
		    cb_strerror(e));
		res = JOB_RETRY;
	} else
		log_info("ocr payment=%lld source=%s words=%zu secs=%.2f review=%d",
		    (long long)row.id, text.source, text.n, secs, review);
out:
	free(cands_json);
	ocr_text_release(&text);
	payment_row_release(&row);
	return res;
}

void
ocr_job_dead(struct job_ctx *ctx)
{
	int64_t id = ocr_job_payload_id(ctx->job->payload);
	char reason[256], err[201];
	utf8_copy(err, sizeof err, ctx->error);
	review_reason_format(reason, sizeof reason, "ocr_failed", NULL, err, NULL);
	if (id > 0 && payments_flag_review(ctx->db, id, reason, "failed") != CB_OK)
		log_warn("payment %lld: review flag not set", (long long)id);
}
