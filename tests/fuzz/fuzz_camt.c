/* fuzz_camt.c — the camt reader on hostile bytes: any input ends in
 * entries handed over, refusals or a clean error, within the size cap. */
#include <stdint.h>
#include <string.h>

#include "mem_source.h"

#include "bank/camt.h"

static cb_err
on_entry(void *arg, const struct stmt_header *h, const struct stmt_entry *e)
{
	(void)arg;
	/* Everything handed over is well-formed. */
	if (strlen(e->booking_date) != 10 || e->amount.units <= 0 ||
	    strlen(h->format) >= sizeof h->format)
		__builtin_trap();
	return CB_OK;
}

static cb_err
on_reject(void *arg, const char *where, const char *why)
{
	(void)arg;
	if (!where || !why)
		__builtin_trap();
	return CB_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mem m = {data, size};
	char err[256];
	struct stmt_sink sink = {NULL, on_entry, NULL, on_reject, NULL};
	camt_read(mem_read, &m, 1 << 20, &sink, err, sizeof err);
	return 0;
}
