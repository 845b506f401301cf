/* import.c — see import.h.
 *
 * One import is one transaction: a file that turns out broken half way
 * leaves nothing behind (and can be sent again), while single entries the
 * readers refuse are listed in the report and do not stop the rest. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "bank/camt.h"
#include "bank/csv.h"
#include "bank/xls.h"
#include "bank/xlsx.h"
#include "bank/mt940.h"
#include "bank/zip.h"
#include "core/bank_number.h"
#include "core/money.h"
#include "crypto/crypto.h"
#include "jobs/import.h"
#include "jobs/match_job.h"
#include "jobs/reconcile_record.h"
#include "storage/storage.h"
#include "store/bank.h"
#include "store/matching.h"
#include "store/payment_status.h"
#include "store/statement_profiles.h"
#include "util/log.h"
#include "util/jsonx.h"

#define MAX_REJECTIONS 200
/* Movements stored by one statement: round trips, not rows, are what an
 * import of a million costs. */
#define IMPORT_BATCH 500

/* Occurrences of identical movements, per statement: an open-addressing
 * table of 64-bit hashes. */
struct seen {
	uint64_t *keys;
	unsigned *counts;
	size_t cap, n;
};

static unsigned
seen_bump(struct seen *s, uint64_t k)
{
	if (s->n * 2 >= s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		uint64_t *keys = calloc(cap, sizeof *keys);
		unsigned *counts = calloc(cap, sizeof *counts);
		if (!keys || !counts) {
			free(keys);
			free(counts);
			return 0;
		}
		for (size_t i = 0; i < s->cap; i++)
			if (s->counts[i]) {
				size_t j = s->keys[i] & (cap - 1);
				while (counts[j])
					j = (j + 1) & (cap - 1);
				keys[j] = s->keys[i];
				counts[j] = s->counts[i];
			}
		free(s->keys);
		free(s->counts);
		s->keys = keys;
		s->counts = counts;
		s->cap = cap;
	}
	size_t j = k & (s->cap - 1);
	while (s->counts[j] && s->keys[j] != k)
		j = (j + 1) & (s->cap - 1);
	if (!s->counts[j]) {
		s->keys[j] = k;
		s->n++;
	}
	return s->counts[j]++;
}

static void
seen_clear(struct seen *s)
{
	free(s->keys);
	free(s->counts);
	memset(s, 0, sizeof *s);
}

struct import {
	struct db_conn *db;
	int64_t import_id;
	/* the current statement */
	bool skip;                 /* its account is unknown */
	struct bank_account_row acct;
	int64_t statement_id;
	int exponent;
	struct dec running;        /* opening + booked movements */
	bool running_lost;         /* the sum overflowed: balance unknown */
	char first[11], last[11];
	long s_entries, s_new, s_known, s_rejected;
	struct seen seen;
	json_object *cur;          /* its report object */
	json_object *batch;        /* its movements not stored yet */
	/* the whole file */
	long entries, added, known, rejected, reversed, warned, conflicted;
	json_object *statements, *rejections, *reversals, *warnings, *conflicts;
	cb_err failed;             /* a database error: stop */
};

/* {"where", "why"} onto a report's list, up to MAX_REJECTIONS of them
 * (the count says how many there were). */
static void
note(json_object *list, const char *where, const char *why)
{
	if (json_object_array_length(list) < MAX_REJECTIONS) {
		json_object *r = jx_object();
		jx_add(r, "where", jx_string(where));
		jx_add(r, "why", jx_string(why));
		jx_push(list, r);
	}
}

static cb_err
note_rejection(struct import *im, const char *where, const char *why)
{
	im->rejected++;
	if (im->cur)
		im->s_rejected++;
	note(im->rejections, where, why);
	return CB_OK;
}

static cb_err
on_reject(void *arg, const char *where, const char *why)
{
	return note_rejection(arg, where, why);
}

static cb_err
on_warn(void *arg, const char *where, const char *why)
{
	struct import *im = arg;
	im->warned++;
	note(im->warnings, where, why);
	return CB_OK;
}

/* A movement stored beside another of the account with the same bank
 * reference and another amount or sign: both are kept, and said. */
static cb_err
on_conflict(void *arg, int64_t id, int64_t other, const char *ref)
{
	struct import *im = arg;
	im->conflicted++;
	json_object *o = jx_object();
	jx_add(o, "movementId", jx_int64(id));
	jx_add(o, "sameReferenceAs", jx_int64(other));
	jx_add(o, "reference", jx_string(ref));
	jx_push(im->conflicts, o);
	return CB_OK;
}

/* The registered account a statement names: its whole id, or (MT940's
 * "BANKCODE/ACCOUNT") the part after the last '/'. */
static cb_err
find_account(struct import *im, const struct stmt_header *h)
{
	char norm[80];
	const char *ccy = h->currency[0] ? h->currency : NULL;
	bank_number_norm(h->account, norm, sizeof norm);
	cb_err e = norm[0] ? bank_accounts_by_number(im->db, norm, ccy, &im->acct) :
	    CB_ENOTFOUND;
	const char *slash = strrchr(h->account, '/');
	if (e == CB_ENOTFOUND && slash) {
		bank_number_norm(slash + 1, norm, sizeof norm);
		e = bank_accounts_by_number(im->db, norm, ccy, &im->acct);
	}
	return e;
}

static cb_err
on_begin(void *arg, const struct stmt_header *h)
{
	struct import *im = arg;
	char why[200], open[40];
	im->skip = false;
	im->s_entries = im->s_new = im->s_known = im->s_rejected = 0;
	im->first[0] = im->last[0] = '\0';
	seen_clear(&im->seen);
	im->cur = jx_object();
	jx_push(im->statements, im->cur);
	jx_add(im->cur, "reference", jx_string(h->id));
	jx_add(im->cur, "format", jx_string(h->format));
	jx_add(im->cur, "account", jx_string(h->account));
	jx_add(im->cur, "currency", h->currency[0] ? jx_string(h->currency) :
	    NULL);
	cb_err e = find_account(im, h);
	if (e == CB_ENOTFOUND || e == CB_EEXIST || (e == CB_OK && !im->acct.active)) {
		snprintf(why, sizeof why, e == CB_EEXIST ? "account %.60s is registered"
		    " in several currencies and the statement names none" : e == CB_OK ?
		    "bank account %.60s is not active" : "account %.60s%s%s is not a"
		    " registered bank account", h->account, h->currency[0] ? " " : "",
		    h->currency);
		im->skip = true;
		jx_add(im->cur, "error", jx_string(why));
		return CB_OK;
	}
	if (e != CB_OK)
		return im->failed = e;
	im->exponent = currency_exponent(im->acct.currency);
	jx_add(im->cur, "bankAccountId",
	    jx_string(im->acct.public_id));
	if (h->has_opening) {
		dec_format(&h->opening, open, sizeof open);
		jx_add(im->cur, "opening", jx_string(open));
		jx_add(im->cur, "openingDate", h->opening_date[0] ?
		    jx_string(h->opening_date) : NULL);
	}
	im->running = h->has_opening ? h->opening : (struct dec){0, 0};
	im->running_lost = false;
	struct bank_statement_fields f = {.import_id = im->import_id,
	    .account_id = im->acct.id, .format = h->format, .stmt_ref = h->id,
	    .opening = h->has_opening ? open : NULL,
	    .opening_date = h->opening_date};
	if ((e = bank_statements_insert(im->db, &f, &im->statement_id)) != CB_OK)
		return im->failed = e;
	return CB_OK;
}

static const char *
status_name(enum stmt_status s)
{
	return s == STMT_BOOKED ? "booked" : s == STMT_PENDING ? "pending" :
	    s == STMT_INFO ? "info" : "other";
}

/* FNV-1a over the parts that make two movements the same. */
static uint64_t
fnv(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	h ^= 0x1f;
	return h * 1099511628211ULL;
}

/* n movements stored, added of them new. */
static void
count(struct import *im, long n, long added)
{
	im->added += added;
	im->s_new += added;
	im->known += n - added;
	im->s_known += n - added;
}

/* The buffered movements, in one statement. */
static cb_err
flush(struct import *im)
{
	uint64_t added;
	size_t n = json_object_array_length(im->batch);
	if (!n)
		return CB_OK;
	cb_err e = bank_movements_insert_many(im->db, im->acct.id,
	    im->statement_id, im->batch, &added);
	json_object_put(im->batch);
	im->batch = jx_array();
	if (e == CB_OK)
		count(im, (long)n, (long)added);
	return e;
}

/* A new booked reversal: the movement it undoes is marked, and a payment
 * reconciled with it goes back to where it was before, saying why; one
 * already applied to its invoice becomes reversado, the invoice's balance
 * owed again. */
static cb_err
reverse(struct import *im, int64_t id, const struct bank_movement_fields *f)
{
	int64_t orig, pay;
	struct reconcile_diff d;
	char why[200];
	bool done;
	cb_err e = bank_movements_reverse(im->db, id, f, &orig, &pay);
	if (e != CB_OK)
		return e;
	json_object *o = jx_object();
	jx_add(o, "movementId", jx_int64(id));
	jx_add(o, "reverses", orig ? jx_int64(orig) :
	    NULL);
	jx_add(o, "paymentId", pay ? jx_int64(pay) :
	    NULL);
	im->reversed++;
	if (json_object_array_length(im->reversals) < MAX_REJECTIONS)
		jx_push(im->reversals, o);
	else
		json_object_put(o), o = NULL;
	if (!pay)
		return CB_OK;
	snprintf(why, sizeof why, "the bank reversed movement %lld on %s"
	    " (reversal movement %lld)", (long long)orig, f->booking_date,
	    (long long)id);
	struct payment_event who = {.actor_type = "system",
	    .actor_id = IMPORT_JOB_KIND, .actor_name = "bank statement import"};
	if ((e = reconcile_undo(im->db, pay, 0, false, &who, why, &d, NULL,
	    &done)) != CB_OK)
		return e;
	const char *now_status = done ? d.to_status : NULL;
	struct payment_row row;
	if (!done) {
		who.reason = why;
		if ((e = payments_change_status(im->db, pay, PS_REVERSADO, "aplicado",
		    0, &who, &done, &row)) != CB_OK)
			return e;
		if (done)
			now_status = "reversado";
		payment_row_release(&row);
	}
	if (o)
		jx_add(o, "paymentStatus", now_status ?
		    jx_string(now_status) : NULL);
	return CB_OK;
}

static cb_err
on_entry(void *arg, const struct stmt_header *h, const struct stmt_entry *x)
{
	struct import *im = arg;
	char amount[40], key_src[512], key[SHA256_HEX_LEN + 1], where[96];
	(void)h;
	im->entries++;
	if (im->skip) {
		im->s_rejected++;
		im->rejected++;
		return CB_OK;
	}
	im->s_entries++;
	if (strcmp(x->currency, im->acct.currency) != 0) {
		snprintf(where, sizeof where, "%.40s entry #%d", h->id, x->index + 1);
		char why[96];
		snprintf(why, sizeof why, "currency %s is not the account's %s",
		    x->currency, im->acct.currency);
		return note_rejection(im, where, why);
	}
	dec_format(&x->amount, amount, sizeof amount);
	/* What makes a line the same line: the bank's own id with the amount,
	 * sign and days it carries (a reference two lines share, or one that
	 * comes back with another amount, is not the same line: both are
	 * kept, and said); else what the movement is.  Then which occurrence
	 * of that it is in its statement, so that two equal lines of one
	 * statement are two movements, while the same statement sent again,
	 * or a day's report followed by its statement, adds nothing. */
	if (x->svcr_ref[0]) {
		struct dec canon;
		char ca[40];
		if (dec_mul_int(&x->amount, 1, &canon) != CB_OK)
			canon = x->amount;
		dec_format(&canon, ca, sizeof ca);
		/* sql/015_statements.sql computes the same for old rows. */
		snprintf(key_src, sizeof key_src, "ref|%s|%c|%s|%s|%s|%s",
		    x->svcr_ref, x->credit ? 'C' : 'D', ca, x->booking_date,
		    x->value_date, x->reversal ? "R" : "");
	} else
		snprintf(key_src, sizeof key_src, "%s|%c|%s|%s|%s|%s|%s",
		    x->booking_date, x->credit ? 'C' : 'D', amount, x->tx_id,
		    x->end_to_end, x->entry_ref, x->reversal ? "R" : "");
	uint64_t hh = fnv(1469598103934665603ULL, key_src);
	unsigned occ = seen_bump(&im->seen, hh);
	size_t u = strlen(key_src);
	snprintf(key_src + u, sizeof key_src - u, "|#%u", occ);
	cb_err e = crypto_sha256_hex(key_src, strlen(key_src), key);
	if (e != CB_OK)
		return im->failed = e;
	int64_t minor = 0;
	bool exact = dec_to_minor(&x->amount, im->exponent, &minor);
	struct bank_movement_fields f = {.account_id = im->acct.id,
	    .statement_id = im->statement_id, .dedup_key = key,
	    .booking_date = x->booking_date, .value_date = x->value_date,
	    .amount = amount, .has_minor = exact, .amount_minor = minor,
	    .currency = x->currency, .status = status_name(x->status),
	    .credit = x->credit, .reversal = x->reversal, .svcr_ref = x->svcr_ref,
	    .entry_ref = x->entry_ref, .end_to_end = x->end_to_end,
	    .tx_id = x->tx_id, .party_name = x->party_name,
	    .party_id = x->party_id, .party_account = x->party_account,
	    .info = x->info, .tx_code = x->tx_code, .raw = x->raw,
	    .entry_svcr_ref = x->entry_svcr_ref, .creditor_ref = x->creditor_ref};
	if (x->reversal && x->status == STMT_BOOKED) {
		/* Rare, and what it undoes may be in the batch: alone, after it. */
		bool added;
		int64_t id;
		if ((e = flush(im)) != CB_OK ||
		    (e = bank_movements_insert(im->db, &f, &added, &id)) != CB_OK)
			return im->failed = e;
		count(im, 1, added);
		if (added && (e = reverse(im, id, &f)) != CB_OK)
			return im->failed = e;
	} else {
		jx_push(im->batch, bank_movement_json(&f));
		if (json_object_array_length(im->batch) >= IMPORT_BATCH &&
		    (e = flush(im)) != CB_OK)
			return im->failed = e;
	}
	if (x->status == STMT_BOOKED) {
		struct dec signed_amt = x->amount;
		if (!x->credit)
			signed_amt.units = -signed_amt.units;
		if (dec_add(&im->running, &signed_amt, &im->running) != CB_OK)
			im->running_lost = true;
	}
	if (!im->first[0] || strcmp(x->booking_date, im->first) < 0)
		memcpy(im->first, x->booking_date, sizeof im->first);
	if (strcmp(x->booking_date, im->last) > 0)
		memcpy(im->last, x->booking_date, sizeof im->last);
	return CB_OK;
}

static cb_err
on_end(void *arg, const struct stmt_header *h)
{
	struct import *im = arg;
	char closing[40], gap[40];
	json_object *o = im->cur;
	if (!o)
		return CB_OK;
	cb_err fe = flush(im);
	if (fe != CB_OK)
		return im->failed = fe;
	int room = MAX_REJECTIONS - (int)json_object_array_length(im->conflicts);
	if (!im->skip && room > 0 && (fe = bank_movements_ref_conflicts(im->db,
	    im->statement_id, room, on_conflict, im)) != CB_OK)
		return im->failed = fe;
	jx_add(o, "entries", jx_int64(im->s_entries +
	    (im->skip ? im->s_rejected : 0)));
	jx_add(o, "new", jx_int64(im->s_new));
	jx_add(o, "known", jx_int64(im->s_known));
	jx_add(o, "rejected", jx_int64(im->s_rejected));
	if (im->skip) {
		im->cur = NULL;
		return CB_OK;
	}
	bool both = h->has_opening && h->has_closing;
	struct dec g = {0, 0};
	if (h->has_closing)
		dec_format(&h->closing, closing, sizeof closing);
	if (both) {
		struct dec neg = im->running;
		neg.units = -neg.units;
		/* A sum past what we can hold is no balance: said, not faked. */
		if (im->running_lost || dec_add(&h->closing, &neg, &g) != CB_OK) {
			both = false;
			jx_add(o, "warning", jx_string(
			    "the movements add up to more than can be checked; the"
			    " balance was not checked"));
		} else
			dec_format(&g, gap, sizeof gap);
	}
	char avail_open[40], avail_close[40];
	if (h->has_avail_opening)
		dec_format(&h->avail_opening, avail_open, sizeof avail_open);
	if (h->has_avail_closing)
		dec_format(&h->avail_closing, avail_close, sizeof avail_close);
	struct bank_statement_end end = {.closing = h->has_closing ? closing :
	    NULL, .closing_date = h->closing_date, .first_date = im->first,
	    .last_date = im->last, .gap = both ? gap : NULL,
	    .available_opening = h->has_avail_opening ? avail_open : NULL,
	    .available_closing = h->has_avail_closing ? avail_close : NULL,
	    .entries = (int)im->s_entries};
	cb_err e = bank_statements_finish(im->db, im->statement_id, &end);
	if (e != CB_OK)
		return im->failed = e;
	if (h->has_avail_closing)
		jx_add(o, "availableClosing", jx_string(avail_close));
	jx_add(o, "statementId", jx_int64(
	    im->statement_id));
	if (h->has_closing) {
		jx_add(o, "closing", jx_string(closing));
		jx_add(o, "closingDate", h->closing_date[0] ?
		    jx_string(h->closing_date) : NULL);
	}
	if (both) {
		/* Opening + movements = closing, or the gap says by how much not:
		 * reported, never fatal (a statement may be missing entries). */
		jx_add(o, "balanced", jx_bool(
		    g.units == 0));
		jx_add(o, "gap", jx_string(gap));
	} else
		jx_add(o, "balanced", NULL);
	im->cur = NULL;
	return CB_OK;
}

struct fd_src {
	int fd;
};

static long
fd_read(void *ctx, char *buf, size_t len)
{
	struct fd_src *s = ctx;
	for (;;) {
		ssize_t n = read(s->fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		return (long)n;
	}
}

enum import_format
import_sniff(const char *head, size_t n)
{
	size_t i = 0;
	if (n >= 3 && !memcmp(head, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' ||
	    head[i] == '\n' || head[i] == 0x01))
		i++;
	if (i < n && head[i] == '<')
		return IMPORT_CAMT;
	/* MT940: a line opening with a FIN block or ":20:", after whatever
	 * header lines, preamble or ":940:" a bank puts first. */
	for (size_t at = i; at < n;) {
		size_t left = n - at;
		if ((left >= 3 && !memcmp(head + at, "{1:", 3)) || (left >= 4 &&
		    !memcmp(head + at, ":20:", 4)) || (left < 4 && !memcmp(head + at,
		    ":20:", left) && at == i))
			return IMPORT_MT940;
		const char *nl = memchr(head + at, '\n', left);
		if (!nl)
			break;
		at = (size_t)(nl - head) + 1;
		if (at < n && head[at] == 0x1A)
			at++; /* DOS's end of file between messages */
	}
	return IMPORT_UNKNOWN;
}

cb_err
import_csv_profile(struct db_conn *db, const struct config *cfg,
    const char *name, struct csv_profile *out, char *why, size_t whylen)
{
	char path[1024], text[8192], msg[200];
	size_t n = strlen(name);
	if (!n || n > 32 || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_-") !=
	    n) {
		snprintf(why, whylen, "a profile name is 1 to 32 of a-z, 0-9, '_', '-'");
		return CB_EINVAL;
	}
	/* One registered through the API first, then the installation's
	 * files. */
	struct statement_profile_row row;
	cb_err e = db ? statement_profiles_get(db, name, &row) : CB_ENOTFOUND;
	if (e == CB_OK) {
		bool ok = csv_profile_parse(row.body, name, out, msg, sizeof msg);
		statement_profile_row_release(&row);
		if (ok)
			return CB_OK;
		snprintf(why, whylen, "CSV profile '%s': %s", name, msg);
		return CB_EINVAL;
	}
	if (e != CB_ENOTFOUND) {
		snprintf(why, whylen, "CSV profile '%s' cannot be read", name);
		return e;
	}
	snprintf(path, sizeof path, "%s/%s.conf", cfg->csv_profiles_dir, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, whylen, "no CSV profile '%s'", name);
		return CB_ENOTFOUND;
	}
	ssize_t r = read(fd, text, sizeof text - 1);
	close(fd);
	if (r < 0 || r == (ssize_t)sizeof text - 1) {
		snprintf(why, whylen, "CSV profile '%s' cannot be read", name);
		return CB_EINVAL;
	}
	text[r] = '\0';
	if (!csv_profile_parse(text, name, out, msg, sizeof msg)) {
		snprintf(why, whylen, "CSV profile '%s': %s", name, msg);
		return CB_EINVAL;
	}
	return CB_OK;
}

static const char *const format_names[] = {"", "camt", "mt940", "csv",
    "xlsx", "xls"};

enum import_format
import_sniff_profiled(const char *head, size_t n)
{
	return xlsx_sniff(head, n) ? IMPORT_XLSX : xls_sniff(head, n) ?
	    IMPORT_XLS : IMPORT_CSV;
}

/* The reader of format fmt into sink: a stream through rd/ctx, or a
 * workbook from its file fd (its parts are found by name, not in order;
 * one inside a zip has none and never comes here). */
static cb_err
read_with(enum import_format fmt, int fd, stmt_read_fn rd, void *ctx,
    long long max_bytes, const struct csv_profile *profile,
    const struct stmt_sink *sink, char *err, size_t errlen)
{
	switch (fmt) {
	case IMPORT_CAMT:
		return camt_read(rd, ctx, max_bytes, sink, err, errlen);
	case IMPORT_MT940:
		return mt940_read(rd, ctx, max_bytes, sink, err, errlen);
	case IMPORT_XLSX:
		return xlsx_read(fd, max_bytes, profile, sink, err, errlen);
	case IMPORT_XLS:
		return xls_read(fd, max_bytes, profile, sink, err, errlen);
	default:
		return csv_read(rd, ctx, max_bytes, profile, sink, err, errlen);
	}
}

/* Reads one statement file of format fmt into the import. */
static cb_err
read_one(struct import *im, enum import_format fmt, int fd, stmt_read_fn rd,
    void *ctx, long long max_bytes, const struct csv_profile *profile,
    char *err, size_t errlen)
{
	struct stmt_sink sink = {on_begin, on_entry, on_end, on_reject, on_warn,
	    im};
	cb_err e = read_with(fmt, fd, rd, ctx, max_bytes, profile, &sink, err,
	    errlen);
	return im->failed ? im->failed : e;
}

/* A file in a zip: its first bytes read to tell its format, then handed
 * to the reader again from the start. */
struct head_src {
	char head[512];
	size_t n, off;
	stmt_read_fn rd;
	void *ctx;
};

static long
head_read(void *ctx, char *buf, size_t len)
{
	struct head_src *h = ctx;
	if (h->off < h->n) {
		size_t k = h->n - h->off < len ? h->n - h->off : len;
		memcpy(buf, h->head + h->off, k);
		h->off += k;
		return (long)k;
	}
	return h->rd(h->ctx, buf, len);
}

struct zip_import {
	struct import *im;
	long long max_bytes;
	const struct csv_profile *profile;
	char *err;
	size_t errlen;
	json_object *files;
};

static cb_err
on_zip_file(void *arg, const char *name, stmt_read_fn rd, void *rctx)
{
	struct zip_import *z = arg;
	struct head_src h = {.rd = rd, .ctx = rctx};
	while (h.n < sizeof h.head) {
		long r = rd(rctx, h.head + h.n, sizeof h.head - h.n);
		if (r < 0)
			return CB_EIO;
		if (r == 0)
			break;
		h.n += (size_t)r;
	}
	enum import_format fmt = z->profile ? import_sniff_profiled(h.head, h.n) :
	    import_sniff(h.head, h.n);
	json_object *f = jx_object();
	jx_add(f, "name", jx_string(name));
	jx_add(f, "format", fmt == IMPORT_UNKNOWN ? NULL :
	    jx_string(format_names[fmt]));
	jx_push(z->files, f);
	/* A zip in the zip, a PDF, a readme: listed, not read. */
	if (fmt == IMPORT_UNKNOWN)
		return note_rejection(z->im, name,
		    "not a camt.05x (XML) or MT940 statement");
	if (fmt == IMPORT_XLSX || fmt == IMPORT_XLS)
		return note_rejection(z->im, name, "a workbook in a zip is not read:"
		    " send it on its own");
	cb_err e = read_one(z->im, fmt, -1, head_read, &h, z->max_bytes,
	    z->profile,
	    z->err, z->errlen);
	if (e != CB_OK && z->err[0]) {
		char why[400];
		snprintf(why, sizeof why, "%s", z->err);
		snprintf(z->err, z->errlen, "%.120s: %s", name, why);
	}
	return e;
}

cb_err
import_run(struct db_conn *db, int64_t import_id, int fd, long long max_bytes,
    const struct csv_profile *profile, char **report, char *err, size_t errlen)
{
	struct import im;
	char head[512];
	cb_err e;
	json_object *files = NULL;
	*report = NULL;
	err[0] = '\0';
	memset(&im, 0, sizeof im);
	im.db = db;
	im.import_id = import_id;
	im.statements = jx_array();
	im.rejections = jx_array();
	im.reversals = jx_array();
	im.warnings = jx_array();
	im.conflicts = jx_array();
	im.batch = jx_array();
	ssize_t n = pread(fd, head, sizeof head, 0);
	enum import_format fmt = profile && n > 0 ?
	    import_sniff_profiled(head, (size_t)n) : n > 0 ?
	    import_sniff(head, (size_t)n) : IMPORT_UNKNOWN;
	bool zip = n > 0 && fmt != IMPORT_XLSX && zip_sniff(head, (size_t)n);
	if (fmt == IMPORT_UNKNOWN && !zip) {
		snprintf(err, errlen, "not a camt.05x (XML) or MT940 statement, nor a"
		    " zip of them (a CSV statement needs its bank's profile)");
		e = CB_EINVAL;
		goto out;
	}
	if (lseek(fd, 0, SEEK_SET) < 0) {
		snprintf(err, errlen, "the statement file cannot be read");
		e = CB_EIO;
		goto out;
	}
	if ((e = db_begin(db)) != CB_OK)
		goto out;
	if (zip) {
		files = jx_array();
		struct zip_import z = {&im, max_bytes, profile, err, errlen, files};
		e = zip_each(fd, max_bytes, on_zip_file, &z, err, errlen);
		if (e == CB_OK && !json_object_array_length(im.statements)) {
			snprintf(err, errlen, "the zip holds no statement");
			e = CB_EINVAL;
		}
	} else {
		struct fd_src src = {fd};
		e = read_one(&im, fmt, fd, fd_read, &src, max_bytes, profile, err,
		    errlen);
	}
	/* A reader that ended without closing its last statement. */
	if (e == CB_OK && !im.failed)
		im.failed = flush(&im);
	if (im.failed)
		e = im.failed;
	if (e != CB_OK) {
		db_rollback(db);
		if (!err[0])
			snprintf(err, errlen, "%s", cb_strerror(e));
		goto out;
	}
	if ((e = db_commit(db)) != CB_OK)
		goto out;
	json_object *r = jx_object();
	jx_add(r, "format", jx_string(zip ? "zip" :
	    format_names[fmt]));
	if (files)
		jx_add(r, "files", json_object_get(files));
	jx_add(r, "statements", json_object_get(im.statements));
	jx_add(r, "entries", jx_int64(im.entries));
	jx_add(r, "new", jx_int64(im.added));
	jx_add(r, "known", jx_int64(im.known));
	jx_add(r, "rejected", jx_int64(im.rejected));
	jx_add(r, "rejections", json_object_get(im.rejections));
	jx_add(r, "reversed", jx_int64(im.reversed));
	jx_add(r, "reversals", json_object_get(im.reversals));
	/* Read otherwise than written (an impossible date, a balance in
	 * another currency), and references shared by different movements. */
	jx_add(r, "warned", jx_int64(im.warned));
	jx_add(r, "warnings", json_object_get(im.warnings));
	jx_add(r, "conflicted", jx_int64(im.conflicted));
	jx_add(r, "conflicts", json_object_get(im.conflicts));
	const char *s = json_object_to_json_string_ext(r, JSON_C_TO_STRING_PLAIN);
	*report = strdup(s);
	json_object_put(r);
	if (!*report)
		e = CB_ENOMEM;
out:
	json_object_put(files);
	seen_clear(&im.seen);
	json_object_put(im.statements);
	json_object_put(im.rejections);
	json_object_put(im.reversals);
	json_object_put(im.warnings);
	json_object_put(im.conflicts);
	json_object_put(im.batch);
	return e;
}

/* ---- a preview: what a file would give, nothing stored ---------------- */

#define PREVIEW_MOVEMENTS 100

struct preview {
	json_object *statements, *movements, *rejections, *warnings, *cur;
	long entries;
};

static cb_err
pv_begin(void *arg, const struct stmt_header *h)
{
	struct preview *pv = arg;
	pv->cur = jx_object();
	jx_add(pv->cur, "reference", jx_string(h->id));
	jx_add(pv->cur, "format", jx_string(h->format));
	jx_add(pv->cur, "account", jx_string(h->account));
	jx_add(pv->cur, "currency", h->currency[0] ? jx_string(h->currency) :
	    NULL);
	jx_push(pv->statements, pv->cur);
	return CB_OK;
}

static cb_err
pv_entry(void *arg, const struct stmt_header *h, const struct stmt_entry *x)
{
	struct preview *pv = arg;
	char amount[40];
	(void)h;
	pv->entries++;
	if (json_object_array_length(pv->movements) >= PREVIEW_MOVEMENTS)
		return CB_OK;
	json_object *o = jx_object(), *party = jx_object();
	dec_format(&x->amount, amount, sizeof amount);
	jx_add(o, "statement", jx_int64((int64_t)json_object_array_length(
	    pv->statements)));
	jx_add(o, "bookingDate", jx_string(x->booking_date));
	jx_add(o, "valueDate", x->value_date[0] ? jx_string(x->value_date) :
	    NULL);
	jx_add(o, "amount", jx_string(amount));
	jx_add(o, "currency", jx_string(x->currency));
	jx_add(o, "direction", jx_string(x->credit ? "credit" : "debit"));
	jx_add(o, "reversal", jx_bool(x->reversal));
	jx_add(o, "status", jx_string(status_name(x->status)));
	jx_add(o, "bankReference", x->svcr_ref[0] ? jx_string(x->svcr_ref) :
	    NULL);
	jx_add(o, "endToEndId", x->end_to_end[0] ? jx_string(x->end_to_end) :
	    NULL);
	jx_add(o, "transactionId", x->tx_id[0] ? jx_string(x->tx_id) : NULL);
	jx_add(party, "name", x->party_name[0] ? jx_string(x->party_name) : NULL);
	jx_add(party, "account", x->party_account[0] ?
	    jx_string(x->party_account) : NULL);
	jx_add(o, "party", party);
	jx_add(o, "information", x->info[0] ? jx_string(x->info) : NULL);
	jx_add(o, "raw", x->raw[0] ? jx_string(x->raw) : NULL);
	jx_push(pv->movements, o);
	return CB_OK;
}

static cb_err
pv_end(void *arg, const struct stmt_header *h)
{
	struct preview *pv = arg;
	char t[40];
	if (!pv->cur)
		return CB_OK;
	if (h->has_opening) {
		dec_format(&h->opening, t, sizeof t);
		jx_add(pv->cur, "opening", jx_string(t));
	}
	if (h->has_closing) {
		dec_format(&h->closing, t, sizeof t);
		jx_add(pv->cur, "closing", jx_string(t));
	}
	jx_add(pv->cur, "entries", jx_int64(h->entries));
	pv->cur = NULL;
	return CB_OK;
}

static cb_err
pv_reject(void *arg, const char *where, const char *why)
{
	note(((struct preview *)arg)->rejections, where, why);
	return CB_OK;
}

static cb_err
pv_warn(void *arg, const char *where, const char *why)
{
	note(((struct preview *)arg)->warnings, where, why);
	return CB_OK;
}

cb_err
import_preview(int fd, long long max_bytes, const struct csv_profile *profile,
    json_object **out, char *err, size_t errlen)
{
	char head[512];
	*out = NULL;
	err[0] = '\0';
	ssize_t n = pread(fd, head, sizeof head, 0);
	enum import_format fmt = profile && n > 0 ?
	    import_sniff_profiled(head, (size_t)n) : n > 0 ?
	    import_sniff(head, (size_t)n) : IMPORT_UNKNOWN;
	if (fmt == IMPORT_UNKNOWN) {
		snprintf(err, errlen, "a preview reads one camt.05x, MT940, or CSV,"
		    " XLSX or XLS (with its profile) statement file");
		return CB_EINVAL;
	}
	if (lseek(fd, 0, SEEK_SET) < 0)
		return CB_EIO;
	struct preview pv = {jx_array(), jx_array(), jx_array(), jx_array(), NULL,
	    0};
	struct stmt_sink sink = {pv_begin, pv_entry, pv_end, pv_reject, pv_warn,
	    &pv};
	struct fd_src src = {fd};
	cb_err e = read_with(fmt, fd, fd_read, &src, max_bytes, profile, &sink,
	    err, errlen);
	if (e == CB_OK) {
		json_object *r = jx_object();
		jx_add(r, "format", jx_string(format_names[fmt]));
		jx_add(r, "statements", pv.statements);
		jx_add(r, "entries", jx_int64(pv.entries));
		jx_add(r, "movements", pv.movements);
		jx_add(r, "shown", jx_int64((int64_t)json_object_array_length(
		    pv.movements)));
		jx_add(r, "rejections", pv.rejections);
		jx_add(r, "warnings", pv.warnings);
		*out = r;
		return CB_OK;
	}
	json_object_put(pv.statements);
	json_object_put(pv.movements);
	json_object_put(pv.rejections);
	json_object_put(pv.warnings);
	return e;
}

bool
import_report_whole(const char *report)
{
	json_object *r = report ? json_tokener_parse(report) : NULL, *st, *err;
	bool whole = true;
	if (r && json_object_object_get_ex(r, "statements", &st))
		for (size_t i = 0; i < json_object_array_length(st); i++)
			if (json_object_object_get_ex(json_object_array_get_idx(st, i),
			    "error", &err))
				whole = false;
	json_object_put(r);
	return whole;
}

/* ---- the job ---------------------------------------------------------- */

void
import_job_payload(int64_t import_id, char *out, size_t len)
{
	snprintf(out, len, "{\"importId\":%lld}", (long long)import_id);
}

/* The import a job's payload names; 0 when none. */
static int64_t
payload_id(const struct job_ctx *ctx)
{
	int64_t id = 0;
	json_object *o = ctx->job->payload ? json_tokener_parse(ctx->job->payload) :
	    NULL, *v;
	if (o && json_object_object_get_ex(o, "importId", &v))
		id = json_object_get_int64(v);
	json_object_put(o);
	return id;
}

enum job_result
import_job_run(struct job_ctx *ctx)
{
	int64_t id = payload_id(ctx);
	struct bank_import_row row;
	cb_err e = bank_imports_get(ctx->db, id, &row);
	if (e == CB_ENOTFOUND)
		return JOB_DONE;
	if (e != CB_OK) {
		snprintf(ctx->error, sizeof ctx->error, "import %lld: %s",
		    (long long)id, cb_strerror(e));
		return JOB_RETRY;
	}
	int fd = -1;
	off_t size;
	char *report = NULL, err[400] = "";
	bank_imports_finish(ctx->db, id, "running", NULL, NULL);
	struct csv_profile prof;
	bool csv = !strncmp(row.format, "csv:", 4);
	e = csv ? import_csv_profile(ctx->db, ctx->cfg, row.format + 4, &prof, err,
	    sizeof err) : CB_OK;
	if (e == CB_OK && (e = storage_open(ctx->env->storage, row.file_key, &fd,
	    &size)) == CB_OK) {
		e = import_run(ctx->db, id, fd, ctx->cfg->statement_max_bytes,
		    csv ? &prof : NULL, &report, err, sizeof err);
		close(fd);
	} else if (!err[0])
		snprintf(err, sizeof err, "the stored file is missing");
	bank_import_row_release(&row);
	enum job_result res = JOB_DONE;
	if (e == CB_OK) {
		/* New movements are matched now, not at the next period; the
		 * import reads "done" once they have been. */
		struct match_pass_stats st;
		cb_err me = match_pass(ctx->db, ctx->cfg, &st);
		if (me != CB_OK)
			log_warn("matching after import %lld: %s", (long long)id,
			    cb_strerror(me));
		e = bank_imports_finish(ctx->db, id, "done", report, NULL);
	}
	else if (e == CB_EINVAL || e == CB_ETOOBIG || e == CB_ENOTFOUND)
		e = bank_imports_finish(ctx->db, id, "failed", NULL, err);
	else {
		snprintf(ctx->error, sizeof ctx->error, "import %lld: %s",
		    (long long)id, err[0] ? err : cb_strerror(e));
		res = JOB_RETRY;
		e = CB_OK;
	}
	if (e != CB_OK) {
		snprintf(ctx->error, sizeof ctx->error, "import %lld: %s",
		    (long long)id, cb_strerror(e));
		res = JOB_RETRY;
	}
	free(report);
	log_info("statement import %lld: %s", (long long)id, res == JOB_DONE ?
	    "finished" : ctx->error);
	return res;
}

void
import_job_dead(struct job_ctx *ctx)
{
	int64_t id = payload_id(ctx);
	bank_imports_finish(ctx->db, id, "failed", NULL,
	    "the import could not be completed (the database kept failing)");
}
