/* fuzz_zip.c — the zip walk on hostile bytes: every file found is read
 * to its end through the camt reader (what an import does with it), and
 * any archive ends in files handed over or a clean error. */
#include <sys/mman.h>
#include <unistd.h>

#include "bank/camt.h"
#include "bank/zip.h"
#include "statement_fuzz.h"

static cb_err
on_file(void *arg, const char *name, stmt_read_fn rd, void *rctx)
{
	char err[256];
	(void)arg;
	if (!name)
		__builtin_trap();
	struct stmt_sink sink = {NULL, fuzz_on_entry, NULL, fuzz_on_reject,
	    fuzz_on_reject, NULL};
	camt_read(rd, rctx, 1 << 20, &sink, err, sizeof err);
	return CB_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	int fd = memfd_create("zip", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size && lseek(fd, 0, SEEK_SET) == 0)
		zip_each(fd, 1 << 22, on_file, NULL, err, sizeof err);
	close(fd);
	return 0;
}
