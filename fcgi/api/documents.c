/* documents.c — see documents.h; GET /api/payments/{id}/document. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "api/common.h"
#include "api/documents.h"
#include "crypto/crypto.h"
#include "jobs/janitor.h"
#include "ocr/probe.h"
#include "store/payments.h"
#include "util/codec.h"
#include "util/log.h"

/* The last n bytes of the part (n ≤ 1024). */
static size_t
tail_of(const struct form_field *f, unsigned char *out, size_t n)
{
	if (f->size < n)
		n = f->size;
	if (f->fd < 0) {
		memcpy(out, f->data.data + f->size - n, n);
		return n;
	}
	ssize_t r = pread(f->fd, out, n, (off_t)(f->size - n));
	return r < 0 ? 0 : (size_t)r;
}

bool
document_check(const struct config *cfg, const struct form_field *f,
    struct doc_upload *u, const char **code, char *why, size_t whylen)
{
	unsigned char tail[1024];
	memset(u, 0, sizeof *u);
	u->part = f;
	u->size = (int64_t)f->size;
	*code = NULL;
	if (f->size == 0) {
		*code = "empty";
		snprintf(why, whylen, "the file is empty");
		return false;
	}
	const unsigned char *head = (const unsigned char *)f->data.data;
	u->type = doc_sniff(head, f->data.len);
	if (u->type == DOC_NONE) {
		*code = "unsupported_type";
		snprintf(why, whylen, "supported types: " DOC_TYPES_SUPPORTED
		    " (decided from the content, not the name)");
		return false;
	}
	doc_sanitize_name(f->filename, u->type, u->name);
	size_t tn = tail_of(f, tail, sizeof tail);
	const char *bad = doc_check_tail(u->type, tail, tn);
	if (bad) {
		*code = "corrupt";
		snprintf(why, whylen, "%s", bad);
		return false;
	}
	struct ocr_limits lim = {.max_pixels = cfg->ocr_max_pixels,
	    .pdf_max_pages = cfg->ocr_pdf_max_pages};
	switch (ocr_probe(u->type, head, f->data.len, f->fd, &lim, why, whylen)) {
	case PROBE_OK:
		break;
	case PROBE_TOO_MANY_PIXELS:
		*code = "pixel_limit";
		return false;
	case PROBE_ENCRYPTED:
		*code = "encrypted";
		return false;
	case PROBE_TOO_MANY_PAGES:
		*code = "page_limit";
		return false;
	case PROBE_BROKEN:
		*code = "corrupt";
		return false;
	}
	cb_err e = f->fd >= 0 ? crypto_sha256_stream_hex(NULL, 0, f->fd, u->sha256)
	                      : crypto_sha256_stream_hex(head, f->size, -1,
	                            u->sha256);
	if (e != CB_OK) {
		*code = "unreadable";
		snprintf(why, whylen, "the file could not be read back");
		return false;
	}
	return true;
}

bool
api_document_check(struct http_req *req, const struct form_field *f,
    struct doc_upload *u, struct problem *p)
{
	char why[300];
	const char *code;
	if (document_check(req->cfg, f, u, &code, why, sizeof why))
		return true;
	if (strcmp(code, "unsupported_type") == 0) {
		struct problem q;
		problem_init(&q, 415, "unsupported-media-type",
		    "Unsupported Media Type",
		    "the document must be a JPEG, PNG or PDF file; its type is"
		    " decided from its content, not its name");
		problem_field(&q, "document", "unsupported_type",
		    "supported types: " DOC_TYPES_SUPPORTED);
		http_send_problem(req, &q, NULL);
		return false;
	}
	problem_field(p, "document", code, why);
	return true;
}

cb_err
document_store(struct storage *st, const char *rid, const struct doc_upload *u,
    int64_t id, char key[STORAGE_KEY_MAX + 1])
{
	const struct form_field *f = u->part;
	snprintf(key, STORAGE_KEY_MAX + 1, DOCUMENTS_DIR "/%lld-%s", (long long)id,
	    u->name);
	cb_err e = CB_OK;
	for (int attempt = 0; attempt < 2; attempt++) {
		e = f->fd >= 0 ? storage_put(st, key, NULL, 0, f->fd)
		               : storage_put(st, key, f->data.data, f->size, -1);
		if (e != CB_EEXIST || attempt)
			break;
		/* The id was just allocated, so no committed payment names this
		 * key: the file is a stray (a crash before commit, a restored
		 * database).  Replace it. */
		log_warn("rid=%s: replacing stray document %s", rid, key);
		if ((e = storage_remove(st, key)) != CB_OK)
			break;
	}
	if (e != CB_OK)
		log_error("rid=%s: storing %s failed: %s", rid, key, cb_strerror(e));
	return e;
}

cb_err
api_document_store(struct http_req *req, const struct doc_upload *u,
    int64_t id, char key[STORAGE_KEY_MAX + 1])
{
	return document_store(req->storage, req->request_id, u, id, key);
}

/* RFC 6266 / 8187: an ASCII fallback and the UTF-8 name. */
static void
disposition(const char *name, char *out, size_t len)
{
	char ascii[DOC_NAME_MAX + 1], enc[3 * DOC_NAME_MAX + 1];
	size_t a = 0, o = 0;
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		ascii[a++] = *p < 0x80 && *p >= 0x20 && *p != '"' && *p != '\\'
		    ? (char)*p : '_';
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p))
			enc[o++] = (char)*p;
		else {
			enc[o++] = '%';
			enc[o++] = hex[*p >> 4];
			enc[o++] = hex[*p & 15];
		}
	}
	ascii[a] = enc[o] = '\0';
	snprintf(out, len, "Content-Disposition: attachment; filename=\"%s\";"
	    " filename*=UTF-8''%s\r\n", ascii, enc);
}

void
api_document_send(struct http_req *req, const struct payment_row *row)
{
	int fd = -1;
	off_t size = 0;
	if (!row->document_key[0]) {
		http_problem(req, 404, "not-found", "Not Found",
		    "this payment has no document");
		return;
	}
	cb_err e = storage_open(req->storage, row->document_key, &fd, &size);
	if (e != CB_OK) {
		log_error("rid=%s: document %s of payment %lld: %s", req->request_id,
		    row->document_key, (long long)row->id, cb_strerror(e));
		http_problem(req, 500, "internal", "Internal Server Error",
		    "the document could not be read");
		return;
	}
	char hdr[1024], disp[600];
	disposition(row->document_name, disp, sizeof disp);
	snprintf(hdr, sizeof hdr, "%s"
	    "Content-Length: %lld\r\n"
	    "Content-Security-Policy: default-src 'none'; sandbox\r\n"
	    "Cross-Origin-Resource-Policy: same-origin\r\n"
	    "ETag: \"%s\"\r\n", disp, (long long)size, row->document_sha256);
	http_send_fd(req, 200, row->document_type[0] ? row->document_type :
	    "application/octet-stream", hdr, fd, size);
	close(fd);
}

void
api_payments_document(struct http_req *req)
{
	struct payment_row row;
	int64_t id;
	if (!api_path_payment(req, &id, &row))
		return;
	api_document_send(req, &row);
	payment_row_release(&row);
}
