/* payment_view.c — see payment_view.h. */
#include <stdio.h>

#include "api/common.h"
#include "api/ocr_view.h"
#include "api/payment_view.h"
#include "core/review_reason.h"

/* reviewReason as codes: [{"code", "field", "values", "text"}] (the
 * words of each in English; the review pages say them in their reader's
 * language from the codes). */
static json_object *
reasons_json(const char *text)
{
	struct review_reason rs[REVIEW_REASONS_MAX];
	size_t n = review_reasons_parse(text, rs, REVIEW_REASONS_MAX);
	json_object *arr = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		char sentence[600];
		json_object *o = json_object_new_object(), *v = json_object_new_array();
		json_object_object_add(o, "code", json_object_new_string(rs[i].code));
		json_object_object_add(o, "field", api_str_or_null(rs[i].field));
		if (rs[i].a[0])
			json_object_array_add(v, json_object_new_string(rs[i].a));
		if (rs[i].b[0])
			json_object_array_add(v, json_object_new_string(rs[i].b));
		json_object_object_add(o, "values", v);
		if (!review_reason_format(sentence, sizeof sentence, rs[i].code,
		    rs[i].field, rs[i].a, rs[i].b))
			snprintf(sentence, sizeof sentence, "%s", rs[i].a);
		json_object_object_add(o, "text", json_object_new_string(sentence));
		json_object_array_add(arr, o);
	}
	return arr;
}

json_object *
payment_view_json(const struct payment_row *r, const char *base)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "paymentId", json_object_new_int64(r->id));
	json_object_object_add(o, "customerId", json_object_new_int64(r->customer_id));
	json_object_object_add(o, "invoiceId",
	    r->invoice_id ? json_object_new_int64(r->invoice_id) : NULL);
	json_object_object_add(o, "amount",
	    r->has_amount ? api_money(r->amount_minor, r->currency) : NULL);
	json_object_object_add(o, "currency", json_object_new_string(r->currency));
	json_object_object_add(o, "paymentMethod", api_str_or_null(r->payment_method));
	json_object_object_add(o, "bankCode", api_str_or_null(r->bank_code));
	json_object_object_add(o, "reference", api_str_or_null(r->reference));
	json_object_object_add(o, "transactionDate",
	    api_str_or_null(r->transaction_date));
	json_object_object_add(o, "bankAccountId", api_str_or_null(r->bank_account));
	json_object_object_add(o, "bankOperationNumber",
	    api_str_or_null(r->bank_operation_number));
	json_object_object_add(o, "bankValidation", json_object_new_boolean(
	    r->bank_validation));
	/* What the voucher said, once the bank's record replaced it. */
	if (r->has_voucher_amount || r->voucher_date[0]) {
		json_object *v = json_object_new_object();
		json_object_object_add(v, "amount", r->has_voucher_amount ?
		    api_money(r->voucher_amount_minor, r->currency) : NULL);
		json_object_object_add(v, "transactionDate",
		    api_str_or_null(r->voucher_date));
		json_object_object_add(o, "voucher", v);
	} else
		json_object_object_add(o, "voucher", NULL);
	json_object_object_add(o, "status", json_object_new_string(r->status));
	json_object_object_add(o, "documentUrl", r->document_key[0] ?
	    api_document_url(base, r->id) : NULL);
	if (r->document_key[0]) {
		json_object *d = json_object_new_object();
		json_object_object_add(d, "name", json_object_new_string(
		    r->document_name));
		json_object_object_add(d, "type", json_object_new_string(
		    r->document_type));
		json_object_object_add(d, "size", json_object_new_int64(
		    r->document_size));
		json_object_object_add(d, "sha256", json_object_new_string(
		    r->document_sha256));
		json_object_object_add(o, "document", d);
	}
	json_object_object_add(o, "ocrData", ocr_view_data(r));
	json_object_object_add(o, "webhookUrl", api_str_or_null(r->webhook_url));
	/* Registered through a seed surface: its name and its ids there. */
	json_object_object_add(o, "surface", api_str_or_null(r->surface));
	json_object_object_add(o, "requestId", api_str_or_null(r->request_id));
	json_object_object_add(o, "orderId", api_str_or_null(r->client_order_id));
	if (r->receipt_url) {
		json_object *rc = json_object_new_object();
		json_object_object_add(rc, "url", json_object_new_string(r->receipt_url));
		json_object_object_add(rc, "status", api_str_or_null(r->receipt_status));
		json_object_object_add(rc, "error", api_str_or_null(r->receipt_error));
		json_object_object_add(o, "receipt", rc);
	} else
		json_object_object_add(o, "receipt", NULL);
	json_object_object_add(o, "notes", api_str_or_null(r->notes));
	json_object_object_add(o, "requiresManualReview",
	    ocr_view_review_flag(r));
	json_object_object_add(o, "reviewReason", api_str_or_null(r->review_reason));
	json_object_object_add(o, "reviewReasons", reasons_json(r->review_reason));
	json_object_object_add(o, "duplicateOf", r->duplicate_of ?
	    json_object_new_int64(r->duplicate_of) : NULL);
	json_object_object_add(o, "registeredBy",
	    json_object_new_int64(r->registered_by));
	json_object_object_add(o, "createdAt", api_time(r->created_at));
	json_object_object_add(o, "updatedAt", api_time(r->updated_at));
	json_object_object_add(o, "version", json_object_new_int64(r->version));
	return o;
}

json_object *
payment_view_envelope(const struct payment_row *r, const char *base)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "success", json_object_new_boolean(1));
	json_object_object_add(o, "payment", payment_view_json(r, base));
	json_object_object_add(o, "ocrResult", ocr_view_result(r));
	return o;
}

