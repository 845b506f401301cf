/*
 * documents.h — receipt documents at the API edge: checking an uploaded
 * `document` part (type from the bytes, size, integrity, pixel and page
 * limits), storing it, and serving it back.
 */
#ifndef CB_DOCUMENTS_API_H
#define CB_DOCUMENTS_API_H

#include <stdbool.h>
#include <stdint.h>

#include "conf/config.h"
#include "core/document.h"
#include "http/form.h"
#include "http/request.h"
#include "http/response.h"
#include "storage/storage.h"

struct doc_upload {
	const struct form_field *part;   /* borrowed from the form */
	enum doc_type type;
	char name[DOC_NAME_MAX + 1];     /* sanitised */
	char sha256[65];
	int64_t size;
};

/* The checks without an HTTP request (a receipt fetched from a URL):
 * false with a stable *code (empty, unsupported_type, corrupt,
 * pixel_limit, encrypted, page_limit, unreadable) and why. */
bool document_check(const struct config *cfg, const struct form_field *f,
    struct doc_upload *u, const char **code, char *why, size_t whylen);
/* Stores a checked document as payments/documents/{id}-{name}; rid names
 * the request or job in the log. */
cb_err document_store(struct storage *st, const char *rid,
    const struct doc_upload *u, int64_t payment_id,
    char key[STORAGE_KEY_MAX + 1]);

/* Checks the part.  Returns false after answering 415 (not JPEG, PNG or
 * PDF); otherwise true, with any content problem (empty, truncated,
 * appended data, too many pixels or pages, encrypted, damaged) added to p
 * as a 422 field error on "document". */
bool api_document_check(struct http_req *req, const struct form_field *part,
    struct doc_upload *u, struct problem *p);

/* Stores the upload as payments/documents/{id}-{name}; key receives it. */
cb_err api_document_store(struct http_req *req, const struct doc_upload *u,
    int64_t payment_id, char key[STORAGE_KEY_MAX + 1]);

struct payment_row;
/* Sends the payment's stored document (404 when it has none) with its
 * type, Content-Disposition: attachment, nosniff and a sandboxing CSP. */
void api_document_send(struct http_req *req, const struct payment_row *row);

#endif
