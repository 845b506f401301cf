/*
 * payment_input.h — the fields of a payment as a client sends them (JSON
 * or form), checked all at once: every failing field becomes one entry of
 * the 422 (seed 000 names; API-CONVENTIONS codes).  Lookups that need the
 * database (customer, bank, invoice) are made here too, so that the
 * handler gets either typed, valid fields or a complete list of errors.
 */
#ifndef CB_PAYMENT_INPUT_H
#define CB_PAYMENT_INPUT_H

#include <stdbool.h>

#include <json-c/json.h>

#include "http/request.h"
#include "http/response.h"
#include "store/payments.h"

#define PAY_REFERENCE_MAX 64
#define PAY_NOTES_MAX 500

struct payment_input {
	struct payment_fields f; /* strings point into the buffers below */
	char currency[4];
	char method[16];
	char bank[17];
	char reference[PAY_REFERENCE_MAX * 4 + 1];
	char date[11];
	char account[65];
	char *notes;             /* owned */
};

extern const char *const payment_methods[];

/* in: the request members.  has_document: a receipt came with it (then
 * amount and paymentMethod may be left to OCR).  Errors go to p (the
 * caller checks problem_count).  A database failure returns it (the
 * caller answers 5xx). */
cb_err payment_input_check(struct http_req *req, json_object *in,
    bool has_document, struct payment_input *out, struct problem *p);
void payment_input_release(struct payment_input *in);

/* The stored payment as client members (amount as text), for PATCH:
 * the patch is merged into this and checked as a whole. */
json_object *payment_input_from_row(const struct payment_row *r);

#endif
