/* match_explain.c — why no movement may pay a voucher (see match.h):
 * the reason an invalid voucher is given once the bank's statements cover
 * its window, strongest first: the movement that fits it (reference and
 * amount) already paid another voucher, a duplicate; a movement carrying
 * its reference for another amount; one of its amount with another
 * reference; nothing. */
#include <stdio.h>
#include <string.h>

#include "core/match.h"

static const char *const names[] = {"no_movement", "reference_conflict",
    "amount_conflict", "movement_used"};

const char *
match_invalid_name(enum match_invalid r)
{
	return r >= MI_NO_MOVEMENT && r <= MI_USED ? names[r] : "";
}

void
match_window(int day, const struct match_params *p, int *from, int *to)
{
	*from = *to = day;
	while (match_business_days(*from, day) < p->days_before)
		(*from)--;
	/* The last calendar day still within days_after business days. */
	while (match_business_days(day, *to + 1) <= p->days_after)
		(*to)++;
}

/* Exact, short by a bank fee, or one digit off / two swapped. */
static bool
amount_fits(int64_t voucher, int64_t bank, int64_t fee)
{
	char a[24], b[24];
	if (voucher == bank || (bank < voucher && voucher - bank <= fee))
		return true;
	snprintf(a, sizeof a, "%lld", (long long)voucher);
	snprintf(b, sizeof b, "%lld", (long long)bank);
	return strlen(a) == strlen(b) && match_one_edit(a, b);
}

enum match_invalid
match_explain(const struct match_voucher *v, const struct match_movement *m,
    size_t nm, const struct match_params *p, int64_t *movement, int64_t *other)
{
	enum match_invalid best = MI_NO_MOVEMENT;
	*movement = *other = 0;
	for (size_t i = 0; i < nm; i++) {
		const struct match_movement *x = &m[i];
		if (!x->credit || !x->booked || (v->account && x->account != v->account) ||
		    memcmp(x->currency, v->currency, 3) != 0)
			continue;
		int days = match_business_days(v->day, x->day);
		if (days < -p->days_before || days > p->days_after)
			continue;
		unsigned why;
		match_ref_score(v->ref, x->refs, &why);
		bool ref_ok = why & (MW_REF_EXACT | MW_REF_SUFFIX | MW_REF_PREFIX |
		    MW_REF_EDIT);
		bool amt_ok = amount_fits(v->amount_minor, x->amount_minor,
		    p->fee_tolerance);
		enum match_invalid r = best;
		if (x->used && amt_ok && ref_ok)
			r = MI_USED;
		else if (!x->used && ref_ok && !amt_ok)
			r = MI_AMOUNT_CONFLICT;
		else if (!x->used && amt_ok && (why & MW_REF_CONFLICT))
			r = MI_REFERENCE_CONFLICT;
		if (r > best) {
			best = r;
			*movement = x->id;
			*other = r == MI_USED ? x->used_by : 0;
		}
	}
	return best;
}
