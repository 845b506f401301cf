/* profiles_api.c — /api/bank-statement-profiles: the CSV, XLSX and XLS
 * layouts of the banks an installation's clients export from, registered
 * as data (admins): a JSON body whose members are the profile file's keys
 * in camelCase (columns as positions or header names), kept as the file's
 * own text so that bank/csv.c reads both the same way (and checks them:
 * a 422 names the member it refused).  A separator, decimal mark or date
 * format not given is told from each file (bank/csv_detect.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/common.h"
#include "bank/csv.h"
#include "http/validate.h"
#include "store/statement_profiles.h"
#include "util/jsonx.h"

/* JSON member, profile key. */
static const char *const keys[][2] = {
	{"separator", "separator"}, {"quote", "quote"}, {"encoding", "encoding"},
	{"decimal", "decimal"}, {"thousands", "thousands"},
	{"dateFormat", "date_format"}, {"amount", "amount"},
	{"dcCredit", "dc_credit"}, {"dateColumn", "date_column"},
	{"valueDateColumn", "value_date_column"},
	{"amountColumn", "amount_column"}, {"debitColumn", "debit_column"},
	{"creditColumn", "credit_column"}, {"dcColumn", "dc_column"},
	{"referenceColumn", "reference_column"},
	{"descriptionColumn", "description_column"},
	{"partyColumn", "party_column"}, {"balanceColumn", "balance_column"},
	{"partyAccountColumn", "party_account_column"},
	{"accountColumn", "account_column"},
	{"currencyColumn", "currency_column"},
	{"skipHeader", "skip_header"}, {"skipFooter", "skip_footer"},
	{"balance", "balance"},
	{"account", "account"}, {"currency", "currency"},
};
#define NKEYS (sizeof keys / sizeof keys[0])

static const char *const amounts[] = {"signed", "debit_credit", "dc_column",
    NULL};
static const char *const encodings[] = {"utf-8", "latin-1", "windows-1252",
    "cp852", NULL};
static const char *const balances[] = {"after", "before", NULL};
static const char *const quotes[] = {"\"", "'", "none", NULL};

static const struct field_rule profile_rules[] = {
	{"name", FIELD_STRING, true, PROFILE_NAME_MAX, NULL, 0, 0},
	{"separator", FIELD_STRING, false, 5, NULL, 0, 0},
	{"quote", FIELD_STRING, false, 0, quotes, 0, 0},
	{"encoding", FIELD_STRING, false, 0, encodings, 0, 0},
	{"decimal", FIELD_STRING, false, 1, NULL, 0, 0},
	{"thousands", FIELD_STRING, false, 5, NULL, 0, 0},
	{"dateFormat", FIELD_STRING, false, 15, NULL, 0, 0},
	{"amount", FIELD_STRING, false, 0, amounts, 0, 0},
	{"dcCredit", FIELD_STRING, false, 7, NULL, 0, 0},
	/* Columns: a 1-based position or the header's name (column_text). */
	{"dateColumn", FIELD_ANY, true, 0, NULL, 0, 0},
	{"valueDateColumn", FIELD_ANY, false, 0, NULL, 0, 0},
	{"amountColumn", FIELD_ANY, false, 0, NULL, 0, 0},
	{"debitColumn", FIELD_ANY, false, 0, NULL, 0, 0},
	{"creditColumn", FIELD_ANY, false, 0, NULL, 0, 0},
	{"dcColumn", FIELD_ANY, false, 0, NULL, 0, 0},
	{"referenceColumn", FIELD_ANY, false, 0, NULL, 0, 0},
	{"descriptionColumn", FIELD_ANY, false, 0, NULL, 0, 0},
	{"partyColumn", FIELD_ANY, false, 0, NULL, 0, 0},
	{"balanceColumn", FIELD_ANY, false, 0, NULL, 0, 0},
	{"partyAccountColumn", FIELD_ANY, false, 0, NULL, 0, 0},
	{"accountColumn", FIELD_ANY, false, 0, NULL, 0, 0},
	{"currencyColumn", FIELD_ANY, false, 0, NULL, 0, 0},
	{"balance", FIELD_STRING, false, 0, balances, 0, 0},
	{"skipHeader", FIELD_INT, false, 0, NULL, 0, 1000},
	{"skipFooter", FIELD_INT, false, 0, NULL, 0, 1000},
	{"account", FIELD_STRING, false, 63, NULL, 0, 0},
	{"currency", FIELD_STRING, false, 3, NULL, 0, 0},
};

/* A column member's value as the profile file writes it: a position
 * 1–64, a header name, or (the description) a list of them joined by
 * " | ".  NULL with why when it is none of these. */
static const char *
column_text(json_object *v, bool list, char *out, size_t len,
    const char **why)
{
	size_t u = 0;
	bool arr = json_object_is_type(v, json_type_array);
	int n = arr ? (int)json_object_array_length(v) : 1;
	if ((arr && !list) || n < 1 || n > CSV_MAX_JOINED) {
		*why = list ? "1 to 4 columns" : "one column";
		return NULL;
	}
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		json_object *c = arr ? json_object_array_get_idx(v, (size_t)i) : v;
		if (json_object_is_type(c, json_type_int)) {
			int64_t k = json_object_get_int64(c);
			if (k < 1 || k > CSV_MAX_COLUMNS) {
				*why = "a position from 1 to 64";
				return NULL;
			}
			u += (size_t)snprintf(out + u, len - u, "%s%lld", i ? " | " : "",
			    (long long)k);
		} else if (json_object_is_type(c, json_type_string)) {
			const char *t = json_object_get_string(c);
			size_t l = strlen(t);
			if (!l || l >= CSV_NAME_MAX || strpbrk(t, "|\r\n") ||
			    (*t >= '0' && *t <= '9')) {
				*why = "a header name: 1 to 47 bytes, not starting with a"
				    " digit, without '|' or a line break";
				return NULL;
			}
			u += (size_t)snprintf(out + u, len - u, "%s%s", i ? " | " : "", t);
		} else {
			*why = list ? "a position, a header name, or a list of them" :
			    "a position (1 to 64) or a header name";
			return NULL;
		}
		if (u >= len) {
			*why = "too long";
			return NULL;
		}
	}
	return out;
}

static bool
name_ok(const char *n)
{
	size_t l = strlen(n);
	return l && l <= PROFILE_NAME_MAX &&
	    strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789_-") == l;
}

/* The JSON member a profile key (in csv_profile_parse's why) came from. */
static const char *
member_of(const char *why)
{
	const char *best = NULL;
	size_t len = 0;
	/* The longest key named ("amount_column", not "amount"). */
	for (size_t i = 0; i < NKEYS; i++)
		if (strstr(why, keys[i][1]) && strlen(keys[i][1]) > len) {
			best = keys[i][0];
			len = strlen(keys[i][1]);
		}
	return best;
}

/* A key's text back as its member: numbers for positions and counts,
 * names as text, the description's columns as a list when several. */
static json_object *
one_value(const char *v, bool counted)
{
	return counted && *v >= '0' && *v <= '9' ? jx_int64(strtoll(v, NULL,
	    10)) : jx_string(v);
}

static json_object *
member_value(const char *key, const char *v)
{
	bool counted = strstr(key, "column") || strstr(key, "skip_");
	if (!strstr(v, " | "))
		return one_value(v, counted);
	json_object *a = jx_array();
	char part[256];
	for (const char *s = v; *s;) {
		const char *bar = strstr(s, " | ");
		size_t n = bar ? (size_t)(bar - s) : strlen(s);
		snprintf(part, sizeof part, "%.*s", (int)n, s);
		jx_push(a, one_value(part, counted));
		s += n + (bar ? 3 : 0);
	}
	return a;
}

/* A stored key back as its member (keys of other versions passed over). */
static bool
add_member(void *arg, const char *key, const char *value, char *why,
    size_t whylen)
{
	(void)why;
	(void)whylen;
	for (size_t i = 0; i < NKEYS; i++)
		if (!strcmp(key, keys[i][1]))
			jx_add(arg, keys[i][0], member_value(key, value));
	return true;
}

static json_object *
profile_json(const struct statement_profile_row *r)
{
	char why[200];
	json_object *o = jx_object();
	jx_add(o, "name", jx_string(r->name));
	/* The body is the profile's own text, read as bank/csv.c reads it;
	 * checked when it was stored, so a line it cannot read is news. */
	if (!csv_profile_each(r->body, add_member, o, why, sizeof why))
		jx_add(o, "unreadable", jx_string(why));
	jx_add(o, "createdAt", api_time(r->created_at));
	return o;
}

void
api_profiles_create(struct http_req *req)
{
	json_object *in = NULL, *v;
	struct problem p;
	char body[4096], why[200];
	size_t u = 0;
	int64_t id;
	if (!http_json_body(req, &in))
		return;
	problem_init_invalid(&p);
	VALIDATE_OBJECT(in, profile_rules, &p);
	const char *name = api_member(in, "name");
	if (name && !name_ok(name))
		problem_field(&p, "name", "invalid", "1 to 32 of a-z, 0-9, '_', '-'");
	for (size_t i = 0; i < NKEYS; i++) {
		if (!json_object_object_get_ex(in, keys[i][0], &v) ||
		    json_object_is_type(v, json_type_null))
			continue;
		const char *t = json_object_get_string(v);
		char col[256];
		if (strstr(keys[i][1], "_column")) {
			const char *why_col = NULL;
			if (!(t = column_text(v, !strcmp(keys[i][1], "description_column"),
			    col, sizeof col, &why_col))) {
				problem_field(&p, keys[i][0], "invalid", why_col);
				continue;
			}
		}
		/* One line each: a member cannot add another key. */
		if (strpbrk(t, "\r\n")) {
			problem_field(&p, keys[i][0], "invalid", "one line");
			continue;
		}
		u += (size_t)snprintf(body + u, u < sizeof body ? sizeof body - u : 0,
		    "%s = %s\n", keys[i][1], t);
	}
	/* What the client does not say is told from each file. */
	static const char *const auto_keys[][2] = {{"separator", "separator"},
	    {"decimal", "decimal"}, {"dateFormat", "date_format"}};
	for (size_t i = 0; i < 3; i++)
		if (!json_object_object_get_ex(in, auto_keys[i][0], &v) ||
		    json_object_is_type(v, json_type_null))
			u += (size_t)snprintf(body + u, u < sizeof body ? sizeof body - u :
			    0, "%s = auto\n", auto_keys[i][1]);
	struct csv_profile prof;
	if (!problem_count(&p) && u < sizeof body && !csv_profile_parse(body,
	    name, &prof, why, sizeof why)) {
		const char *m = member_of(why);
		/* "line 3: bad value for decimal" says more than needed here. */
		const char *detail = strncmp(why, "line ", 5) ? why :
		    strstr(why, ": ") ? strstr(why, ": ") + 2 : why;
		problem_field(&p, m ? m : "name", m ? "invalid" : "invalid_profile",
		    detail);
	}
	if (problem_count(&p)) {
		http_send_problem(req, &p, NULL);
		goto done;
	}
	cb_err e = statement_profiles_insert(req->db, name, body, req->who.key_id,
	    &id);
	if (e == CB_EEXIST) {
		problem_field(&p, "name", "taken", "a profile by that name exists");
		http_send_problem(req, &p, NULL);
		goto done;
	}
	struct statement_profile_row row;
	if (e != CB_OK || (e = statement_profiles_get(req->db, name, &row)) !=
	    CB_OK) {
		http_fail(req, e);
		goto done;
	}
	char target[64], loc[96];
	snprintf(target, sizeof target, "bank_statement_profile:%s", name);
	api_activity(req, target, body);
	snprintf(loc, sizeof loc, "Location: /api/bank-statement-profiles/%s\r\n",
	    name);
	json_object *o = api_wrap("profile", profile_json(&row));
	statement_profile_row_release(&row);
	http_json(req, 201, o, loc);
	json_object_put(o);
done:
	problem_free(&p);
	json_object_put(in);
}

static cb_err
add_profile(const struct statement_profile_row *r, void *arg)
{
	jx_push(arg, profile_json(r));
	return CB_OK;
}

void
api_profiles_list(struct http_req *req)
{
	json_object *list = jx_array();
	cb_err e = statement_profiles_list(req->db, add_profile, list);
	if (e != CB_OK) {
		json_object_put(list);
		http_fail(req, e);
		return;
	}
	json_object *o = api_wrap("profiles", list);
	http_json(req, 200, o, NULL);
	json_object_put(o);
}

/* The {name} of the path, or a 404 (a name that cannot exist). */
static bool
path_name(struct http_req *req, char *out)
{
	const char *n = route_param(&req->params, "name");
	if (!n || !name_ok(n)) {
		http_problem(req, 404, "not-found", "Not Found", "no such resource");
		return false;
	}
	snprintf(out, PROFILE_NAME_MAX + 1, "%s", n);
	return true;
}

void
api_profiles_get(struct http_req *req)
{
	char name[PROFILE_NAME_MAX + 1];
	struct statement_profile_row row;
	if (!path_name(req, name))
		return;
	cb_err e = statement_profiles_get(req->db, name, &row);
	if (e != CB_OK) {
		http_fail(req, e);
		return;
	}
	json_object *o = api_wrap("profile", profile_json(&row));
	statement_profile_row_release(&row);
	http_json(req, 200, o, NULL);
	json_object_put(o);
}

void
api_profiles_delete(struct http_req *req)
{
	char name[PROFILE_NAME_MAX + 1], target[64];
	if (!path_name(req, name))
		return;
	cb_err e = statement_profiles_delete(req->db, name);
	if (e != CB_OK) {
		http_fail(req, e);
		return;
	}
	snprintf(target, sizeof target, "bank_statement_profile:%s", name);
	api_activity(req, target, NULL);
	http_no_content(req);
}
