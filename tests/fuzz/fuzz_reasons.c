/* fuzz_reasons.c — libFuzzer target for stored review reasons read back as
 * codes (core/review_reason.c): any text parses without overrunning, and a
 * reason written from what was read reads back the same. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/review_reason.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[2048], again[600];
	struct review_reason r[REVIEW_REASONS_MAX], r2[REVIEW_REASONS_MAX];
	if (size >= sizeof s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	size_t n = review_reasons_parse(s, r, REVIEW_REASONS_MAX);
	if (n > REVIEW_REASONS_MAX)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(r[i].code, "other"))
			continue;
		if (!review_reason_format(again, sizeof again, r[i].code, r[i].field,
		    r[i].a, r[i].b))
			abort();
		/* Values holding "; " or a template's own words may read back
		 * otherwise; the code of a clean one never changes. */
		if (strstr(again, "; ") || strchr(r[i].a, ';') || strchr(r[i].b, ';'))
			continue;
		if (review_reasons_parse(again, r2, REVIEW_REASONS_MAX) < 1)
			abort();
	}
	return 0;
}
