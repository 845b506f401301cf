/* fuzz_camt.c — the camt reader on hostile bytes: any input ends in
 * entries handed over, refusals or a clean error, within the size cap. */
#include "bank/camt.h"
#include "statement_fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_statement(camt_read, data, size);
	return 0;
}
