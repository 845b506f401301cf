/*
 * xls.h — bank statements in Excel 97–2003's binary XLS (BIFF8), as
 * older Latin American online banking still exports them: the first
 * worksheet read with Debian's libfreexl, its rows handed to a statement
 * profile (bank/table.c) as a CSV file's would be.
 */
#ifndef CB_XLS_H
#define CB_XLS_H

#include <stdbool.h>
#include <stddef.h>

#include "bank/csv.h"
#include "bank/statement.h"

#define XLS_MAX_ROWS 1000000

/* An OLE2 compound file's signature (what .xls files are). */
bool xls_sniff(const char *head, size_t n);

/* Reads the workbook in fd (a file libfreexl opens by its /proc path)
 * with profile p.  CB_EINVAL with err saying why for a file that is no
 * readable workbook, CB_ETOOBIG past max_bytes or XLS_MAX_ROWS. */
cb_err xls_read(int fd, long long max_bytes, const struct csv_profile *p,
    const struct stmt_sink *sink, char *err, size_t errlen);

#endif
