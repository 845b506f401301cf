/* fuzz_csv.c — the CSV reader on hostile bytes with a Latin-1,
 * debit/credit profile, a UTF-8, signed one, and one that leaves the
 * separator, the marks and the date order to the file (csv_detect.c):
 * entries, refusals by line or a clean error, never a crash or an
 * over-read. */
#include <stdio.h>

#include "bank/csv.h"
#include "statement_fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct csv_profile p[3];
	static int ready;
	char why[200], err[256];
	if (!ready) {
		if (!csv_profile_parse("separator = ;\nencoding = latin-1\ndecimal = ,\n"
		    "thousands = .\ndate_format = %d/%m/%Y\namount = debit_credit\n"
		    "date_column = 1\ndebit_column = 2\ncredit_column = 3\n"
		    "balance_column = 4\nreference_column = 5\nskip_header = 1\n"
		    "skip_footer = 2\naccount = 1\ncurrency = PEN\n", "a", &p[0], why,
		    sizeof why) ||
		    !csv_profile_parse("amount = dc_column\ndc_column = 3\n"
		    "amount_column = 2\ndate_column = 1\naccount = 2\ncurrency = GTQ\n",
		    "b", &p[1], why, sizeof why) ||
		    !csv_profile_parse("separator = auto\ndecimal = auto\n"
		    "date_format = auto\namount = debit_credit\ndate_column = 2\n"
		    "debit_column = 3\ncredit_column = 4\nskip_header = 1\n"
		    "account = 3\ncurrency = EUR\n", "c", &p[2], why, sizeof why))
			__builtin_trap();
		ready = 1;
	}
	for (int i = 0; i < 3; i++) {
		struct mem m = {data, size};
		struct stmt_sink sink = {NULL, fuzz_on_entry, NULL, fuzz_on_reject,
		    fuzz_on_reject, NULL};
		csv_read(mem_read, &m, 1 << 20, &p[i], &sink, err, sizeof err);
	}
	return 0;
}
