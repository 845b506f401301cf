/* fuzz_workbook.c — the XLSX reader on hostile bytes, with a profile
 * that names its columns (so the header search runs) and one by
 * position with a footer: entries, refusals by row or a clean error,
 * never a crash or an over-read.  Bytes that are no zip end in the zip
 * reader's error. */
#include <sys/mman.h>
#include <unistd.h>

#include "bank/xlsx.h"
#include "statement_fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct csv_profile p[2];
	static int ready;
	char why[200], err[256];
	if (!ready) {
		if (!csv_profile_parse("amount = debit_credit\ndate_column = Fecha\n"
		    "debit_column = Cargos\ncredit_column = Abonos\nbalance_column ="
		    " Saldo\ndescription_column = Concepto | 2\ncurrency_column = 6\n"
		    "account = 1\n", "a", &p[0], why, sizeof why) ||
		    !csv_profile_parse("date_format = %d/%m/%Y\namount = signed\n"
		    "date_column = 1\namount_column = 2\naccount_column = 3\n"
		    "skip_header = 1\nskip_footer = 2\ncurrency = CLP\n", "b", &p[1],
		    why, sizeof why))
			__builtin_trap();
		ready = 1;
	}
	int fd = memfd_create("xlsx", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size)
		for (int i = 0; i < 2; i++) {
			struct stmt_sink sink = {NULL, fuzz_on_entry, NULL, fuzz_on_reject,
			    fuzz_on_reject, NULL};
			xlsx_read(fd, 1 << 22, &p[i], &sink, err, sizeof err);
		}
	close(fd);
	return 0;
}
