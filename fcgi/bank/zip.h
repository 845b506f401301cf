/*
 * zip.h — the statements inside a zip archive (banks send a day's camt
 * files zipped), each handed over as a stream for the readers in bank/,
 * never unpacked to disk nor held whole in memory.  Hostile archives meet
 * caps: entries counted, the bytes they inflate to counted together (a
 * zip bomb stops at the cap), names only reported.
 */
#ifndef CB_ZIP_H
#define CB_ZIP_H

#include <stdbool.h>

#include "bank/statement.h"

#define ZIP_MAX_FILES 100

/* "PK\3\4" (or an empty archive's "PK\5\6") at the start. */
bool zip_sniff(const char *head, size_t n);

/* Called for each regular file: name (borrowed, for reports) and its
 * bytes through rd(rctx, …).  A non-OK return stops the walk. */
typedef cb_err (*zip_file_fn)(void *arg, const char *name, stmt_read_fn rd,
    void *rctx);

/* Walks the zip read from fd.  CB_ETOOBIG when its files inflate to more
 * than max_bytes together or number more than ZIP_MAX_FILES; CB_EINVAL
 * for a broken or encrypted archive; err says which in words. */
cb_err zip_each(int fd, long long max_bytes, zip_file_fn fn, void *arg,
    char *err, size_t errlen);

#endif
