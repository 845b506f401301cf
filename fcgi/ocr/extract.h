/*
 * extract.h — payment fields from a receipt's words: amount (+ currency),
 * transaction date, reference, bank and payment method, each with where it
 * was read and a confidence in [0, 1].
 *
 * DESIGN: every field is chosen among candidates found in the folded
 * (upper-case ASCII) text of each line: every amount, every date, every
 * reference-like token.  Each candidate is described by features that mean
 * the same on any layout (features.h: which kind of label sits before it
 * or above it, format, print size, position, repetition, the amount in
 * words, OCR confidence), and the model (model.h, weights fitted from the
 * layout corpus by tests/corpus/fit.py) scores them.  The confidence is the
 * calibrated probability that the winner is right, from its score, its
 * margin over the best other value and its OCR confidence.  Vouchers are
 * full of distracting numbers (accounts, tax ids, phones, fees, balances):
 * those lack the evidence, or carry negative labels, and lose.  Bank and
 * method are still chosen by hand-set rules (calibrate.c).
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
	int w0, w1;              /* those words' indices in the text */
};

struct ocr_fields {
	struct ocr_field amount, currency, date, reference, bank, method;
	int64_t amount_minor;    /* when amount.found */
};

/* The country whose currency this is ("GT" for GTQ), or NULL. */
const char *currency_country(const char *code);

/* A field below this confidence is not reported at all. */
#define OCR_MIN_CONF 0.15f
/* The most a value with unreadable characters in it is trusted. */
#define OCR_BROKEN_CONF 0.5f

/* Never fails on any input; banks may be NULL. */
void ocr_extract(const struct ocr_text *t, const struct bank_alias *banks,
    size_t nbanks, struct ocr_fields *out);

/* What the extractor weighed: each candidate of amount, date and
 * reference with its features (features.h) and score, for fitting the
 * model (tests/bench/ocr_read -C) and for reviewers' corrections. */
struct ocr_where { int page, x0, y0, x1, y1; };
struct ocr_trace {
	void (*candidate)(void *arg, int field, const char *value,
	    const float *x, float score, const struct ocr_where *at);
	void *arg;
};
struct ocr_model;
/* m: the model to choose with (model.h); NULL for the built-in one. */
void ocr_extract_traced(const struct ocr_text *t,
    const struct bank_alias *banks, size_t nbanks, const struct ocr_model *m,
    struct ocr_fields *out, const struct ocr_trace *tr);

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
