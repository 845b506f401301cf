/* match_split.c — subset sums (see match.h): what the one-to-one engine
 * cannot see, a voucher paid in several deposits and a deposit paying
 * several vouchers of one payer.  Bounded on purpose: at most
 * MATCH_SPLIT_POOL candidates and MATCH_SPLIT_MAX parts, so a search is
 * at most some 22 000 subsets; exact sums only (a fee or a typo on top
 * of a split is a person's call). */
#include <stdlib.h>
#include <string.h>

#include "core/match.h"

static bool
ref_ties(const char *vref, const char *refs)
{
	unsigned why;
	if (!vref[0])
		return false;
	match_ref_score(vref, refs, &why);
	return why & (MW_REF_EXACT | MW_REF_SUFFIX | MW_REF_PREFIX | MW_REF_EDIT);
}

static bool
fits(const struct match_voucher *v, const struct match_movement *m,
    const struct match_params *p)
{
	if (!m->credit || !m->booked || m->used ||
	    (v->account && v->account != m->account) ||
	    memcmp(v->currency, m->currency, 3) != 0)
		return false;
	int d = match_business_days(v->day, m->day);
	return d >= -p->days_before && d <= p->days_after;
}

/* Subsets of 2..MATCH_SPLIT_MAX of a[0..n) that add up to target: the
 * first one found in pick, and whether there are others. */
struct search {
	const int64_t *a;
	size_t n;
	int64_t target;
	size_t cur[MATCH_SPLIT_MAX], pick[MATCH_SPLIT_MAX], k;
	int found;
};

static void
dfs(struct search *s, size_t from, size_t depth, int64_t sum)
{
	for (size_t i = from; i < s->n && s->found < 2; i++) {
		int64_t t = sum + s->a[i];
		if (t > s->target)
			continue;
		s->cur[depth] = i;
		if (t == s->target) {
			if (depth >= 1 && !s->found++) {
				memcpy(s->pick, s->cur, (depth + 1) * sizeof *s->pick);
				s->k = depth + 1;
			}
			continue;
		}
		if (depth + 1 < MATCH_SPLIT_MAX)
			dfs(s, i + 1, depth + 1, t);
	}
}

/* Movements by (account, day) for window lookups. */
struct mix {
	int64_t account;
	int day;
	uint32_t i;
};

static int
cmp_mix(const void *a, const void *b)
{
	const struct mix *x = a, *y = b;
	if (x->account != y->account)
		return x->account < y->account ? -1 : 1;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static size_t
first_at(const struct mix *ix, size_t n, int64_t account, int day)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (ix[mid].account < account || (ix[mid].account == account &&
		    ix[mid].day < day))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct splits {
	struct match_split *s;
	size_t n, cap;
};

static cb_err
push(struct splits *o, const struct match_split *x)
{
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 16;
		struct match_split *ns = realloc(o->s, cap * sizeof *ns);
		if (!ns)
			return CB_ENOMEM;
		o->s = ns;
		o->cap = cap;
	}
	o->s[o->n++] = *x;
	return CB_OK;
}

/* A calendar-day margin wide enough for any business-day window. */
static int
pad(int business)
{
	return business + 2 * (business / 5 + 1);
}

/* One voucher, several deposits. */
static cb_err
deposits(const struct match_voucher *v, size_t nv,
    const struct match_movement *m, const struct mix *ix, size_t nm,
    const struct match_params *p, char *vtaken, char *mtaken,
    struct splits *o)
{
	uint32_t c[MATCH_SPLIT_POOL];   /* the pool: movement indexes */
	int64_t amt[MATCH_SPLIT_POOL];
	for (size_t i = 0; i < nv; i++) {
		if (!v[i].account || vtaken[i])
			continue;
		/* Outward from the voucher's day, nearest first, until the pool
		 * is full or the window ends on both sides. */
		size_t nc = 0, mid = first_at(ix, nm, v[i].account, v[i].day);
		size_t up = mid, down = mid;
		int lo = v[i].day - pad(p->days_before), hi = v[i].day +
		    pad(p->days_after);
		while (nc < MATCH_SPLIT_POOL) {
			bool can_up = up < nm && ix[up].account == v[i].account &&
			    ix[up].day <= hi;
			bool can_down = down > 0 && ix[down - 1].account ==
			    v[i].account && ix[down - 1].day >= lo;
			if (!can_up && !can_down)
				break;
			size_t k = can_up && (!can_down || ix[up].day - v[i].day <=
			    v[i].day - ix[down - 1].day) ? up++ : --down;
			const struct match_movement *x = &m[ix[k].i];
			if (mtaken[ix[k].i] || x->amount_minor >= v[i].amount_minor ||
			    x->amount_minor <= 0 || !fits(&v[i], x, p) ||
			    (!match_same_payer(&v[i], x) && !ref_ties(v[i].ref, x->refs)))
				continue;
			c[nc++] = ix[k].i;
		}
		if (nc < 2)
			continue;
		for (size_t k = 0; k < nc; k++)
			amt[k] = m[c[k]].amount_minor;
		struct search s = {.a = amt, .n = nc, .target = v[i].amount_minor};
		dfs(&s, 0, 0, 0);
		if (!s.found)
			continue;
		struct match_split x = {.kind = SPLIT_DEPOSITS, .nv = 1,
		    .nm = s.k, .tied = true, .unique = s.found == 1};
		x.voucher[0] = v[i].id;
		for (size_t k = 0; k < s.k; k++) {
			const struct match_movement *mm = &m[c[s.pick[k]]];
			x.movement[k] = mm->id;
			x.tied = x.tied && ref_ties(v[i].ref, mm->refs);
			mtaken[c[s.pick[k]]] = 1;
		}
		vtaken[i] = 1;
		cb_err e = push(o, &x);
		if (e != CB_OK)
			return e;
	}
	return CB_OK;
}

/* Vouchers by (account, payer) for grouping. */
struct vix {
	int64_t account;
	char payer[MATCH_NAME_MAX];
	uint32_t i;
};

static int
cmp_vix(const void *a, const void *b)
{
	const struct vix *x = a, *y = b;
	if (x->account != y->account)
		return x->account < y->account ? -1 : 1;
	int c = strcmp(x->payer, y->payer);
	return c ? c : (x->i < y->i ? -1 : x->i > y->i);
}

/* The payer's key: the document id, else the name, letters and digits. */
static void
payer_key(const struct match_voucher *v, char out[MATCH_NAME_MAX])
{
	match_norm_ref(v->payer_id[0] ? v->payer_id : v->payer_name, out);
}

/* One deposit, several vouchers of one payer. */
static cb_err
vouchers(const struct match_voucher *v, size_t nv,
    const struct match_movement *m, const struct mix *ix, size_t nm,
    const struct match_params *p, char *vtaken, char *mtaken,
    struct splits *o)
{
	struct vix *g = malloc((nv ? nv : 1) * sizeof *g);
	if (!g)
		return CB_ENOMEM;
	size_t ng = 0;
	for (size_t i = 0; i < nv; i++) {
		if (vtaken[i] || !v[i].account)
			continue;
		g[ng].account = v[i].account;
		payer_key(&v[i], g[ng].payer);
		g[ng].i = (uint32_t)i;
		if (g[ng].payer[0])
			ng++;
	}
	qsort(g, ng, sizeof *g, cmp_vix);
	cb_err e = CB_OK;
	for (size_t a = 0; a < ng && e == CB_OK;) {
		size_t b = a + 1;
		while (b < ng && g[b].account == g[a].account &&
		    !strcmp(g[b].payer, g[a].payer))
			b++;
		/* A payer with 2..POOL open vouchers on this account. */
		if (b - a >= 2 && b - a <= MATCH_SPLIT_POOL) {
			int lo = 1 << 30, hi = -(1 << 30);
			for (size_t k = a; k < b; k++) {
				lo = v[g[k].i].day < lo ? v[g[k].i].day : lo;
				hi = v[g[k].i].day > hi ? v[g[k].i].day : hi;
			}
			for (size_t k = first_at(ix, nm, g[a].account, lo -
			    pad(p->days_before)); k < nm && ix[k].account ==
			    g[a].account && ix[k].day <= hi + pad(p->days_after);
			    k++) {
				const struct match_movement *x = &m[ix[k].i];
				uint32_t pool[MATCH_SPLIT_POOL];
				int64_t amt[MATCH_SPLIT_POOL];
				size_t np = 0;
				if (mtaken[ix[k].i])
					continue;
				for (size_t q = a; q < b; q++) {
					const struct match_voucher *w = &v[g[q].i];
					if (vtaken[g[q].i] || w->amount_minor >= x->amount_minor ||
					    !fits(w, x, p) || (!match_same_payer(w, x) &&
					    !ref_ties(w->ref, x->refs)))
						continue;
					pool[np] = g[q].i;
					amt[np++] = w->amount_minor;
				}
				if (np < 2)
					continue;
				struct search s = {.a = amt, .n = np,
				    .target = x->amount_minor};
				dfs(&s, 0, 0, 0);
				if (!s.found)
					continue;
				struct match_split sp = {.kind = SPLIT_VOUCHERS, .nm = 1,
				    .nv = s.k, .tied = true, .unique = s.found == 1};
				sp.movement[0] = x->id;
				for (size_t q = 0; q < s.k; q++) {
					const struct match_voucher *w = &v[pool[s.pick[q]]];
					sp.voucher[q] = w->id;
					sp.tied = sp.tied && ref_ties(w->ref, x->refs);
					vtaken[pool[s.pick[q]]] = 1;
				}
				mtaken[ix[k].i] = 1;
				if ((e = push(o, &sp)) != CB_OK)
					break;
			}
		}
		a = b;
	}
	free(g);
	return e;
}

cb_err
match_splits(const struct match_voucher *v, size_t nv,
    const struct match_movement *m, size_t nm, const struct match_params *p,
    struct match_split **out, size_t *n)
{
	struct splits o = {0};
	struct mix *ix = malloc((nm ? nm : 1) * sizeof *ix);
	char *vtaken = calloc(nv ? nv : 1, 1), *mtaken = calloc(nm ? nm : 1, 1);
	cb_err e = ix && vtaken && mtaken ? CB_OK : CB_ENOMEM;
	*out = NULL;
	*n = 0;
	size_t k = 0;
	for (size_t i = 0; e == CB_OK && i < nm; i++)
		if (m[i].credit && m[i].booked && !m[i].used)
			ix[k++] = (struct mix){m[i].account, m[i].day, (uint32_t)i};
	if (e == CB_OK) {
		qsort(ix, k, sizeof *ix, cmp_mix);
		e = deposits(v, nv, m, ix, k, p, vtaken, mtaken, &o);
	}
	if (e == CB_OK)
		e = vouchers(v, nv, m, ix, k, p, vtaken, mtaken, &o);
	free(ix);
	free(vtaken);
	free(mtaken);
	if (e != CB_OK) {
		free(o.s);
		return e;
	}
	*out = o.s;
	*n = o.n;
	return CB_OK;
}
