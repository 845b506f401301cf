/* fuzz_mt940.c — the MT940 reader on hostile bytes: any input ends in
 * entries handed over, refusals by line or a clean error. */
#include "bank/mt940.h"
#include "statement_fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_statement(mt940_read, data, size);
	return 0;
}
