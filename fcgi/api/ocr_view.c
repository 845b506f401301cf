/* ocr_view.c — see ocr_view.h. */
#include <string.h>

#include "api/common.h"
#include "api/ocr_view.h"
#include "util/jsonx.h"

static json_object *
stored(const struct payment_row *r)
{
	return r->ocr_data ? json_tokener_parse(r->ocr_data) : NULL;
}

static json_object *
get(json_object *o, const char *k)
{
	json_object *v = NULL;
	return o && json_object_object_get_ex(o, k, &v) ? v : NULL;
}

static json_object *
ref(json_object *v)
{
	return v ? json_object_get(v) : NULL;
}

static const struct { const char *ours, *seed, *conf; } names[] = {
	{"amount", "extractedAmount", "amount"},
	{"currency", "extractedCurrency", "currency"},
	{"date", "extractedDate", "date"},
	{"reference", "extractedReference", "reference"},
	{"bankCode", "extractedBankCode", "bankCode"},
	{"paymentMethod", "extractedPaymentMethod", "paymentMethod"},
};
#define NNAMES (sizeof names / sizeof names[0])

static json_object *
confidences(json_object *fields)
{
	json_object *c = jx_object();
	for (size_t i = 0; i < NNAMES; i++) {
		json_object *f = get(fields, names[i].ours);
		jx_add(c, names[i].conf, ref(get(f, "confidence")));
	}
	return c;
}

json_object *
ocr_view_data(const struct payment_row *r)
{
	json_object *s = stored(r);
	json_object *fields = get(s, "fields");
	if (!s || !fields) {
		json_object_put(s);
		return NULL;
	}
	json_object *o = jx_object();
	json_object *cur = get(get(fields, "currency"), "value");
	for (size_t i = 0; i < NNAMES; i++) {
		json_object *f = get(fields, names[i].ours), *v = NULL;
		if (f && strcmp(names[i].ours, "amount") == 0) {
			json_object *minor = get(f, "minor");
			v = minor ? api_money(json_object_get_int64(minor),
			    cur ? json_object_get_string(cur) : "GTQ") : NULL;
		} else if (f)
			v = ref(get(f, "value"));
		jx_add(o, names[i].seed, v);
	}
	jx_add(o, "confidence", confidences(fields));
	json_object *boxes = jx_object();
	for (size_t i = 0; i < NNAMES; i++)
		jx_add(boxes, names[i].ours,
		    ref(get(get(fields, names[i].ours), "at")));
	jx_add(o, "boxes", boxes);
	jx_add(o, "source", ref(get(s, "source")));
	jx_add(o, "pages", ref(get(s, "pages")));
	jx_add(o, "rotation", ref(get(s, "rotation")));
	json_object_put(s);
	return o;
}

json_object *
ocr_view_review_flag(const struct payment_row *r)
{
	bool pending = !strcmp(r->receipt_status, "fetching") ||
	    (r->document_key[0] && (!r->ocr_status[0] ||
	        !strcmp(r->ocr_status, "processing")));
	return pending && !r->requires_manual_review ? NULL :
	    jx_bool(r->requires_manual_review);
}

json_object *
ocr_view_result(const struct payment_row *r)
{
	if (!r->document_key[0])
		return NULL;
	json_object *s = stored(r);
	json_object *o = jx_object();
	jx_add(o, "status", jx_string(
	    r->ocr_status[0] ? r->ocr_status : "processing"));
	jx_add(o, "requiresManualReview",
	    ocr_view_review_flag(r));
	json_object *fields = get(s, "fields");
	jx_add(o, "confidence", fields ? confidences(fields) :
	    jx_object());
	jx_add(o, "reasons", s && get(s, "reasons") ?
	    ref(get(s, "reasons")) : jx_array());
	jx_add(o, "duplicateOf", r->duplicate_of ?
	    jx_int64(r->duplicate_of) : NULL);
	if (get(s, "error"))
		jx_add(o, "error", ref(get(s, "error")));
	json_object_put(s);
	return o;
}

json_object *
ocr_view_full(const struct payment_row *r)
{
	return stored(r);
}
