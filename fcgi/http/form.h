/*
 * form.h — a multipart/form-data request body, read through the streaming
 * parser into named fields.  Text fields are kept in memory (each at most
 * FORM_TEXT_MAX bytes); file parts stay in memory up to FORM_SPILL_AT and
 * then go to an unlinked temporary file, so memory is bounded whatever the
 * upload size.  A field name may appear once.
 */
#ifndef CB_FORM_H
#define CB_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "http/multipart.h"
#include "http/request.h"
#include "util/buf.h"

#define FORM_TEXT_MAX (64 * 1024)
#define FORM_SPILL_AT (64 * 1024)
#define FORM_MAX_PARTS 32

struct form_field {
	char name[MP_NAME_MAX + 1];
	bool is_file;                 /* the part had a filename */
	char filename[MP_FILENAME_MAX + 1]; /* raw, as sent: sanitise before use */
	char content_type[128];       /* as sent: never trusted */
	struct buf data;              /* text, or a file's first bytes */
	int fd;                       /* spilled file (owned), or -1 */
	size_t size;                  /* total bytes */
};

struct form {
	struct form_field *fields;    /* owned */
	size_t n;
};

/* Reads the whole body.  Returns false after answering 415 (not
 * multipart), 413 (over upload_max_bytes) or 400 (malformed, naming the
 * problem); true with *out set (free with form_free). */
bool http_form_body(struct http_req *req, struct form **out);
/* A text field's value (NUL-terminated), or NULL if absent or a file. */
const char *form_text(const struct form *f, const char *name);
const struct form_field *form_field(const struct form *f, const char *name);
void form_free(struct form *f);

/* Pure core of http_form_body, for tests and fuzzing: parses body[0..len)
 * with the given Content-Type.  On failure returns the status (400, 413,
 * 415) and a reason in why. */
int form_parse_buffer(const char *content_type, const char *body, size_t len,
    size_t file_max, const char *tmpdir, struct form **out, char *why,
    size_t whylen);

#endif
