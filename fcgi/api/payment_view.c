/* payment_view.c — see payment_view.h. */
#include <stdio.h>

#include "api/common.h"
#include "api/ocr_view.h"
#include "api/payment_view.h"
#include "core/review_reason.h"
#include "util/jsonx.h"

/* reviewReason as codes: [{"code", "field", "values", "text"}] (the
 * words of each in English; the review pages say them in their reader's
 * language from the codes). */
static json_object *
reasons_json(const char *text)
{
	struct review_reason rs[REVIEW_REASONS_MAX];
	size_t n = review_reasons_parse(text, rs, REVIEW_REASONS_MAX);
	json_object *arr = jx_array();
	for (size_t i = 0; i < n; i++) {
		char sentence[600];
		json_object *o = jx_object(), *v = jx_array();
		jx_add(o, "code", jx_string(rs[i].code));
		jx_add(o, "field", api_str_or_null(rs[i].field));
		if (rs[i].a[0])
			jx_push(v, jx_string(rs[i].a));
		if (rs[i].b[0])
			jx_push(v, jx_string(rs[i].b));
		jx_add(o, "values", v);
		if (!review_reason_format(sentence, sizeof sentence, rs[i].code,
		    rs[i].field, rs[i].a, rs[i].b))
			snprintf(sentence, sizeof sentence, "%s", rs[i].a);
		jx_add(o, "text", jx_string(sentence));
		jx_push(arr, o);
	}
	return arr;
}

json_object *
payment_view_json(const struct payment_row *r, const char *base)
{
	json_object *o = jx_object();
	jx_add(o, "paymentId", jx_int64(r->id));
	jx_add(o, "customerId", jx_int64(r->customer_id));
	jx_add(o, "invoiceId",
	    r->invoice_id ? jx_int64(r->invoice_id) : NULL);
	jx_add(o, "amount",
	    r->has_amount ? api_money(r->amount_minor, r->currency) : NULL);
	jx_add(o, "currency", jx_string(r->currency));
	jx_add(o, "paymentMethod", api_str_or_null(r->payment_method));
	jx_add(o, "bankCode", api_str_or_null(r->bank_code));
	jx_add(o, "reference", api_str_or_null(r->reference));
	jx_add(o, "transactionDate",
	    api_str_or_null(r->transaction_date));
	jx_add(o, "bankAccountId", api_str_or_null(r->bank_account));
	jx_add(o, "bankOperationNumber",
	    api_str_or_null(r->bank_operation_number));
	jx_add(o, "bankValidation", jx_bool(
	    r->bank_validation));
	/* What the voucher said, once the bank's record replaced it. */
	if (r->has_voucher_amount || r->voucher_date[0]) {
		json_object *v = jx_object();
		jx_add(v, "amount", r->has_voucher_amount ?
		    api_money(r->voucher_amount_minor, r->currency) : NULL);
		jx_add(v, "transactionDate",
		    api_str_or_null(r->voucher_date));
		jx_add(o, "voucher", v);
	} else
		jx_add(o, "voucher", NULL);
	jx_add(o, "status", jx_string(r->status));
	jx_add(o, "documentUrl", r->document_key[0] ?
	    api_document_url(base, r->id) : NULL);
	if (r->document_key[0]) {
		json_object *d = jx_object();
		jx_add(d, "name", jx_string(
		    r->document_name));
		jx_add(d, "type", jx_string(
		    r->document_type));
		jx_add(d, "size", jx_int64(
		    r->document_size));
		jx_add(d, "sha256", jx_string(
		    r->document_sha256));
		jx_add(o, "document", d);
	}
	jx_add(o, "ocrData", ocr_view_data(r));
	jx_add(o, "webhookUrl", api_str_or_null(r->webhook_url));
	/* Registered through a seed surface: its name and its ids there. */
	jx_add(o, "surface", api_str_or_null(r->surface));
	jx_add(o, "requestId", api_str_or_null(r->request_id));
	jx_add(o, "orderId", api_str_or_null(r->client_order_id));
	if (r->receipt_url) {
		json_object *rc = jx_object();
		jx_add(rc, "url", jx_string(r->receipt_url));
		jx_add(rc, "status", api_str_or_null(r->receipt_status));
		jx_add(rc, "error", api_str_or_null(r->receipt_error));
		jx_add(o, "receipt", rc);
	} else
		jx_add(o, "receipt", NULL);
	jx_add(o, "notes", api_str_or_null(r->notes));
	jx_add(o, "requiresManualReview",
	    ocr_view_review_flag(r));
	jx_add(o, "reviewReason", api_str_or_null(r->review_reason));
	jx_add(o, "reviewReasons", reasons_json(r->review_reason));
	jx_add(o, "duplicateOf", r->duplicate_of ?
	    jx_int64(r->duplicate_of) : NULL);
	jx_add(o, "registeredBy",
	    jx_int64(r->registered_by));
	jx_add(o, "createdAt", api_time(r->created_at));
	jx_add(o, "updatedAt", api_time(r->updated_at));
	jx_add(o, "version", jx_int64(r->version));
	return o;
}

json_object *
payment_view_envelope(const struct payment_row *r, const char *base)
{
	json_object *o = jx_object();
	jx_add(o, "success", jx_bool(1));
	jx_add(o, "payment", payment_view_json(r, base));
	jx_add(o, "ocrResult", ocr_view_result(r));
	return o;
}

