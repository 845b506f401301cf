/* statement_fuzz.h — what the statement fuzz targets share: the input
 * handed to a reader as if read(2) gave it, and a sink that traps on
 * anything malformed a reader hands over. */
#ifndef CB_STATEMENT_FUZZ_H
#define CB_STATEMENT_FUZZ_H

#include <stdint.h>
#include <string.h>

#include "bank/statement.h"
#include "util/codec.h"

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

static inline cb_err
fuzz_on_entry(void *arg, const struct stmt_header *h, const struct stmt_entry *e)
{
	(void)arg;
	/* Everything handed over is well-formed: a positive amount (zero
	 * only on a notice), a day, text that is UTF-8 (it is stored). */
	if (strlen(e->booking_date) != 10 || e->amount.units < 0 ||
	    (e->amount.units == 0 && e->status != STMT_INFO) ||
	    strlen(h->format) >= sizeof h->format)
		__builtin_trap();
	const char *texts[] = {e->info, e->party_name, e->party_account, e->raw,
	    e->svcr_ref, e->entry_svcr_ref, e->tx_id, e->end_to_end,
	    e->creditor_ref, h->id, h->account};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		if (!utf8_valid(texts[i], strlen(texts[i])))
			__builtin_trap();
	return CB_OK;
}

static inline cb_err
fuzz_on_reject(void *arg, const char *where, const char *why)
{
	(void)arg;
	if (!where || !why)
		__builtin_trap();
	return CB_OK;
}

/* Runs a camt- or MT940-shaped reader over the input. */
static inline void
fuzz_statement(cb_err (*reader)(stmt_read_fn, void *, long long,
    const struct stmt_sink *, char *, size_t), const uint8_t *data, size_t size)
{
	struct mem m = {data, size};
	char err[256];
	struct stmt_sink sink = {NULL, fuzz_on_entry, NULL, fuzz_on_reject,
	    fuzz_on_reject, NULL};
	reader(mem_read, &m, 1 << 20, &sink, err, sizeof err);
}

#endif
