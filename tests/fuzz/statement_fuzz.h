/* mem_source.h — the fuzz targets' byte source: the input handed to a
 * statement reader as if read(2) gave it. */
#ifndef CB_FUZZ_MEM_SOURCE_H
#define CB_FUZZ_MEM_SOURCE_H

#include <stdint.h>
#include <string.h>

struct mem {
	const uint8_t *p;
	size_t left;
};

static inline long
mem_read(void *ctx, char *buf, size_t len)
{
	struct mem *m = ctx;
	size_t n = len < m->left ? len : m->left;
	memcpy(buf, m->p, n);
	m->p += n;
	m->left -= n;
	return (long)n;
}

#endif
