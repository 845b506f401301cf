/* match_job.c — see match_job.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "jobs/match_job.h"
#include "jobs/reconcile_record.h"
#include "store/activity.h"
#include "store/matching.h"
#include "store/payments.h"
#include "util/log.h"

struct load {
	struct match_voucher *v;
	struct voucher_state *st;
	size_t nv, capv;
	struct match_movements m;
	int lo, hi;
};

static cb_err
add_voucher(const struct match_voucher *v, const struct voucher_state *vs,
    void *arg)
{
	struct load *l = arg;
	if (l->nv == l->capv) {
		size_t cap = l->capv ? l->capv * 2 : 256;
		struct match_voucher *nv = realloc(l->v, cap * sizeof *nv);
		struct voucher_state *st = realloc(l->st, cap * sizeof *st);
		if (nv)
			l->v = nv;
		if (st)
			l->st = st;
		if (!nv || !st)
			return CB_ENOMEM;
		l->capv = cap;
	}
	l->v[l->nv] = *v;
	l->st[l->nv++] = *vs;
	if (v->day < l->lo)
		l->lo = v->day;
	if (v->day > l->hi)
		l->hi = v->day;
	return CB_OK;
}

/* Reconciliations a transaction carries, in a few statements: one
 * commit (a log flush) and a handful of round trips for many. */
#define RECONCILE_BATCH 256

/* One batch of automatic matches in a transaction of its own; ok[k]
 * says which pairs were made. */
static cb_err
reconcile_batch(struct db_conn *db, const struct reconcile_pair *p,
    const int *score, size_t n, bool *ok, long *matched)
{
	struct reconcile_diff d[RECONCILE_BATCH];
	char reason[RECONCILE_BATCH][96];
	const char *reasons[RECONCILE_BATCH];
	size_t done;
	cb_err e = db_begin(db);
	if (e != CB_OK)
		return e;
	if ((e = matching_reconcile_many(db, p, n, ok, d, &done)) != CB_OK)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		snprintf(reason[i], sizeof reason[i], "matched to bank movement %lld"
		    " (score %d)", (long long)p[i].movement, score[i]);
		reasons[i] = reason[i];
	}
	struct payment_event who = {.actor_type = "system",
	    .actor_id = MATCH_JOB_KIND, .actor_name = "bank reconciliation"};
	if ((e = reconcile_record_many(db, p, d, ok, n, &who, reasons)) != CB_OK)
		goto fail;
	if ((e = db_commit(db)) == CB_OK)
		*matched += (long)done;
	return e;
fail:
	memset(ok, 0, n * sizeof *ok);
	db_rollback(db);
	return e;
}

/* Whether the voucher still says what the match rests on. */
static bool
same_facts(const struct match_voucher *a, const struct match_voucher *b)
{
	return a->account == b->account && !strcmp(a->currency, b->currency) &&
	    a->amount_minor == b->amount_minor && a->day == b->day &&
	    !strcmp(a->ref, b->ref) && !strcmp(a->payer_name, b->payer_name) &&
	    !strcmp(a->payer_id, b->payer_id);
}

/* Pairs of a batch that were not made because their voucher moved on
 * (another writer — a receipt fetched, a reading stored — changed its
 * version since it was loaded) are queued to be tried once more at its
 * new version, when what the match rests on is unchanged; otherwise
 * the next pass decides them again. */
static cb_err
queue_moved(struct db_conn *db, const struct load *l,
    const struct reconcile_pair *p, const int *score, const size_t *idx,
    const bool *ok, size_t n, struct reconcile_pair *again, int *again_score,
    size_t *nagain)
{
	for (size_t k = 0; k < n && *nagain < RECONCILE_BATCH; k++) {
		struct match_voucher now;
		unsigned version;
		char status[16];
		if (ok[k])
			continue;
		cb_err e = matching_voucher(db, p[k].payment, &now, &version, status);
		if (e == CB_ENOTFOUND || e == CB_EINVAL)
			continue;
		if (e != CB_OK)
			return e;
		if (version == p[k].version || !same_facts(&now, &l->v[idx[k]]))
			continue;
		again[*nagain] = p[k];
		again[*nagain].version = version;
		again_score[(*nagain)++] = score[k];
	}
	return CB_OK;
}

/* Every automatic match, RECONCILE_BATCH to a transaction; those whose
 * voucher moved on meanwhile once more at the end.  A failure loses only
 * its batch: the next pass finds those vouchers again. */
static cb_err
reconcile_all(struct db_conn *db, const struct load *l,
    const struct match_result *r, long *matched)
{
	struct reconcile_pair p[RECONCILE_BATCH], again[RECONCILE_BATCH];
	int score[RECONCILE_BATCH], again_score[RECONCILE_BATCH];
	size_t idx[RECONCILE_BATCH], n = 0, nagain = 0;
	bool ok[RECONCILE_BATCH];
	cb_err e = CB_OK;
	for (size_t i = 0; i <= l->nv && e == CB_OK; i++) {
		if (i < l->nv && r[i].decision == MATCH_AUTO) {
			p[n] = (struct reconcile_pair){l->v[i].id, r[i].movement,
			    l->st[i].version};
			idx[n] = i;
			score[n++] = r[i].score;
		}
		if (n == RECONCILE_BATCH || (i == l->nv && n)) {
			if ((e = reconcile_batch(db, p, score, n, ok, matched)) == CB_OK)
				e = queue_moved(db, l, p, score, idx, ok, n, again,
				    again_score, &nagain);
			n = 0;
		}
	}
	if (nagain && e == CB_OK)
		e = reconcile_batch(db, again, again_score, nagain, ok, matched);
	return e;
}

/* "bank match ambiguous: movement 12 (score 75), movement 9 (70)". */
static void
review_reason(const struct match_result *r, char *out, size_t len)
{
	size_t u = (size_t)snprintf(out, len, "bank match ambiguous:");
	for (size_t k = 0; k < r->ncand && k < MATCH_TOP && u < len; k++)
		u += (size_t)snprintf(out + u, len - u, "%s movement %lld (score %d)",
		    k ? "," : "", (long long)r->top[k].movement, r->top[k].score);
	if (!r->movement && u < len)
		snprintf(out + u, len - u, "; each is a better fit for another voucher");
}

/* The payment a voucher's movement already paid, as this voucher's client
 * may be told of it (core/ownership.h): another client's is never named
 * (*other becomes 0, *foreign true). */
static cb_err
other_as_seen(struct db_conn *db, int64_t voucher, int64_t *other,
    bool *foreign)
{
	bool same = true;
	*foreign = false;
	cb_err e = *other ? payments_same_owner(db, voucher, *other, &same) :
	    CB_OK;
	if (e == CB_OK && !same) {
		*other = 0;
		*foreign = true;
	}
	return e;
}

/* "bank <code>: <words>", the code first for clients that read it. */
static void
unpaid_reason(enum match_invalid r, int64_t mv, int64_t other, bool foreign,
    int from, int to, char *why, size_t len)
{
	char text[200], day_from[11], day_to[11];
	match_day_text(from, day_from);
	match_day_text(to, day_to);
	switch (r) {
	case MI_USED:
		if (foreign)
			snprintf(text, sizeof text, "movement %lld, which fits this"
			    " voucher, already paid another client's payment",
			    (long long)mv);
		else
			snprintf(text, sizeof text, "movement %lld, which fits this"
			    " voucher, already paid payment %lld", (long long)mv,
			    (long long)other);
		break;
	case MI_AMOUNT_CONFLICT:
		snprintf(text, sizeof text, "movement %lld carries this voucher's"
		    " reference for another amount", (long long)mv);
		break;
	case MI_REFERENCE_CONFLICT:
		snprintf(text, sizeof text, "movement %lld has this amount but"
		    " another reference", (long long)mv);
		break;
	default:
		snprintf(text, sizeof text, "no movement for this voucher from %s"
		    " to %s (statements cover it without a balance gap)", day_from,
		    day_to);
	}
	snprintf(why, len, "bank %s: %s", match_invalid_name(r), text);
}

/* A voucher nothing free fits whose deposit (its amount, a movement
 * carrying its reference) already paid another payment: flagged as that
 * one's duplicate at once, whether or not its window has closed. */
static cb_err
flag_if_duplicate(struct db_conn *db, const struct match_voucher *v,
    const struct match_params *p)
{
	struct match_movements w = {0};
	int from, to;
	int64_t mv, other;
	char why[255];
	if (!v->account || !v->ref[0])
		return CB_OK;
	match_window(v->day, p, &from, &to);
	cb_err e = matching_used_like(db, v->account, from, to, v->amount_minor,
	    match_movements_add, &w);
	if (e == CB_OK && w.n &&
	    match_explain(v, w.m, w.n, p, &mv, &other) == MI_USED) {
		bool foreign;
		if ((e = other_as_seen(db, v->id, &other, &foreign)) != CB_OK) {
			match_movements_free(&w);
			return e;
		}
		unpaid_reason(MI_USED, mv, other, foreign, from, to, why,
		    sizeof why);
		e = matching_flag_duplicate(db, v->id, other, why);
	}
	match_movements_free(&w);
	return e;
}

/* A voucher nothing fits, whose whole window has passed and is covered by
 * statements that add up: the bank says it was not paid.  Rejected (bank
 * validation) or flagged (validated by a person), with the reason.  When
 * the statements cannot say (a gap, no account), it goes to a person with
 * that reason: no voucher waits without a verdict or a flag. */
static cb_err
judge_unpaid(struct db_conn *db, const struct match_voucher *v,
    unsigned version, const struct match_params *p, int today, bool *invalid)
{
	struct match_movements w = {0};
	int from, to;
	bool covered;
	char why[255];
	*invalid = false;
	match_window(v->day, p, &from, &to);
	if (to >= today)
		return CB_OK; /* its deposit may still come */
	char day_from[11], day_to[11];
	match_day_text(from, day_from);
	match_day_text(to, day_to);
	if (!v->account) {
		/* Nothing can say it was not paid: a person decides. */
		snprintf(why, sizeof why, "bank no_account: no movement fits this"
		    " voucher from %s to %s, and it names no bank account whose"
		    " statements could say it was not paid", day_from, day_to);
		return matching_flag(db, v->id, why);
	}
	cb_err e = matching_coverage(db, v->account, from, to, &covered);
	if (e != CB_OK)
		return e;
	if (!covered) {
		snprintf(why, sizeof why, "bank not_covered: no movement fits this"
		    " voucher from %s to %s, and the statements imported do not cover"
		    " those days without a gap", day_from, day_to);
		return matching_flag(db, v->id, why);
	}
	if ((e = matching_window_all(db, v->account, from, to,
	    match_movements_add, &w)) != CB_OK) {
		match_movements_free(&w);
		return e;
	}
	int64_t mv, other;
	enum match_invalid r = match_explain(v, w.m, w.n, p, &mv, &other);
	/* Its reference on a movement of nearly its amount: a typo in the
	 * amount, not an unpaid voucher (seed 002: the amount is
	 * referential).  A person confirms; the bank's amount is shown. */
	bool near = false;
	for (size_t k = 0; r == MI_AMOUNT_CONFLICT && k < w.n; k++)
		if (w.m[k].id == mv)
			near = match_amount_near(v->amount_minor, w.m[k].amount_minor,
			    false);
	match_movements_free(&w);
	if (near) {
		snprintf(why, sizeof why, "bank amount_differs: movement %lld carries"
		    " this voucher's reference for a slightly different amount",
		    (long long)mv);
		return matching_flag(db, v->id, why);
	}
	bool foreign;
	if ((e = other_as_seen(db, v->id, &other, &foreign)) != CB_OK)
		return e;
	unpaid_reason(r, mv, other, foreign, from, to, why, sizeof why);
	enum invalidated done;
	if ((e = db_begin(db)) != CB_OK)
		return e;
	if ((e = matching_invalidate(db, v->id, version, why, other, &done)) !=
	    CB_OK) {
		db_rollback(db);
		return e;
	}
	if (done == INVALIDATED_REJECTED) {
		struct payment_event ev = {.payment_id = v->id, .kind = "status",
		    .actor_type = "system", .actor_id = MATCH_JOB_KIND,
		    .actor_name = "bank reconciliation", .from_status = "pendiente",
		    .to_status = "rechazado", .reason = why, .version = version + 1};
		char target[40];
		snprintf(target, sizeof target, "payment:%lld", (long long)v->id);
		if ((e = payment_events_insert(db, &ev)) == CB_OK)
			e = activity_record(db, "PAYMENT_INVALID", "system",
			    MATCH_JOB_KIND, target, NULL, why);
	}
	if (e != CB_OK) {
		db_rollback(db);
		return e;
	}
	*invalid = done != INVALIDATED_NOTHING;
	return db_commit(db);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* "movements 10+11" / "payments 4+5" */
static void
join_ids(const int64_t *id, size_t n, char *out, size_t len)
{
	size_t u = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && u < len; i++)
		u += (size_t)snprintf(out + u, len - u, "%s%lld", i ? "+" : "",
		    (long long)id[i]);
}

/* A voucher paid in several deposits that its references tie together:
 * reconciled with all of them. */
static cb_err
reconcile_parts(struct db_conn *db, const struct match_split *sp,
    unsigned version, bool *done)
{
	struct reconcile_diff d;
	char ids[120], reason[200];
	cb_err e = db_begin(db);
	if (e != CB_OK)
		return e;
	if ((e = matching_reconcile_parts(db, sp->voucher[0], version,
	    sp->movement, sp->nm, done, &d)) != CB_OK || !*done) {
		db_rollback(db);
		return e == CB_ECONFLICT ? CB_OK : e;
	}
	join_ids(sp->movement, sp->nm, ids, sizeof ids);
	snprintf(reason, sizeof reason, "matched to bank movements %s (%zu"
	    " deposits that add up to it, tied by its reference)", ids, sp->nm);
	struct payment_event ev = {.actor_type = "system",
	    .actor_id = MATCH_JOB_KIND, .actor_name = "bank reconciliation",
	    .reason = reason};
	if ((e = reconcile_record(db, sp->voucher[0], &d, &ev,
	    "PAYMENT_RECONCILE", NULL)) != CB_OK) {
		db_rollback(db);
		return e;
	}
	return db_commit(db);
}

/* A deposit that paid several vouchers whose references it names. */
static cb_err
reconcile_shared(struct db_conn *db, const struct match_split *sp,
    const struct match_voucher *v, const unsigned *ver, size_t nv, bool *done)
{
	struct reconcile_pair p[MATCH_SPLIT_MAX];
	struct reconcile_diff d[MATCH_SPLIT_MAX];
	char ids[120], reason[MATCH_SPLIT_MAX][200];
	const char *reasons[MATCH_SPLIT_MAX];
	bool ok[MATCH_SPLIT_MAX];
	for (size_t q = 0; q < sp->nv; q++) {
		size_t i = 0;
		while (i < nv && v[i].id != sp->voucher[q])
			i++;
		p[q] = (struct reconcile_pair){sp->voucher[q], sp->movement[0],
		    i < nv ? ver[i] : 0};
		ok[q] = true;
	}
	join_ids(sp->voucher, sp->nv, ids, sizeof ids);
	cb_err e = db_begin(db);
	if (e != CB_OK)
		return e;
	if ((e = matching_reconcile_shared(db, p, sp->nv, done, d)) != CB_OK ||
	    !*done) {
		db_rollback(db);
		return e == CB_ECONFLICT ? CB_OK : e;
	}
	for (size_t q = 0; q < sp->nv; q++) {
		snprintf(reason[q], sizeof reason[q], "matched to bank movement %lld,"
		    " one deposit for payments %s (its references name each)",
		    (long long)sp->movement[0], ids);
		reasons[q] = reason[q];
	}
	struct payment_event who = {.actor_type = "system",
	    .actor_id = MATCH_JOB_KIND, .actor_name = "bank reconciliation"};
	if ((e = reconcile_record_many(db, p, d, ok, sp->nv, &who, reasons)) !=
	    CB_OK) {
		db_rollback(db);
		return e;
	}
	return db_commit(db);
}

/* Subset sums among what no single movement settled: reconciled when the
 * references tie the parts and no other subset adds up (a voucher in
 * several deposits, or a deposit for several vouchers); else each voucher
 * goes to review with the suggestion.  judged[i] set for the
 * vouchers a split took (not to be called unpaid). */
static cb_err
split_pass(struct db_conn *db, struct load *l, const struct match_result *r,
    const struct match_params *p, bool *judged, struct match_pass_stats *st)
{
	struct match_voucher *v = malloc((l->nv ? l->nv : 1) * sizeof *v);
	unsigned *ver = malloc((l->nv ? l->nv : 1) * sizeof *ver);
	size_t *back = malloc((l->nv ? l->nv : 1) * sizeof *back);
	int64_t *used = malloc((l->nv ? l->nv : 1) * sizeof *used);
	struct match_split *sp = NULL;
	size_t nv = 0, nu = 0, n = 0;
	cb_err e = v && ver && back && used ? CB_OK : CB_ENOMEM;
	for (size_t i = 0; e == CB_OK && i < l->nv; i++) {
		if (r[i].decision == MATCH_AUTO)
			used[nu++] = r[i].movement;
		else {
			/* Ambiguous ones too: parts that add up exactly and carry
			 * its reference say more than a near amount. */
			v[nv] = l->v[i];
			ver[nv] = l->st[i].version;
			back[nv++] = i;
		}
	}
	if (e != CB_OK || nv == 0)
		goto out;
	/* What this pass tied is no part of anything else. */
	qsort(used, nu, sizeof *used, cmp_i64);
	for (size_t j = 0; j < l->m.n; j++)
		if (bsearch(&l->m.m[j].id, used, nu, sizeof *used, cmp_i64))
			l->m.m[j].used = true;
	if ((e = match_splits(v, nv, l->m.m, l->m.n, p, &sp, &n)) != CB_OK)
		goto out;
	for (size_t k = 0; k < n && e == CB_OK; k++) {
		char ids[120], why[255];
		for (size_t q = 0; q < sp[k].nv; q++)
			for (size_t i = 0; i < nv; i++)
				if (v[i].id == sp[k].voucher[q])
					judged[back[i]] = true;
		if (sp[k].kind == SPLIT_DEPOSITS && sp[k].tied && sp[k].unique) {
			bool done = false;
			size_t i = 0;
			while (i < nv && v[i].id != sp[k].voucher[0])
				i++;
			e = reconcile_parts(db, &sp[k], ver[i], &done);
			st->auto_matched += done;
			continue;
		}
		if (sp[k].kind == SPLIT_VOUCHERS && sp[k].tied && sp[k].unique) {
			bool done = false;
			e = reconcile_shared(db, &sp[k], v, ver, nv, &done);
			st->auto_matched += done ? (long)sp[k].nv : 0;
			continue;
		}
		if (sp[k].kind == SPLIT_DEPOSITS) {
			join_ids(sp[k].movement, sp[k].nm, ids, sizeof ids);
			snprintf(why, sizeof why, "bank split suggested: movements %s add"
			    " up to this voucher%s", ids, sp[k].tied ? "" :
			    " (no reference ties them)");
		} else {
			join_ids(sp[k].voucher, sp[k].nv, ids, sizeof ids);
			snprintf(why, sizeof why, "bank split suggested: movement %lld"
			    " pays payments %s together%s", (long long)sp[k].movement[0],
			    ids, sp[k].tied ? " (its references name each)" : "");
		}
		for (size_t q = 0; q < sp[k].nv && e == CB_OK; q++)
			e = matching_flag(db, sp[k].voucher[q], why);
		st->review += (long)sp[k].nv;
	}
out:
	free(sp);
	free(v);
	free(ver);
	free(back);
	free(used);
	return e;
}

/* Vouchers registered twice among the open ones: the same client,
 * customer, currency, amount, day and operation number (letters and
 * digits, leading zeros aside, 3 at least).  The later copies are flagged
 * as the first's duplicate and leave this pass; the first is matched.
 * Done on what the pass loaded (a sort, no lock held): a twin of a
 * payment already reconciled is caught by flag_if_duplicate. */
struct twin_key {
	int64_t client, customer, amount, id;
	int day;
	char currency[4];
	char ref[MATCH_REF_MAX];
	size_t i;
};

static int
cmp_twin(const void *a, const void *b)
{
	const struct twin_key *x = a, *y = b;
	int c;
	if (x->client != y->client)
		return x->client < y->client ? -1 : 1;
	if (x->customer != y->customer)
		return x->customer < y->customer ? -1 : 1;
	if (x->amount != y->amount)
		return x->amount < y->amount ? -1 : 1;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if ((c = strcmp(x->currency, y->currency)) || (c = strcmp(x->ref, y->ref)))
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

static bool
same_twin(const struct twin_key *x, const struct twin_key *y)
{
	return x->client == y->client && x->customer == y->customer &&
	    x->amount == y->amount && x->day == y->day &&
	    !strcmp(x->currency, y->currency) && !strcmp(x->ref, y->ref);
}

static cb_err
flag_twins(struct db_conn *db, struct load *l, long *flagged)
{
	struct twin_key *k = malloc(l->nv * sizeof *k);
	bool *gone = calloc(l->nv, sizeof *gone);
	size_t n = 0;
	cb_err e = CB_OK;
	*flagged = 0;
	if (!k || !gone) {
		free(k);
		free(gone);
		return CB_ENOMEM;
	}
	for (size_t i = 0; i < l->nv; i++) {
		struct twin_key t = {.client = l->st[i].client,
		    .customer = l->st[i].customer, .amount = l->v[i].amount_minor,
		    .id = l->v[i].id, .day = l->v[i].day, .i = i};
		memcpy(t.currency, l->v[i].currency, sizeof t.currency);
		match_norm_ref(l->v[i].ref, t.ref);
		if (strlen(t.ref) >= 3)
			k[n++] = t;
	}
	qsort(k, n, sizeof *k, cmp_twin);
	for (size_t a = 0; a < n && e == CB_OK;) {
		size_t b = a + 1;
		for (; b < n && same_twin(&k[a], &k[b]) && e == CB_OK; b++) {
			char why[160];
			snprintf(why, sizeof why, "duplicate of payment %lld: the same"
			    " customer, amount, day and operation number",
			    (long long)k[a].id);
			e = matching_flag_duplicate(db, k[b].id, k[a].id, why);
			gone[k[b].i] = true;
			(*flagged)++;
		}
		a = b;
	}
	/* The twins leave this pass. */
	size_t w = 0;
	for (size_t i = 0; i < l->nv; i++)
		if (!gone[i]) {
			l->v[w] = l->v[i];
			l->st[w++] = l->st[i];
		}
	l->nv = w;
	free(k);
	free(gone);
	return e;
}

cb_err
match_pass(struct db_conn *db, const struct config *cfg,
    struct match_pass_stats *st)
{
	struct load l = {.lo = 1 << 30, .hi = -(1 << 30)};
	struct match_result *r = NULL;
	bool *judged = NULL;
	cb_err e;
	memset(st, 0, sizeof *st);
	if ((e = matching_vouchers(db, add_voucher, &l)) != CB_OK || !l.nv)
		goto out;
	/* Twins first: a voucher registered twice waits for a person, instead
	 * of competing with its first copy for one movement. */
	long twins;
	if ((e = flag_twins(db, &l, &twins)) != CB_OK)
		goto out;
	st->review += twins;
	struct match_params p;
	match_params_default(&p);
	p.days_before = cfg->match_days_before;
	p.days_after = cfg->match_days_after;
	p.fee_tolerance = cfg->match_fee_tolerance;
	/* Business days are at most 7/5 calendar days, plus a weekend. */
	if ((e = matching_movements(db, l.lo - p.days_before * 7 / 5 - 3,
	    l.hi + p.days_after * 7 / 5 + 3, match_movements_add, &l.m)) != CB_OK)
		goto out;
	st->vouchers = (long)l.nv;
	/* Statements speak in the installation's calendar days (TZ is set
	 * from [server] timezone at start), so "has the window passed" too. */
	time_t now = time(NULL);
	struct tm tm;
	char ymd[16];
	localtime_r(&now, &tm);
	strftime(ymd, sizeof ymd, "%Y-%m-%d", &tm);
	int today = match_day(ymd);
	st->movements = (long)l.m.n;
	if (!(r = calloc(l.nv, sizeof *r))) {
		e = CB_ENOMEM;
		goto out;
	}
	if ((e = match_run(l.v, l.nv, l.m.m, l.m.n, &p, r)) != CB_OK)
		goto out;
	if ((e = reconcile_all(db, &l, r, &st->auto_matched)) != CB_OK)
		goto out;
	if (!(judged = calloc(l.nv, sizeof *judged))) {
		e = CB_ENOMEM;
		goto out;
	}
	if ((e = split_pass(db, &l, r, &p, judged, st)) != CB_OK)
		goto out;
	for (size_t i = 0; i < l.nv && e == CB_OK; i++) {
		char why[256];
		if (r[i].decision == MATCH_AUTO || judged[i])
			continue;
		if (r[i].decision == MATCH_REVIEW) {
			review_reason(&r[i], why, sizeof why);
			e = matching_flag(db, l.v[i].id, why);
			st->review++;
		} else {
			/* Judged once: later passes only see whether a movement
			 * turned up (above). */
			bool invalid = false;
			if (!l.st[i].judged)
				e = judge_unpaid(db, &l.v[i], l.st[i].version, &p, today,
				    &invalid);
			st->invalid += invalid;
			if (e == CB_OK && !invalid && !l.st[i].judged &&
			    !l.st[i].duplicate)
				e = flag_if_duplicate(db, &l.v[i], &p);
		}
	}
out:
	free(l.v);
	free(l.st);
	match_movements_free(&l.m);
	free(r);
	free(judged);
	return e;
}

enum job_result
match_job_run(struct job_ctx *ctx)
{
	struct match_pass_stats st;
	cb_err e = match_pass(ctx->db, ctx->cfg, &st);
	if (e != CB_OK) {
		snprintf(ctx->error, sizeof ctx->error, "matching pass: %s",
		    cb_strerror(e));
		return JOB_RETRY;
	}
	if (st.vouchers)
		log_info("matching pass: %ld open vouchers, %ld free movements, %ld"
		    " reconciled, %ld to review, %ld invalid", st.vouchers,
		    st.movements, st.auto_matched, st.review, st.invalid);
	return JOB_DONE;
}

int
match_job_period(const struct config *cfg)
{
	return cfg->match_interval;
}
