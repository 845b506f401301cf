/* fuzz_multipart.c — libFuzzer target for the streaming multipart parser
 * (http/multipart.c).  The first byte picks where the body is cut in two,
 * so split boundaries are explored too. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t total;

static cb_err
on_begin(const struct mp_part *p, void *arg)
{
	(void)arg;
	if (!p->name[0] || strlen(p->name) > MP_NAME_MAX)
		abort();
	return CB_OK;
}

static cb_err
on_data(const char *d, size_t n, void *arg)
{
	(void)d;
	(void)arg;
	total += n;
	return CB_OK;
}

static cb_err
on_end(void *arg)
{
	(void)arg;
	return CB_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct mp_limits lim = {32, 1024, 8};
	struct mp_callbacks cb = {on_begin, on_data, on_end, NULL};
	char b[80];
	if (size < 1)
		return 0;
	char *ct = malloc(size);
	if (!ct)
		return 0;
	memcpy(ct, data + 1, size - 1);
	ct[size - 1] = '\0';
	(void)mp_boundary_from_content_type(ct, b, sizeof b);
	free(ct);
	struct mp_parser *p = mp_new("XyZ", &lim, &cb);
	if (!p)
		return 0;
	size_t cut = size > 1 ? data[0] % size : 0;
	const char *body = (const char *)data + 1;
	size_t len = size - 1;
	if (cut > len)
		cut = len;
	total = 0;
	if (mp_feed(p, body, cut) == CB_OK && mp_feed(p, body + cut, len - cut) == CB_OK)
		(void)mp_finish(p);
	if (total > len)
		abort(); /* never more data out than in */
	mp_free(p);
	return 0;
}
