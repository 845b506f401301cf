/*
 * multipart.h — a streaming multipart/form-data parser (RFC 7578 / 2046).
 *
 * DESIGN: pure and incremental.  mp_feed takes the body in chunks of any
 * size (a boundary may be split across them) and calls back for each part's
 * start, data and end; it holds at most one chunk plus a boundary's length
 * of lookbehind, so memory is bounded whatever the body size.  Every limit
 * (parts, header line, headers per part) is given at creation and checked
 * before allocating.  Errors are final and carry a message for the 400.
 */
#ifndef CB_MULTIPART_H
#define CB_MULTIPART_H

#include <stddef.h>

#include "util/err.h"

#define MP_BOUNDARY_MAX 70
#define MP_NAME_MAX 100
#define MP_FILENAME_MAX 255

struct mp_limits {
	size_t max_parts;        /* e.g. 32 */
	size_t max_header_line;  /* bytes, e.g. 1024 */
	size_t max_headers;      /* per part, e.g. 8 */
};

struct mp_part {
	char name[MP_NAME_MAX + 1];       /* form field name */
	char filename[MP_FILENAME_MAX + 1]; /* raw, unsanitised; "" if none */
	int has_filename;
	char content_type[128];           /* "" if none */
};

struct mp_callbacks {
	/* Each returns CB_OK to go on; anything else stops the parse with
	 * that error (the message is the callback's to give via mp_fail). */
	cb_err (*part_begin)(const struct mp_part *part, void *arg);
	cb_err (*part_data)(const char *data, size_t len, void *arg);
	cb_err (*part_end)(void *arg);
	void *arg;
};

struct mp_parser;

/* boundary from mp_boundary_from_content_type.  NULL on allocation failure. */
struct mp_parser *mp_new(const char *boundary, const struct mp_limits *lim,
    const struct mp_callbacks *cb);
void mp_free(struct mp_parser *p);
cb_err mp_feed(struct mp_parser *p, const char *data, size_t len);
/* The body ended: CB_EINVAL unless the closing boundary was seen. */
cb_err mp_finish(struct mp_parser *p);
/* Why the parse failed (static or owned by p), or "". */
const char *mp_error(const struct mp_parser *p);
/* Lets a callback set the message for the error it returns. */
void mp_fail(struct mp_parser *p, const char *msg);

/* Extracts the boundary parameter of a multipart/form-data Content-Type.
 * CB_EINVAL if the type is not multipart/form-data or the boundary is
 * missing, empty, over 70 characters or has characters RFC 2046 forbids. */
cb_err mp_boundary_from_content_type(const char *ct, char *out, size_t outlen);

#endif
