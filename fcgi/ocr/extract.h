/*
 * extract.h — payment fields from a receipt's words: amount (+ currency),
 * transaction date, reference, bank and payment method, each with where it
 * was read and a confidence in [0, 1].
 *
 * DESIGN: every field is chosen among candidates found in the folded
 * (upper-case ASCII) text of each line.  A candidate is scored from label
 * evidence (a "Monto:" before it on its line or on the line above; a
 * "Comisión" or "Saldo" counts against it), format evidence (currency
 * marker, decimals, a valid calendar date, a time beside it) and agreement
 * (the same value read more than once).  The confidence then combines the
 * winner's score, its margin over the runner-up and the OCR confidence of
 * its words, through the calibration table in calibrate.c, which the OCR
 * benchmark measures on the generated corpus.  Vouchers are full of
 * distracting numbers (accounts, tax ids, phones, fees, balances): those
 * lack the evidence, or carry negative labels, and lose.
 */
#ifndef CB_OCR_EXTRACT_H
#define CB_OCR_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ocr/text.h"

/* A bank as the registry knows it (store: banks table). */
struct bank_alias {
	const char *code;
	const char *country;     /* ISO 3166 alpha-2 */
	const char *aliases;     /* '|'-separated, upper case */
};

struct ocr_field {
	bool found;
	char value[72];          /* normalised: "1500.00", "2026-03-03", … */
	char raw[72];            /* as printed */
	float conf;              /* 0..1 */
	float score;             /* the raw evidence score (for calibration) */
	int page, x0, y0, x1, y1;/* box of the words it was read from */
};

struct ocr_fields {
	struct ocr_field amount, currency, date, reference, bank, method;
	int64_t amount_minor;    /* when amount.found */
};

/* The country whose currency this is ("GT" for GTQ), or NULL. */
const char *currency_country(const char *code);

/* Never fails on any input; banks may be NULL. */
void ocr_extract(const struct ocr_text *t, const struct bank_alias *banks,
    size_t nbanks, struct ocr_fields *out);

/* A number as printed. */
struct ocr_number {
	int64_t cents;           /* value × 100 */
	char dec;                /* decimal separator, 0 if none */
	char grp;                /* thousands separator, 0 if none */
	int digits, groups;
	int decimals;            /* digits after dec */
};
/* Parsers exposed for tests.  A number in a folded line at [i..): returns
 * the length consumed (0 if none there or its grouping is inconsistent). */
size_t ocr_scan_number(const char *s, size_t i, struct ocr_number *n);
/* A date starting at s[i] (folded text); length consumed or 0; iso gets
 * "YYYY-MM-DD". */
size_t ocr_scan_date(const char *s, size_t i, char iso[11]);
/* Folds UTF-8 to upper-case ASCII, one output byte per input character;
 * map[k] = index in `in` of the character folded to out[k].  Returns the
 * output length (out holds cap bytes including the NUL). */
size_t ocr_fold(const char *in, char *out, int *map, size_t cap);

#endif
