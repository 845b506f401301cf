/* fuzz_money.c — libFuzzer target for exact amounts (core/money.c): what
 * parses must format back to a text that parses to the same value. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[128], out[32];
	int64_t v, w;
	if (size == 0 || size >= sizeof s)
		return 0;
	int exp = data[0] % 4;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	if (money_parse(s, exp, &v) != MONEY_OK)
		return 0;
	if (v <= 0 || v > MONEY_MAX_MINOR)
		abort();
	money_format(v, exp, out, sizeof out);
	if (money_parse(out, exp, &w) != MONEY_OK || w != v)
		abort();
	return 0;
}
