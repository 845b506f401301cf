/*
 * accounts_api.c — seed 001: payments (pago) and collections (cobro) that
 * settle an account's day, at /api/accounts/…, for callers holding a JWT
 * (server/jwt_auth.h) whose role claim decides what they may touch:
 *   VENDEDOR  registers nothing (403); reads its own account
 *   VENTANA   its own window and that window's sellers (403 otherwise)
 *   ADMIN     anything, and alone may name a banca (bancaId)
 * Every change recomputes the day's statement in its own transaction and
 * answers it: {success, data: {payment, statement}}.  Validation failures
 * are 400 (the seed's code) as RFC 9457 bodies naming each field.
 * The ledger that feeds statements (sales and payouts) is kept at
 * /api/accounts/{id}/entries (JSON, or CSV lines day,kind,amount,ref).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api/api.h"
#include "api/common.h"
#include "core/date.h"
#include "core/decimal.h"
#include "core/money.h"
#include "crypto/crypto.h"
#include "http/query.h"
#include "http/validate.h"
#include "store/accounts.h"
#include "store/activity.h"
#include "util/codec.h"
#include "util/log.h"
#include "util/jsonx.h"

static const char *const types[] = {"payment", "collection", NULL};
static const char *const methods[] = {"cash", "check", "transfer", "system",
    NULL};
static const char *const levels[] = {"banca", "ventana", "vendedor", NULL};

/* An amount of minor units (2 decimals) as the seed writes it: 100000,
 * 1500.5. */
static json_object *
amount_json(int64_t minor)
{
	struct dec d = {.units = minor, .scale = 2}, n;
	char text[40];
	if (dec_mul_int(&d, 1, &n) != CB_OK)
		n = d;
	dec_format(&n, text, sizeof text);
	return jx_double_s((double)minor / 100.0, text);
}

static json_object *
payment_json(const struct account_payment *p)
{
	json_object *o = jx_object();
	jx_add(o, "id", jx_string(p->id));
	jx_add(o, "date", jx_string(p->day));
	jx_add(o, "time", jx_string(p->time));
	jx_add(o, "amount", amount_json(p->amount_minor));
	jx_add(o, "type", jx_string(p->type));
	jx_add(o, "method", jx_string(p->method));
	jx_add(o, "notes", api_str_or_null(p->notes));
	jx_add(o, "isReversed", jx_bool(
	    p->is_reversed));
	jx_add(o, "isFinal", jx_bool(p->is_final));
	jx_add(o, "paidById", jx_string(
	    p->paid_by_id));
	jx_add(o, "createdAt", api_time(p->created_at));
	/* Which dimension it settles: the one the request named. */
	const char *dim = !strcmp(p->level, "banca") ? "bancaId" :
	    !strcmp(p->level, "ventana") ? "ventanaId" : "vendedorId";
	jx_add(o, dim, jx_string(p->account_id));
	if (p->is_reversed) {
		jx_add(o, "reversedAt", api_time(p->reversed_at));
		jx_add(o, "reversedById",
		    jx_string(p->reversed_by));
		jx_add(o, "reverseReason",
		    api_str_or_null(p->reverse_reason));
	}
	return o;
}

static json_object *
statement_json(const struct account_statement *s)
{
	json_object *o = jx_object();
	jx_add(o, "id", jx_string(s->id));
	jx_add(o, "accountId", jx_string(
	    s->account_id));
	jx_add(o, "date", jx_string(s->day));
	jx_add(o, "totalSales", amount_json(s->total_sales));
	jx_add(o, "totalPayouts", amount_json(s->total_payouts));
	jx_add(o, "totalPaid", amount_json(s->total_paid));
	jx_add(o, "remainingBalance", amount_json(s->remaining));
	jx_add(o, "isSaldado", jx_bool(
	    s->is_saldado));
	return o;
}

static void
answer(struct http_req *req, int status, bool cached,
    const struct account_payment *p, const struct account_statement *s)
{
	json_object *o = jx_object(), *d = jx_object();
	jx_add(o, "success", jx_bool(1));
	if (cached)
		jx_add(o, "cached", jx_bool(1));
	jx_add(d, "payment", payment_json(p));
	jx_add(d, "statement", statement_json(s));
	jx_add(o, "data", d);
	http_json(req, status, o, NULL);
	json_object_put(o);
}

static void
forbidden(struct http_req *req, const char *detail)
{
	http_problem(req, 403, "forbidden", "Forbidden", detail);
}

/* May the caller touch account a?  write: register or reverse. */
static bool
in_scope(const struct principal *w, const struct account_row *a, bool write)
{
	if (!strcmp(w->scope, "ADMIN"))
		return true;
	if (!strcmp(w->scope, "VENDEDOR"))
		return !write && !strcmp(a->level, "vendedor") &&
		    !strcmp(a->id, w->vendedor_id);
	/* VENTANA: its window and the window's sellers. */
	if (!w->ventana_id[0])
		return false;
	if (!strcmp(a->level, "ventana"))
		return !strcmp(a->id, w->ventana_id);
	if (!strcmp(a->level, "vendedor"))
		return !strcmp(a->parent_id, w->ventana_id);
	return false;
}

static void
activity(struct http_req *req, const char *action, const char *target,
    const char *detail)
{
	cb_err e = activity_record(req->db, action, "jwt", req->who.subject,
	    target, req->request_id, detail);
	if (e != CB_OK)
		log_error("rid=%s: activity log write failed: %s", req->request_id,
		    cb_strerror(e));
}

/* "HH:MM", 00:00–23:59. */
static bool
hhmm_ok(const char *s)
{
	return strlen(s) == 5 && s[2] == ':' && s[0] >= '0' && s[0] <= '2' &&
	    s[1] >= '0' && s[1] <= '9' && (s[0] < '2' || s[1] <= '3') &&
	    s[3] >= '0' && s[3] <= '5' && s[4] >= '0' && s[4] <= '9';
}

static const struct field_rule create_rules[] = {
	{"date", FIELD_STRING, true, 10, NULL, 0, 0},
	{"time", FIELD_STRING, false, 5, NULL, 0, 0},
	{"bancaId", FIELD_STRING, false, ACCOUNT_ID_MAX, NULL, 0, 0},
	{"ventanaId", FIELD_STRING, false, ACCOUNT_ID_MAX, NULL, 0, 0},
	{"vendedorId", FIELD_STRING, false, ACCOUNT_ID_MAX, NULL, 0, 0},
	{"amount", FIELD_ANY, true, 0, NULL, 0, 0},
	{"type", FIELD_STRING, true, 0, types, 0, 0},
	{"method", FIELD_STRING, true, 0, methods, 0, 0},
	{"notes", FIELD_STRING, false, 500, NULL, 0, 0},
	{"isFinal", FIELD_BOOL, false, 0, NULL, 0, 0},
	{"idempotencyKey", FIELD_STRING, false, 255, NULL, 0, 0},
};

/* Answers an idempotent replay of pay (200, cached) when its account is
 * in the caller's scope, else as a fresh request there would be (403). */
static void
replay(struct http_req *req, const struct account_payment *pay)
{
	struct account_row acct;
	struct account_statement st;
	cb_err e = accounts_get(req->db, pay->account_id, &acct);
	if (e == CB_OK && !in_scope(&req->who, &acct, true)) {
		forbidden(req, "this account is outside the token's window");
		return;
	}
	if (e == CB_OK)
		e = statement_compute(req->db, pay->account_id, pay->day, &st);
	if (e != CB_OK) {
		http_fail(req, e);
		return;
	}
	answer(req, 200, true, pay, &st);
}

void
api_accounts_payments_create(struct http_req *req)
{
	json_object *in = NULL, *v;
	struct problem p;
	struct account_row acct;
	struct account_payment pay;
	struct account_statement st;
	struct ymd day, today;
	char msg[160];
	cb_err e;

	/* VENDEDOR: not authorized, whatever it sends. */
	if (!strcmp(req->who.scope, "VENDEDOR")) {
		http_drain_body(req);
		forbidden(req, "the VENDEDOR role may not register payments");
		return;
	}
	if (!http_json_body(req, &in))
		return;
	problem_init(&p, 400, "validation", "Bad Request",
	    "some fields are invalid; see errors");
	VALIDATE_OBJECT(in, create_rules, &p);
	memset(&pay, 0, sizeof pay);
	/* date, and time (default 00:00), neither in the future here. */
	const char *d = api_member(in, "date"), *t = api_member(in, "time");
	date_today(&today);
	bool is_today = false;
	if (d && date_parse(d, &day) != CB_OK)
		problem_field(&p, "date", "invalid", "a real day written YYYY-MM-DD");
	else if (d && date_cmp(&day, &today) > 0)
		problem_field(&p, "date", "in_future", "cannot be a future date");
	else if (d)
		is_today = date_cmp(&day, &today) == 0;
	snprintf(pay.time, sizeof pay.time, "%s", t ? t : "00:00");
	if (t && !hhmm_ok(t))
		problem_field(&p, "time", "invalid", "HH:MM, 24-hour");
	else if (is_today) {
		time_t now = time(NULL);
		struct tm lt;
		char hm[6];
		localtime_r(&now, &lt);
		strftime(hm, sizeof hm, "%H:%M", &lt);
		if (strcmp(pay.time, hm) > 0) {
			snprintf(msg, sizeof msg, "cannot be in the future today (it is"
			    " %s in %s)", hm, req->cfg->timezone);
			problem_field(&p, "time", "in_future", msg);
		}
	}
	/* Exactly one dimension. */
	static const char *const dims[] = {"bancaId", "ventanaId", "vendedorId"};
	static const char *const dim_level[] = {"banca", "ventana", "vendedor"};
	int ndim = 0, which = -1;
	for (int i = 0; i < 3; i++)
		if (api_member(in, dims[i])) {
			ndim++;
			which = i;
		}
	if (ndim != 1) /* the dimension is the object's, not one member's */
		problem_field(&p, "", ndim ? "ambiguous_dimension" :
		    "missing_dimension",
		    "exactly one of bancaId, ventanaId or vendedorId");
	if (json_object_object_get_ex(in, "amount", &v) &&
	    !json_object_is_type(v, json_type_null)) {
		if (!json_object_is_type(v, json_type_int) &&
		    !json_object_is_type(v, json_type_double))
			problem_field(&p, "amount", "invalid", "must be a number");
		else switch (money_parse(json_object_get_string(v), 2,
		    &pay.amount_minor)) {
		case MONEY_OK:
			break;
		case MONEY_NOT_POSITIVE:
			problem_field(&p, "amount", "not_positive",
			    "must be greater than zero");
			break;
		case MONEY_TOO_PRECISE:
			problem_field(&p, "amount", "too_many_decimals",
			    "at most 2 decimals");
			break;
		default:
			problem_field(&p, "amount", "invalid", "must be a plain number");
			break;
		}
	}
	const char *key = api_member(in, "idempotencyKey");
	if (key && strlen(key) < 8)
		problem_field(&p, "idempotencyKey", "too_short",
		    "at least 8 characters");
	if (problem_count(&p)) {
		http_send_problem(req, &p, NULL);
		goto done;
	}
	/* A replay is answered before the body is judged again, but never
	 * before the caller's scope: a token of another window with the same
	 * sub sees nothing of it. */
	if (key) {
		e = account_payments_by_key(req->db, req->who.subject, key, &pay);
		if (e == CB_OK) {
			replay(req, &pay);
			goto done;
		}
		if (e != CB_ENOTFOUND) {
			http_fail(req, e);
			goto done;
		}
	}
	const char *account = api_member(in, dims[which]);
	if (which == 0 && strcmp(req->who.scope, "ADMIN")) {
		forbidden(req, "only ADMIN may register payments for a banca");
		goto done;
	}
	e = accounts_get(req->db, account, &acct);
	if (e == CB_ENOTFOUND || (e == CB_OK && strcmp(acct.level,
	    dim_level[which]))) {
		snprintf(msg, sizeof msg, "no %s has this id", dim_level[which]);
		problem_field(&p, dims[which], "not_found", msg);
		p.status = 404;
		p.title = "Not Found";
		http_send_problem(req, &p, NULL);
		goto done;
	}
	if (e != CB_OK) {
		http_fail(req, e);
		goto done;
	}
	if (!in_scope(&req->who, &acct, true)) {
		forbidden(req, "this account is outside the token's window");
		goto done;
	}
	unsigned char rnd[8];
	if ((e = crypto_random(rnd, sizeof rnd)) != CB_OK) {
		http_fail(req, e);
		goto done;
	}
	char hex[17];
	hex_encode(rnd, sizeof rnd, hex);
	snprintf(pay.id, sizeof pay.id, "pay-%s", hex);
	snprintf(pay.account_id, sizeof pay.account_id, "%s", acct.id);
	snprintf(pay.level, sizeof pay.level, "%s", acct.level);
	date_format(&day, pay.day);
	snprintf(pay.type, sizeof pay.type, "%s", api_member(in, "type"));
	snprintf(pay.method, sizeof pay.method, "%s", api_member(in, "method"));
	snprintf(pay.notes, sizeof pay.notes, "%s", api_member(in, "notes") ?
	    api_member(in, "notes") : "");
	pay.is_final = json_object_object_get_ex(in, "isFinal", &v) &&
	    json_object_get_boolean(v);
	snprintf(pay.paid_by_id, sizeof pay.paid_by_id, "%s", req->who.subject);
	snprintf(pay.idempotency_key, sizeof pay.idempotency_key, "%s",
	    key ? key : "");
	if (!api_begin(req))
		goto done;
	e = account_payments_insert(req->db, &pay);
	if (e == CB_EEXIST && key) {
		/* The same key, registered just now by a twin request. */
		api_rollback(req);
		if ((e = account_payments_by_key(req->db, req->who.subject, key,
		    &pay)) == CB_OK)
			replay(req, &pay);
		else
			http_fail(req, e);
		goto done;
	}
	if (e != CB_OK || (e = account_payments_get(req->db, pay.id, false,
	    &pay)) != CB_OK || (e = statement_refresh(req->db, pay.account_id,
	    pay.day, &st)) != CB_OK) {
		api_rollback(req);
		http_fail(req, e);
		goto done;
	}
	char target[64], detail[300];
	snprintf(target, sizeof target, "account_payment:%s", pay.id);
	snprintf(detail, sizeof detail, "%s %s %s %s %lld.%02lld %s%s", pay.type,
	    dim_level[which], pay.account_id, pay.day,
	    (long long)(pay.amount_minor / 100), (long long)(pay.amount_minor % 100),
	    pay.method, pay.is_final ? " final" : "");
	activity(req, "ACCOUNT_PAYMENT_CREATE", target, detail);
	if (!api_commit(req))
		goto done;
	answer(req, 201, false, &pay, &st);
done:
	problem_free(&p);
	json_object_put(in);
}

void
api_accounts_payments_reverse(struct http_req *req)
{
	json_object *in = NULL;
	struct account_payment pay;
	struct account_row acct;
	struct account_statement st;
	bool changed;
	cb_err e;
	const char *id = route_param(&req->params, "id");
	const char *len = http_param(req, "CONTENT_LENGTH");
	if (len && *len && strcmp(len, "0") && !http_json_body(req, &in))
		return;
	const char *reason = in ? api_member(in, "reason") : NULL;
	if (reason && strlen(reason) > 500) {
		http_problem(req, 400, "validation", "Bad Request",
		    "reason: at most 500 characters");
		goto done;
	}
	if (!strcmp(req->who.scope, "VENDEDOR")) {
		forbidden(req, "the VENDEDOR role may not reverse payments");
		goto done;
	}
	if (!api_begin(req))
		goto done;
	e = account_payments_get(req->db, id ? id : "", true, &pay);
	if (e == CB_OK)
		e = accounts_get(req->db, pay.account_id, &acct);
	if (e != CB_OK) {
		api_rollback(req);
		http_fail(req, e);
		goto done;
	}
	if (!in_scope(&req->who, &acct, true)) {
		api_rollback(req);
		forbidden(req, "this account is outside the token's window");
		goto done;
	}
	if ((e = account_payments_reverse(req->db, pay.id, req->who.subject,
	    reason, &changed)) != CB_OK)
		goto fail;
	if (!changed) {
		api_rollback(req);
		http_problem(req, 409, "already-reversed", "Conflict",
		    "the payment was reversed already");
		goto done;
	}
	if ((e = account_payments_get(req->db, pay.id, false, &pay)) != CB_OK ||
	    (e = statement_refresh(req->db, pay.account_id, pay.day, &st)) != CB_OK)
		goto fail;
	char target[64];
	snprintf(target, sizeof target, "account_payment:%s", pay.id);
	activity(req, "ACCOUNT_PAYMENT_REVERSE", target, reason);
	if (!api_commit(req))
		goto done;
	answer(req, 200, false, &pay, &st);
	goto done;
fail:
	api_rollback(req);
	http_fail(req, e);
done:
	json_object_put(in);
}

/* The account in the path, in the caller's scope for reading; false after
 * answering 404 or 403. */
static bool
path_account(struct http_req *req, struct account_row *a, bool write)
{
	const char *id = route_param(&req->params, "id");
	cb_err e = id && strlen(id) <= ACCOUNT_ID_MAX ? accounts_get(req->db, id, a) :
	    CB_ENOTFOUND;
	if (e != CB_OK) {
		http_fail(req, e);
		return false;
	}
	if (!in_scope(&req->who, a, write)) {
		forbidden(req, "this account is outside the token's scope");
		return false;
	}
	return true;
}

/* ?date=YYYY-MM-DD into out; false after answering 400. */
static bool
query_day(struct http_req *req, bool required, char out[11])
{
	char v[16];
	struct ymd d;
	out[0] = '\0';
	cb_err e = query_get(req->query, "date", v, sizeof v);
	if (e == CB_ENOTFOUND && !required)
		return true;
	if (e != CB_OK || date_parse(v, &d) != CB_OK) {
		struct problem p;
		problem_init(&p, 400, "validation", "Bad Request", NULL);
		problem_field(&p, "date", e == CB_ENOTFOUND ? "missing" : "invalid",
		    "a real day written YYYY-MM-DD");
		http_send_problem(req, &p, NULL);
		return false;
	}
	date_format(&d, out);
	return true;
}

void
api_accounts_statements(struct http_req *req)
{
	struct account_row a;
	struct account_statement st;
	char day[11];
	if (!path_account(req, &a, false) || !query_day(req, true, day))
		return;
	cb_err e = statement_compute(req->db, a.id, day, &st);
	if (e != CB_OK) {
		http_fail(req, e);
		return;
	}
	json_object *o = api_wrap("data", statement_json(&st));
	http_json(req, 200, o, NULL);
	json_object_put(o);
}

static json_object *
account_json(const struct account_row *a)
{
	json_object *o = jx_object();
	jx_add(o, "id", jx_string(a->id));
	jx_add(o, "level", jx_string(a->level));
	jx_add(o, "parentId", api_str_or_null(a->parent_id));
	jx_add(o, "name", jx_string(a->name));
	jx_add(o, "createdAt", api_time(a->created_at));
	return o;
}

static const struct field_rule account_rules[] = {
	{"id", FIELD_STRING, true, ACCOUNT_ID_MAX, NULL, 0, 0},
	{"level", FIELD_STRING, true, 0, levels, 0, 0},
	{"parentId", FIELD_STRING, false, ACCOUNT_ID_MAX, NULL, 0, 0},
	{"name", FIELD_STRING, true, 200, NULL, 0, 0},
};

static bool
id_ok(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return false;
	return true;
}

void
api_accounts_create(struct http_req *req)
{
	json_object *in = NULL;
	struct problem p;
	struct account_row parent, a;
	cb_err e;
	if (strcmp(req->who.scope, "ADMIN")) {
		http_drain_body(req);
		forbidden(req, "only ADMIN registers accounts");
		return;
	}
	if (!http_json_body(req, &in))
		return;
	problem_init(&p, 400, "validation", "Bad Request",
	    "some fields are invalid; see errors");
	VALIDATE_OBJECT(in, account_rules, &p);
	const char *id = api_member(in, "id"), *level = api_member(in, "level");
	const char *pid = api_member(in, "parentId");
	if (id && !id_ok(id))
		problem_field(&p, "id", "invalid", "letters, digits, '-', '_', '.'");
	/* banca > ventana > vendedor: each level's parent is the one above. */
	const char *want = level && !strcmp(level, "ventana") ? "banca" :
	    level && !strcmp(level, "vendedor") ? "ventana" : NULL;
	if (level && !want && pid)
		problem_field(&p, "parentId", "not_allowed", "a banca has no parent");
	if (want && !pid)
		problem_field(&p, "parentId", "missing", "a ventana belongs to a"
		    " banca, a vendedor to a ventana");
	if (want && pid) {
		e = accounts_get(req->db, pid, &parent);
		if (e != CB_OK && e != CB_ENOTFOUND) {
			http_fail(req, e);
			goto done;
		}
		if (e == CB_ENOTFOUND || strcmp(parent.level, want)) {
			char why[80];
			snprintf(why, sizeof why, "must be the id of a %s", want);
			problem_field(&p, "parentId", "not_found", why);
		}
	}
	if (problem_count(&p)) {
		http_send_problem(req, &p, NULL);
		goto done;
	}
	e = accounts_insert(req->db, id, level, pid, api_member(in, "name"));
	if (e == CB_EEXIST) {
		problem_field(&p, "id", "taken", "another account has this id");
		p.status = 409;
		p.title = "Conflict";
		http_send_problem(req, &p, NULL);
		goto done;
	}
	if (e != CB_OK || (e = accounts_get(req->db, id, &a)) != CB_OK) {
		http_fail(req, e);
		goto done;
	}
	json_object *o = api_wrap("account", account_json(&a));
	http_json(req, 201, o, NULL);
	json_object_put(o);
done:
	problem_free(&p);
	json_object_put(in);
}

void
api_accounts_get(struct http_req *req)
{
	struct account_row a;
	if (!path_account(req, &a, false))
		return;
	json_object *o = api_wrap("account", account_json(&a));
	http_json(req, 200, o, NULL);
	json_object_put(o);
}

/* One ledger line from text: "2024-03-15", "sale" | "payout", "1500.00",
 * an optional reference.  NULL when fine, else why. */
static const char *
entry_check(const char *day, const char *kind, const char *amount,
    const char *ref, char out_day[11], int64_t *minor)
{
	struct ymd d;
	if (!day || date_parse(day, &d) != CB_OK)
		return "date: a real day written YYYY-MM-DD";
	date_format(&d, out_day);
	if (!kind || (strcmp(kind, "sale") && strcmp(kind, "payout")))
		return "kind: sale or payout";
	if (!amount || money_parse(amount, 2, minor) != MONEY_OK)
		return "amount: a positive number with at most 2 decimals";
	if (ref && strlen(ref) > 64)
		return "reference: at most 64 characters";
	return NULL;
}

struct touched {
	char days[64][11];
	int n;
	bool more;
};

static void
touch(struct touched *t, const char *day)
{
	for (int i = 0; i < t->n; i++)
		if (!strcmp(t->days[i], day))
			return;
	if (t->n < 64)
		snprintf(t->days[t->n++], 11, "%s", day);
	else
		t->more = true;
}

/* Splits a CSV line in place into up to 4 fields (no quoting needed for
 * these values; a quoted field is taken without its quotes). */
static int
csv_fields(char *line, char *f[4])
{
	int n = 0;
	char *s = line;
	while (n < 4) {
		while (*s == ' ')
			s++;
		f[n++] = s;
		char *c = strchr(s, ',');
		if (c)
			*c = '\0';
		size_t l = strlen(f[n - 1]);
		while (l && (f[n - 1][l - 1] == ' ' || f[n - 1][l - 1] == '\r'))
			f[n - 1][--l] = '\0';
		if (l >= 2 && f[n - 1][0] == '"' && f[n - 1][l - 1] == '"') {
			f[n - 1][l - 1] = '\0';
			f[n - 1]++;
		}
		if (!c)
			break;
		s = c + 1;
	}
	return n;
}

void
api_accounts_entries_create(struct http_req *req)
{
	struct account_row a;
	struct touched t = {0};
	struct account_statement st;
	char *body = NULL, day[11], why[200];
	json_object *in = NULL;
	long added = 0, known = 0;
	int64_t minor;
	cb_err e;

	if (strcmp(req->who.scope, "ADMIN")) {
		http_drain_body(req);
		forbidden(req, "only ADMIN keeps the ledger");
		return;
	}
	if (!path_account(req, &a, true)) {
		http_drain_body(req);
		return;
	}
	const char *ct = http_param(req, "CONTENT_TYPE");
	bool csv = ct && strncasecmp(ct, "text/csv", 8) == 0;
	if (csv) {
		if (!http_text_body(req, req->cfg->json_max_bytes, &body))
			return;
	} else if (!http_json_body(req, &in))
		return;
	if (!api_begin(req))
		goto done;
	if (!csv) {
		const char *err = entry_check(api_member(in, "date"),
		    api_member(in, "kind"), json_object_get_string(
		    json_object_object_get(in, "amount")), api_member(in, "reference"),
		    day, &minor);
		if (err) {
			api_rollback(req);
			http_problem(req, 400, "validation", "Bad Request", err);
			goto done;
		}
		e = account_entries_insert(req->db, a.id, day, api_member(in, "kind"),
		    minor, api_member(in, "reference"));
		if (e == CB_OK)
			added++;
		else if (e == CB_EEXIST)
			known++;
		else
			goto fail;
		touch(&t, day);
	} else {
		long lineno = 0;
		for (char *save, *line = strtok_r(body, "\n", &save); line;
		    line = strtok_r(NULL, "\n", &save)) {
			char *f[4] = {0};
			lineno++;
			if (!*line || *line == '\r')
				continue;
			int n = csv_fields(line, f);
			if (lineno == 1 && !strcasecmp(f[0], "date"))
				continue; /* a header */
			const char *err = n < 3 ? "expected date,kind,amount[,reference]" :
			    entry_check(f[0], f[1], f[2], n > 3 && *f[3] ? f[3] : NULL,
			    day, &minor);
			if (err) {
				api_rollback(req);
				snprintf(why, sizeof why, "line %ld: %s", lineno, err);
				http_problem(req, 400, "validation", "Bad Request", why);
				goto done;
			}
			e = account_entries_insert(req->db, a.id, day, f[1], minor,
			    n > 3 && *f[3] ? f[3] : NULL);
			if (e == CB_OK)
				added++;
			else if (e == CB_EEXIST)
				known++; /* imported before: counted once */
			else
				goto fail;
			touch(&t, day);
		}
	}
	if (t.more) {
		api_rollback(req);
		http_problem(req, 400, "validation", "Bad Request",
		    "at most 64 different days in one import");
		goto done;
	}
	json_object *days = jx_array();
	for (int i = 0; i < t.n; i++) {
		if ((e = statement_refresh(req->db, a.id, t.days[i], &st)) != CB_OK) {
			json_object_put(days);
			goto fail;
		}
		jx_push(days, statement_json(&st));
	}
	if (!api_commit(req)) {
		json_object_put(days);
		goto done;
	}
	json_object *o = api_wrap("added", jx_int64(added));
	jx_add(o, "known", jx_int64(known));
	jx_add(o, "statements", days);
	http_json(req, 201, o, NULL);
	json_object_put(o);
	goto done;
fail:
	api_rollback(req);
	http_fail(req, e);
done:
	free(body);
	json_object_put(in);
}

static cb_err
add_entry(const struct account_entry_row *r, void *arg)
{
	json_object *o = jx_object();
	jx_add(o, "id", jx_int64(r->id));
	jx_add(o, "date", jx_string(r->day));
	jx_add(o, "kind", jx_string(r->kind));
	jx_add(o, "amount", amount_json(r->amount_minor));
	jx_add(o, "reference", api_str_or_null(r->reference));
	jx_push(arg, o);
	return CB_OK;
}

void
api_accounts_entries_list(struct http_req *req)
{
	struct account_row a;
	char day[11];
	if (!path_account(req, &a, false) || !query_day(req, false, day))
		return;
	json_object *arr = jx_array();
	cb_err e = account_entries_list(req->db, a.id, day[0] ? day : NULL,
	    add_entry, arr);
	if (e != CB_OK) {
		json_object_put(arr);
		http_fail(req, e);
		return;
	}
	json_object *o = api_wrap("entries", arr);
	http_json(req, 200, o, NULL);
	json_object_put(o);
}
