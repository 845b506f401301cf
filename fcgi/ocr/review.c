/* review.c — see review.h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/review_reason.h"
#include "ocr/review.h"
#include "util/codec.h"

/* Appends whole sentences only: a reason is never cut in a character. */
static void
add(char *r, size_t len, const char *msg)
{
	size_t u = strlen(r);
	if (u + 2 + strlen(msg) < len)
		snprintf(r + u, len - u, "%s%s", u ? "; " : "", msg);
}

static void
check(const struct ocr_field *f, const char *manual, const char *name,
    char *r, size_t len, bool required, bool *need)
{
	char msg[200], seen[61], sent[61];
	if (manual && *manual) {
		if (f->found && f->conf >= 0.5f && strcasecmp(f->value, manual) != 0) {
			utf8_copy(seen, sizeof seen, f->value);
			utf8_copy(sent, sizeof sent, manual);
			review_reason_format(msg, sizeof msg, "disagrees", name, seen,
			    sent);
			add(r, len, msg);
			*need = true;
		}
		return;
	}
	if (!required)
		return;
	if (!f->found) {
		review_reason_format(msg, sizeof msg, "missing", name, NULL, NULL);
		add(r, len, msg);
		*need = true;
	} else if (f->conf < OCR_TRUST) {
		char conf[16];
		snprintf(conf, sizeof conf, "%.2f", (double)f->conf);
		review_reason_format(msg, sizeof msg, "low_confidence", name, conf,
		    NULL);
		add(r, len, msg);
		*need = true;
	}
}

bool
ocr_review(const struct ocr_fields *f, const struct manual_values *m,
    char *r, size_t len)
{
	bool need = false;
	char amount[32] = "";
	r[0] = '\0';
	if (m->has_amount)
		snprintf(amount, sizeof amount, "%lld.%02lld",
		    (long long)(m->amount_minor / 100),
		    (long long)(m->amount_minor % 100));
	check(&f->amount, amount, "amount", r, len, true, &need);
	check(&f->date, m->date, "transactionDate", r, len, true, &need);
	check(&f->reference, m->reference, "reference", r, len, true, &need);
	check(&f->bank, m->bank_code, "bankCode", r, len, false, &need);
	return need;
}
