/* bank_movements_api.c — what an import stored, visible:
 * GET /api/bank-statements/{id}/movements (the movements an import's
 * statements first stored) and GET /api/bank-accounts/{id}/movements,
 * filtered by booking days, direction, matched or not and text, in keyset
 * pages; each movement with every field read and the text it came from. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/common.h"
#include "core/date.h"
#include "http/query.h"
#include "store/bank.h"
#include "util/jsonx.h"

static json_object *
movement_json(const struct bank_movement_row *r)
{
	json_object *o = jx_object(), *party = jx_object();
	jx_add(o, "movementId", jx_int64(r->id));
	jx_add(o, "statementId", jx_int64(r->statement_id));
	jx_add(o, "bankAccountId", jx_int64(r->account_id));
	jx_add(o, "bookingDate", jx_string(r->booking_date));
	jx_add(o, "valueDate", api_str_or_null(r->value_date));
	/* Exact in the currency's digits when it fits them, else the bank's
	 * own decimals as text. */
	if (r->has_minor)
		jx_add(o, "amount", api_money(r->amount_minor, r->currency));
	else {
		char t[40];
		snprintf(t, sizeof t, "%s", r->amount);
		size_t n = strlen(t);
		if (strchr(t, '.')) {
			while (n && t[n - 1] == '0')
				t[--n] = '\0';
			if (n && t[n - 1] == '.')
				t[--n] = '\0';
		}
		jx_add(o, "amount", jx_string(t));
	}
	jx_add(o, "currency", jx_string(r->currency));
	jx_add(o, "direction", jx_string(r->credit ? "credit" : "debit"));
	jx_add(o, "reversal", jx_bool(r->reversal));
	jx_add(o, "status", jx_string(r->status));
	jx_add(o, "bankReference", api_str_or_null(r->svcr_ref));
	jx_add(o, "entryBankReference", api_str_or_null(r->entry_svcr_ref));
	jx_add(o, "creditorReference", api_str_or_null(r->creditor_ref));
	jx_add(o, "entryReference", api_str_or_null(r->entry_ref));
	jx_add(o, "endToEndId", api_str_or_null(r->end_to_end));
	jx_add(o, "transactionId", api_str_or_null(r->tx_id));
	jx_add(party, "name", api_str_or_null(r->party_name));
	jx_add(party, "id", api_str_or_null(r->party_id));
	jx_add(party, "account", api_str_or_null(r->party_account));
	jx_add(o, "party", party);
	jx_add(o, "information", api_str_or_null(r->info));
	jx_add(o, "transactionCode", api_str_or_null(r->tx_code));
	jx_add(o, "paymentId", r->payment_id ? jx_int64(r->payment_id) : NULL);
	jx_add(o, "reversedBy", r->reversed_by ? jx_int64(r->reversed_by) : NULL);
	jx_add(o, "raw", api_str_or_null(r->raw));
	jx_add(o, "createdAt", api_time(r->created_at));
	return o;
}

static cb_err
add_movement(const struct bank_movement_row *r, void *arg)
{
	return api_page_add(arg, r->id, movement_json(r));
}

/* The filters of both routes, into f (strings point into the buffers). */
struct filter_text {
	char from[16], to[16], dir[16], matched[16], q[130];
};

static void
read_filters(struct http_req *req, struct bank_movement_filter *f,
    struct filter_text *t, struct problem *p)
{
	struct ymd d;
	f->credit = f->matched = -1;
	if (query_get(req->query, "from", t->from, sizeof t->from) == CB_OK) {
		if (date_parse(t->from, &d) != CB_OK)
			problem_field(p, "from", "invalid", "a date as YYYY-MM-DD");
		else
			f->from = t->from;
	}
	if (query_get(req->query, "to", t->to, sizeof t->to) == CB_OK) {
		if (date_parse(t->to, &d) != CB_OK)
			problem_field(p, "to", "invalid", "a date as YYYY-MM-DD");
		else
			f->to = t->to;
	}
	if (query_get(req->query, "direction", t->dir, sizeof t->dir) == CB_OK) {
		if (strcmp(t->dir, "credit") && strcmp(t->dir, "debit"))
			problem_field(p, "direction", "not_allowed", "credit or debit");
		else
			f->credit = !strcmp(t->dir, "credit");
	}
	if (query_get(req->query, "matched", t->matched, sizeof t->matched) ==
	    CB_OK) {
		if (strcmp(t->matched, "true") && strcmp(t->matched, "false"))
			problem_field(p, "matched", "invalid", "true or false");
		else
			f->matched = !strcmp(t->matched, "true");
	}
	cb_err e = query_get(req->query, "q", t->q, sizeof t->q);
	if (e == CB_OK && t->q[0]) {
		/* Searched as typed: LIKE's own wildcards are not the client's. */
		if (strpbrk(t->q, "%_\\"))
			problem_field(p, "q", "invalid", "no '%', '_' or '\\'");
		else
			f->text = t->q;
	} else if (e != CB_OK && e != CB_ENOTFOUND)
		problem_field(p, "q", "too_long", "at most 128 characters");
}

static void
list(struct http_req *req, bool by_import)
{
	struct bank_movement_filter f;
	struct filter_text t;
	struct problem p;
	struct api_page pg;
	int64_t id, before;
	int limit;
	cb_err e;
	memset(&f, 0, sizeof f);
	if (!api_path_id(req, "id", &id) || !api_query_begin(req, &p))
		return;
	api_page_params(req, &limit, &before, &p);
	read_filters(req, &f, &t, &p);
	/* The import or the account must exist: an empty list for one that
	 * does not would say "nothing imported", which is not the answer. */
	if (by_import) {
		struct bank_import_row row;
		e = bank_imports_get(req->db, id, &row);
		bank_import_row_release(&row);
		f.import_id = id;
	} else {
		struct bank_account_row acct;
		e = bank_accounts_get(req->db, id, &acct);
		f.account_id = id;
	}
	if (e != CB_OK) {
		problem_free(&p);
		http_fail(req, e);
		return;
	}
	if (!api_page_ready(req, &p, &pg, limit))
		return;
	e = bank_movements_list(req->db, &f, before, limit + 1, add_movement, &pg);
	api_page_send(req, &pg, e, "movements");
}

void
api_bank_statement_movements(struct http_req *req)
{
	list(req, true);
}

void
api_bank_account_movements(struct http_req *req)
{
	list(req, false);
}
