/*
 * xlsx.h — bank statements in Excel's XLSX (the export most Latin
 * American banks offer): the workbook's first worksheet, read with the
 * zip reader (bank/zip.c) and libxml2's streaming reader, its rows handed
 * to a statement profile (bank/table.c) as a CSV file's would be.
 * Hostile workbooks meet caps: the zip's (files, inflated bytes), the
 * shared-strings table's (strings, bytes), the sheet's rows, no DOCTYPE
 * or entity.
 */
#ifndef CB_XLSX_H
#define CB_XLSX_H

#include <stdbool.h>
#include <stddef.h>

#include "bank/csv.h"
#include "bank/statement.h"

#define XLSX_MAX_STRINGS 1000000        /* shared strings */
#define XLSX_MAX_STRING_BYTES (64L << 20)
#define XLSX_MAX_ROWS 1000000           /* rows of the sheet */

/* A zip whose first part is an Office Open XML one ("[Content_Types].xml",
 * "_rels/", "docProps/", "xl/"), whatever the file's name says. */
bool xlsx_sniff(const char *head, size_t n);

/* Reads the workbook in fd (read twice from its start: the shared
 * strings, then the sheet) with profile p.  CB_EINVAL with err saying
 * why for a workbook that cannot be read, CB_ETOOBIG past a cap. */
cb_err xlsx_read(int fd, long long max_bytes, const struct csv_profile *p,
    const struct stmt_sink *sink, char *err, size_t errlen);

#endif
