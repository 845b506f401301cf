/*
 * buf.h — a growable byte buffer that carries its own maximum (curl's
 * dynbuf).  Appending past `max` fails with CB_ETOOBIG before allocating, so
 * every buffer fed from the network is bounded by construction.
 * The buffer owns `data`; buf_free releases it and accepts a zeroed buf.
 */
#ifndef CB_BUF_H
#define CB_BUF_H

#include <stddef.h>

#include "util/err.h"

struct buf {
	char *data; /* owned; always NUL-terminated once non-NULL */
	size_t len;
	size_t cap;
	size_t max; /* content bytes allowed, excluding the NUL */
};

void buf_init(struct buf *b, size_t max);
cb_err buf_append(struct buf *b, const void *p, size_t n);
cb_err buf_puts(struct buf *b, const char *s);
cb_err buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);
void buf_free(struct buf *b);
/* Hands the data to the caller (who frees it) and resets the buffer. */
char *buf_steal(struct buf *b);

#endif
