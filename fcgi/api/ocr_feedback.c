/* ocr_feedback.c — see ocr_feedback.h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "api/ocr_feedback.h"
#include "core/money.h"
#include "store/ocr_corrections.h"

/* What OCR read for field, from ocrData's "fields", or NULL. */
static const char *
ocr_value(json_object *fields, const char *field)
{
	json_object *f, *v;
	if (!json_object_object_get_ex(fields, field, &f) ||
	    !json_object_object_get_ex(f, "value", &v))
		return NULL;
	return json_object_get_string(v);
}

cb_err
ocr_feedback_record(struct db_conn *db, const struct payment_row *p,
    int64_t reviewer_id, const struct ocr_feedback_how *how)
{
	if (!p->ocr_data)
		return CB_OK;
	json_object *root = json_tokener_parse(p->ocr_data), *fields = NULL;
	if (!root || !json_object_object_get_ex(root, "fields", &fields)) {
		json_object_put(root);
		return CB_OK; /* a failed reading: nothing was read to correct */
	}
	char amount[48] = "";
	int ex = p->has_amount ? currency_exponent(p->currency) : -1;
	if (ex >= 0 && ex <= 2) {
		int64_t m = p->amount_minor;
		for (int k = ex; k < 2; k++)
			m *= 10;
		money_format(m, 2, amount, sizeof amount);
	}
	const struct { const char *field, *value; bool nocase, clicked; } v[] = {
		{"amount", amount, false, how && how->amount},
		{"date", p->transaction_date, false, how && how->date},
		{"reference", p->reference, true, how && how->reference},
	};
	cb_err e = CB_OK;
	for (size_t i = 0; i < sizeof v / sizeof v[0] && e == CB_OK; i++) {
		const char *ocr = ocr_value(fields, v[i].field);
		if (!v[i].value[0])
			continue; /* approved without it: nothing to learn */
		if (ocr && (v[i].nocase ? strcasecmp(ocr, v[i].value) :
		    strcmp(ocr, v[i].value)) == 0)
			continue;
		e = ocr_corrections_add(db, p->id, v[i].field, ocr, v[i].value,
		    v[i].clicked ? "clicked" : "typed", reviewer_id);
	}
	json_object_put(root);
	return e;
}
