/* fuzz_addr.c — libFuzzer target for the outbound address allowlist and
 * the retry schedule (net/addr_policy.c, core/retry_schedule.c): both are
 * parsed from config text; what parses must judge addresses without
 * reading out of bounds, and an allowlisted address must be allowed. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/retry_schedule.h"
#include "net/addr_policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[512], why[160];
	struct addr_policy p;
	struct retry_schedule rs;
	bool is_addr;
	double d;
	if (size >= sizeof s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (retry_schedule_parse(s, &rs) == CB_OK) {
		if (rs.n < 1 || rs.n > RETRY_SCHEDULE_MAX)
			abort();
		for (int i = 0; i <= rs.n; i++)
			if (retry_schedule_next(&rs, i, 1, 50, 7, 60, &d) != (i < rs.n) ||
			    (i < rs.n && d < 0))
				abort();
	}
	/* The input as an address to judge, then as an allowlist. */
	(void)addr_policy_parse("", &p, why, sizeof why);
	(void)addr_policy_denied_text(&p, s, &is_addr);
	if (addr_policy_parse(s, &p, why, sizeof why) != CB_OK)
		return 0;
	if (p.nallow > ADDR_ALLOW_MAX)
		abort();
	/* Every whole-address entry (no prefix) admits itself. */
	char tok[80];
	for (const char *c = s; *c;) {
		while (*c == ' ' || *c == ',' || *c == '\t')
			c++;
		size_t n = strcspn(c, " ,\t");
		if (n && n < sizeof tok && !memchr(c, '/', n)) {
			memcpy(tok, c, n);
			tok[n] = '\0';
			if (addr_policy_denied_text(&p, tok, &is_addr) && is_addr)
				abort();
		}
		c += n;
	}
	return 0;
}
