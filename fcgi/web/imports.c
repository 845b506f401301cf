/*
 * imports.c — statement imports for people (admins and reviewers):
 * GET /bank lists the imports, newest first, with what each added;
 * GET /bank/imports/{id} shows one: its statements (balanced or by how
 * much not), what was read otherwise than written, and the movements it
 * stored with the payment each was matched with.  The same data the API
 * gives (GET /api/bank-statements/{id}[/movements]).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/common.h"
#include "core/money.h"
#include "store/bank.h"
#include "util/jsonx.h"
#include "web/pages.h"
#include "web/web.h"

#define IMPORTS_PAGE 50
#define MOVEMENTS_SHOWN 500

static bool
staff(struct http_req *req, struct session *s)
{
	if (!web_session(req, s)) {
		web_redirect(req, "/login", NULL);
		return false;
	}
	if (strcmp(s->role, "admin") && strcmp(s->role, "reviewer")) {
		web_forbidden(req);
		return false;
	}
	return true;
}

/* A report member as a number, 0 when absent. */
static int64_t
count_of(json_object *report, const char *key)
{
	json_object *v;
	return report && json_object_object_get_ex(report, key, &v) ?
	    json_object_get_int64(v) : 0;
}

struct import_list {
	json_object *items;
	int n;
};

static cb_err
add_import(const struct bank_import_row *r, void *arg)
{
	struct import_list *l = arg;
	json_object *o = jx_object();
	json_object *rep = r->report ? json_tokener_parse(r->report) : NULL;
	char url[48];
	snprintf(url, sizeof url, "/bank/imports/%lld", (long long)r->id);
	jx_add(o, "url", jx_string(url));
	jx_add(o, "id", jx_int64(r->id));
	jx_add(o, "file", jx_string(r->file_name));
	jx_add(o, "at", web_time(r->created_at));
	jx_add(o, "status", jx_string(r->status));
	jx_add(o, "added", jx_int64(count_of(rep, "new")));
	jx_add(o, "known", jx_int64(count_of(rep, "known")));
	jx_add(o, "rejected", jx_int64(count_of(rep, "rejected")));
	jx_add(o, "warned", jx_int64(count_of(rep, "warned")));
	json_object_put(rep);
	if (++l->n <= IMPORTS_PAGE)
		jx_push(l->items, o);
	else
		json_object_put(o);
	return CB_OK;
}

void
web_imports(struct http_req *req)
{
	struct session s;
	if (!staff(req, &s))
		return;
	struct import_list l = {jx_array(), 0};
	cb_err e = bank_imports_list(req->db, 0, IMPORTS_PAGE, add_import, &l);
	if (e != CB_OK) {
		json_object_put(l.items);
		http_fail(req, e);
		return;
	}
	json_object *m = web_model(&s);
	jx_add(m, "imports", l.items);
	web_page(req, 200, "imports.xhtml", m, NULL);
}

static cb_err
add_movement(const struct bank_movement_row *r, void *arg)
{
	json_object *list = arg, *o = jx_object();
	if (json_object_array_length(list) >= MOVEMENTS_SHOWN) {
		json_object_put(o);
		return CB_OK;
	}
	jx_add(o, "day", jx_string(r->booking_date));
	jx_add(o, "credit", jx_bool(r->credit));
	char amount[48];
	if (r->has_minor)
		money_format(r->amount_minor, currency_exponent(r->currency), amount,
		    sizeof amount);
	else
		snprintf(amount, sizeof amount, "%s", r->amount);
	char signed_amount[56];
	snprintf(signed_amount, sizeof signed_amount, "%s%s %s", r->credit ? "" :
	    "−", amount, r->currency);
	jx_add(o, "amount", jx_string(signed_amount));
	jx_add(o, "status", jx_string(r->status));
	jx_add(o, "reference", api_str_or_null(r->svcr_ref[0] ? r->svcr_ref :
	    r->end_to_end[0] ? r->end_to_end : r->tx_id));
	jx_add(o, "party", api_str_or_null(r->party_name));
	jx_add(o, "info", api_str_or_null(r->info));
	jx_add(o, "raw", api_str_or_null(r->raw));
	if (r->payment_id) {
		jx_add(o, "paymentUrl", web_payment_url(r->payment_id));
		jx_add(o, "paymentId", jx_int64(r->payment_id));
	}
	jx_push(list, o);
	return CB_OK;
}

void
web_import(struct http_req *req)
{
	struct session s;
	struct bank_import_row row;
	int64_t id;
	if (!staff(req, &s) || !api_path_id(req, "id", &id))
		return;
	cb_err e = bank_imports_get(req->db, id, &row);
	if (e != CB_OK) {
		http_fail(req, e);
		return;
	}
	json_object *movements = jx_array();
	struct bank_movement_filter f = {.import_id = id, .credit = -1,
	    .matched = -1};
	e = bank_movements_list(req->db, &f, 0, MOVEMENTS_SHOWN, add_movement,
	    movements);
	if (e != CB_OK) {
		json_object_put(movements);
		bank_import_row_release(&row);
		http_fail(req, e);
		return;
	}
	json_object *m = web_model(&s), *imp = jx_object();
	jx_add(imp, "id", jx_int64(row.id));
	jx_add(imp, "file", jx_string(row.file_name));
	jx_add(imp, "at", web_time(row.created_at));
	jx_add(imp, "status", jx_string(row.status));
	jx_add(imp, "error", api_str_or_null(row.error));
	/* The report as the job wrote it: statements, warnings, conflicts,
	 * refusals — the template shows each list. */
	jx_add(imp, "report", row.report ? json_tokener_parse(row.report) : NULL);
	jx_add(m, "import", imp);
	jx_add(m, "movements", movements);
	bank_import_row_release(&row);
	web_page(req, 200, "import.xhtml", m, NULL);
}
