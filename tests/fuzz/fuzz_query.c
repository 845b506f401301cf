/* fuzz_query.c — libFuzzer target for query strings and cookies
 * (http/query.c).  The input is split at the first NUL: name, then text. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	char out[64];
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	const char *name = s;
	const char *text = s + strlen(s) + (strlen(s) < size ? 1 : 0);
	(void)query_get(text, name, out, sizeof out);
	(void)query_validate(text);
	(void)cookie_get(text, name, out, sizeof out);
	free(s);
	return 0;
}
