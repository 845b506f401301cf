/*
 * bank_api.c — /api/bank-accounts (the accounts clients are paid into,
 * each with the id seed 002 calls bank_account_id) and
 * /api/bank-statements (a statement file uploaded, imported by the
 * "bank.import" job, its report read back).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/mman.h>

#include "api/api.h"
#include "api/common.h"
#include "api/idempotency.h"
#include "bank/zip.h"
#include "core/bank_number.h"
#include "core/document.h"
#include "core/money.h"
#include "core/ownership.h"
#include "crypto/crypto.h"
#include "http/form.h"
#include "http/validate.h"
#include "jobs/import.h"
#include "jobs/pool.h"
#include "storage/storage.h"
#include "store/bank.h"
#include "store/apikeys.h"
#include "store/banks.h"
#include "store/jobs.h"
#include "util/log.h"
#include "util/jsonx.h"

static const char *const number_kinds[] = {"iban", "clabe", "cci", "account",
    NULL};

static const struct field_rule account_rules[] = {
	{"bankAccountId", FIELD_STRING, true, 64, NULL, 0, 0},
	{"bankCode", FIELD_STRING, true, 16, NULL, 0, 0},
	{"number", FIELD_STRING, true, 64, NULL, 0, 0},
	{"numberKind", FIELD_STRING, false, 0, number_kinds, 0, 0},
	{"currency", FIELD_STRING, true, 3, NULL, 0, 0},
	{"holder", FIELD_STRING, false, 200, NULL, 0, 0},
	{"active", FIELD_BOOL, false, 0, NULL, 0, 0},
	{"clientKeyId", FIELD_INT, false, 0, NULL, 1, INT64_MAX},
	{"idempotencyKey", FIELD_STRING, false, 255, NULL, 0, 0},
};

static json_object *
account_json(const struct bank_account_row *r)
{
	json_object *o = jx_object();
	jx_add(o, "id", jx_int64(r->id));
	jx_add(o, "bankAccountId", jx_string(r->public_id));
	jx_add(o, "bankCode", jx_string(r->bank_code));
	jx_add(o, "number", jx_string(r->number));
	jx_add(o, "numberKind", jx_string(r->number_kind));
	jx_add(o, "currency", jx_string(r->currency));
	jx_add(o, "holder", api_str_or_null(r->holder));
	jx_add(o, "active", jx_bool(r->active));
	jx_add(o, "createdAt", api_time(r->created_at));
	jx_add(o, "updatedAt", api_time(r->updated_at));
	jx_add(o, "version", jx_int64(r->version));
	jx_add(o, "clientKeyId", r->client_key_id ?
	    jx_int64(r->client_key_id) : NULL);
	return o;
}

/* A client-facing id: letters, digits, '-', '_', '.'. */
static bool
public_id_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return false;
	return true;
}

void
api_bank_accounts_create(struct http_req *req)
{
	json_object *in = NULL, *resp = NULL, *v;
	struct problem p;
	struct idem st = {0};
	struct bank_account_row row;
	char norm[65], why[128], bank[17] = "";
	const char *kind = NULL;
	int64_t id;
	cb_err e;

	if (!http_json_body(req, &in))
		return;
	problem_init_invalid(&p);
	VALIDATE_OBJECT(in, account_rules, &p);
	const char *pub = api_member(in, "bankAccountId");
	const char *code = api_member(in, "bankCode");
	const char *number = api_member(in, "number");
	const char *ccy = api_member(in, "currency");
	if (pub && !public_id_ok(pub))
		problem_field(&p, "bankAccountId", "invalid",
		    "letters, digits, '-', '_' and '.' only");
	if (number && !bank_number_check(number, api_member(in, "numberKind"),
	    &kind, norm, sizeof norm, why, sizeof why))
		problem_field(&p, "number", "invalid", why);
	if (ccy && !currency_for(ccy, CURRENCY_RECORDS, why, sizeof why))
		problem_field(&p, "currency", "not_allowed", why);
	if (code && (e = banks_canonical(req->db, code, bank)) != CB_OK) {
		if (e != CB_ENOTFOUND) {
			http_fail(req, e);
			goto done;
		}
		problem_field(&p, "bankCode", "not_found",
		    "not a bank code of the registry");
	}
	/* Given to one client (core/ownership.h), or shared when not said. */
	int64_t client = 0;
	if (json_object_object_get_ex(in, "clientKeyId", &v) &&
	    json_object_is_type(v, json_type_int)) {
		struct apikey_row k;
		client = json_object_get_int64(v);
		if ((e = apikey_get(req->db, client, &k)) == CB_ENOTFOUND ||
		    (e == CB_OK && (k.role != ROLE_CLIENT || k.revoked_at[0])))
			problem_field(&p, "clientKeyId", "not_found",
			    "no active client key has this id");
		else if (e != CB_OK) {
			http_fail(req, e);
			goto done;
		}
	}
	if (problem_count(&p)) {
		http_send_problem(req, &p, NULL);
		goto done;
	}
	bool active = !json_object_object_get_ex(in, "active", &v) ||
	    json_object_get_boolean(v);
	if (!idem_txn_begin(req, in, IDEM_CREATE, &st))
		goto done;
	struct bank_account_fields f = {.public_id = pub, .bank_code = bank,
	    .number = number, .number_norm = norm, .number_kind = kind,
	    .currency = ccy, .holder = api_member(in, "holder"), .active = active,
	    .client_key_id = client};
	e = bank_accounts_insert(req->db, &f, &id);
	if (e == CB_EEXIST) {
		/* Which of the two unique keys said no. */
		struct bank_account_row other;
		bool by_id = bank_accounts_by_public(req->db, pub, &other) == CB_OK;
		api_taken(req, &st, &p, by_id ? "bankAccountId" : "number", by_id ?
		    "another bank account has this id" :
		    "this account number is already registered in this currency");
		goto done;
	}
	if (e != CB_OK || (e = bank_accounts_get(req->db, id, &row)) != CB_OK) {
		idem_txn_abort(req, &st, e);
		goto done;
	}
	resp = api_wrap("bankAccount", account_json(&row));
	api_created(req, &st, "bank_account", "bank-accounts", id, resp);
done:
	problem_free(&p);
	json_object_put(resp);
	json_object_put(in);
}

void
api_bank_accounts_get(struct http_req *req)
{
	struct bank_account_row row;
	int64_t id;
	char hdr[48];
	if (!api_path_id(req, "id", &id))
		return;
	cb_err e = bank_accounts_get(req->db, id, &row);
	if (e == CB_OK && !owner_sees_shared(&req->who, row.client_key_id))
		e = CB_ENOTFOUND;
	if (e != CB_OK) {
		http_fail(req, e);
		return;
	}
	snprintf(hdr, sizeof hdr, "ETag: \"v%u\"\r\n", row.version);
	json_object *o = api_wrap("bankAccount", account_json(&row));
	http_json(req, 200, o, hdr);
	json_object_put(o);
}

static cb_err
add_account(const struct bank_account_row *r, void *arg)
{
	return api_page_add(arg, r->id, account_json(r));
}

void
api_bank_accounts_list(struct http_req *req)
{
	struct problem p;
	int limit;
	int64_t before;
	problem_init(&p, 422, "validation", "Unprocessable Content", NULL);
	api_page_params(req, &limit, &before, &p);
	struct api_page pg;
	if (!api_page_ready(req, &p, &pg, limit))
		return;
	cb_err e = bank_accounts_list(req->db, api_client_scope(req), before,
	    limit + 1, add_account, &pg);
	api_page_send(req, &pg, e, "bankAccounts");
}

static const struct field_rule account_patch_rules[] = {
	{"holder", FIELD_STRING, false, 200, NULL, 0, 0},
	{"active", FIELD_BOOL, false, 0, NULL, 0, 0},
};

/* PATCH: the holder and the active flag; the number, bank and currency
 * identify the account and never change (register another instead). */
void
api_bank_accounts_patch(struct http_req *req)
{
	json_object *in = NULL, *v;
	struct bank_account_row row, now;
	struct problem p;
	int64_t id;
	bool changed;
	char target[40], hdr[48];
	if (!api_path_id(req, "id", &id) || !http_json_body(req, &in))
		return;
	problem_init_invalid(&p);
	json_object_object_foreach(in, k, val) {
		(void)val;
		if (strcmp(k, "holder") && strcmp(k, "active")) {
			char field[100];
			snprintf(field, sizeof field, "%s", k);
			problem_field(&p, field, "not_allowed",
			    "only holder and active can change");
		}
	}
	VALIDATE_OBJECT(in, account_patch_rules, &p);
	if (problem_count(&p)) {
		http_send_problem(req, &p, NULL);
		goto done;
	}
	long want = api_if_match(req);
	if (want < 0) {
		api_bad_if_match(req);
		goto done;
	}
	cb_err e = bank_accounts_get(req->db, id, &row);
	if (e != CB_OK) {
		http_fail(req, e);
		goto done;
	}
	if (want && (unsigned)want != row.version) {
		char detail[96];
		snprintf(detail, sizeof detail, "the bank account is at version %u,"
		    " not %ld; reload it", row.version, want);
		http_problem(req, 412, "precondition-failed", "Precondition Failed",
		    detail);
		goto done;
	}
	const char *holder = json_object_object_get_ex(in, "holder", &v) ?
	    (json_object_is_type(v, json_type_null) ? NULL :
	    json_object_get_string(v)) : (row.holder[0] ? row.holder : NULL);
	bool active = json_object_object_get_ex(in, "active", &v) ?
	    json_object_get_boolean(v) : row.active;
	if ((e = bank_accounts_update(req->db, id, row.version, holder, active,
	         &changed)) != CB_OK) {
		http_fail(req, e);
		goto done;
	}
	if (!changed) {
		http_problem(req, 409, "conflict", "Conflict",
		    "the bank account changed meanwhile; read it again");
		goto done;
	}
	if ((e = bank_accounts_get(req->db, id, &now)) != CB_OK) {
		http_fail(req, e);
		goto done;
	}
	snprintf(target, sizeof target, "bank_account:%lld", (long long)id);
	api_activity(req, target, json_object_to_json_string_ext(in,
	    JSON_C_TO_STRING_PLAIN));
	snprintf(hdr, sizeof hdr, "ETag: \"v%u\"\r\n", now.version);
	json_object *o = api_wrap("bankAccount", account_json(&now));
	http_json(req, 200, o, hdr);
	json_object_put(o);
done:
	problem_free(&p);
	json_object_put(in);
}

/* ---- statements --------------------------------------------------------- */

static json_object *
import_json(const struct bank_import_row *r)
{
	json_object *o = jx_object();
	jx_add(o, "importId", jx_int64(r->id));
	jx_add(o, "fileName", jx_string(r->file_name));
	jx_add(o, "sha256", jx_string(r->file_sha256));
	jx_add(o, "size", jx_int64(r->file_size));
	jx_add(o, "status", jx_string(r->status));
	jx_add(o, "error", api_str_or_null(r->error));
	jx_add(o, "report", r->report ?
	    json_tokener_parse(r->report) : NULL);
	jx_add(o, "createdAt", api_time(r->created_at));
	jx_add(o, "finishedAt", api_time(r->finished_at));
	return o;
}

/* dry_run: what the file would give, read now, nothing stored; a file
 * that is no statement is a 422 naming the part, as an import's failure
 * would say. */
static void
preview(struct http_req *req, const struct form_field *f,
    const struct csv_profile *prof, struct problem *p)
{
	char err[400];
	json_object *out = NULL;
	int fd = f->fd;
	bool own = fd < 0;
	if (own) {
		fd = memfd_create("statement-preview", MFD_CLOEXEC);
		if (fd < 0 || write(fd, f->data.data, f->size) != (ssize_t)f->size) {
			if (fd >= 0)
				close(fd);
			http_fail(req, CB_EIO);
			return;
		}
	}
	cb_err e = import_preview(fd, req->cfg->statement_max_bytes, prof, &out,
	    err, sizeof err);
	if (own)
		close(fd);
	if (e == CB_EINVAL || e == CB_ETOOBIG) {
		problem_field(p, "file", e == CB_ETOOBIG ? "too_large" : "invalid",
		    err);
		http_send_problem(req, p, NULL);
		return;
	}
	if (e != CB_OK) {
		http_fail(req, e);
		return;
	}
	json_object *o = api_wrap("preview", out);
	http_json(req, 200, o, NULL);
	json_object_put(o);
}

/* POST /api/bank-statements: multipart with a "file" part.  The file is
 * checked for a statement's shape and stored; the import runs as a job;
 * 202 with Location, whose GET shows the status and then the report. */
void
api_bank_statements_create(struct http_req *req)
{
	struct form *form = NULL;
	struct problem p;
	char head[512], sha[SHA256_HEX_LEN + 1], name[DOC_NAME_MAX + 1];
	char key[STORAGE_KEY_MAX + 32], payload[48], loc[96];
	int64_t id, job;
	cb_err e;
	problem_init(&p, 422, "validation", "Unprocessable Content",
	    "the statement file is missing or unreadable");
	if (!http_form_body(req, &form))
		goto done;
	for (size_t i = 0; i < form->n; i++)
		if (strcmp(form->fields[i].name, "file") &&
		    strcmp(form->fields[i].name, "profile") &&
		    strcmp(form->fields[i].name, "dry_run"))
			problem_field(&p, form->fields[i].name, "unknown_field",
			    "only \"file\", \"profile\" and \"dry_run\" parts are"
			    " read");
	const char *dry = form_text(form, "dry_run");
	if (dry && strcmp(dry, "true") && strcmp(dry, "false"))
		problem_field(&p, "dry_run", "invalid", "true or false");
	/* CSV has no signature: its bank's profile says how to read it. */
	const char *profile = form_text(form, "profile");
	struct csv_profile prof;
	char why[300], format[40] = "";
	if (profile && *profile) {
		if (import_csv_profile(req->db, req->cfg, profile, &prof, why,
		    sizeof why) !=
		    CB_OK)
			problem_field(&p, "profile", "not_found", why);
		else
			snprintf(format, sizeof format, "csv:%s", profile);
	}
	const struct form_field *f = form_field(form, "file");
	if (!f || !f->is_file || f->size == 0)
		problem_field(&p, "file", "missing", "send the statement as a file"
		    " part named \"file\"");
	else if (!format[0]) {
		size_t n = f->data.len < sizeof head ? f->data.len : sizeof head;
		memcpy(head, f->data.data, n);
		if (import_sniff_profiled(head, n) != IMPORT_CSV)
			problem_field(&p, "profile", "missing", "a workbook (XLSX or"
			    " XLS) is read by its bank's profile: name it");
		else if (import_sniff(head, n) == IMPORT_UNKNOWN && !zip_sniff(head,
		    n))
			problem_field(&p, "file", "unsupported_format",
			    "not a camt.052/053/054 (XML) or MT940 statement nor a zip"
			    " of them; for CSV, XLSX or XLS name its bank's profile");
	}
	if (problem_count(&p)) {
		http_send_problem(req, &p, NULL);
		goto done;
	}
	if (dry && !strcmp(dry, "true")) {
		preview(req, f, format[0] ? &prof : NULL, &p);
		goto done;
	}
	if ((e = f->fd >= 0 ? crypto_sha256_stream_hex(NULL, 0, f->fd, sha) :
	    crypto_sha256_stream_hex(f->data.data, f->size, -1, sha)) != CB_OK) {
		http_fail(req, e);
		goto done;
	}
	doc_sanitize_name(f->filename, DOC_NONE, name);
	/* The same file read the same way again: the earlier import is the
	 * answer (no second statement), unless part of it was left out for
	 * an account registered since. */
	struct bank_import_row prev;
	e = bank_imports_same_file(req->db, sha, format[0] ? format : NULL, &prev);
	if (e == CB_OK && import_report_whole(prev.report)) {
		snprintf(loc, sizeof loc, "Location: /api/bank-statements/%lld\r\n",
		    (long long)prev.id);
		json_object *o = api_wrap("import", import_json(&prev));
		jx_add(o, "sameFile", jx_bool(true));
		http_json(req, 200, o, loc);
		json_object_put(o);
		bank_import_row_release(&prev);
		goto done;
	}
	bank_import_row_release(&prev);
	if (e != CB_OK && e != CB_ENOTFOUND) {
		http_fail(req, e);
		goto done;
	}
	if (!api_begin(req))
		goto done;
	snprintf(key, sizeof key, "bank/statements/%.64s-%.60s", sha, name);
	if ((e = bank_imports_insert(req->db, name, key, sha, (int64_t)f->size,
	    format[0] ? format : NULL, req->who.key_id, &id)) != CB_OK)
		goto fail;
	/* Content-addressed: the same file sent again is stored once. */
	e = f->fd >= 0 ? storage_put(req->storage, key, NULL, 0, f->fd) :
	    storage_put(req->storage, key, f->data.data, f->size, -1);
	if (e != CB_OK && e != CB_EEXIST)
		goto fail;
	import_job_payload(id, payload, sizeof payload);
	if ((e = jobs_enqueue(req->db, IMPORT_JOB_KIND, payload, 0,
	    req->cfg->job_max_attempts, &job)) != CB_OK)
		goto fail;
	char target[40];
	snprintf(target, sizeof target, "bank_import:%lld", (long long)id);
	api_activity(req, target, name);
	if (!api_commit(req))
		goto done;
	job_pool_wake(req->jobs);
	struct bank_import_row row;
	if ((e = bank_imports_get(req->db, id, &row)) != CB_OK) {
		http_fail(req, e);
		goto done;
	}
	snprintf(loc, sizeof loc, "Location: /api/bank-statements/%lld\r\n",
	    (long long)id);
	json_object *o = api_wrap("import", import_json(&row));
	http_json(req, 202, o, loc);
	json_object_put(o);
	bank_import_row_release(&row);
	goto done;
fail:
	api_rollback(req);
	http_fail(req, e);
done:
	problem_free(&p);
	form_free(form);
}

void
api_bank_statements_get(struct http_req *req)
{
	struct bank_import_row row;
	int64_t id;
	if (!api_path_id(req, "id", &id))
		return;
	cb_err e = bank_imports_get(req->db, id, &row);
	if (e != CB_OK) {
		http_fail(req, e);
		return;
	}
	json_object *o = api_wrap("import", import_json(&row));
	bank_import_row_release(&row);
	/* Still running: come back later. */
	http_json(req, 200, o, strcmp(json_object_get_string(json_object_object_get(
	    json_object_object_get(o, "import"), "status")), "done") &&
	    strcmp(json_object_get_string(json_object_object_get(
	    json_object_object_get(o, "import"), "status")), "failed") ?
	    "Retry-After: 1\r\n" : NULL);
	json_object_put(o);
}
