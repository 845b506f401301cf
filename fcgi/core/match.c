/* match.c — see match.h. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/match.h"

/* Weights: what each piece of evidence is worth. */
enum {
	MATCH_W_REF_EXACT = 60,
	MATCH_W_REF_SUFFIX = 45,   /* "696" in "00010696" */
	MATCH_W_REF_SHORT = 35,    /* … when only 3 digits tie them */
	MATCH_W_REF_PREFIX = 30,
	MATCH_W_REF_EDIT = 35,     /* one digit off on a long number */
	MATCH_W_REF_CONFLICT = -40,
	MATCH_W_AMT_EXACT = 40,
	MATCH_W_AMT_FEE = 20,
	MATCH_W_AMT_TYPO = 10,
	MATCH_W_DATE = 20,         /* same day; minus MATCH_W_DAY a day */
	MATCH_W_DAY = 3,
	MATCH_W_PAYER = 15,
	MATCH_W_SHARED_MAX = 20,   /* many open vouchers with this amount */
	MATCH_W_AMT_REF = 15,      /* another amount, but the voucher's whole
	                              long reference: the bank's amount holds */
	MATCH_W_AMT_REF_SHORT = -10, /* … a short one: for a person */
	MATCH_W_NOREF_TWIN = 10,   /* no reference, but the payer and the day
	                              agree with an exact amount */
};

/* References a client writes when there is none: "S/N", "-", "0", "NA". */
static bool
placeholder_ref(const char *vn)
{
	size_t n = strlen(vn);
	if (!n)
		return true;
	return n <= 3 && strspn(vn, "0123456789") == 0;
}

void
match_params_default(struct match_params *p)
{
	p->days_before = 3;
	p->days_after = 7;
	p->fee_tolerance = 0;
	p->auto_score = 80;
	p->margin = 15;
	p->min_score = 25;
}

/* ---- days ---------------------------------------------------------------- */

int
match_day(const char *s)
{
	int y, m, d;
	if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
	    m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	/* Days from civil (H. Hinnant). */
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Days since 1970 → "YYYY-MM-DD" (civil from days, H. Hinnant). */
void
match_day_text(int z, char out[11])
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int y = (int)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	if (y < 1000 || y > 9999)
		y = y < 1000 ? 1000 : 9999;
	snprintf(out, 11, "%04d-%02u-%02u", y % 10000, m % 13, d % 32);
}

/* Weekdays in [Monday of the epoch's week, day). 1970-01-01 was a
 * Thursday. */
static long
weekdays_before(int day)
{
	long e = (long)day + 3;
	long w = e >= 0 ? e / 7 : -((-e + 6) / 7);
	long r = e - w * 7;
	return w * 5 + (r < 5 ? r : 5);
}

int
match_business_days(int a, int b)
{
	return (int)(weekdays_before(b) - weekdays_before(a));
}

cb_err
match_movements_add(const struct match_movement *m, void *list)
{
	struct match_movements *l = list;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct match_movement *nm = realloc(l->m, cap * sizeof *nm);
		if (!nm)
			return CB_ENOMEM;
		l->m = nm;
		l->cap = cap;
	}
	l->m[l->n++] = *m;
	return CB_OK;
}

void
match_movements_free(struct match_movements *l)
{
	free(l->m);
	l->m = NULL;
	l->n = l->cap = 0;
}

/* ---- references ------------------------------------------------------------ */

void
match_norm_ref(const char *in, char *out)
{
	size_t n = 0;
	bool lead = true;
	for (; *in && n + 1 < MATCH_REF_MAX; in++) {
		char c = *in;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			continue;
		if (lead && c == '0')
			continue;
		lead = false;
		out[n++] = c;
	}
	out[n] = '\0';
}

/* The digits of a voucher's reference, OCR look-alikes read as digits
 * whenever it has a digit at all (a client's "5BS" is 585): into out
 * without leading zeros, into raw with them ("098": the bank prints it
 * "0000098"). */
static void
voucher_digits(const char *ref, char *out, char *raw)
{
	size_t nd = 0, n = 0, r = 0;
	for (const char *p = ref; *p; p++)
		if (*p >= '0' && *p <= '9')
			nd++;
	bool fold = nd >= 1;
	bool lead = true;
	for (const char *p = ref; *p && n + 1 < MATCH_REF_MAX; p++) {
		char c = *p;
		if (fold)
			switch (c) {
			case 'O': case 'o': case 'D': case 'Q': c = '0'; break;
			case 'I': case 'l': case 'L': case 'i': c = '1'; break;
			case 'S': case 's': c = '5'; break;
			case 'B': c = '8'; break;
			case 'Z': case 'z': c = '2'; break;
			case 'G': c = '6'; break;
			default: break;
			}
		if (c < '0' || c > '9')
			continue;
		if (raw && r + 1 < MATCH_REF_MAX)
			raw[r++] = c;
		if (lead && c == '0')
			continue;
		lead = false;
		out[n++] = c;
	}
	out[n] = '\0';
	if (raw)
		raw[r] = '\0';
}

bool
match_one_edit(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > lb + 1 || lb > la + 1)
		return false;
	size_t i = 0;
	while (i < la && i < lb && a[i] == b[i])
		i++;
	if (i == la && i == lb)
		return true;
	if (la == lb) {
		if (!strcmp(a + i + 1, b + i + 1))
			return true; /* substitution */
		return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] &&
		    !strcmp(a + i + 2, b + i + 2); /* swap */
	}
	return la > lb ? !strcmp(a + i + 1, b + i) : !strcmp(a + i, b + i + 1);
}

static bool
ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return b <= a && !strcmp(s + a - b, suf);
}

static int ref_score(const char *vn, const char *vd, const char *vr,
    const char *text, unsigned *why);

int
match_ref_score(const char *vref, const char *text, unsigned *why)
{
	char vn[MATCH_REF_MAX], vd[MATCH_REF_MAX], vr[MATCH_REF_MAX];
	match_norm_ref(vref, vn);
	voucher_digits(vref, vd, vr);
	if (placeholder_ref(vn))
		vn[0] = vd[0] = vr[0] = '\0';
	return ref_score(vn, vd, vr, text, why);
}

/* vn, vd, vr: the voucher's reference normalised, as digits, and as
 * digits with their leading zeros. */
static int
ref_score(const char *vn, const char *vd, const char *vr, const char *text,
    unsigned *why)
{
	*why = 0;
	if (!vn[0]) {
		*why = MW_REF_NONE;
		return 0;
	}
	size_t lvd = strlen(vd);
	int best = INT_MIN;
	unsigned bw = 0;
	bool any_number = false;
	/* Each word (letters and digits) and each run of 3+ digits. */
	const char *p = text;
	while (*p) {
		while (*p && !((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= 'a' && *p <= 'z')))
			p++;
		const char *w = p;
		while (*p && ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= 'a' && *p <= 'z')))
			p++;
		size_t wl = (size_t)(p - w);
		if (!wl || wl >= MATCH_REF_MAX)
			continue;
		char word[MATCH_REF_MAX], wn[MATCH_REF_MAX];
		memcpy(word, w, wl);
		word[wl] = '\0';
		match_norm_ref(word, wn);
		if (wn[0] && !strcmp(wn, vn)) {
			*why = MW_REF_EXACT;
			return MATCH_W_REF_EXACT;
		}
		/* Digit runs inside the word. */
		for (const char *q = word; *q;) {
			while (*q && (*q < '0' || *q > '9'))
				q++;
			const char *d = q;
			while (*q >= '0' && *q <= '9')
				q++;
			size_t dl = (size_t)(q - d);
			if (dl < 3)
				continue;
			char run[MATCH_REF_MAX], run_raw[MATCH_REF_MAX];
			size_t z = 0;
			while (z + 1 < dl && d[z] == '0')
				z++;
			memcpy(run, d + z, dl - z);
			run[dl - z] = '\0';
			memcpy(run_raw, d, dl);
			run_raw[dl] = '\0';
			if (dl >= 4)
				any_number = true;
			int s = INT_MIN;
			unsigned sw = 0;
			if (lvd < 3) {
				/* Short once its zeros go ("098"): the digits as written,
				 * zeros and all, end the bank's number. */
				if (strlen(vr) >= 3 && ends_with(run_raw, vr) &&
				    MATCH_W_REF_SHORT > best) {
					best = MATCH_W_REF_SHORT;
					bw = MW_REF_SUFFIX;
				}
				continue;
			}
			if (!strcmp(run, vd)) {
				s = MATCH_W_REF_EXACT;
				sw = MW_REF_EXACT;
			} else if (ends_with(run, vd) || (strlen(run) >= 4 &&
			    ends_with(vd, run))) {
				s = lvd >= 4 && strlen(run) >= 4 ? MATCH_W_REF_SUFFIX :
				    MATCH_W_REF_SHORT;
				sw = MW_REF_SUFFIX;
			} else if (lvd >= 4 && !strncmp(run, vd, lvd)) {
				s = MATCH_W_REF_PREFIX;
				sw = MW_REF_PREFIX;
			} else if (lvd >= 6 && strlen(run) >= 6 && match_one_edit(run, vd)) {
				s = MATCH_W_REF_EDIT;
				sw = MW_REF_EDIT;
			}
			if (s > best) {
				best = s;
				bw = sw;
			}
		}
	}
	if (best != INT_MIN) {
		*why = bw;
		return best;
	}
	/* Both sides have numbers and none agrees: evidence against. */
	if (lvd >= 4 && any_number) {
		*why = MW_REF_CONFLICT;
		return MATCH_W_REF_CONFLICT;
	}
	*why = MW_REF_NONE;
	return 0;
}

/* ---- payer ------------------------------------------------------------------- */

bool
match_same_payer(const struct match_voucher *v, const struct match_movement *m)
{
	char a[MATCH_REF_MAX], b[MATCH_REF_MAX];
	if (v->payer_id[0] && m->party_id[0]) {
		match_norm_ref(v->payer_id, a);
		match_norm_ref(m->party_id, b);
		if (a[0] && !strcmp(a, b))
			return true;
	}
	if (!v->payer_name[0] || !m->party_name[0])
		return false;
	int common = 0;
	const char *p = v->payer_name;
	while (*p && common < 2) {
		while (*p == ' ')
			p++;
		const char *w = p;
		while (*p && *p != ' ')
			p++;
		size_t l = (size_t)(p - w);
		if (l < 3 || l >= sizeof a)
			continue;
		memcpy(a, w, l);
		a[l] = '\0';
		/* Case-insensitive word search (ASCII letters). */
		for (const char *q = m->party_name; *q; q++) {
			size_t k = 0;
			while (k < l && q[k] && (q[k] | 32) == (a[k] | 32))
				k++;
			if (k == l && (q == m->party_name || q[-1] == ' ') &&
			    (!q[l] || q[l] == ' ')) {
				common++;
				break;
			}
		}
	}
	return common >= 2;
}

/* ---- candidates --------------------------------------------------------------- */

struct edge {
	uint32_t v, m;
	int score;
	unsigned why;
	int days;
};

/* Movements sorted by (amount, account, day) — the vouchers that name
 * their account — and by (amount, day) for those that do not. */
struct amt_ix {
	int64_t amount;
	int64_t account;
	int day;
	uint32_t m;
};

static int
cmp_day(const void *a, const void *b)
{
	const struct amt_ix *x = a, *y = b;
	if (x->amount != y->amount)
		return x->amount < y->amount ? -1 : 1;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->m < y->m ? -1 : x->m > y->m;
}

static int
cmp_acct(const void *a, const void *b)
{
	const struct amt_ix *x = a, *y = b;
	if (x->amount != y->amount || x->account == y->account)
		return cmp_day(a, b);
	return x->account < y->account ? -1 : 1;
}

/* First index not below key under cmp. */
static size_t
lower(const struct amt_ix *ix, size_t n, const struct amt_ix *key,
    int (*cmp)(const void *, const void *))
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cmp(&ix[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct builder {
	const struct match_voucher *v;
	const struct match_movement *m;
	const struct match_params *p;
	const struct amt_ix *by_acct, *by_day;
	size_t nix;
	int lo_pad, hi_pad;  /* calendar days that cover the business window */
	struct edge *e;
	size_t n, cap;
	uint32_t *stamp;     /* per movement: last voucher+1 that saw it */
	char vn[MATCH_REF_MAX], vd[MATCH_REF_MAX], vr[MATCH_REF_MAX];
	                     /* the current voucher's ref (see ref_score) */
	cb_err err;
};

static void
consider(struct builder *b, uint32_t vi, uint32_t mi, unsigned amt_why,
    int shared)
{
	const struct match_voucher *v = &b->v[vi];
	const struct match_movement *m = &b->m[mi];
	if (b->stamp[mi] == vi + 1)
		return; /* already seen for this voucher (two amount probes) */
	b->stamp[mi] = vi + 1;
	if (m->used || !m->credit || !m->booked ||
	    (v->account && v->account != m->account) ||
	    memcmp(m->currency, v->currency, 3) != 0)
		return;
	int days = match_business_days(v->day, m->day);
	if (days < -b->p->days_before || days > b->p->days_after)
		return;
	if (amt_why == MW_AMT_TYPO && !b->vd[0] && !b->vn[0])
		return; /* a typo'd amount needs a reference to stand on */
	unsigned rw;
	int s = ref_score(b->vn, b->vd, b->vr, m->refs, &rw);
	bool long_ref = strlen(b->vd) >= 6 || strlen(b->vn) >= 6;
	if (amt_why == MW_AMT_REF) {
		/* Seed 002: the voucher's amount is referential.  A movement
		 * that carries its whole reference is its payment at the bank's
		 * amount: within a quarter of what the client typed for a long
		 * reference, a tenth for a short one (then a person confirms). */
		if (!(rw & MW_REF_EXACT) || !match_amount_near(v->amount_minor,
		    m->amount_minor, long_ref))
			return;
	}
	s += amt_why == MW_AMT_EXACT ? MATCH_W_AMT_EXACT : amt_why == MW_AMT_FEE ?
	    MATCH_W_AMT_FEE : amt_why == MW_AMT_REF ? (long_ref ? MATCH_W_AMT_REF :
	    MATCH_W_AMT_REF_SHORT) : MATCH_W_AMT_TYPO;
	s += MATCH_W_DATE - MATCH_W_DAY * abs(days);
	unsigned why = rw | amt_why;
	if (match_same_payer(v, m)) {
		s += MATCH_W_PAYER;
		why |= MW_PAYER;
		/* No number to go by: the payer, the day and the exact amount
		 * together may carry it (when nothing else fits as well). */
		if ((rw & MW_REF_NONE) && amt_why == MW_AMT_EXACT && days == 0)
			s += MATCH_W_NOREF_TWIN;
	}
	if (shared > 1) {
		int pen = (int)(4.0 * log2((double)shared));
		s -= pen > MATCH_W_SHARED_MAX ? MATCH_W_SHARED_MAX : pen;
		why |= MW_SHARED_AMOUNT;
	}
	/* A typo'd amount needs a reference to stand on. */
	if (amt_why == MW_AMT_TYPO && !(rw & (MW_REF_EXACT | MW_REF_SUFFIX |
	    MW_REF_PREFIX | MW_REF_EDIT)))
		return;
	if (s < b->p->min_score)
		return;
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 1024;
		struct edge *e = realloc(b->e, cap * sizeof *e);
		if (!e) {
			b->err = CB_ENOMEM;
			return;
		}
		b->e = e;
		b->cap = cap;
	}
	b->e[b->n++] = (struct edge){vi, mi, s, why, days};
}

/* The movements of one amount in the voucher's account (or any) and
 * calendar window. */
static void
probe(struct builder *b, uint32_t vi, int64_t amount, unsigned why, int shared)
{
	const struct match_voucher *v = &b->v[vi];
	struct amt_ix key = {amount, v->account, v->day - b->lo_pad, 0};
	int hi = v->day + b->hi_pad;
	if (v->account) {
		for (size_t i = lower(b->by_acct, b->nix, &key, cmp_acct); i < b->nix &&
		    b->by_acct[i].amount == amount && b->by_acct[i].account ==
		    v->account && b->by_acct[i].day <= hi; i++)
			consider(b, vi, b->by_acct[i].m, why, shared);
	} else
		for (size_t i = lower(b->by_day, b->nix, &key, cmp_day); i < b->nix &&
		    b->by_day[i].amount == amount && b->by_day[i].day <= hi; i++)
			consider(b, vi, b->by_day[i].m, why, shared);
}

/* Amounts one digit away: each digit changed, or two neighbours swapped. */
static void
probe_typos(struct builder *b, uint32_t vi, int64_t amount, int shared)
{
	char s[24], t[24];
	int n = snprintf(s, sizeof s, "%lld", (long long)amount);
	for (int i = 0; i < n; i++) {
		for (char d = '0'; d <= '9'; d++) {
			if (d == s[i] || (i == 0 && d == '0'))
				continue;
			memcpy(t, s, (size_t)n + 1);
			t[i] = d;
			probe(b, vi, strtoll(t, NULL, 10), MW_AMT_TYPO, shared);
		}
		if (i + 1 < n && s[i] != s[i + 1] && !(i == 0 && s[1] == '0')) {
			memcpy(t, s, (size_t)n + 1);
			t[i] = s[i + 1];
			t[i + 1] = s[i];
			probe(b, vi, strtoll(t, NULL, 10), MW_AMT_TYPO, shared);
		}
	}
}

/* How many open vouchers share each voucher's amount in its own account
 * and currency: another merchant's account, or another currency, never
 * weighs on this one's verdict. */
struct share_key {
	int64_t amount, account;
	char currency[4];
	uint32_t v;
};

static int
cmp_share(const void *a, const void *b)
{
	const struct share_key *x = a, *y = b;
	if (x->amount != y->amount)
		return x->amount < y->amount ? -1 : 1;
	if (x->account != y->account)
		return x->account < y->account ? -1 : 1;
	return memcmp(x->currency, y->currency, 3);
}

static int *
shared_counts(const struct match_voucher *v, size_t nv)
{
	struct share_key *ix = malloc((nv ? nv : 1) * sizeof *ix);
	int *out = calloc(nv ? nv : 1, sizeof *out);
	if (!ix || !out) {
		free(ix);
		free(out);
		return NULL;
	}
	for (size_t i = 0; i < nv; i++) {
		ix[i] = (struct share_key){v[i].amount_minor, v[i].account, "",
		    (uint32_t)i};
		memcpy(ix[i].currency, v[i].currency, 4);
	}
	qsort(ix, nv, sizeof *ix, cmp_share);
	for (size_t i = 0; i < nv;) {
		size_t j = i;
		while (j < nv && !cmp_share(&ix[j], &ix[i]))
			j++;
		for (size_t k = i; k < j; k++)
			out[ix[k].v] = (int)(j - i);
		i = j;
	}
	free(ix);
	return out;
}

/* Movements by the references they carry (words and digit runs of 4 or
 * more, normalised as ref_score compares them): where a voucher's whole
 * reference leads to a movement of another amount. */
struct ref_ix {
	uint64_t h;
	uint32_t m;
};

static uint64_t
ref_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static int
cmp_ref_ix(const void *a, const void *b)
{
	const struct ref_ix *x = a, *y = b;
	return x->h < y->h ? -1 : x->h > y->h ? 1 : (x->m > y->m) - (x->m < y->m);
}

bool
match_amount_near(int64_t voucher, int64_t bank, bool long_ref)
{
	int64_t d = bank - voucher;
	if (d < 0)
		d = -d;
	return long_ref ? d * 4 <= voucher : d * 10 <= voucher;
}

static bool
ref_push(struct ref_ix **ix, size_t *n, size_t *cap, const char *tok,
    uint32_t mi)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 1024;
		struct ref_ix *x = realloc(*ix, c * sizeof *x);
		if (!x)
			return false;
		*ix = x;
		*cap = c;
	}
	(*ix)[(*n)++] = (struct ref_ix){ref_hash(tok), mi};
	return true;
}

/* Appends the tokens of text for movement mi; false when out of memory. */
static bool
ref_tokens(struct ref_ix **ix, size_t *n, size_t *cap, const char *text,
    uint32_t mi)
{
	for (const char *p = text; *p;) {
		while (*p && !((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= 'a' && *p <= 'z')))
			p++;
		const char *w = p;
		while (*p && ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= 'a' && *p <= 'z')))
			p++;
		size_t wl = (size_t)(p - w);
		if (wl < 4 || wl >= MATCH_REF_MAX)
			continue;
		char word[MATCH_REF_MAX], tok[MATCH_REF_MAX];
		memcpy(word, w, wl);
		word[wl] = '\0';
		match_norm_ref(word, tok);
		if (strlen(tok) >= 4 && !ref_push(ix, n, cap, tok, mi))
			return false;
		/* Digit runs inside a word of letters and digits. */
		for (const char *q = word; *q;) {
			while (*q && (*q < '0' || *q > '9'))
				q++;
			const char *d = q;
			while (*q >= '0' && *q <= '9')
				q++;
			while (d < q && *d == '0')
				d++;
			size_t dl = (size_t)(q - d);
			if (dl < 4 || dl == strlen(tok))
				continue; /* short, or the word itself */
			char run[MATCH_REF_MAX];
			memcpy(run, d, dl);
			run[dl] = '\0';
			if (!ref_push(ix, n, cap, run, mi))
				return false;
		}
	}
	return true;
}

/* The movements whose references hold key (4+ characters). */
static void
probe_ref(struct builder *b, const struct ref_ix *ix, size_t n, uint32_t vi,
    const char *key, int shared)
{
	if (strlen(key) < 4)
		return;
	struct ref_ix k = {ref_hash(key), 0};
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cmp_ref_ix(&ix[mid], &k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < n && ix[lo].h == k.h; lo++)
		consider(b, vi, ix[lo].m, MW_AMT_REF, shared);
}

/* ---- assignment ---------------------------------------------------------------- */

static uint32_t
find(uint32_t *parent, uint32_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

/* Hungarian method (Kuhn–Munkres, potentials) maximising total score on
 * an n × n matrix w (0 = no edge).  assign[row] = column. */
static cb_err
hungarian(const int *w, int n, int *assign)
{
	const long INF = LONG_MAX / 4;
	long *u = calloc((size_t)n + 1, sizeof *u), *vv = calloc((size_t)n + 1,
	    sizeof *vv), *minv = malloc(((size_t)n + 1) * sizeof *minv);
	int *p = calloc((size_t)n + 1, sizeof *p), *way = calloc((size_t)n + 1,
	    sizeof *way);
	char *used = malloc((size_t)n + 1);
	cb_err e = CB_OK;
	if (!u || !vv || !minv || !p || !way || !used) {
		e = CB_ENOMEM;
		goto out;
	}
	int maxw = 0;
	for (int i = 0; i < n * n; i++)
		maxw = w[i] > maxw ? w[i] : maxw;
	for (int i = 1; i <= n; i++) {
		p[0] = i;
		int j0 = 0;
		for (int j = 0; j <= n; j++) {
			minv[j] = INF;
			used[j] = 0;
		}
		do {
			used[j0] = 1;
			int i0 = p[j0], j1 = 0;
			long delta = INF;
			for (int j = 1; j <= n; j++)
				if (!used[j]) {
					long cost = (long)maxw - w[(i0 - 1) * n + (j - 1)];
					long cur = cost - u[i0] - vv[j];
					if (cur < minv[j]) {
						minv[j] = cur;
						way[j] = j0;
					}
					if (minv[j] < delta) {
						delta = minv[j];
						j1 = j;
					}
				}
			for (int j = 0; j <= n; j++)
				if (used[j]) {
					u[p[j]] += delta;
					vv[j] -= delta;
				} else
					minv[j] -= delta;
			j0 = j1;
		} while (p[j0] != 0);
		do {
			int j1 = way[j0];
			p[j0] = p[j1];
			j0 = j1;
		} while (j0);
	}
	for (int j = 1; j <= n; j++)
		if (p[j])
			assign[p[j] - 1] = j - 1;
out:
	free(u);
	free(vv);
	free(minv);
	free(p);
	free(way);
	free(used);
	return e;
}

static int
cmp_edge_comp(const void *a, const void *b, void *arg)
{
	const struct edge *x = a, *y = b;
	uint32_t *comp = arg;
	if (comp[x->v] != comp[y->v])
		return comp[x->v] < comp[y->v] ? -1 : 1;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->m < y->m ? -1 : x->m > y->m;
}

/* Groups bigger than this are assigned best-first instead (rare: many
 * vouchers with one amount on one day, which review will see anyway). */
#define HUNGARIAN_MAX 300

/* vpos / mpos: scratch, -1 everywhere on entry and on return. */
static cb_err
assign_group(const struct edge *e, size_t n, uint32_t *vmatch, int *vscore,
    int32_t *vpos, int32_t *mpos)
{
	/* Rows: the group's vouchers; columns: its movements. */
	uint32_t *vs = malloc(n * sizeof *vs), *ms = malloc(n * sizeof *ms);
	int *w = NULL, *as = NULL;
	uint32_t nvs = 0, nms = 0;
	cb_err err = CB_OK;
	if (!vs || !ms) {
		err = CB_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (vpos[e[i].v] < 0) {
			vpos[e[i].v] = (int32_t)nvs;
			vs[nvs++] = e[i].v;
		}
		if (mpos[e[i].m] < 0) {
			mpos[e[i].m] = (int32_t)nms;
			ms[nms++] = e[i].m;
		}
	}
	size_t dim = nvs > nms ? nvs : nms;
	if (dim > HUNGARIAN_MAX) {
		/* Best first (edges come sorted by score). */
		char *taken = calloc(nms, 1);
		if (!taken) {
			err = CB_ENOMEM;
			goto out;
		}
		for (size_t i = 0; i < n; i++)
			if (vmatch[e[i].v] == UINT32_MAX && !taken[mpos[e[i].m]]) {
				vmatch[e[i].v] = e[i].m;
				vscore[e[i].v] = e[i].score;
				taken[mpos[e[i].m]] = 1;
			}
		free(taken);
		goto out;
	}
	if (dim == 1) {
		vmatch[vs[0]] = ms[0];
		vscore[vs[0]] = e[0].score;
		goto out;
	}
	w = calloc(dim * dim, sizeof *w);
	as = malloc(dim * sizeof *as);
	if (!w || !as) {
		err = CB_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		size_t r = (size_t)vpos[e[i].v], c = (size_t)mpos[e[i].m];
		if (e[i].score > w[r * dim + c])
			w[r * dim + c] = e[i].score;
	}
	if ((err = hungarian(w, (int)dim, as)) != CB_OK)
		goto out;
	for (size_t r = 0; r < nvs; r++) {
		size_t c = (size_t)as[r];
		if (c < nms && w[r * dim + c] > 0) {
			vmatch[vs[r]] = ms[c];
			vscore[vs[r]] = w[r * dim + c];
		}
	}
out:
	for (uint32_t i = 0; vs && i < nvs; i++)
		vpos[vs[i]] = -1;
	for (uint32_t i = 0; ms && i < nms; i++)
		mpos[ms[i]] = -1;
	free(w);
	free(as);
	free(vs);
	free(ms);
	return err;
}

cb_err
match_run(const struct match_voucher *v, size_t nv,
    const struct match_movement *m, size_t nm, const struct match_params *p,
    struct match_result *out)
{
	struct builder b = {.v = v, .m = m, .p = p};
	cb_err err = CB_OK;
	uint32_t *parent = NULL, *comp = NULL, *vmatch = NULL;
	int32_t *vpos = NULL, *mpos = NULL;
	int *vscore = NULL, *mbest = NULL, *shared = NULL;
	struct amt_ix *ix = malloc((nm ? nm : 1) * sizeof *ix);
	struct amt_ix *ix2 = malloc((nm ? nm : 1) * sizeof *ix2);
	b.stamp = calloc(nm ? nm : 1, sizeof *b.stamp);
	shared = shared_counts(v, nv);
	struct ref_ix *rix = NULL;
	size_t nrix = 0, caprix = 0;
	if (!ix || !ix2 || !b.stamp || !shared) {
		err = CB_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < nm; i++)
		if (m[i].credit && m[i].booked && !m[i].used &&
		    !ref_tokens(&rix, &nrix, &caprix, m[i].refs, (uint32_t)i)) {
			err = CB_ENOMEM;
			goto out;
		}
	if (nrix)
		qsort(rix, nrix, sizeof *rix, cmp_ref_ix);
	for (size_t i = 0; i < nm; i++)
		ix[i] = ix2[i] = (struct amt_ix){m[i].amount_minor, m[i].account,
		    m[i].day, (uint32_t)i};
	qsort(ix, nm, sizeof *ix, cmp_acct);
	qsort(ix2, nm, sizeof *ix2, cmp_day);
	b.by_acct = ix;
	b.by_day = ix2;
	b.nix = nm;
	/* A business day is at most 3 calendar days away (a weekend between);
	 * the exact window is checked per pair. */
	b.lo_pad = p->days_before + 2 * (p->days_before / 5 + 1);
	b.hi_pad = p->days_after + 2 * (p->days_after / 5 + 1);

	/* Candidates: exact amount, short by a fee, one digit off. */
	for (uint32_t i = 0; i < nv && b.err == CB_OK; i++) {
		match_norm_ref(v[i].ref, b.vn);
		voucher_digits(v[i].ref, b.vd, b.vr);
		if (placeholder_ref(b.vn))
			b.vn[0] = b.vd[0] = b.vr[0] = '\0';
		probe(&b, i, v[i].amount_minor, MW_AMT_EXACT, shared[i]);
		if (p->fee_tolerance > 0) {
			/* Short by a fee: every amount in [a - tolerance, a). */
			struct amt_ix key = {v[i].amount_minor - p->fee_tolerance, 0,
			    INT_MIN, 0};
			int dlo = v[i].day - b.lo_pad, dhi = v[i].day + b.hi_pad;
			for (size_t k = lower(ix2, nm, &key, cmp_day); k < nm &&
			    ix2[k].amount < v[i].amount_minor; k++)
				if (ix2[k].day >= dlo && ix2[k].day <= dhi)
					consider(&b, i, ix2[k].m, MW_AMT_FEE, shared[i]);
		}
		probe_typos(&b, i, v[i].amount_minor, shared[i]);
		/* Another amount under the voucher's whole reference (after
		 * the exact probes: a movement is considered once a voucher). */
		probe_ref(&b, rix, nrix, i, b.vd, shared[i]);
		if (strcmp(b.vn, b.vd))
			probe_ref(&b, rix, nrix, i, b.vn, shared[i]);
	}
	if ((err = b.err) != CB_OK)
		goto out;

	/* Connected groups: union vouchers and movements along edges. */
	size_t nn = nv + nm;
	parent = malloc((nn ? nn : 1) * sizeof *parent);
	comp = malloc((nv ? nv : 1) * sizeof *comp);
	vmatch = malloc((nv ? nv : 1) * sizeof *vmatch);
	vscore = calloc(nv ? nv : 1, sizeof *vscore);
	mbest = calloc(nm ? nm : 1, sizeof *mbest);
	vpos = malloc((nv ? nv : 1) * sizeof *vpos);
	mpos = malloc((nm ? nm : 1) * sizeof *mpos);
	if (!parent || !comp || !vmatch || !vscore || !mbest || !vpos || !mpos) {
		err = CB_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < nn; i++)
		parent[i] = (uint32_t)i;
	for (size_t i = 0; i < b.n; i++) {
		uint32_t a = find(parent, b.e[i].v), c = find(parent,
		    (uint32_t)nv + b.e[i].m);
		if (a != c)
			parent[a] = c;
	}
	for (size_t i = 0; i < nv; i++) {
		comp[i] = find(parent, (uint32_t)i);
		vmatch[i] = UINT32_MAX;
		vpos[i] = -1;
	}
	for (size_t i = 0; i < nm; i++)
		mpos[i] = -1;
	if (b.n) /* qsort_r must not be handed NULL, even for no edges */
		qsort_r(b.e, b.n, sizeof *b.e, cmp_edge_comp, comp);
	for (size_t i = 0; i < b.n;) {
		size_t j = i;
		while (j < b.n && comp[b.e[j].v] == comp[b.e[i].v])
			j++;
		if ((err = assign_group(b.e + i, j - i, vmatch, vscore, vpos, mpos)) !=
		    CB_OK)
			goto out;
		i = j;
	}

	/* Decide.  The runner-up of a pair: the voucher's next best movement
	 * and the movement's best other voucher. */
	for (size_t i = 0; i < nv; i++) {
		memset(&out[i], 0, sizeof out[i]);
		out[i].voucher = v[i].id;
	}
	for (size_t i = 0; i < b.n; i++) {
		const struct edge *x = &b.e[i];
		struct match_result *r = &out[x->v];
		r->ncand++;
		if (r->ncand <= MATCH_TOP) /* edges of a voucher come best first */
			r->top[r->ncand - 1] = (struct match_candidate){m[x->m].id,
			    x->score, x->why, x->days};
	}
	for (size_t i = 0; i < b.n; i++) {
		const struct edge *x = &b.e[i];
		if (vmatch[x->v] != x->m && x->score > mbest[x->m])
			mbest[x->m] = x->score; /* best rival for this movement */
	}
	for (size_t i = 0; i < nv; i++) {
		struct match_result *r = &out[i];
		if (!r->ncand)
			continue;
		if (vmatch[i] == UINT32_MAX) {
			r->decision = MATCH_REVIEW; /* its candidates went elsewhere */
			continue;
		}
		int other_v = 0;
		for (size_t k = 0; k < r->ncand && k < MATCH_TOP; k++)
			if (r->top[k].movement != m[vmatch[i]].id) {
				other_v = r->top[k].score;
				break;
			}
		int rival = other_v > mbest[vmatch[i]] ? other_v : mbest[vmatch[i]];
		r->movement = m[vmatch[i]].id;
		r->score = vscore[i];
		r->decision = vscore[i] >= p->auto_score && vscore[i] - rival >=
		    p->margin ? MATCH_AUTO : MATCH_REVIEW;
	}
out:
	free(rix);
	free(ix);
	free(ix2);
	free(b.stamp);
	free(b.e);
	free(shared);
	free(parent);
	free(comp);
	free(vmatch);
	free(vscore);
	free(mbest);
	free(vpos);
	free(mpos);
	return err;
}
