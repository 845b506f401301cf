/*
 * csv_detect.h — what a CSV profile leaves to the file ("auto"): the
 * separator, the decimal and thousands marks and the date order, told
 * from the file's first lines.
 */
#ifndef CB_CSV_DETECT_H
#define CB_CSV_DETECT_H

#include <stddef.h>

#include "bank/csv.h"

/* A profile's "auto": separator and decimal 0, date_format "auto". */
#define CSV_AUTO_DATE "auto"
bool csv_profile_has_auto(const struct csv_profile *p);

/* The separator a file's first bytes show (after skip lines). */
char csv_detect_separator(const char *sample, size_t n, int skip);

/* The decimal mark and date order p leaves to the file ("auto"), told
 * from sample values of its amount and date columns; said says what
 * was told ("" when nothing was left). */
void csv_detect_values(struct csv_profile *p, const char *const *amounts,
    int na, const char *const *dates, int nd, char *said, size_t saidlen);

/* Fills what p leaves to the file from sample (its first bytes, after
 * p->skip_header lines); said says what was told and how, for the
 * import's warnings.  Whatever cannot be told takes the common choice
 * (',' ; '.' ; day first), and said says that too. */
void csv_detect(struct csv_profile *p, const char *sample, size_t n,
    char *said, size_t saidlen);

#endif
